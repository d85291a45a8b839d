"""Pages' shapes (build/shapes.py): a list of values of one kind is shaped in one pass, and
that pass gives exactly the shape and keys shaping each value in turn gives."""

from __future__ import annotations

import datetime as dt

import pytest
from test_incremental import EDITS
from test_live import Live, make_site

from briefing.build import live as live_module
from briefing.build import shapes
from briefing.build.digester import Digester
from briefing.build.pages import PageSpec

pytestmark = pytest.mark.slow


def test_a_list_of_one_kind_is_shaped_as_each_of_its_values_would_be(tmp_path, monkeypatch):
    specs = Live(make_site(tmp_path)).preview.live.specs
    fast = shapes.shapes_of(specs)
    rows = dict.fromkeys(shapes._ROWS, 0)
    for kind, make in list(shapes._ROWS.items()):  # count the lists each shapes in one pass

        def counted(values, keys, kind=kind, make=make):
            rows[kind] += 1
            return make(values, keys)

        monkeypatch.setitem(shapes._ROWS, kind, counted)
    assert shapes.shapes_of(specs) == fast
    used = {kind.__name__ for kind, n in rows.items() if n}
    assert {"Entry", "EntityView", "RelatedEntry", "PageSpec"} <= used
    monkeypatch.setattr(shapes, "_ROWS", {})
    assert shapes.shapes_of(specs) == fast  # each value in turn: the same shapes, the same keys
    sitemap = {spec.url: spec for spec in specs}["/sitemap.xml"]
    assert fast["/sitemap.xml"][0] == (
        "sitemap.xml",
        False,
        True,
        (("pages", tuple(("spec", s.url, s.lastmod) for s in sitemap.context["pages"])),),
    )
    keys = fast["/"][1]
    cards = {("E", e.path) for e in {spec.url: spec for spec in specs}["/"].context["pagination"].items}
    assert len(cards) > 1 and cards <= keys


def test_a_list_of_shared_values_of_several_kinds_is_shaped_as_each_of_its_values_would_be(tmp_path, monkeypatch):
    """A feed lists entries and statements together: shaped in one pass, each by its key."""
    specs = Live(make_site(tmp_path)).preview.live.specs
    items = {spec.url: spec for spec in specs}["/officials/wang-yi/feed.atom.xml"].context["entries"]
    assert sorted({type(v).__name__ for v in items}) == ["Entry", "Statement"]
    one_by_one: set = set()
    expected = tuple(shapes._shape(v, one_by_one) for v in items)
    calls = []
    real = shapes._shape
    monkeypatch.setattr(shapes, "_shape", lambda value, keys: calls.append(value) or real(value, keys))
    keys: set = set()
    assert shapes._shape(items, keys) == expected
    assert keys == one_by_one and len(calls) == 1  # (no call per value)
    assert sorted({tag for tag, _ in keys}) == ["E", "T"]  # entries by their files, statements by their addresses


def test_the_sitemaps_digest_lists_each_page_by_its_address_and_date(tmp_path):
    """The sitemap's pages are digested in one pass (17,000 at 10,000 entries: 60-100 ms through
    the digester's dispatch on every front-matter edit that makes it a candidate)."""
    live = Live(make_site(tmp_path)).preview.live
    pages = {spec.url: spec for spec in live.specs}["/sitemap.xml"].context["pages"]
    dated = [s for s in pages if type(s.lastmod) is dt.date]
    assert len(dated) > 20 and len(pages) - len(dated) > 0  # (the others: no date, as the search page)
    undated = PageSpec("/undated/", "page.html", "page")
    expected = tuple(("spec", s.url, s.lastmod.isoformat() if s.lastmod else None) for s in [*pages, undated])
    digester = Digester(live.site)
    assert digester([*pages, undated]) == expected
    assert digester([pages[0], "a line"]) == (expected[0], "a line")  # not only pages: each as it is


def move_a_file(root):
    """e05's file moves to another folder: the same address (its slug is its title's) on
    another file, which the related lines of other entries name."""
    old = root / "content/briefings/e05.md"
    (root / "content/briefings/moved").mkdir()
    old.rename(root / "content/briefings/moved/e05.md")


def test_the_entry_pages_an_edit_keeps_are_shaped_as_shaping_them_afresh_would(tmp_path, monkeypatch):
    """After each edit that assembles the site again, every page's shape is the one shaping it
    afresh gives, though most entry pages took theirs from the last page list
    (candidates.kept_entry_pages); none did when an entry came, went or moved to another file."""
    kept: list[set[str]] = []
    keep = live_module.kept_entry_pages
    monkeypatch.setattr(live_module, "kept_entry_pages", lambda *args: kept.append(keep(*args)) or kept[-1])
    live = Live(make_site(tmp_path))
    sizes: dict[str, tuple[int, int]] = {}  # edit -> (entry pages kept, entry pages)
    for edit in [*EDITS, move_a_file]:
        kept.clear()
        model = live.save(edit)["live"]
        if kept:  # (a body or template edit assembles nothing)
            assert model.shapes == shapes.shapes_of(model.specs), edit.__name__
            pages = {s.url for s in model.specs if s.template == "entry.html"}
            assert kept[0] <= pages
            sizes[edit.__name__] = (len(kept[0]), len(pages))
    assert sizes["delete_entry"][0] == sizes["add_entry"][0] == sizes["move_a_file"][0] == 0
    assert sizes["edit_title"][0] == 0  # (its address is its title's)
    assert 0 < sizes["edit_date"][0] < sizes["edit_date"][1]  # the related lists its date changed are shaped again
    for name in ("edit_profile", "edit_digest_summary"):  # no entry's related lines changed
        assert sizes[name][0] == sizes[name][1]
