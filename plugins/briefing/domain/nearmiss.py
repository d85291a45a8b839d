"""Near-miss look-ups through an index: "did you mean", and a new name within a typo of a
known one. No look-up compares a name with every known name.

Similarity is rapidfuzz's `ratio` (2 x longest common subsequence / total length, the measure
difflib approximates). Two filters come before any comparison:

- length: a name of length `a` reaches ratio `c` only against lengths within
  [a·c/(2-c), a·(2-c)/c];
- pieces (for strict cut-offs, such as the 0.9 of the new-issue warning): a name within `d`
  insertions or deletions of the word contains one of `d + 1` contiguous pieces of the word
  intact (each edit breaks at most one piece), so only the names that share a trigram of
  some piece are compared. The rarest trigram of each piece is looked up, so common ones
  ("ion", "the") cost nothing.

For loose cut-offs the pieces are too short to filter, and the names of possible lengths are
compared in one rapidfuzz call (C++, tens of nanoseconds a name); these look-ups run for
unknown names only, at most MAX_HINTS_PER_FILE per file (rapidfuzz is imported at the first:
`briefing check` on clean content starts without it).
"""

from __future__ import annotations

import math

GRAM = 3


class NearMissIndex:
    """Names added one by one; `closest(word, cutoff)` finds the most similar one. Names are
    indexed when first looked for: a registry adds every name, and most builds and checks
    look for none (a look-up is for an unknown name)."""

    def __init__(self):
        self._added: list[str] = []  # not indexed yet
        self._names: list[str] = []
        self._seen: set[str] = set()
        self._by_length: dict[int, list[str]] = {}
        self._grams: dict[str, list[int]] = {}
        self.compared = 0  # names compared by all look-ups so far (what the filters save is tested)

    def __contains__(self, name: str) -> bool:
        self._index()
        return name in self._seen

    def __len__(self) -> int:
        self._index()
        return len(self._names)

    def add(self, name: str):
        if name:
            self._added.append(name)

    def _index(self):
        for name in self._added:
            if name in self._seen:
                continue
            self._seen.add(name)
            number = len(self._names)
            self._names.append(name)
            self._by_length.setdefault(len(name), []).append(name)
            for gram in {name[i : i + GRAM] for i in range(len(name) - GRAM + 1)}:
                self._grams.setdefault(gram, []).append(number)
        self._added.clear()

    def closest(self, word: str, cutoff: float = 0.75, max_edits: int | None = None) -> str | None:
        """The known name most like `word` with a ratio of at least `cutoff` and, if given, at
        most `max_edits` insertions or deletions away (ties: the one added first), or None.
        `word` itself, if known, is not a near miss."""
        self._index()
        if not word or not self._names:
            return None
        low, high = _length_bounds(len(word), cutoff)
        if max_edits is not None:
            low, high = max(low, len(word) - max_edits), min(high, len(word) + max_edits)
        lengths = range(low, high + 1)
        pieces = _pieces(word, _edits(len(word), cutoff, high, max_edits))
        postings = [self._rarest_posting(piece) for piece in pieces] if pieces else None
        if postings is None or sum(map(len, postings)) > sum(len(self._by_length.get(n, ())) for n in lengths):
            # names too alike to filter by pieces (or a loose cut-off): compare the possible lengths in C
            candidates = [n for size in lengths for n in self._by_length.get(size, ())]
        else:
            numbers = sorted(set().union(*postings))
            candidates = [self._names[i] for i in numbers if low <= len(self._names[i]) <= high]
        self.compared += len(candidates)
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import Indel

        matches = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff * 100 - 1e-9, limit=None)
        for name, _, _ in matches:  # best first; ties in the order names were added
            if name != word and (max_edits is None or Indel.distance(word, name) <= max_edits):
                return name
        return None

    def _rarest_posting(self, piece: str) -> list[int]:
        """The names holding the rarest trigram of `piece` (every name holding the piece is among them)."""
        grams = [piece[i : i + GRAM] for i in range(len(piece) - GRAM + 1)]
        return min((self._grams.get(g, []) for g in grams), key=len)


def _length_bounds(size: int, cutoff: float) -> tuple[int, int]:
    if cutoff <= 0:
        return 0, 1 << 30
    return math.ceil(size * cutoff / (2 - cutoff) - 1e-9), math.floor(size * (2 - cutoff) / cutoff + 1e-9)


def _edits(size: int, cutoff: float, longest: int, max_edits: int | None) -> int:
    """The most insertions and deletions a name may be from a word of `size` and still match."""
    edits = math.floor((1 - cutoff) * (size + longest) + 1e-9)
    return edits if max_edits is None else min(edits, max_edits)


def _pieces(word: str, edits: int) -> list[str] | None:
    """`word` cut into one more piece than the edits a match may need, or None when the
    pieces would be shorter than a trigram (then the length filter alone applies)."""
    count = edits + 1
    if len(word) < count * GRAM:
        return None
    bounds = [round(i * len(word) / count) for i in range(count + 1)]
    return [word[bounds[i] : bounds[i + 1]] for i in range(count)]


def closest(word: str, candidates, *, cutoff: float = 0.75) -> str | None:
    """The candidate most like `word` (a likely typo), or None: for short fixed lists (keys)."""
    from rapidfuzz import fuzz, process

    found = process.extractOne(word, list(candidates), scorer=fuzz.ratio, score_cutoff=cutoff * 100 - 1e-9)
    return found[0] if found else None
