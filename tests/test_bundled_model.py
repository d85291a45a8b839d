"""Issues 15's and 16's "Done when", on the bundled content: the India-China relation page and
its year pages, the rare-earth issue page, Randhir Jaiswal's record, the home page's two taps to
a month. The content files are read independently (PyYAML), so a page is checked against what
the files say, not against the site's own code."""

from __future__ import annotations

import re

import lxml.html
import pytest
import yaml
from tools.sites import ROOT


def front(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-\n"))


def statements_by(name: str) -> list[dict]:
    """Every statement of the published entries that `name` made (by name or alias)."""
    profile = front(ROOT / "content" / "officials" / (re.sub(r"[^a-z]+", "-", name.lower()).strip("-") + ".md"))
    names = {profile["name"], *(profile.get("aliases") or [])}
    found = []
    for path in sorted((ROOT / "content" / "briefings").rglob("*.md")):
        data = front(path)
        if data.get("status") != "draft":
            found += [s for s in data.get("statements") or [] if s["by"] in names]
    return found


def page(site, url):
    return lxml.html.fromstring((site / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def timeline_pages(site, url) -> dict[str, lxml.html.HtmlElement]:
    """An entity's or a relation's main page and every year page its period index links."""
    main = page(site, url)
    years = {a.split("#")[0] for a in main.xpath("//nav[@class='periods']//a/@href") if not a.startswith("#")}
    return {url: main} | {year: page(site, year) for year in sorted(years)}


def timeline_figures(pages) -> list:
    return [f for doc in pages.values() for f in doc.xpath("//li[@class='statement-item']/figure")]


def test_the_india_china_page_opens_with_status_last_update_issues_and_each_event_once(bundled_site):
    doc = page(bundled_site, "/relations/china--india/")
    status = front(ROOT / "content" / "relations" / "china--india.md")["status"]
    now = " ".join(doc.xpath("//p[@class='status-now']")[0].text_content().split())
    assert now.startswith(f"Status: {status[-1]['state'].capitalize()} since ")
    assert len(doc.xpath("//ol[@class='status-strip']/li")) == len(status)
    assert doc.xpath("//p[@class='last-updated']/time/@datetime")
    issues = doc.xpath("//section[@aria-labelledby='issues-heading']//li/a/text()")
    assert "Border dispute" in issues and "Rare earth export controls" in issues
    pages = timeline_pages(bundled_site, "/relations/china--india/")
    ids = [i for d in pages.values() for i in d.xpath("//section[@class='timeline-section']//li[@class='event']/@id")]
    assert len(ids) == len(set(ids)) > 20


def test_every_india_china_event_is_reached_from_the_relation_page(bundled_site):
    from briefing.domain.site import load_site

    site, _ = load_site(ROOT / "content")
    relation = next(r for r in site.relations if r.slug == "china--india")
    pages = timeline_pages(bundled_site, relation.url)
    assert len(pages) > 2  # the main page and years of their own (2024 ...)
    assert "/relations/china--india/2024/" in pages
    shown = {i for d in pages.values() for i in d.xpath("//section[@class='timeline-section']//li[@class='event']/@id")}
    assert shown == {e.anchor for e in relation.events}
    said = {f.get("id") for f in timeline_figures(pages)}
    assert said == {s.anchor for s in relation.statements}


def test_every_event_and_statement_of_every_entity_is_on_its_pages_once(bundled_site):
    from briefing.domain.site import load_site

    site, _ = load_site(ROOT / "content")
    subjects = [*site.views.values(), *site.relations]
    assert len(subjects) > 50
    for subject in subjects:
        pages = timeline_pages(bundled_site, subject.page_url)
        ids = [
            i
            for d in pages.values()
            for i in d.xpath(
                "//section[@class='timeline-section']//li[@class='event']/@id | //li[@class='statement-item']/figure/@id"
            )
        ]
        assert len(ids) == len(set(ids)), subject.page_url
        assert set(ids) == {e.anchor for e in subject.events} | {s.anchor for s in subject.statements}, subject.page_url


def test_june_2025_between_india_and_china_is_two_taps_from_the_home_page(bundled_site):
    home = page(bundled_site, "/")
    assert "/relations/china--india/" in home.xpath("//section[@class='where-things-stand']//a/@href")  # tap 1
    relation = page(bundled_site, "/relations/china--india/")
    assert "#2025-06" in relation.xpath("//nav[@class='periods']//a/@href")  # tap 2
    (june,) = relation.xpath("//h4[@id='2025-06']")
    month = june.getparent()
    assert june.text == "June 2025"
    assert month.xpath("ol/li[@class='event']") and month.xpath("ul[@class='entry-lines']/li")


def test_the_rare_earth_page_shows_its_state_history_latest_and_the_spokespersons(bundled_site):
    doc = page(bundled_site, "/issues/rare-earth-export-controls/")
    status = front(ROOT / "content" / "issues" / "rare-earth-export-controls.md")["status"]
    assert len(status) >= 2
    assert len(doc.xpath("//ol[@class='status-strip']/li")) == len(status)
    latest = doc.xpath("//p[@class='latest']")[0]
    assert latest.xpath("a[@rel='noopener noreferrer external']/@href")  # its source
    speakers = set(doc.xpath("//li[@class='statement-item']//figcaption/a[1]/text()"))
    assert {"Randhir Jaiswal", "Lin Jian"} <= speakers  # India's and China's spokespersons
    assert doc.xpath("//section[@class='latest-block']//li")
    assert doc.xpath("//figure[@class='chart']//svg")  # its monthly chart


def test_randhir_jaiswal_s_page_shows_what_he_said_dated_and_sourced(bundled_site):
    expected = statements_by("Randhir Jaiswal")
    assert expected
    figures = timeline_figures(timeline_pages(bundled_site, "/officials/randhir-jaiswal/"))
    assert len(figures) == len(expected)
    said = {" ".join(str(s["said"]).split()) for s in expected}
    for figure in figures:
        words = " ".join(figure.xpath("*[contains(@class, 'said')]")[0].text_content().split())
        assert words.removeprefix("In paraphrase: ") in said
        assert figure.xpath("figcaption/time/@datetime")
        assert figure.xpath("figcaption/cite")  # the source it was said in


def test_the_bundled_content_quotes_at_least_ten_statements():
    count = sum(len(front(p).get("statements") or []) for p in (ROOT / "content" / "briefings").rglob("*.md"))
    assert count >= 10


@pytest.mark.browser
def test_searching_magnets_lists_statements_and_events_as_well_as_entries(served_site, page):
    from tools.search_page import open_search, shown_titles

    open_search(page, served_site, q="magnets")
    assert shown_titles(page, "entry") and shown_titles(page, "event") and shown_titles(page, "statement")
    for href in page.eval_on_selector_all(".result-statement .result-title a", "links => links.map(a => a.href)"):
        assert re.search(r"/briefings/\d{4}/[a-z0-9-]+/#statement-[a-z0-9-]+$", href), href
    assert page.foreign_requests == []
