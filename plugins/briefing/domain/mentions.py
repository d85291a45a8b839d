"""Which entities a text names, and where: the mention links of entry bodies and the
entities an event's text concerns.

A text is read once, left to right (issue 14: linear in its length, whatever the number of
names); an index of a few names first finds, with one regex per entity (in C), the word
starts where one of its names may begin, and looks only there. At each word start the
longest name there wins, whichever entity it names, linked already or not: "rare earth
magnets" is one mention, never a "rare earth" link with the rest after it. A longer name of
the same entity that overlaps it joins it ("President Xi" and "Xi Jinping" make "President
Xi Jinping" one mention).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class MentionTarget:
    """Names (canonical and aliases) that lead to one entity page."""

    url: str
    names: tuple[str, ...]
    ignore_case: bool = False


_PIECE = re.compile(r"[\w-]+|.", re.DOTALL)  # a run of characters with no word boundary in it, or one other
_WORD_START = re.compile(r"[\w-]+|[^\w\s-]")  # where a name may start: a run, or a character that is no space
_RUN_CHARACTER = re.compile(r"[\w-]")
FEW_PIECES = 64  # an index whose names start with at most this many pieces looks for them first


def _is_boundary(text: str, at: int) -> bool:
    return at < 0 or at >= len(text) or not (text[at].isalnum() or text[at] in "_-")


@functools.lru_cache(maxsize=1 << 16)
def _pieces(name: str) -> tuple[str, ...]:
    """A name cut as `_PIECE` cuts it: once per name and worker, not once per entry naming it."""
    return tuple(_PIECE.findall(name))


class _Trie:
    """Names cut into pieces (runs and single characters): from a word start, the names
    there are found in as many steps as the longest has pieces, not once per name."""

    def __init__(self):
        self.root: dict = {}

    def add(self, name: str, target: MentionTarget) -> None:
        node = self.root
        for piece in _pieces(name):
            node = node.setdefault(piece, {})
        node.setdefault(None, []).append(target)  # None: a name ends here

    def ends(self, haystack: str, at: int):
        """(end, targets) of each name that `haystack` has at `at`, shortest first."""
        node: dict | None = self.root
        i = at
        while node is not None and (piece := _PIECE.match(haystack, i)) is not None:
            node, i = node.get(piece.group()), piece.end()
            if node is not None and None in node:
                yield i, node[None]


@functools.lru_cache(maxsize=4096)
def _target_names(target: MentionTarget) -> tuple[tuple[str, ...], re.Pattern | None, int]:
    """A target's names as matched (stripped, lower case when any case matches; two characters
    at least), and a regex of the first pieces they start with: a whole run of word characters
    (as `_PIECE` cuts it), or one other character. Made once per target and worker: each
    entity is the target of many entries."""
    names = {n.strip().lower() if target.ignore_case else n.strip() for n in target.names}
    names = {n for n in names if len(n) >= 2}
    pieces = {_PIECE.match(n).group() for n in names}  # type: ignore[union-attr]
    runs = sorted((p for p in pieces if _RUN_CHARACTER.match(p)), key=lambda p: (-len(p), p))
    others = sorted(p for p in pieces if not _RUN_CHARACTER.match(p) and not p.isspace())
    # no look-behind: it would stop the regex engine from skipping ahead to a first letter;
    # a match inside a run is dropped by _starts_word
    alternatives = ["(?:" + "|".join(map(re.escape, runs)) + r")(?![\w-])"] if runs else []
    alternatives += map(re.escape, others)
    pattern = re.compile("|".join(alternatives)) if alternatives and len(alternatives) <= FEW_PIECES else None
    return tuple(sorted(names)), pattern, len(runs) + len(others)


def _starts_word(text: str, at: int) -> bool:
    """Whether `_WORD_START` has a match starting at `at`."""
    if _RUN_CHARACTER.match(text, at):
        return at == 0 or not _RUN_CHARACTER.match(text, at - 1)
    return not text[at].isspace()


class MentionIndex:
    """The names of an entry's mention targets, made once and reused for each of its texts."""

    def __init__(self, targets):
        self.exact, self.any_case = _Trie(), _Trie()
        first_pieces: list[tuple[bool, re.Pattern | None]] = []
        urls, pieces = set(), 0
        for target in sorted(dict.fromkeys(targets), key=lambda t: t.url):
            names, pattern, count = _target_names(target)
            for name in names:
                (self.any_case if target.ignore_case else self.exact).add(name, target)
            if names:
                first_pieces.append((target.ignore_case, pattern))
                urls.add(target.url)
                pieces += count
        self.size = len(urls)
        self.tries = [trie for trie in (self.exact, self.any_case) if trie.root]
        # many names (a hostile entry): every word start is looked at, linear in the text
        self._first_pieces = first_pieces if pieces <= FEW_PIECES else None

    def _candidates(self, text: str, lowered: str):
        """The word starts where some name's first piece is: the only places a name can start
        (found by each target's regex, in C, instead of a trie walk at every word); with many
        names, every word start."""
        if self._first_pieces is None:
            return (word.start() for word in _WORD_START.finditer(text))
        starts = {
            found.start()
            for any_case, pattern in self._first_pieces
            if pattern is not None
            for found in pattern.finditer(lowered if any_case else text)
        }
        return sorted(at for at in starts if _starts_word(text, at))

    def _longest(self, text: str, lowered: str, at: int):
        """(end, targets) of the longest name at `at` that ends at a word boundary, or None."""
        if not _is_boundary(text, at - 1):
            return None
        best = None
        for trie in self.tries:
            for end, targets in trie.ends(lowered if trie is self.any_case else text, at):
                if not _is_boundary(text, end):
                    continue
                if best is None or end > best[0]:
                    best = (end, targets)
                elif end == best[0]:  # the same name, in either case: by url, as each trie has it
                    best = (end, sorted({*best[1], *targets}, key=lambda t: t.url))
        return best

    def _extend(self, text: str, lowered: str, start: int, end: int, url: str) -> int:
        """Where a mention of `url` from start to end ends once the longer names of the same
        entity that start inside it and end after it have joined it."""
        for word in _WORD_START.finditer(text, start + 1):
            if word.start() >= end:
                break
            longest = self._longest(text, lowered, word.start())
            if longest and longest[0] > end and any(t.url == url for t in longest[1]):
                end = longest[0]
        return end

    def mentions(self, text: str, linked: set):
        """(start, end, target) of each mention in `text` of a target whose url is not in
        `linked`, left to right; the caller adds the url to `linked` (first mention only)."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a rare character whose lower case is longer: match exactly
            lowered = text
        pos = 0
        for start in self._candidates(text, lowered):
            if start < pos:
                continue  # inside a mention
            found = self._longest(text, lowered, start)
            if found is None:
                continue
            end, targets = found
            target = next((t for t in targets if t.url not in linked), targets[0])
            pos = self._extend(text, lowered, start, end, target.url)
            if target.url not in linked:
                yield start, pos, target
                if len(linked) >= self.size:
                    return


def names_in(text: str, targets) -> set[str]:
    """The urls of the targets that `text` names (as mention links find them): what decides
    which of its entry's entities an event without its own lists concerns. `targets` is a
    list of MentionTargets or a MentionIndex made of them (to reuse it)."""
    index = targets if isinstance(targets, MentionIndex) else MentionIndex(targets)
    found: set[str] = set()
    for _, _, target in index.mentions(text, found):
        found.add(target.url)
    return found
