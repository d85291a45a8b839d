"""markdown-it-py's block parser, asking at each block's first line only the rules that can start there.

At each block's first line, and at every later line of a paragraph (to see whether the line
ends it), markdown-it-py tries its block rules in turn; each but `table`, `code`, `lheading`
and `paragraph` returns False at once unless the line's first character (after its
indentation) is its marker, but only after a `LOGGER.debug` call and an indentation check:
in prose nearly every call. The tokenizer below tries, at a block's first line, only the rules
that can start at its first character, in their order; the rules that end a paragraph or a
list are each wrapped in a check of that character. `lheading` is asked only when the line has
a next one in its block (a setext underline). The output is the same, token for token.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

# The only first characters (after the line's indentation) at which each of these rules can
# match: at any other each returns False before changing anything (markdown-it-py 4 and
# mdit-py-plugins' rules, read for this). A rule not named here is tried at every line.
TRIGGERS = {
    "fence": "~`",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


def _guarded(rule, triggers: str):
    def rule_at_its_marker(state, line: int, end: int, silent: bool) -> bool:
        try:
            first = state.src[state.bMarks[line] + state.tShift[line]]
        except IndexError:  # past the end: the rule decides, as it did
            return rule(state, line, end, silent)
        if first not in triggers:
            return False
        return rule(state, line, end, silent)

    return rule_at_its_marker


def _with_a_next_line(lheading):
    """`lheading` where the line has a next one in its block: on the last line of one it finds
    no underline, and returns False with the parent type set to "paragraph" (unless the line is
    code), as it leaves it; the paragraph rule after it then keeps that."""

    def lheading_with_a_next_line(state, line: int, end: int, silent: bool) -> bool:
        if line + 1 < end and not state.isEmpty(line + 1):
            return lheading(state, line, end, silent)
        if not state.is_code_block(line):
            state.parentType = "paragraph"
        return False

    return lheading_with_a_next_line


def _chains(md: MarkdownIt) -> tuple[dict[str, list], list]:
    """({first character: the rules to try at a block starting with it}, the rules to try at
    any other), markdown-it-py's own functions, before they are wrapped."""
    named = [(rule.name, rule.fn) for rule in md.block.ruler.__rules__ if rule.enabled]
    quick = [(name, _with_a_next_line(fn) if name == "lheading" else fn) for name, fn in named]
    chains = {ch: [fn for name, fn in quick if ch in TRIGGERS.get(name, ch)] for ch in map(chr, range(0x80))}
    return chains, [fn for _, fn in quick]


def dispatch_block_rules(md: MarkdownIt):
    """Install the tokenizer on `md`'s block parser, and wrap the rules that end a paragraph or a
    list (after its rules are all enabled)."""
    chains, every_rule = _chains(md)
    ruler = md.block.ruler
    for rule in list(ruler.__rules__):
        triggers = TRIGGERS.get(rule.name)
        if triggers is not None:
            ruler.at(rule.name, _guarded(rule.fn, triggers), {"alt": list(rule.alt)})
    max_nesting = md.options["maxNesting"]

    def tokenize(state, start: int, end: int) -> None:
        """markdown-it-py's ParserBlock.tokenize with the rules chosen by first character."""
        line, has_empty_lines, src = start, False, state.src
        while line < end:
            state.line = line = state.skipEmptyLines(line)
            if line >= end or state.sCount[line] < state.blkIndent:
                break
            if state.level >= max_nesting:
                state.line = end
                break
            # not empty (skipEmptyLines), so it has a first character
            for rule in chains.get(src[state.bMarks[line] + state.tShift[line]], every_rule):
                if rule(state, line, end, False):
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            else:
                raise RuntimeError("none of the block rules matched")
            state.tight = not has_empty_lines
            line = state.line
            if line - 1 < end and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < end and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line

    md.block.tokenize = tokenize  # type: ignore[method-assign,assignment]
