"""Pages' shapes (build/shapes.py): a list of values of one kind is shaped in one pass, and
that pass gives exactly the shape and keys shaping each value in turn gives."""

from __future__ import annotations

import datetime as dt

import pytest
from test_live import Live, make_site

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
