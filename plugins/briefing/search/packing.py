"""A bundle's gathered word positions (postings.Postings) packed into word-index chunks.

Each (word, page) pair is one entry. Entries are found by sorting every position by word,
page and position at once; each becomes its CBOR heads, laid out in one pair of arrays
(major type, argument) and encoded in one pass (cbor.encode_heads), about a million positions
at a time. Then each word is
its text, its entries' bytes and its spellings, and the words are cut into chunks.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .cbor import ARRAY, NEGATIVE, UNSIGNED, encode_heads, head_bytes, int_items, ints_bytes, text_bytes
from .postings import Postings, Rows, grouped, meta_grouped
from .words import WEIGHT

_WORD = head_bytes(ARRAY, 3)  # a word is [text, pages, spellings]
_ORDINARY = WEIGHT + 1  # weight 24's marker, -25: the negative head of 24


def _array(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def pack_chunks(postings: Postings, plain: Rows, meta: Rows, chunk_size: int) -> list[tuple[str, str, bytes]]:
    """The word index in chunks: (first word, last word, CBOR) each."""
    pages = len(postings.lengths)
    numbers = _stems_in(postings, plain, meta)
    stems = [postings.rules.stems[n] for n in numbers]
    rank = np.zeros(len(postings.rules.stems), dtype=np.int64)
    rank[numbers] = np.arange(len(numbers))
    plain.rank, meta.rank = rank[plain.rank], rank[meta.rank]
    plain, meta, special = _split_special(postings, rank, pages, plain, meta)
    text, fields = _text_runs(plain, pages), _meta_runs(meta, pages)
    del plain, meta
    entries, sizes = _entries_in_parts(text, fields, special, pages)
    spellings = _spellings(postings, rank)
    chunks = _cut(sorted(set(entries) | set(spellings)), sizes, chunk_size)
    bounds = _bounds([[stems[chunk[0]], stems[chunk[-1]]] for chunk in chunks])
    return [
        (first, last, _chunk_bytes([(stems[w], entries.get(w, b"\x80"), spellings.get(w, b"\x80")) for w in chunk]))
        for (first, last), chunk in zip(bounds, chunks, strict=True)
    ]


def _cut(words: list[int], sizes: dict[int, int], chunk_size: int) -> list[list[int]]:
    """Words in chunks, each cut once it holds `chunk_size` locations (Pagefind's `chunk_index`)."""
    chunks, current, size = [], [], 0
    for word in words:
        size += sizes.get(word, 0)
        current.append(word)
        if size >= chunk_size:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _bounds(bounds: list[list[str]]) -> list[list[str]]:
    """Each chunk's first and last word cut to the shortest prefixes that tell neighbouring
    chunks apart, a last word only where it stays after the first (Pagefind's `chunk_meta`)."""
    for before, after in pairwise(bounds):
        common = _common_prefix(after[0], before[1])
        last, first = before[1][: common + 1], after[0][: common + 1]
        if last >= before[0]:
            before[1] = last
        after[0] = first
    return bounds


def _chunk_bytes(words: list[tuple[str, bytes, bytes]]) -> bytes:
    """A chunk, [[word, pages, spellings], ...], from each word's text and encoded arrays."""
    body = b"".join(_WORD + text_bytes(stem) + pages + spellings for stem, pages, spellings in words)
    return head_bytes(ARRAY, 1) + head_bytes(ARRAY, len(words)) + body


def _stems_in(postings: Postings, plain: Rows, meta: Rows) -> list[int]:
    """The numbers of the bundle's stems, in Pagefind's order (by their text)."""
    used = np.bincount(np.concatenate([plain.rank, meta.rank]), minlength=len(postings.rules.stems))
    numbers = set(np.flatnonzero(used).tolist()) | {number for _, number in postings.special}
    return sorted(numbers, key=postings.rules.stems.__getitem__)


def _split_special(postings: Postings, rank: np.ndarray, pages: int, plain: Rows, meta: Rows):
    """Take the special pairs' positions out of the arrays: each such pair's entry is worked
    out in Python, (key, heads, size), with its words of other weights."""
    if not postings.special:
        return plain, meta, []
    keys = {(page, number): int(rank[number]) * pages + page for page, number in postings.special}
    wanted = _array(sorted(keys.values()))
    plain_key, meta_key = plain.rank * pages + plain.page, meta.rank * pages + meta.page
    in_plain, in_meta = _member(plain_key, wanted), _member(meta_key, wanted)
    positions: dict[int, list] = {}
    for key, position in zip(plain_key[in_plain].tolist(), plain.position[in_plain].tolist(), strict=True):
        positions.setdefault(key, []).append((WEIGHT, position))
    fields: dict[int, list] = {}
    for key, field, position in zip(
        meta_key[in_meta].tolist(), meta.field[in_meta].tolist(), meta.position[in_meta].tolist(), strict=True
    ):
        fields.setdefault(key, []).append((field, position))
    special = []
    for pair, (weighted, _) in postings.special.items():
        key = keys[pair]
        pairs = positions.get(key, []) + [
            (weight, position) for weight, position, spelling in weighted if spelling is None
        ]
        meta_pairs = fields.get(key, [])
        if pairs or meta_pairs:
            locs, meta_locs = grouped(pairs, _ORDINARY) if pairs else [], meta_grouped(meta_pairs)
            special.append((key, int_items(locs) + int_items(meta_locs), len(locs) + len(meta_locs) + 1))
    special.sort()
    return plain.take(~in_plain), meta.take(~in_meta), special


def _member(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which values are among `wanted` (sorted, a few thousand): binary search, not a sort of all."""
    if not len(wanted):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)
    return wanted[at] == values


def _sorted_by(key: np.ndarray, position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys and positions sorted by key, then position: as one number each, sorted in C."""
    span = int(position.max()) + 1 if len(position) else 1
    both = np.sort(key * span + position)
    return both // span, both % span


def _sorted_runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted keys: where each run of equal keys starts, and its length."""
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
    start = np.flatnonzero(first)
    return start, np.diff(np.r_[start, len(key)])


@dataclass
class _Runs:
    """One kind of positions (the text's or the meta fields'), sorted into a run per (word,
    page) pair: each row's pair key (rank * pages + page) and the number it writes, each run's
    start, length and count of heads."""

    key: np.ndarray
    values: np.ndarray
    start: np.ndarray
    rows: np.ndarray
    heads: np.ndarray
    opens: np.ndarray  # meta rows that open a field (a head of their own); none in the text
    field: np.ndarray

    def part(self, low: int, high: int) -> _Runs:
        """The runs whose pair key is in [low, high): rows side by side, so views of the arrays."""
        first, last = np.searchsorted(self.key, (low, high))
        runs = slice(*np.searchsorted(self.start, (first, last)))
        meta = slice(first, last) if len(self.opens) else slice(0, 0)
        return _Runs(
            self.key[first:last],
            self.values[first:last],
            self.start[runs] - first,
            self.rows[runs],
            self.heads[runs],
            self.opens[meta],
            self.field[meta],
        )


def _text_runs(plain: Rows, pages: int) -> _Runs:
    key, position = _sorted_by(plain.rank * pages + plain.page, plain.position)
    start, rows = _sorted_runs(key)
    values = np.diff(position, prepend=0)
    values[start] = position[start]
    none = np.zeros(0, dtype=np.int64)
    return _Runs(key, values, start, rows, rows + 1, none, none)  # (+1: the -25 that opens weight 24)


def _meta_runs(meta: Rows, pages: int) -> _Runs:
    fields = int(meta.field.max()) + 1 if len(meta.field) else 1
    key, position = _sorted_by((meta.rank * pages + meta.page) * fields + meta.field, meta.position)
    key, field = key // fields, key % fields
    start, rows = _sorted_runs(key)
    opens = np.r_[True, (key[1:] != key[:-1]) | (field[1:] != field[:-1])] if len(key) else np.zeros(0, bool)
    values = np.diff(position, prepend=0)
    values[opens] = position[opens]
    opened = np.add.reduceat(opens.astype(np.int64), start) if len(start) else np.zeros(0, np.int64)
    return _Runs(key, values, start, rows, rows + opened, opens, field)


PART_ROWS = 1 << 20  # positions laid out at once: about 60 MB of work arrays, whatever the bundle


def _entries_in_parts(text: _Runs, fields: _Runs, special: list, pages: int) -> tuple[dict[int, bytes], dict[int, int]]:
    """`_entries` over the words a part at a time, each part about PART_ROWS positions (a
    bundle of 9,000 records has some 6 million), cut between words."""
    rows = np.bincount(text.key // pages) if len(text.key) else np.zeros(1, np.int64)
    if len(fields.key):
        meta_rows = np.bincount(fields.key // pages)
        rows = np.pad(rows, (0, max(0, len(meta_rows) - len(rows))))
        rows[: len(meta_rows)] += meta_rows
    ranks = max(len(rows), max(key for key, _, _ in special) // pages + 1 if special else 0)
    cuts = np.unique(np.searchsorted(np.cumsum(rows), np.arange(PART_ROWS, int(rows.sum()), PART_ROWS)))
    words: dict[int, bytes] = {}
    sizes: dict[int, int] = {}
    special_keys = [key for key, _, _ in special]
    for low, high in pairwise([0, *(int(cut) for cut in cuts if 0 < cut < ranks), ranks]):
        low_key, high_key = low * pages, high * pages
        chosen = special[bisect_left(special_keys, low_key) : bisect_left(special_keys, high_key)]
        part_words, part_sizes = _entries(text.part(low_key, high_key), fields.part(low_key, high_key), chosen, pages)
        words.update(part_words)
        sizes.update(part_sizes)
    return words, sizes


def _entries(text: _Runs, fields: _Runs, special: list, pages: int) -> tuple[dict[int, bytes], dict[int, int]]:
    """Every (word, page) entry's heads laid out and encoded; each word's entries' bytes and
    its size as Pagefind counts it (locations, meta locations and one per page)."""
    s_key = _array([key for key, _, _ in special])
    keys = np.sort(np.concatenate([text.key[text.start], fields.key[fields.start], s_key]))
    keys = keys[_sorted_runs(keys)[0]]  # (the pairs of each kind are distinct, but a pair may be in two)
    t_entry, m_entry, s_entry = (
        np.searchsorted(keys, k) for k in (text.key[text.start], fields.key[fields.start], s_key)
    )
    locs, meta_items, tail = (np.zeros(len(keys), dtype=np.int64) for _ in range(3))
    locs[t_entry], meta_items[m_entry] = text.heads, fields.heads
    is_special = np.zeros(len(keys), dtype=bool)
    is_special[s_entry] = True
    tail[s_entry] = [len(heads) for _, heads, _ in special]
    count = np.where(is_special, 2 + tail, 4 + locs + meta_items)  # [page, [locs], [meta]]
    offset = np.cumsum(count) - count
    major, argument = np.zeros(int(count.sum()), np.int8), np.empty(int(count.sum()), np.int64)  # (all set)
    rank, page = keys // pages, keys % pages
    major[offset], argument[offset] = ARRAY, 3
    argument[offset + 1] = np.where(np.r_[False, rank[1:] == rank[:-1]], page - np.r_[0, page[:-1]], page)
    regular = offset[~is_special]
    major[regular + 2], argument[regular + 2] = ARRAY, locs[~is_special]
    opened = offset[~is_special & (locs > 0)] + 3
    major[opened], argument[opened] = NEGATIVE, _ORDINARY - 1
    argument[np.repeat(offset[t_entry] + 4 - text.start, text.rows) + np.arange(len(text.key))] = text.values
    meta_head = regular + 3 + locs[~is_special]
    major[meta_head], argument[meta_head] = ARRAY, meta_items[~is_special]
    _lay_meta(fields, offset[m_entry] + 4 + locs[m_entry], major, argument)
    if special:
        heads = np.array([h for _, hs, _ in special for h in hs], dtype=np.int64).reshape(-1, 2)
        at = np.repeat(offset[s_entry] + 2, tail[s_entry]) + np.concatenate([np.arange(t) for t in tail[s_entry]])
        major[at], argument[at] = heads[:, 0], heads[:, 1]
    size = np.where(is_special, 0, locs + meta_items + 1)
    size[s_entry] = [s for _, _, s in special]
    return _by_word(rank, offset, size, *encode_heads(major, argument))


def _lay_meta(fields: _Runs, first: np.ndarray, major: np.ndarray, argument: np.ndarray):
    """Each meta row's head at its place after its entry's `first` head, a field's marker
    (`-field - 1`) before the row that opens it."""
    if not len(fields.key):
        return
    opens = fields.opens
    before = np.cumsum(opens) - np.repeat((np.cumsum(opens) - opens)[fields.start], fields.rows)
    at = np.repeat(first - fields.start, fields.rows) + np.arange(len(fields.key)) + before
    argument[at] = fields.values
    major[at[opens] - 1], argument[at[opens] - 1] = NEGATIVE, fields.field[opens]


def _by_word(rank, offset, size, data: bytes, starts: np.ndarray) -> tuple[dict[int, bytes], dict[int, int]]:
    """Each word's array of entries, cut from the encoded bytes, and its size."""
    bounds = np.r_[starts[offset], len(data)]
    w_start, w_count = _sorted_runs(rank)
    sizes = np.add.reduceat(size, w_start) if len(w_start) else np.zeros(0, np.int64)
    words = {}
    for word, first, entries in zip(rank[w_start].tolist(), w_start.tolist(), w_count.tolist(), strict=True):
        words[word] = head_bytes(ARRAY, entries) + data[bounds[first] : bounds[first + entries]]
    return words, dict(zip(rank[w_start].tolist(), sizes.tolist(), strict=True))


def _spellings(postings: Postings, rank: np.ndarray) -> dict[int, bytes]:
    """Each word's spellings with diacritics: [[spelling, [entries]]], in the order Pagefind
    first meets them (by page; in a page, the text's in order, then the meta fields' new ones)."""
    found: dict[int, dict[str, list]] = {}
    for page, number in sorted(postings.special, key=lambda pair: pair[0]):
        weighted, in_meta = postings.special[(page, number)]
        forms: dict[str, tuple[list, list]] = {}
        for weight, position, spelling in weighted:
            if spelling is not None:
                forms.setdefault(spelling, ([], []))[0].append((weight, position))
        text_forms = sorted(forms)
        for field, position, spelling in in_meta:
            forms.setdefault(spelling, ([], []))[1].append((field, position))
        for form in text_forms + sorted(set(forms) - set(text_forms)):
            text, fields = forms[form]
            locs = grouped(text, _ORDINARY) if text else []
            found.setdefault(int(rank[number]), {}).setdefault(form, []).append((page, locs, meta_grouped(fields)))
    encoded = {}
    for word, forms in found.items():
        parts = [head_bytes(ARRAY, len(forms))]
        for form, entries in forms.items():
            parts += (head_bytes(ARRAY, 2), text_bytes(form), head_bytes(ARRAY, len(entries)))
            last = 0
            for page, locs, meta_locs in entries:
                parts += (
                    head_bytes(ARRAY, 3),
                    head_bytes(UNSIGNED, page - last),
                    ints_bytes(locs),
                    ints_bytes(meta_locs),
                )
                last = page
        encoded[word] = b"".join(parts)
    return encoded


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
