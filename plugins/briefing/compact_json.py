"""Compact JSON (no spaces, every character as itself) made by orjson, in C.

The open data, the JSON-LD of every page and the search records of a 10,000-entry site are
over 100 MB of it: the standard library's encoder spent about half a second of a build's CPU
on the open data and JSON-LD, and about two seconds of the search index's; orjson takes a
sixth of the time or less. For what the site encodes (dicts with string keys, lists and
tuples, strings, integers, booleans and None) its text is `json.dumps(value,
ensure_ascii=False, separators=(",", ":"))`'s, byte for byte: tests/test_compact_json.py
compares the two.
"""

from __future__ import annotations

import orjson


def compact_bytes(value) -> bytes:
    """The JSON as UTF-8, for a file."""
    return orjson.dumps(value)


def compact(value) -> str:
    return orjson.dumps(value).decode("utf-8")


def compact_sorted(value) -> str:
    """With every object's keys sorted (`sort_keys=True`)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
