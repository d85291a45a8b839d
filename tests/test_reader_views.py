"""Issue 16's reader views on a small site with fixed content: the "Latest" block and "last
updated" against the build date (the newest entry's date, never the clock), card chips (at
most 5, one of each kind first, the rest as "+N", with a legend), "Where things stand" on the
home page, the About page and the footer. Underlines and line lengths are measured in Chromium
(test_reader_views_browser.py)."""

from __future__ import annotations

import pytest
from tools.sites import doc, entry, text

SUMMIT = "/briefings/2025/summit-of-many/"

FILES = {
    "content/issues/border-dispute.md": (
        "---\nname: Border dispute\nstatus:\n  - {date: 2020-06-15, state: escalating}\n"
        "  - {date: 2024-10-21, state: easing, note: Patrolling resumes.}\n---\nThe boundary.\n"
    ),
    "content/pages/about.md": "---\ntitle: About this site\nsummary: Who writes it.\n---\nWe write *briefings*.\n",
    "content/briefings/a.md": entry(
        "Patrols agreed",
        "2024-10-22",
        countries="[India, China]",
        issues="[Border dispute]",
        events="\n  - {date: 2024-10-21, what: India and China agree on patrolling}",
    ),
    "content/briefings/b.md": entry(
        "Talks in June",
        "2025-06-02",
        countries="[India, China]",
        issues="[Border dispute]",
        events="\n  - {date: 2025-05-20, what: Officials meet in Delhi}",
    ),
    "content/briefings/c.md": entry(
        "Summit of many",
        "2025-06-20",
        countries="[India, China, Brazil, Russia, South Africa, Egypt, Iran, Ethiopia]",
        officials=(
            "\n  - {name: Ana Lima, country: Brazil}\n  - {name: Ivan Petrov, country: Russia}"
            "\n  - {name: Sipho Dube, country: South Africa}\n  - {name: Omar Said, country: Egypt}"
        ),
        issues="[Trade, Border dispute, Energy, Finance]",
        events="\n  - {date: 2025-06-19, what: Leaders meet in Rio, countries: [Brazil, India]}",
        statements="\n  - {by: Ana Lima, said: We welcome everyone., date: 2025-06-19}",
    ),
}


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def test_latest_block_measures_against_the_newest_entry_date(out):
    # The build date is 20 June 2025 (the newest entry). India's last 30 days hold one event,
    # fewer than five: the latest five are shown, newest first, each linked to its place.
    block = doc(out, "/countries/india/").xpath("//section[@class='latest-block']")[0]
    assert block.findtext("h2") == "Latest"
    assert text(block.find("p[@class='activity']")) == "2 entries in June 2025, against 1 every 8 months on average."
    rows = [(text(li), li.find("a").get("href")) for li in block.xpath("ul/li")]
    assert rows == [
        ("19 June 2025 Event Leaders meet in Rio", "/countries/india/#event-2025-06-19-leaders-meet-in-rio"),
        ("20 May 2025 Event Officials meet in Delhi", "/countries/india/#event-2025-05-20-officials-meet-in-delhi"),
        (
            "21 October 2024 Event India and China agree on patrolling",
            "/countries/india/#event-2024-10-21-india-and-china-agree-on-patrolling",
        ),
    ]
    speaker = doc(out, "/officials/ana-lima/").xpath("//section[@class='latest-block']/ul/li")
    assert [text(li) for li in speaker] == ["19 June 2025 Statement Ana Lima: “We welcome everyone.”"]


def test_every_entity_page_and_the_home_page_say_when_they_were_last_updated(out):
    stats = text(doc(out, "/countries/india/").xpath("//p[@class='stats']")[0])
    assert "Last updated 20 June 2025." in stats
    # an issue page says it in its status box instead, with its state
    issue = doc(out, "/issues/border-dispute/")
    assert "Last updated" not in text(issue.xpath("//p[@class='stats']")[0])
    assert text(issue.xpath("//p[@class='last-updated']")[0]) == "Last updated 20 June 2025."
    home = doc(out, "/")
    assert text(home.xpath("//p[@class='site-updated']")[0]) == "Last updated 20 June 2025"
    assert home.xpath("//p[@class='site-updated']/time/@datetime") == ["2025-06-20"]


def test_home_says_where_things_stand_with_state_and_last_update(out):
    rows = [text(li) for li in doc(out, "/").xpath("//section[@class='where-things-stand']//li")]
    assert rows == ["Border dispute: Easing since 21 October 2024 · updated 20 June 2025"]


def test_a_card_shows_five_chips_one_of_each_kind_first_and_the_rest_as_a_count(out):
    card = doc(out, "/").xpath(f"//article[@class='card'][.//a[@href='{SUMMIT}']]")[0]
    chips = [(li.get("class"), text(li)) for li in card.xpath(".//ul[@class='chips']/li")]
    assert chips == [
        ("chip chip-country", "Country: India"),
        ("chip chip-country", "Country: China"),
        ("chip chip-official", "Official: Ana Lima"),
        ("chip chip-official", "Official: Ivan Petrov"),
        ("chip chip-issue", "Issue: Trade"),
        ("chip chip-more", "+11 more names"),
    ]
    assert card.xpath(".//li[@class='chip chip-more']/a/@href") == [SUMMIT]
    legend = doc(out, "/").xpath("//p[@class='chip-legend']")
    assert len(legend) == 1 and text(legend[0]) == "Country Official Issue"


def test_the_about_page_and_the_footer_links_about_search_and_feeds(out):
    about = doc(out, "/about/")
    assert about.findtext(".//h1") == "About this site"
    assert about.findtext(".//p[@class='lede']") == "Who writes it."
    assert about.xpath("//div[@class='body']//em/text()") == ["briefings"]
    for url in ("/", "/about/", "/countries/india/", SUMMIT):
        footer = [(a.text, a.get("href")) for a in doc(out, url).xpath("//footer//a")]
        assert footer == [
            ("About this site", "/about/"),
            ("Search", "/search/"),
            ("Events by year", "/events/"),
            ("Calendar", "/calendar/"),
            ("Open data", "/data/"),
            ("Atom feed", "/feeds/all.atom.xml"),
            ("Monthly digest feed", "/digests/monthly.atom.xml"),
            ("Weekly digest feed", "/digests/feed.atom.xml"),
        ], url


def test_entity_pages_list_entries_as_lines_once_and_cards_stay_for_home_and_digests(out):
    for url in ("/countries/india/", "/issues/border-dispute/", "/officials/ana-lima/", "/relations/china--india/"):
        page = doc(out, url)
        assert page.xpath("//article[@class='card']") == [], url
        links = page.xpath("//ul[@class='entry-lines']/li/a/@href")
        assert len(links) == len(set(links)) > 0, url
    india = doc(out, "/countries/india/").xpath("//ul[@class='entry-lines']/li")
    assert [text(li) for li in india] == ["20 Jun Summit of many", "2 Jun Talks in June", "22 Oct Patrols agreed"]
    for url in ("/", "/digests/2025-06/", "/digests/2025-w25/"):
        assert len(doc(out, url).xpath("//article[@class='card']")) > 0, url
