"""Which entities a text names, and where: the mention links of entry bodies and the
entities an event's text concerns.

A text is read once, left to right (issue 14: linear in its length, whatever the number of
names); an index of a few names first finds where they occur (str.find) and looks only
there. At each word start the longest name there wins, whichever entity it names, linked
already or not: "rare earth magnets" is one mention, never a "rare earth" link with the rest
after it. A longer name of the same entity that overlaps it joins it ("President Xi" and
"Xi Jinping" make "President Xi Jinping" one mention).
"""

from __future__ import annotations

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
FEW_NAMES = 64  # an index of at most this many names finds where they occur first (MentionIndex._starts)


def _is_boundary(text: str, at: int) -> bool:
    return at < 0 or at >= len(text) or not (text[at].isalnum() or text[at] in "_-")


class _Trie:
    """Names cut into pieces (runs and single characters): from a word start, the names
    there are found in as many steps as the longest has pieces, not once per name."""

    def __init__(self):
        self.root: dict = {}

    def add(self, name: str, target: MentionTarget) -> None:
        node = self.root
        for piece in _PIECE.findall(name):
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


class MentionIndex:
    """The names of an entry's mention targets, made once and reused for each of its texts."""

    def __init__(self, targets):
        self.exact, self.any_case = _Trie(), _Trie()
        names = {(n.strip().lower() if t.ignore_case else n.strip(), t) for t in targets for n in t.names}
        for name, target in sorted(names, key=lambda pair: (pair[1].url, pair[0])):
            if len(name) >= 2:
                (self.any_case if target.ignore_case else self.exact).add(name, target)
        self.names = sorted({(n, t.ignore_case) for n, t in names if len(n) >= 2})
        self.size = len({t.url for n, t in names if len(n) >= 2})
        self.tries = [trie for trie in (self.exact, self.any_case) if trie.root]

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

    def _starts(self, text: str, lowered: str) -> set[int] | None:
        """Where a name of the index occurs in the text, found in C: a name can be matched
        only where its own text is (the trie walks its pieces), so the scan looks only there.
        None for an index of more than FEW_NAMES names (then every word start is looked at:
        linear in the text whatever the number of names)."""
        if len(self.names) > FEW_NAMES:
            return None
        found = set()
        for name, any_case in self.names:
            haystack = lowered if any_case else text
            at = haystack.find(name)
            while at >= 0:
                found.add(at)
                at = haystack.find(name, at + 1)
        return found

    def _extend(self, text: str, lowered: str, start: int, end: int, url: str, starts: set[int] | None) -> int:
        """Where a mention of `url` from start to end ends once the longer names of the same
        entity that start inside it and end after it have joined it."""
        for word in _WORD_START.finditer(text, start + 1):
            if word.start() >= end:
                break
            if starts is not None and word.start() not in starts:
                continue
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
        starts = self._starts(text, lowered)
        if starts is not None and not starts:
            return
        for word in _WORD_START.finditer(text):
            if word.start() < pos or (starts is not None and word.start() not in starts):
                continue  # inside a mention, or where no name is
            found = self._longest(text, lowered, word.start())
            if found is None:
                continue
            end, targets = found
            target = next((t for t in targets if t.url not in linked), targets[0])
            pos = self._extend(text, lowered, word.start(), end, target.url, starts)
            if target.url not in linked:
                yield word.start(), pos, target
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
