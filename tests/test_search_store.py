"""Search bundles kept under the cache folder (search/index.py, BundleStore) are taken only by
the code that wrote them: a bundle is the same whether indexed now or linked from the store,
byte for byte, so a bundle that other code wrote (the same contents in other bytes, as when
libdeflate's gzip took zlib's place) is indexed again."""

from __future__ import annotations

import gzip

from tools.open_site import FILES
from tools.sites import tree_bytes, write_files

from briefing.domain.config import BriefingConfig
from briefing.domain.site import load_site
from briefing.search import index
from briefing.search.index import build_search_index


def test_a_bundle_other_code_kept_is_indexed_again(tmp_path, monkeypatch):
    site, _ = load_site(write_files(tmp_path, FILES) / "content", BriefingConfig())
    cache = tmp_path / "cache"
    build_search_index(site, tmp_path / "first", cache_dir=cache, workers=1)
    kept = sorted((cache / "search").glob("*/fragment/*.pf_fragment"))
    assert kept
    for path in kept:  # the same contents, gzipped as zlib gzips them: what other code left
        path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes()), compresslevel=9, mtime=0))
    clean = tmp_path / "clean"
    build_search_index(site, clean, workers=1)

    build_search_index(site, tmp_path / "same", cache_dir=cache, workers=1)
    same = tree_bytes(tmp_path / "same" / "pagefind")
    assert same != tree_bytes(clean / "pagefind")  # this code's own bundles are linked from the store
    zlib_made = [name for name, data in same.items() if name.endswith(".pf_fragment") and data[8:10] == b"\x02\x03"]
    assert len(zlib_made) == len(kept)

    monkeypatch.setattr(index, "_writer_digest", lambda: "other code")
    build_search_index(site, tmp_path / "other", cache_dir=cache, workers=1)
    assert tree_bytes(tmp_path / "other" / "pagefind") == tree_bytes(clean / "pagefind")
