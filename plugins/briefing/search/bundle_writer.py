"""Write a Pagefind 1.5.2 bundle from our records, without Pagefind doing the indexing.

Pagefind's indexer was most of a full build's search CPU: 30 s for the 10,000-entry site's 12
bundles, 70% of it making the files, much of that deflate at its best level and a C library's
small copies (docs/PERFORMANCE-LOG.md). Written here, the same files take under half of that
CPU (with numpy: postings.py, packing.py). The bundle's layout is
small and fixed (`pagefind/src/index/` and `output/` of Pagefind 1.5.2): fragments of JSON, a
word index in chunks of CBOR, filters, a metadata file, each gzip of "pagefind_dcd" and the
data. We write exactly those, with Pagefind's names and in the order it writes them, and take
the files that are the same for every bundle (its JavaScript and WebAssembly) from Pagefind
itself (`service.pagefind_assets`). Filter values and the metadata's filter list are sorted
(Pagefind writes them in hash-map order), so a bundle's bytes are the same from run to run; tests
check our bundles against Pagefind's, file by file, for the same records.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import deflate

from ..compact_json import compact_bytes
from .cbor import CborError, cbor_decode, cbor_encode
from .packing import pack_chunks
from .postings import Postings
from .service import BundleFormatError
from .words import WORD_SYMBOLS, WordRules, pieces, split

SIGNATURE = b"pagefind_dcd"  # what every gzipped file of a bundle starts with, uncompressed
LANGUAGE = "en"
# libdeflate's level 6: the 10,000-entry site's fragments and word chunks as small as zlib's at
# its best level (Pagefind's), 48.9 MB, in 1.3 s of CPU against zlib's 5.6 s
GZIP_LEVEL = 6
_PRIVATE = re.compile(r"___PAGEFIND_\S+\s?")  # Pagefind drops these from meta and filter values
_HEX = [format(byte, "x") for byte in range(256)]  # Pagefind's hashes: each byte in hex, unpadded


def decode_pagefind_file(name: str, data: bytes):
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise BundleFormatError(f"{name}: not a gzip file ({error})") from error
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError(f"{name}: no Pagefind signature")
    try:
        return cbor_decode(raw[len(SIGNATURE) :])
    except CborError as error:
        raise BundleFormatError(f"{name}: {error}") from error


def read_pagefind_file(path: Path):
    return decode_pagefind_file(path.name, path.read_bytes())


def pagefind_file_bytes(value) -> tuple[bytes, str]:
    """(gzip bytes with no timestamp, sha1 of the uncompressed contents)."""
    data = cbor_encode(value)
    return _gzip(data), hashlib.sha1(SIGNATURE + data).hexdigest()


def full_hash(data: bytes) -> str:
    return "".join([_HEX[byte] for byte in hashlib.sha1(data).digest()])


def _gzip(data: bytes) -> bytes:
    """Pagefind's signature and the data, gzipped with no time or name in the header."""
    return deflate.gzip_compress(SIGNATURE + data, GZIP_LEVEL)


def _tidy(value: str) -> str:
    return _PRIVATE.sub("", value) if "___PAGEFIND_" in value else value


class _Page:
    """One record as Pagefind keeps it: its fragment's JSON and its words."""

    __slots__ = ("filters", "fragment", "fragment_hash", "sort", "url", "word_count")

    def __init__(self, record: dict, postings: Postings, meta_fields: dict[str, int]):
        if record.get("language", LANGUAGE) != LANGUAGE:
            raise BundleFormatError(f"{record.get('url')}: only {LANGUAGE!r} records are written")
        self.url = record["url"]
        found = pieces(record.get("content", ""))
        meta = {key: _tidy(value) for key, value in sorted((record.get("meta") or {}).items())}
        filters = sorted((record.get("filters") or {}).items())
        self.filters = {key: [_tidy(value) for value in values] for key, values in filters}
        self.sort = record.get("sort") or {}
        postings.add_page(found, [(meta_fields[name], split(value)) for name, value in meta.items()])
        self.word_count = max(len(found), 1)
        fragment = {
            "url": record["url"],
            "content": " ".join(found),
            "word_count": self.word_count,
            "filters": self.filters,
            "meta": meta,
            "anchors": [],
        }
        data = compact_bytes(fragment)
        self.fragment_hash, self.fragment = full_hash(data), _gzip(data)  # (kept compressed)


def write_bundle(records: Sequence[dict], chunk_size: int, rules: WordRules, version: str) -> dict[str, bytes]:
    """The bundle's files ({relative path: bytes}) but Pagefind's JavaScript and WebAssembly."""
    by_url: dict[str, dict] = {}
    for record in records:  # a later record replaces an earlier one at the same URL, as Pagefind does
        by_url[record["url"]] = record
    meta_fields = {name: n for n, name in enumerate(sorted({k for r in by_url.values() for k in r.get("meta") or {}}))}
    postings = Postings(rules)
    pages = [_Page(record, postings, meta_fields) for record in by_url.values()]
    files: dict[str, bytes] = {}
    fragment_names = _fragments(pages, files)
    plain, meta_words, wordless = postings.gather()
    if wordless:
        raise BundleFormatError(f"{pages[wordless[0]].url}: a record without words (Pagefind would leave it out)")
    chunks = pack_chunks(postings, plain, meta_words, chunk_size)
    index_chunks = []
    taken: set[str] = set()
    for first, last, data in chunks:
        name = _short_name(full_hash(data), taken, step=2)
        files[f"index/{name}.pf_index"] = _gzip(data)
        index_chunks.append([first, last, name])
    meta = [
        version,
        [[name, page.word_count] for name, page in zip(fragment_names, pages, strict=True)],
        index_chunks,
        _filters(pages, files),
        _sorts(pages),
        list(meta_fields),
    ]
    data, digest = pagefind_file_bytes(meta)
    meta_hash = f"{LANGUAGE}_{digest[:10]}"
    files[f"pagefind.{meta_hash}.pf_meta"] = data
    entry = {
        "version": version,
        "languages": {LANGUAGE: {"hash": meta_hash, "wasm": LANGUAGE, "page_count": len(pages)}},
        "include_characters": list(WORD_SYMBOLS),
    }
    files["pagefind-entry.json"] = compact_bytes(entry)
    return files


def _short_name(digest: str, taken: set[str], step: int) -> str:
    """`en_` and seven hex digits of the hash, lengthened while another file has that name
    (by two digits for word chunks, one for fragments: Pagefind's own slices)."""
    name = f"{LANGUAGE}_{digest}"
    short = name[: len(LANGUAGE) + 8]
    while short in taken and len(short) < len(name):
        short = name[: len(short) + step]
    taken.add(short)
    return short


def _fragments(pages: list[_Page], files: dict[str, bytes]) -> list[str]:
    names = []
    taken: set[str] = set()
    for page in pages:
        name = _short_name(page.fragment_hash, taken, step=1)
        files[f"fragment/{name}.pf_fragment"] = page.fragment
        names.append(name)
    return names


def _filters(pages: list[_Page], files: dict[str, bytes]) -> list[list[str]]:
    """Each filter's file ([name, [[value, [page numbers]]]], values sorted) and its meta entry."""
    values: dict[str, dict[str, list[int]]] = {}
    for number, page in enumerate(pages):
        for name, page_values in page.filters.items():
            for value in page_values:
                values.setdefault(name, {}).setdefault(value, []).append(number)
    entries = []
    for name, pages_of in values.items():
        data, digest = pagefind_file_bytes([name, sorted(([v, p] for v, p in pages_of.items()), key=lambda vp: vp[0])])
        short = f"{LANGUAGE}_{digest[:7]}"
        files[f"filter/{short}.pf_filter"] = data
        entries.append([name, short])
    return sorted(entries)


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def _sorts(pages: list[_Page]) -> list:
    """Page numbers in each sort key's order; our keys are text, which Pagefind sorts as text."""
    sorts = []
    for key in sorted({key for page in pages for key in page.sort}):
        pairs = [(page.sort[key], number) for number, page in enumerate(pages) if key in page.sort]
        if all(_NUMBER.fullmatch(value) for value, _ in pairs):
            raise BundleFormatError(f"sort {key!r}: numbers are sorted as numbers by Pagefind, not written here")
        sorts.append([key, [number for _, number in sorted(pairs, key=lambda pair: pair[0])]])
    return sorts
