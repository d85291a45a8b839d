"""Every HTML page of the bundled site passes the Nu HTML Checker with zero errors and
zero warnings: home, entries, every entity kind, relations, digests, the indexes, search,
paginated pages and the 404 page."""

from __future__ import annotations

import pytest
from tools.nu_checker import describe, nu_messages
from tools.page_types import PATTERNS, file_of, representative_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def html_files(bundled_site):
    return sorted(bundled_site.rglob("*.html"))


def test_every_page_type_is_among_the_checked_files(bundled_site, html_files):
    pages = representative_pages(bundled_site)
    assert sorted(pages) == sorted(PATTERNS), "the bundled site lacks a page type"
    for url in pages.values():
        assert file_of(bundled_site, url) in html_files


def test_every_page_passes_the_nu_html_checker(bundled_site, html_files):
    assert len(html_files) >= 140  # the bundled content: 35 entries, ~60 entity pages, 31 digests ...
    messages = nu_messages(html_files)
    assert messages == [], describe(messages, bundled_site)


def test_the_checker_rejects_a_broken_page(tmp_path):
    """The gate can fail: a page with a stray end tag and a duplicate id is reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><p id="a">one</div><p id="a">two</p></body></html>',
        encoding="utf-8",
    )
    found = {m["message"] for m in nu_messages([page])}
    assert "Duplicate ID 'a'." in found
    assert any("'div'" in m for m in found)
