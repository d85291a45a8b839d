"""Relation pages: a pair of countries named together in at least
BRIEFING["relations_min_entries"] entries (default 2) gets /relations/<a>--<b>/."""

from __future__ import annotations

import pytest
from tools.sites import doc, entry, item_text, read

TALKS = "/briefings/2025/india-china-talks/"
TRIO = "/briefings/2025/three-way-meeting/"
TRADE = "/briefings/2025/us-india-trade/"
JAPAN = "/briefings/2025/japan-china-summit/"

FILES = {
    "content/briefings/talks.md": entry(
        "India-China talks",
        "2025-06-12",
        countries="[India, China]",
        issues="[Border dispute]",
        events=(
            "\n  - date: 2025-06-10\n    what: Border officials meet\n    countries: [China]"
            "\n  - date: 2025-06\n    what: Nepal protests\n    countries: [Nepal]"
        ),
    ),
    "content/briefings/trio.md": entry(
        "Three-way meeting",
        "2025-05-01",
        countries="[China, India, USA]",
        issues="[Trade]",
        events="\n  - date: 2025-04\n    what: Sherpas prepare",
    ),
    "content/briefings/trade.md": entry("US-India trade", "2025-04-01", countries="[USA, India]", issues="[Trade]"),
    "content/briefings/japan.md": entry(
        "Japan-China summit", "2025-03-01", countries="[Japan, China]", issues="[Trade]"
    ),
    "content/briefings/draft.md": entry("Draft pair", "2025-03-02", countries="[Japan, China]", status="draft"),
}


def build(site, **settings):
    built = site(FILES, **settings)
    assert built.ok, built.stderr
    return built.output


@pytest.fixture(scope="module")
def out(site):
    return build(site)


def relation_dirs(out) -> list[str]:
    return sorted(p.parent.name for p in (out / "relations").glob("*/index.html"))


def test_pairs_named_together_twice_get_a_page_by_default(out):
    # China-India: talks + trio; India-United States: trio + trade; China-US and China-Japan once only
    # (the draft does not count).
    assert relation_dirs(out) == ["china--india", "india--united-states"]


def test_relation_page_lists_shared_entries_and_events_newest_first(out):
    page = doc(out, "/relations/china--india/")
    h1 = page.xpath("//h1")[0]
    assert [(a.text, a.get("href")) for a in h1.iter("a")] == [
        ("China", "/countries/china/"),
        ("India", "/countries/india/"),
    ]
    timeline = page.xpath("//section[@aria-labelledby='timeline-heading']")[0]
    assert timeline.xpath(".//ul[@class='entry-lines']/li/a/@href") == [TALKS, TRIO]
    events = [item_text(li) for li in timeline.xpath(".//li[@class='event']")]
    # Nepal's event concerns neither country; China's own, reported by an entry naming both, is
    # the pair's; the trio's event names no entity, so it concerns its entry's countries.
    assert events == ["10 June 2025 Event Border officials meet", "April 2025 Event Sherpas prepare"]
    assert timeline.xpath(".//h4/@id") == ["2025-06", "2025-05", "2025-04"]
    stats = " ".join(page.xpath("//p[@class='stats']")[0].text_content().split())
    assert stats == "Named together in 2 entries since 1 May 2025. Feed"


def test_slugs_in_alphabetical_order_whatever_the_entry_order(out):
    # trade.md names [USA, India]: the page is india--united-states, not united-states--india.
    page = doc(out, "/relations/india--united-states/")
    assert page.xpath("//ul[@class='entry-lines']/li/a/@href") == [TRIO, TRADE]
    assert not (out / "relations/united-states--india").exists()


def test_country_pages_link_their_relations(out):
    """The relation map's table: each partner linked, its count linked to the relation page."""

    def relations(url):
        rows = doc(out, url).xpath("//section[@aria-labelledby='relations-heading']//table//tbody/tr")
        return [(row.xpath("th/a/@href")[0], row.xpath("td[1]/a/@href")[0]) for row in rows]

    assert relations("/countries/india/") == [
        ("/countries/china/", "/relations/china--india/"),
        ("/countries/united-states/", "/relations/india--united-states/"),
    ]
    assert relations("/countries/china/") == [("/countries/india/", "/relations/china--india/")]
    assert relations("/countries/japan/") == []


def test_relations_index_lists_every_pair_with_counts(out):
    page = doc(out, "/relations/")
    rows = [
        (li.find("a").text, li.find("a").get("href"), li.findtext("span"))
        for li in page.xpath("//main//ul[contains(@class, 'index-list')]/li")
    ]
    assert rows == [
        ("China and India", "/relations/china--india/", "2"),
        ("India and United States", "/relations/india--united-states/", "2"),
    ]


def test_threshold_is_a_setting(site):
    assert relation_dirs(build(site, BRIEFING={"relations_min_entries": 1})) == [
        "china--india",
        "china--japan",
        "china--united-states",
        "india--united-states",
    ]
    three = build(site, BRIEFING={"relations_min_entries": 3})
    assert relation_dirs(three) == []
    assert "No pair of countries is named together often enough yet." in read(three / "relations/index.html")
