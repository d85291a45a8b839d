"""The readable text of a Markdown body, block by block, with the line each piece came from.

What `briefing suggest` searches: link text but not link targets, no code (a name in
code is not a mention), no Markdown punctuation. Line numbers are the file's, so suggestions can say where.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

# A sentence ends at . ! or ? (and any closing quote or bracket) before a space and a capital,
# digit or opening quote; not after a title, an initial or a common abbreviation.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[A-Z0-9\"“‘'(\[])")
_NO_END_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Adm|Sen|Rep|Gov|St|No|Nos|Vol|vs|etc|approx|Jan|Feb|Mar|Apr|Jun"
    r"|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e|U\.S|U\.K|U\.N)|\b[A-Z])\.$"
)


@dataclass(frozen=True)
class Passage:
    """The plain text of one block (paragraph, heading, list item or table cell)."""

    text: str
    line: int  # 1-based line in the file of the block's first line
    breaks: tuple[int, ...] = ()  # offsets in `text` where a new source line starts

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.breaks, offset)

    def sentence_at(self, offset: int) -> str:
        """The sentence of this passage that holds `offset` (from sentence_start, stripped of
        the spaces at its end)."""
        start = self.sentence_start(offset)
        ends = [end for end in sentence_ends(self.text) if end > offset]
        return self.text[start : ends[0] if ends else len(self.text)].rstrip()

    def sentence_start(self, offset: int) -> int:
        """Where the sentence that holds `offset` begins."""
        return max([0, *(end for end in sentence_ends(self.text) if end <= offset)])


def sentence_ends(text: str) -> list[int]:
    ends = []
    for match in _SENTENCE_END.finditer(text):
        if _NO_END_AFTER.search(text[max(0, match.start() - 8) : match.start() + 1]):
            continue
        ends.append(match.end())
    return ends


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def passages(body: str, first_line: int = 1) -> list[Passage]:
    """Every inline block of the body as plain text; `first_line` is the body's line in the file."""
    out = []
    for token in _markdown().parse(body):
        if token.type != "inline" or not token.map:
            continue
        parts: list[str] = []
        breaks: list[int] = []
        size = 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
                size += 1
                breaks.append(size)
                continue
            piece = child.content if child.type == "text" else " " if child.type == "code_inline" else ""
            parts.append(piece)
            size += len(piece)
        text = "".join(parts)
        if text.strip():
            out.append(Passage(text, first_line + token.map[0], tuple(breaks)))
    return out
