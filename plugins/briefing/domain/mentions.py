"""Which entities a text names, and where: the mention links of entry bodies and the
entities an event's text concerns.

A text is read once, left to right (issue 14: linear in its length, whatever the number of
names). With a few names (an entry's usual dozen), each is looked for by `str.find`, in C,
and only the places where one is are looked at; with many (a hostile entry), every word
start is, walking a trie of the names cut into pieces. At each word start the longest name
there wins, whichever entity it names, linked already or not: "rare earth magnets" is one
mention, never a "rare earth" link with the rest after it. A longer name of the same entity
that overlaps it joins it ("President Xi" and "Xi Jinping" make "President Xi Jinping" one
mention).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from operator import attrgetter


@dataclass(frozen=True)
class MentionTarget:
    """Names (canonical and aliases) that lead to one entity page; `matched`: those names as
    they are looked for (stripped, in lower case when any case matches, two characters at
    least), made once per target: each entity is the target of many entries."""

    url: str
    names: tuple[str, ...]
    ignore_case: bool = False
    matched: tuple[str, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        names = {n.strip().lower() if self.ignore_case else n.strip() for n in self.names}
        object.__setattr__(self, "matched", tuple(sorted(n for n in names if len(n) >= 2)))


_PIECE = re.compile(r"[\w-]+|.", re.DOTALL)  # a run of characters with no word boundary in it, or one other
_WORD_START = re.compile(r"[\w-]+|[^\w\s-]")  # where a name may start: a run, or a character that is no space
FEW_NAMES = 64  # an index of at most this many names looks for each of them (at most 31 in the reference corpus)


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


class MentionIndex:
    """The names of an entry's mention targets, made once and reused for each of its texts."""

    def __init__(self, targets):
        named = sorted({id(target): target for target in targets if target.matched}.values(), key=attrgetter("url"))
        self.size = len({target.url for target in named})
        self.exact, self.any_case = _Trie(), _Trie()
        self.tries: list[_Trie] = []
        self._named: tuple[dict, dict] = ({}, {})  # {name: targets}, exact and any case, as the tries' ends
        for target in named:
            for name in target.matched:
                self._named[target.ignore_case].setdefault(name, []).append(target)
        self._few = sum(map(len, self._named)) <= FEW_NAMES
        if not self._few:  # many names (a hostile entry): linear in the text
            for target in named:
                for name in target.matched:
                    (self.any_case if target.ignore_case else self.exact).add(name, target)
            self.tries = [trie for trie in (self.exact, self.any_case) if trie.root]
            # the first pieces as `_name_starts` reads them: in lower case, and as they are when
            # a text's lower case is longer and `lowered` is the text itself
            self._firsts = {*self.exact.root, *(piece.lower() for piece in self.exact.root), *self.any_case.root}

    def _found(self, text: str, lowered: str) -> dict[int, int]:
        """{word start: where the longest name there ends} wherever a name is, each name
        looked for by `str.find` (in C), again from the character after each place it is
        found, so that overlapping names are all found."""
        ends: dict[int, int] = {}
        for haystack, names in ((text, self._named[0]), (lowered, self._named[1])):
            for name in names:
                at = haystack.find(name)
                while at >= 0:
                    end = at + len(name)
                    if end > ends.get(at, 0) and _is_boundary(text, end) and _is_boundary(text, at - 1):
                        ends[at] = end
                    at = haystack.find(name, at + 1)
        return ends

    def _named_at(self, text: str, lowered: str, at: int, end: int) -> tuple[int, list]:
        """(end, targets) of the name from `at` to `end`, as _longest gives them."""
        exact, loose = self._named[0].get(text[at:end]), self._named[1].get(lowered[at:end])
        if exact and loose:
            return end, sorted({*exact, *loose}, key=lambda t: t.url)
        return end, exact or loose  # type: ignore[return-value]

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

    def _name_starts(self, lowered: str) -> list[int]:
        """The word starts whose first piece begins a name in either trie: one set lookup a
        word, the tries walked only there. Read in `lowered`, whose words are where the text's
        are: no character's lower case is a word character, a space or neither unless the
        character is (tests/test_markdown.py checks every code point)."""
        return [word.start() for word in _WORD_START.finditer(lowered) if word.group() in self._firsts]

    def mentions(self, text: str, linked: set):
        """(start, end, target) of each mention in `text` of a target whose url is not in
        `linked`, left to right; the caller adds the url to `linked` (first mention only)."""
        if self._few:
            yield from self._mentions_found(text, linked)
            return
        lowered = _lowered(text)
        longest = functools.partial(self._longest, text, lowered)
        after = lambda start: (word.start() for word in _WORD_START.finditer(text, start + 1))  # noqa: E731
        pos = 0
        for start in self._name_starts(lowered):
            if start < pos or (hit := longest(start)) is None:
                continue  # inside a mention, or no name here
            end, targets = hit
            target = next((t for t in targets if t.url not in linked), targets[0])
            pos = _extend(after(start), longest, end, target.url)
            if target.url not in linked:
                yield start, pos, target
                if len(linked) >= self.size:
                    return

    def _mentions_found(self, text: str, linked: set):
        """mentions() with a few names, each looked for (_found): the places found are the only
        starts, and a mention's longer names of the same entity start at the places after it."""
        lowered = _lowered(text) if self._named[1] else text  # (only names in any case read it)
        ends = self._found(text, lowered)
        starts = sorted(ends)
        longest = lambda at: self._named_at(text, lowered, at, ends[at])  # noqa: E731
        pos = 0
        for place, start in enumerate(starts):
            if start < pos:
                continue  # inside a mention
            end, targets = longest(start)
            target = next((t for t in targets if t.url not in linked), targets[0])
            pos = _extend(itertools.islice(starts, place + 1, None), longest, end, target.url)
            if target.url not in linked:
                yield start, pos, target
                if len(linked) >= self.size:
                    return


def _lowered(text: str) -> str:
    """`text` in lower case, or as it is where a rare character's lower case is longer (then
    names in any case are matched exactly): the places in it must be the text's."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _extend(later_starts, longest, end: int, url: str) -> int:
    """Where a mention of `url` ending at `end` ends once the longer names of the same entity
    that start inside it (at `later_starts`, the word starts after its own) and end after it
    have joined it."""
    for at in later_starts:
        if at >= end:
            break
        hit = longest(at)
        if hit and hit[0] > end and any(t.url == url for t in hit[1]):
            end = hit[0]
    return end


def names_in(text: str, targets) -> set[str]:
    """The urls of the targets that `text` names (as mention links find them): what decides
    which of its entry's entities an event without its own lists concerns. `targets` is a
    list of MentionTargets or a MentionIndex made of them (to reuse it)."""
    index = targets if isinstance(targets, MentionIndex) else MentionIndex(targets)
    found: set[str] = set()
    for _, _, target in index.mentions(text, found):
        found.add(target.url)
    return found


def names_apart(text: str, lowered: str, names: dict[str, tuple[bool, tuple[str, ...]]]) -> frozenset[str] | None:
    """What names_in gives for the targets {url: (any case?, names as matched: MentionTarget.matched)}
    when none of their names found in `text` at word boundaries overlaps another target's:
    each target with a name there (`lowered`: the text in lower case, or the text where that
    is longer). None when two targets' names overlap, where the longest name decides, or when
    an index would walk a trie. An event's text names one or two of its entry's entities,
    apart, most often: that skips making an index for each text (most of what finding them cost)."""
    if sum(len(found) for _, found in names.values()) > FEW_NAMES:
        return None
    spans = []
    for url, (any_case, found) in names.items():
        haystack = lowered if any_case else text
        for name in found:
            at = haystack.find(name)
            while at >= 0:
                end = at + len(name)
                if _is_boundary(text, end) and _is_boundary(text, at - 1):
                    spans.append((at, end, url))
                at = haystack.find(name, at + 1)
    spans.sort()
    for place, (_, end, url) in enumerate(spans):
        for start, _, other in spans[place + 1 :]:
            if start >= end:
                break
            if other != url:
                return None
    return frozenset(url for _, _, url in spans)
