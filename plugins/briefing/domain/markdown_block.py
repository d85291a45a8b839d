"""markdown-it-py's block rules, each asked only at lines whose first character it can start at.

At each block's first line, and at every later line of a paragraph (to see whether the line
ends it), markdown-it-py tries its block rules in turn; each but `table`, `code`, `lheading`
and `paragraph` returns False at once unless the line's first character (after its
indentation) is its marker, but only after a `LOGGER.debug` call and an indentation check:
in prose nearly every call. Each such rule is wrapped here in a check of that character first
(the rule itself runs when it matches); the output is the same, token for token.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

# The only first characters (after the line's indentation) at which each of these rules can
# match: at any other each returns False before changing anything (markdown-it-py 4 and
# mdit-py-plugins' rules, read for this). A rule not named here is left as it is.
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


def guard_block_rules(md: MarkdownIt):
    """Wrap `md`'s block rules named in TRIGGERS (after its rules are all enabled)."""
    ruler = md.block.ruler
    for rule in list(ruler.__rules__):
        triggers = TRIGGERS.get(rule.name)
        if triggers is not None:
            ruler.at(rule.name, _guarded(rule.fn, triggers), {"alt": list(rule.alt)})
