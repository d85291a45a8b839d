"""Make a Pagefind bundle byte-identical from run to run.

Pagefind 1.5.2 writes each filter's values in hash-map order, which changes on every run
(and with it the filter files' names, the metadata file and its name). Everything else it
writes is stable. So after indexing we rewrite just those files: filter values and the
metadata's filter list sorted, the files re-compressed without a timestamp and renamed by
a hash of their contents, and `pagefind-entry.json` pointed at the new metadata file.

The files are gzip of "pagefind_dcd" followed by CBOR; the small CBOR codec below handles
the types Pagefind uses (integers, strings, arrays, maps). Anything unexpected is an error,
never a silently different index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

from .service import VERSION

SIGNATURE = b"pagefind_dcd"


class BundleFormatError(ValueError):
    """A bundle that is not laid out as Pagefind 1.5.2 writes it."""


def cbor_decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise BundleFormatError(f"{len(data) - end} stray bytes after the CBOR value")
    return value


def _decode(data: bytes, at: int):
    if at >= len(data):
        raise BundleFormatError("CBOR value cut short")
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise BundleFormatError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return bytes(data[at : at + argument]), at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], at
    raise BundleFormatError(f"unsupported CBOR item 0x{head:02x}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size, code in ((24, 1, ">B"), (25, 2, ">H"), (26, 4, ">I"), (27, 8, ">Q")):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + struct.pack(code, argument)
    raise BundleFormatError(f"integer too large for CBOR: {argument}")


def cbor_encode(value) -> bytes:
    """Shortest-form CBOR, as Pagefind's own encoder writes it."""
    if value is True or value is False or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise BundleFormatError(f"cannot encode {type(value).__name__} as CBOR")


def decode_pagefind_file(name: str, data: bytes):
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise BundleFormatError(f"{name}: not a gzip file ({error})") from error
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError(f"{name}: no Pagefind signature")
    return cbor_decode(raw[len(SIGNATURE) :])


def read_pagefind_file(path: Path):
    return decode_pagefind_file(path.name, path.read_bytes())


def pagefind_file_bytes(value) -> tuple[bytes, str]:
    """(gzip bytes with no timestamp, sha1 of the uncompressed contents)."""
    raw = SIGNATURE + cbor_encode(value)
    return gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha1(raw).hexdigest()


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle's files ({relative path: bytes}) with filter files and metadata in a stable order."""
    out = dict(files)
    try:
        entry = json.loads(out["pagefind-entry.json"].decode("utf-8"))
        languages = entry["languages"]
    except (KeyError, ValueError, UnicodeDecodeError) as error:
        raise BundleFormatError(f"pagefind-entry.json: unreadable ({error})") from error
    if entry.get("version") != VERSION:
        raise BundleFormatError(f"the bundle was made by pagefind {entry.get('version')}; this code reads {VERSION}'s")
    for language, info in sorted(languages.items()):
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = decode_pagefind_file(meta_name, _take(out, meta_name))
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise BundleFormatError(f"{meta_name}: unexpected layout")
        filters = []
        for name, old_hash in meta[3]:
            old_name = f"filter/{old_hash}.pf_filter"
            content = decode_pagefind_file(old_name, _take(out, old_name))
            if not (isinstance(content, list) and len(content) == 2 and content[0] == name):
                raise BundleFormatError(f"{old_name}: unexpected layout")
            data, digest = pagefind_file_bytes([name, sorted(content[1], key=lambda pair: pair[0])])
            new_hash = f"{language}_{digest[:7]}"
            out[f"filter/{new_hash}.pf_filter"] = data
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        data, digest = pagefind_file_bytes(meta)
        info["hash"] = f"{language}_{digest[:10]}"
        out[f"pagefind.{info['hash']}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def _take(files: dict[str, bytes], name: str) -> bytes:
    try:
        return files.pop(name)
    except KeyError:
        raise BundleFormatError(f"{name}: missing from the bundle") from None
