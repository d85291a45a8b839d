"""Gzip siblings (`search.js.gz` beside `search.js`) of the text files the search page loads
before its first results, for hosts that serve a precompressed sibling to browsers that accept
gzip (nginx `gzip_static on`, Caddy `precompressed`; GitHub Pages and most CDNs compress on the
fly and need none). Pagefind's own index files are gzip already, and each search bundle holds
its `pagefind.js.gz` (search/index.py); HTML pages are left alone.
"""

from __future__ import annotations

import gzip
from pathlib import Path

PATTERNS = ("theme/**/*.js", "theme/**/*.css", "theme/**/*.svg")


def write_gzip_siblings(output: Path) -> int:
    """Write `<file>.gz` for each matching file; the same file always gives the same bytes."""
    written = 0
    for pattern in PATTERNS:
        for path in sorted(Path(output).glob(pattern)):
            if path.is_file() and not path.is_symlink():
                data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
                path.with_name(path.name + ".gz").write_bytes(data)
                written += 1
    return written
