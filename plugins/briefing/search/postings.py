"""Where each word is in each record, packed as Pagefind 1.5.2's word index packs it.

A word's entry on a page is `[page, locations, meta locations]`, in CBOR: the page as its
difference from the word's previous page; locations grouped by weight (a group opens with
minus its weight minus one and a position, then differences; ordinary text, weight 24, comes
after any other weight); meta locations the same, grouped by meta field. A word with
diacritics is also kept under its spelling (`additional_variants`). Chunks of the sorted words
are cut once they hold `chunk_size` locations. (`pagefind/src/index/mod.rs`.)

A bundle holds about a million word positions and 400,000 entries at 10,000 entries a site:
one Python statement per entry is most of a second. So the positions are gathered here as
arrays of numbers, to be sorted, differenced and encoded as CBOR by numpy (packing.py); only
the few entries with other weights or spellings (`special`) are worked out one by one.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from itertools import compress

import numpy as np

from .words import WEIGHT, WordRules

_SEVERAL = (-1).__eq__  # the number of a piece that gives several words, or none


@dataclass
class Rows:
    """Word positions as columns: stem number (a rank once packing sorts them), page,
    position, and the meta field for meta words."""

    rank: np.ndarray
    page: np.ndarray
    position: np.ndarray
    field: np.ndarray | None = None

    def take(self, chosen: np.ndarray) -> Rows:
        field = None if self.field is None else self.field[chosen]
        return Rows(self.rank[chosen], self.page[chosen], self.position[chosen], field)


class Postings:
    """The pieces of text of a bundle's pages, gathered page by page, then worked out at once:
    each piece's stem looked up in C, positions made by numpy, and only the pieces that give
    several words (`special`, for those of another weight or a spelling) gone through one by one."""

    def __init__(self, rules: WordRules):
        self.rules = rules
        self.ids = array("q")  # every page's pieces as stem numbers, one page after another
        self.lengths: list[int] = []
        self.several: list[str] = []  # the pieces numbered -1, in order: they give several words, or none
        self.meta_ids = array("q")  # every page's meta fields' pieces, the same way
        self.meta_runs: tuple[list[int], list[int], list[int]] = ([], [], [])  # page, field, pieces
        self.meta_several: list[str] = []
        # (page, stem) -> ([(weight, position, spelling)], [(field, position, spelling)]) of words
        # with another weight than 24 or a spelling with diacritics; the pair's others join them
        self.special: dict[tuple[int, int], tuple[list, list]] = {}

    def add_page(self, found: list[str], meta: list[tuple[int, list[str]]]):
        """One page's pieces of text and its meta fields' pieces ((field number, pieces)), kept
        as numbers (a bundle's pieces as strings would be some 350 MB at 9,000 records)."""
        page = len(self.lengths)
        self._add(found, self.ids, self.several)
        self.lengths.append(len(found))
        pages, fields, lengths = self.meta_runs
        for field, pieces in meta:
            self._add(pieces, self.meta_ids, self.meta_several)
            pages.append(page)
            fields.append(field)
            lengths.append(len(pieces))

    def _add(self, pieces: list[str], ids: array, several: list[str]):
        numbers = list(map(self.rules.ids.__getitem__, pieces))  # (a piece not yet known is worked out)
        ids.extend(numbers)
        if -1 in numbers:
            several += compress(pieces, map(_SEVERAL, numbers))

    def gather(self) -> tuple[Rows, Rows, list[int]]:
        """The positions of words of weight 24 without diacritics, in the text and in the meta
        fields; and the pages whose text gave no word (Pagefind leaves such pages out)."""
        rules, lengths = self.rules, np.asarray(self.lengths, dtype=np.int64)
        ids = np.frombuffer(self.ids, dtype=np.int64)
        text = _runs(ids, np.arange(len(lengths)), lengths)
        words = np.bincount(text.page[ids >= 0], minlength=len(lengths))
        extra: tuple[list[int], list[int], list[int]] = ([], [], [])
        for piece, (page, position) in zip(self.several, _several_at(ids, text), strict=True):
            known = rules.known[piece]
            words[page] += len(known)
            self._several(extra, page, position, known)
        pages, fields, runs = (np.asarray(column, dtype=np.int64) for column in self.meta_runs)
        meta_ids = np.frombuffer(self.meta_ids, dtype=np.int64)
        meta = _runs(meta_ids, pages, runs)
        meta.field = np.repeat(fields, runs)
        meta_extra: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        for piece, (page, position), field in zip(
            self.meta_several, _several_at(meta_ids, meta), meta.field[meta_ids == -1].tolist(), strict=True
        ):
            for stem, _, spelling in rules.known[piece]:
                if spelling is None:
                    for column, value in zip(meta_extra, (rules.number(stem), page, position, field), strict=True):
                        column.append(value)
                else:
                    self._special(page, rules.number(stem))[1].append((field, position, spelling))
        kept, meta_kept = ids >= 0, meta_ids >= 0
        plain = Rows(*(_joined(a[kept], b) for a, b in zip((ids, text.page, text.position), extra, strict=True)))
        columns = (meta_ids, meta.page, meta.position, meta.field)
        meta_rows = Rows(*(_joined(a[meta_kept], b) for a, b in zip(columns, meta_extra, strict=True)))
        return plain, meta_rows, np.flatnonzero(words == 0).tolist()

    def _special(self, page: int, number: int) -> tuple[list, list]:
        found = self.special.get((page, number))
        if found is None:
            found = self.special[(page, number)] = ([], [])
        return found

    def _several(self, plain: tuple, page: int, position: int, known: tuple):
        """The words of a piece that gives several (a compound's parts share its weight)."""
        parts = sum(1 for _, part, _ in known if part)
        share = max(1, WEIGHT // min(parts, 255)) if parts else 0
        for stem, part, spelling in known:
            number, weight = self.rules.number(stem), share if part else WEIGHT
            if weight == WEIGHT and spelling is None:
                for column, value in zip(plain, (number, page, position), strict=True):
                    column.append(value)
            else:
                self._special(page, number)[0].append((weight, position, spelling))


def _joined(column: np.ndarray, more: list[int]) -> np.ndarray:
    return np.concatenate([column, np.asarray(more, dtype=np.int64)])


def _runs(ids: np.ndarray, owners: np.ndarray, lengths: np.ndarray) -> Rows:
    """Rows for pieces laid end to end in runs (a page's text, or one of its meta fields): each
    piece's run owner (its page) and its position within the run."""
    position = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return Rows(ids, np.repeat(owners, lengths), position)


def _several_at(ids: np.ndarray, rows: Rows):
    """(page, position) of each piece that gives several words, or none."""
    at = np.flatnonzero(ids == -1)
    return zip(rows.page[at].tolist(), rows.position[at].tolist(), strict=True)


def grouped(pairs: list[tuple[int, int]], first: int) -> list[int]:
    """(group, position) pairs as Pagefind writes locations: sorted (`first`'s group counts as
    the lowest), each group opened by `-group - 1` and its first position, then differences."""
    out: list[int] = []
    current, last = first, 0
    for group, position in sorted(pairs, key=lambda p: (0 if p[0] == first else p[0], p[1])):
        if group != current:
            out += (-group - 1, position)
            current = group
        else:
            out.append(position - last)
        last = position
    return out


def meta_grouped(pairs: list[tuple[int, int]]) -> list[int]:
    """(field, position) pairs as Pagefind writes meta locations: by field, each field opened by
    `-field - 1`, positions as differences from the field's previous (the first from 0)."""
    out: list[int] = []
    current, last = -1, 0
    for field, position in sorted(pairs):
        if field != current:
            out.append(-field - 1)
            current, last = field, 0
        out.append(position - last)
        last = position
    return out
