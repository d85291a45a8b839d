"""The preview's collector (build/collector.py): what an update leaves is frozen, so that no
later collection walks the model, and the models that saves replace are freed all the same:
when the preview has been quiet for a moment, or after a bounded number of saves without one."""

from __future__ import annotations

import gc
import time
import weakref

import pytest
from test_incremental import _replace
from test_live import Live, full_build, make_site, stale_pages
from tools.sites import tree_bytes

from briefing.build import live as live_module
from briefing.build.collector import BUILD_THRESHOLDS

pytestmark = pytest.mark.slow


def retitle(n: int):
    """The n-th of a sequence of front-matter edits: entry 6's title gains one more '!'."""

    def edit(root):
        _replace(
            root, "content/briefings/e06.md", "Entry number 6" + "!" * n + "\n", "Entry number 6" + "!" * (n + 1) + "\n"
        )

    return edit


def hang_from_a_cycle(site):
    """As a model at 10,000 entries hangs from the cycles of the Jinja modules made for it:
    reference counts alone never free it."""
    cycle: dict = {"site": site}
    cycle["itself"] = cycle


def test_a_quiet_preview_frees_the_model_a_save_replaced(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    collector = live.preview.collector
    collector.quiet = 0.2
    live.save(retitle(0))
    replaced = weakref.ref(live.preview.live.site)
    hang_from_a_cycle(live.preview.live.site)
    assert gc.get_freeze_count() > 0  # the model as the update left it
    live.save(retitle(1))
    deadline = time.monotonic() + 30
    while collector.pending and time.monotonic() < deadline:  # the collection in the timer's thread
        time.sleep(0.05)
    assert collector.pending == 0
    freed = replaced() is None  # a bool: pytest would show a Site by its repr, the whole model
    assert freed
    assert "Entry number 6!!" in {entry.title for entry in live.preview.live.site.entries}
    assert tree_bytes(root / "output") == full_build(root, "full")


def test_saves_without_a_quiet_moment_keep_memory_bounded(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    collector = live.preview.collector
    collector.quiet, collector.most = 3600, 3  # the first build counts as one update
    sites = []
    for n in range(5):
        live.save(retitle(n))
        sites.append(weakref.ref(live.preview.live.site))
        hang_from_a_cycle(live.preview.live.site)
        assert stale_pages(live.preview.live) == []
    # the second and the fifth save collected: every model replaced before them is gone
    assert [site() is None for site in sites] == [True, True, True, True, False]
    current = sites[4]() is live.preview.live.site
    assert current
    assert tree_bytes(root / "output") == full_build(root, "full")


def test_the_model_stays_frozen_after_the_search_worker_refreshes(tmp_path):
    """A pool of forked workers unfreezes the heap as it ends (safety.worker_pool): the search
    worker's, which ends outside any update, must not leave the model to the collector."""
    root = make_site(tmp_path)
    live = Live(root, env={})  # search on
    live.preview.collector.quiet = 3600
    live.save(retitle(0))
    assert live.preview.search.idle()
    assert "2025-pages" in live.preview.search.index.written
    assert gc.get_freeze_count() > 0


def test_a_closed_preview_collects_forks_and_runs_nothing_more(tmp_path):
    """The tests run many previews in one process, each closed as its test ends (conftest): a
    preview left open collected the heap or forked from its threads in the middle of a later
    test (a fresh clone's run once failed so)."""
    root = make_site(tmp_path)
    live = Live(root, env={})  # search on: its thread
    preview = live.preview
    preview.collector.quiet = 0.3
    live.save(retitle(0))
    assert preview.search.idle()
    threads = (preview.collector.timer, preview.search.thread)
    assert [thread.is_alive() for thread in threads] == [True, True]
    replaced = weakref.ref(preview.live.site)
    preview.close()
    time.sleep(0.6)  # twice the quiet: the timer would have collected by now
    assert [thread.is_alive() for thread in threads] == [False, False]
    assert (preview.collector.pending, preview.live) == (2, None)  # nothing collected, the model dropped
    gc.unfreeze()
    gc.collect()
    freed = replaced() is None
    assert freed


def test_the_save_that_must_collect_is_reported_before_it_collects(tmp_path):
    """The last of too many saves without a quiet moment collected before its update returned,
    so its "Rebuilt" line came 2-4 s late at 10,000 entries. Its update now returns with every
    page written, and the serve loop collects after printing the line (LivePreview.release)."""
    root = make_site(tmp_path)
    live = Live(root)
    collector = live.preview.collector
    collector.quiet, collector.most = 3600, 2  # the first build counts as one update
    replaced = weakref.ref(live.preview.live.site)
    hang_from_a_cycle(live.preview.live.site)
    retitle(0)(root)
    assert live._run(live.preview.apply, [str(root / "content/briefings/e06.md")]), live.stderr
    assert (collector.pending, replaced() is None) == (2, False)  # written and returned, not collected
    pages = (root / "output" / "briefings").rglob("index.html")
    assert any("<h1>Entry number 6!</h1>" in page.read_text(encoding="utf-8") for page in pages)
    live.preview.release()
    assert (collector.pending, replaced() is None) == (0, True)


def test_the_first_builds_shapes_are_made_with_few_collections(tmp_path, monkeypatch):
    """After the first build the preview makes every page's shape (LiveSite.prepare) before the
    model is frozen: with the default thresholds each full collection walked the whole model
    (1.3-1.6 s at 10,000 entries, against 0.5 s)."""
    seen = []
    shapes_of = live_module.shapes_of
    monkeypatch.setattr(live_module, "shapes_of", lambda specs: (seen.append(gc.get_threshold()), shapes_of(specs))[1])
    Live(make_site(tmp_path))
    assert seen == [BUILD_THRESHOLDS]
