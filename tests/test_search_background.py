"""A build without the cache writes its search index from a forked process while its pages
render (search/background.py): the same bytes as a build that indexes first, the search page
naming the bundles, and a failing indexer still failing the build with its one message and
the old output untouched."""

from __future__ import annotations

import json
import os
import re

import pytest
from test_search_index import FAILURES, FILES, _failing_binary
from tools.sites import read, tree_bytes

NO_CACHE = {"BRIEFING_CACHE": "off"}


@pytest.mark.slow
def test_the_index_written_beside_the_pages_is_the_same_site(site):
    first = site(FILES)  # the cache on: the index first, then every page
    assert first.ok, first.stderr
    beside = first.rebuild(output="beside", env=NO_CACHE)
    assert beside.ok, beside.stderr
    assert "Traceback" not in beside.stderr
    assert tree_bytes(first.root / "beside") == tree_bytes(first.output)
    manifest = json.loads(
        re.search(r"data-manifest='([^']*)'", beside.text("search/index.html")).group(1).replace("&#34;", '"')
    )
    assert [bundle["name"] for bundle in manifest["bundles"]] == ["2023-2025-pages"]
    assert (first.root / "beside/pagefind/2023-2025-pages/pagefind-entry.json").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["crashes", "refuses"])
def test_a_failure_beside_the_pages_fails_the_build_and_keeps_the_old_output(site, failure):
    good = site(FILES, env=NO_CACHE)
    assert good.ok, good.stderr
    before = tree_bytes(good.output)
    path = good.root / "content/briefings/2024/c.md"
    path.write_text(read(path).replace("New licences.", "Changed."), encoding="utf-8")
    bad = good.rebuild(env={**NO_CACHE, "PAGEFIND_BINARY_PATH": _failing_binary(good.root, FAILURES[failure])})
    assert bad.status == 1
    expected = {
        "crashes": "error: search index: the pagefind service stopped before answering (exit code 3): pagefind exploded",
        "refuses": "error: search index: pagefind refused a request: bad record",
    }[failure]
    lines = bad.stderr.splitlines()
    assert expected in lines
    assert lines[lines.index(expected) + 1] == (
        "Build failed: the search index could not be written; the previous output is unchanged."
    )
    assert "Traceback" not in bad.stderr
    assert tree_bytes(good.output) == before


def test_the_index_is_written_at_the_lowest_priority(monkeypatch):
    """The pages' processes come first: the child runs at nice 19 (the workers it forks inherit it)."""
    from briefing.search import background

    def report_priority(site, output_path, config, cache_dir, timings):
        return {"niceness": os.nice(0), "site": site}

    monkeypatch.setattr(background, "write_search_index", report_priority)
    before = os.nice(0)
    manifest = background.BackgroundIndex("the site", "out", None).result()
    assert manifest == {"niceness": min(before + 19, 19), "site": "the site"}
    assert os.nice(0) == before  # the build itself keeps its priority
