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


def paged_site(root):
    """The test site with three entries on each page of the home page's list."""
    make_site(root)
    settings = root / "pelicanconf.py"
    settings.write_text(settings.read_text() + '\nBRIEFING = {**BRIEFING, "home_entries": 3}\n')
    return root


def test_the_pages_an_edit_keeps_are_shaped_as_shaping_them_afresh_would(tmp_path, monkeypatch):
    """After each edit that assembles the site again, every page's shape is the one shaping it
    afresh gives, though most entry pages, feeds and later home pages took theirs from the last
    page list (kept_shapes.py); no entry page did when an entry came, went or moved to another
    file, no home page when the list of entries changed, no feed whose items changed."""
    kept: list[set[str]] = []
    for name in ("kept_entry_pages", "kept_shapes"):
        keep = getattr(live_module, name)
        monkeypatch.setattr(live_module, name, lambda *args, keep=keep: kept.append(keep(*args)) or kept[-1])
    live = Live(paged_site(tmp_path))
    sizes: dict[str, dict[str, tuple[int, int]]] = {}  # edit -> kind -> (pages kept, pages)
    kept_by_edit: dict[str, set[str]] = {}
    for edit in [*EDITS, move_a_file]:
        kept.clear()
        model = live.save(edit)["live"]
        if kept:  # (a body or template edit assembles nothing)
            assert model.shapes == shapes.shapes_of(model.specs), edit.__name__
            found = set().union(*kept)
            assert found <= set().union(*_keepable(model.specs).values())
            kept_by_edit[edit.__name__] = found
            sizes[edit.__name__] = {
                kind: (len(found & urls), len(urls)) for kind, urls in _keepable(model.specs).items()
            }
    for name in ("delete_entry", "add_entry", "move_a_file", "edit_title"):  # (an address is its title's)
        assert sizes[name]["entry"][0] == 0, name
    assert 0 < sizes["edit_date"]["entry"][0] < sizes["edit_date"]["entry"][1]  # its changed related lists
    for name in ("edit_profile", "edit_digest_summary"):  # no entry's related lines changed
        assert sizes[name]["entry"][0] == sizes[name]["entry"][1], name
    for name in ("edit_date", "delete_entry", "add_entry", "move_a_file"):  # the list of entries changed
        assert sizes[name]["home"] == (0, 7), name
    for name in ("edit_title", "add_draft", "edit_status"):  # (a draft is on no home page)
        assert sizes[name]["home"] == (7, 7), name
    for name in ("edit_digest_summary", "edit_about_page"):  # no view's or relation's items changed
        assert sizes[name]["feed"] == (16, 16), name
    for name in ("change_issues", "rename_profile", "edit_statement", "move_event"):  # theirs did
        assert 0 < sizes[name]["feed"][0] < sizes[name]["feed"][1] - 2, name
    # e14 now names Trade: Trade's feed is shaped again; after a site page's edit India's is kept
    assert "/issues/trade/feed.atom.xml" not in kept_by_edit["change_issues"]
    assert "/countries/india/feed.atom.xml" in kept_by_edit["edit_about_page"]


def _keepable(specs) -> dict[str, set[str]]:
    """The URLs of the published entries' pages, the feeds of views and relations, and the later
    home pages."""
    return {
        "entry": {s.url for s in specs if s.kind == "entry"},  # (a draft has no related lines to keep)
        "feed": {s.url for s in specs if s.template == "atom.xml" and s.url.count("/") > 2},
        "home": {s.url for s in specs if s.kind == "home" and s.url != "/"},
    }
