"""Pagefind's own bundle for a set of records, made stable, to hold our bundle writer to.

Pagefind 1.5.2 writes each filter's values in hash-map order, which changes from run to run
(and with them the filter files' names, the metadata and its name); everything else it writes
is stable. `reference_bundle` sorts those as our writer does, so that the two bundles can be
compared file by file, each file uncompressed (our writer compresses some files at another
level than Pagefind's)."""

from __future__ import annotations

import gzip
import json

from briefing.search.bundle_writer import decode_pagefind_file, pagefind_file_bytes
from briefing.search.records import record_json
from briefing.search.service import VERSION, BundleFormatError, index_records

GZIPPED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")


def reference_bundle(records) -> dict[str, bytes]:
    """Pagefind's files for `records`, filter values and filter lists sorted, each uncompressed."""
    return uncompressed(_stable(index_records([record_json(record) for record in records])))


def uncompressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of a bundle but Pagefind's script and WebAssembly, each gzipped one uncompressed."""
    return {
        name: gzip.decompress(data) if name.endswith(GZIPPED) else data
        for name, data in files.items()
        if name.endswith(GZIPPED) or name == "pagefind-entry.json"
    }


def _stable(files: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(files)
    entry = json.loads(out["pagefind-entry.json"].decode("utf-8"))
    if entry.get("version") != VERSION:
        raise BundleFormatError(f"the bundle was made by pagefind {entry.get('version')}, not {VERSION}")
    for language, info in sorted(entry["languages"].items()):
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = decode_pagefind_file(meta_name, out.pop(meta_name))
        filters = []
        for name, old_hash in meta[3]:
            content = decode_pagefind_file(name, out.pop(f"filter/{old_hash}.pf_filter"))
            data, digest = pagefind_file_bytes([name, sorted(content[1], key=lambda pair: pair[0])])
            out[f"filter/{language}_{digest[:7]}.pf_filter"] = data
            filters.append([name, f"{language}_{digest[:7]}"])
        meta[3] = sorted(filters)
        data, digest = pagefind_file_bytes(meta)
        info["hash"] = f"{language}_{digest[:10]}"
        out[f"pagefind.{info['hash']}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out
