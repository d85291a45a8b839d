"""markdown-it-py's inline tokenizer, asking only the rules that can match the character at hand.

At each character that ends a run of text (`*`, `[`, a newline, and `w`, which the GFM
autolink plugin adds for `www.`), markdown-it-py tries every inline rule in turn, sixteen
here, though each but one returns False at once: most of the inline parser's time in prose,
which has a `w` every few words. The tokenizer below tries, at such a character, only the
rules that can match it, in their order; and the text rule runs on past a `w` that does not
start "www.". After it, the rules that pair emphasis and strikethrough markers run only where
the text has such a marker (each walks every token of the text; the strikethrough rule also
raises and catches a KeyError), and a link's address already in its normal form is kept as it
is, not parsed by mdurl again (together 6% of a body's time). And a text in which no rule
can match (three in four of a body's paragraphs, list items and cells: prose without a link,
emphasis or line break) is made one text token, as the parser would end up making it, without
the parser's state and post-processing rules. The output is the same, token for token.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

# The only characters at which each of these rules can match: at any other each returns
# False before changing anything (markdown-it-py 4 and mdit-py-plugins' rules, read for this).
# A rule not named here is tried at every character, as markdown-it-py does.
TRIGGERS = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "_*",
    "link": "[",
    "image": "!",
    "footnote_inline": "^",
    "footnote_ref": "[",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
    "gfm_autolink_www": "w",
    "gfm_autolink_protocol": ":",
    "gfm_autolink_email": "@",
}


def _chains(md: MarkdownIt) -> dict[str, list] | None:
    """The rules to try at each character that ends a text run; None when the chain does not
    start with `text` (which matches at every other character, so nothing after it runs there)."""
    inline = md.inline
    named = list(zip(inline.ruler.get_active_rules(), inline.ruler.getRules(""), strict=True))
    if not named or named[0][0] != "text":
        return None
    stops = {ch for ch in map(chr, range(0x80)) if inline.terminator_re.match(ch)}
    return {ch: [rule for name, rule in named[1:] if ch in TRIGGERS.get(name, ch)] for ch in stops}


def _text_past_w(md: MarkdownIt):
    """markdown-it-py's `text` rule, ending a run at a `w` only where "www." starts, or None
    where another rule than `gfm_autolink_www` (which matches nowhere else) is tried at a `w`.
    A `w` the rule passed over is in the pending text, as it was when each one stopped it."""
    inline = md.inline
    at_w = [name for name in inline.ruler.get_active_rules()[1:] if "w" in TRIGGERS.get(name, "w")]
    every = "".join(map(chr, range(0x10000)))
    stops = set(inline.terminator_re.findall(every))
    if at_w != ["gfm_autolink_www"] or "w" not in stops:
        return None
    others = re.compile("[" + re.escape("".join(sorted(stops - {"w"}))) + "]")

    def text(state, silent: bool) -> bool:
        pos, src = state.pos, state.src
        found = others.search(src, pos)  # as markdown-it-py's rule: not bounded by posMax
        stop = found.start() if found else state.posMax
        www = src.find("www.", pos, stop)  # the letters and the dot are none of the others
        if www >= 0:
            stop = www
        if stop == pos:
            return False
        if not silent:
            state.pending += src[pos:stop]
        state.pos = stop
        return True

    return text


# The rules run on each text once it is tokenized, and the characters without which they change
# nothing: only the emphasis and strikethrough rules make delimiters, at these characters.
POST_MARKERS = {"balance_pairs": "*_~", "strikethrough": "~", "emphasis": "*_"}


def _where_marked(rule, markers: str):
    def post_process_where_marked(state) -> None:
        if any(map(state.src.__contains__, markers)):  # `in`, in C (a regex's class is slower)
            rule(state)

    return post_process_where_marked


# An http(s) address that markdown-it-py's normalizeLink gives back unchanged: a host of short
# lower-case labels and a path of characters mdurl.encode keeps (no `%`, no `@`, no `:`).
# mdurl drops a host over 255 characters (HOSTNAME_MAX_LEN): those go through it.
_NORMAL_LINK = re.compile(
    r"https?://(?P<host>(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63})(?:/[A-Za-z0-9._~/?=&#+,;!$'()*-]*)?", re.ASCII
)
_LONGEST_HOST = 250


def _normal_links_kept(normalize):
    def normalize_link(url: str) -> str:
        plain = _NORMAL_LINK.fullmatch(url)
        if plain is not None and len(plain["host"]) <= _LONGEST_HOST:
            return url
        return normalize(url)

    return normalize_link


# The post-processing rules that change nothing in a text without delimiters (no rule matched
# in it): they pair the markers the emphasis and strikethrough rules left, and join text tokens.
_IDLE_ON_PLAIN_TEXT = {"balance_pairs", "strikethrough", "emphasis", "fragments_join"}


def _no_rule_can_match(md: MarkdownIt):
    """A search that finds nothing in a text exactly when no inline rule can match anywhere in
    it (none of the characters they start at, and `www.` for the one that starts at `w`); None
    where a rule is not in TRIGGERS or a post-processing rule could change such a text."""
    inline = md.inline
    rules = inline.ruler.get_active_rules()
    if not rules or rules[0] != "text" or any(name not in TRIGGERS for name in rules[1:]):
        return None
    if not set(inline.ruler2.get_active_rules()) <= _IDLE_ON_PLAIN_TEXT:
        return None
    starts = {ch for name in rules[1:] if name != "gfm_autolink_www" for ch in TRIGGERS[name]}
    pattern = "[" + re.escape("".join(sorted(starts))) + "]"
    return re.compile(pattern + ("|www\\." if "gfm_autolink_www" in rules else "")).search


def _plain_text_as_one_token(md: MarkdownIt):
    """markdown-it-py's ParserInline.parse, with a text no rule can match in made the one text
    token its text rule and pushPending would make (the rest of the text, pending, at level 0)."""
    parse = md.inline.parse
    rule_can_match = _no_rule_can_match(md)
    if rule_can_match is None:
        return parse

    def parse_plain_quickly(src: str, md: MarkdownIt, env, tokens: list[Token]) -> list[Token]:
        if not src or rule_can_match(src) is not None:
            return parse(src, md, env, tokens)
        token = Token("text", "", 0)
        token.content = src
        tokens.append(token)
        return tokens

    return parse_plain_quickly


def dispatch_inline_rules(md: MarkdownIt):
    """Install the tokenizer on `md`'s inline parser (after its rules are all enabled), its
    post-processing where a text has its markers, and links kept where already normal."""
    md.normalizeLink = _normal_links_kept(md.normalizeLink)  # type: ignore[method-assign]
    post = md.inline.ruler2
    for name, rule in zip(post.get_active_rules(), post.getRules(""), strict=True):
        if name in POST_MARKERS:
            post.at(name, _where_marked(rule, POST_MARKERS[name]))
    text = _text_past_w(md)
    if text is not None:
        md.inline.ruler.at("text", text)
    chains = _chains(md)
    if chains is None:
        return
    every_rule = md.inline.ruler.getRules("")
    max_nesting = md.options["maxNesting"]

    def tokenize(state) -> None:
        """markdown-it-py's ParserInline.tokenize with the rules chosen by character."""
        end = state.posMax
        src = state.src
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                for rule in chains.get(src[pos], every_rule):
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    md.inline.tokenize = tokenize  # type: ignore[method-assign]
    md.inline.parse = _plain_text_as_one_token(md)  # type: ignore[method-assign]
