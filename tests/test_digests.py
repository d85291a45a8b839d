"""Weekly and monthly digests: ISO 8601 week assignment (year boundaries included), a digest's
contents, editors' summaries, pagers to the adjacent non-empty period (older on the left, with
its dates), the digest index, the home page's brief and the digest feeds."""

from __future__ import annotations

import datetime as dt

import feedparser
import lxml.html
import pytest
from tools.sites import doc, entry, item_text, read, text

from briefing.domain.dates import iso_week

WEEKS = [
    ("2025-06-12", (2025, 24)),  # a Thursday
    ("2025-06-09", (2025, 24)),  # Monday: the first day of the week
    ("2025-06-15", (2025, 24)),  # Sunday: the last
    ("2025-06-16", (2025, 25)),
    ("2024-12-30", (2025, 1)),  # a Monday in December that belongs to next year's week 1
    ("2024-12-29", (2024, 52)),
    ("2021-01-03", (2020, 53)),  # a Sunday in January that belongs to last year's week 53
    ("2021-01-04", (2021, 1)),
    ("2026-01-01", (2026, 1)),
    ("2027-01-01", (2026, 53)),
]


@pytest.mark.parametrize("day,week", WEEKS, ids=[d for d, _ in WEEKS])
def test_iso_week_assignment(day, week):
    assert iso_week(dt.date.fromisoformat(day)) == week


def url(title: str, year: int) -> str:
    return f"/briefings/{year}/{title.lower().replace(' ', '-')}/"


FILES = {
    "content/briefings/a.md": entry(
        "Monday trade talks", "2025-06-09", summary="Trade first.", countries="[India]", issues="[Trade]"
    ),
    "content/briefings/b.md": entry(
        "Magnet curbs bite",
        "2025-06-12",
        summary="Magnets short.",
        countries="[India, China]",
        issues="[Rare earth export controls, Trade]",
        events="\n  - date: 2025-06-11\n    what: Plant closes\n  - date: 2025-06\n    what: Prices rise",
    ),
    "content/briefings/c.md": entry(
        "Sunday licences",
        "2025-06-15 23:30",
        summary="Licences granted.",
        countries="[China]",
        issues="[Rare earth export controls]",
    ),
    "content/briefings/d.md": entry("No issue here", "2025-06-13", summary="Just India.", countries="[India]"),
    "content/briefings/e.md": entry(
        "Late June wrap",
        "2025-06-23",
        summary="Wrap.",
        countries="[India]",
        issues="[Trade]",
        events="\n  - date: 2025-06-10\n    what: Earlier deal signed",
    ),
    "content/briefings/f.md": entry("New year Monday", "2024-12-30", countries="[India]", issues="[Trade]"),
    "content/briefings/g.md": entry("Old year Sunday", "2024-12-29", countries="[India]", issues="[Trade]"),
    "content/briefings/h.md": entry("Week fifty-three", "2021-01-03", countries="[India]", issues="[Trade]"),
    "content/briefings/x.md": entry("Draft of week 25", "2025-06-18", countries="[India]", status="draft"),
    "content/briefings/i.md": entry(
        "Patrols agreed",
        "2025-06-24",
        summary="Patrols.",
        countries="[China, India]",
        issues="[Border dispute]",
        events="\n  - date: 2025-06-22\n    what: Patrol deal reached",
    ),
    "content/digests/2025-06.md": (
        "---\ntitle: Magnets bite as patrols resume\nhighlights:\n  - Licences granted.\n  - Patrols agreed.\n"
        "---\nA month of *small* steps.\n"
    ),
    "content/digests/2025-w24.md": "---\ntitle: A week of magnets\n---\nFour entries.\n",
}


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def test_one_digest_per_week_and_per_month_with_published_entries(out):
    # week 25 holds only a draft: no digest
    assert sorted(p.parent.name for p in (out / "digests").glob("*/index.html")) == [
        "2020-w53",
        "2021-01",
        "2024-12",
        "2024-w52",
        "2025-06",
        "2025-w01",
        "2025-w24",
        "2025-w26",
    ]


def test_digest_opens_with_its_summary_dates_and_counts(out):
    page = doc(out, "/digests/2025-w24/")
    assert page.findtext(".//h1") == "A week of magnets"
    assert page.findtext(".//title") == "Week 24, 2025: A week of magnets · Briefing Digest"
    stats = "Week 24, 2025: 9 June 2025 to 15 June 2025 · 4 entries · 2 events"
    assert text(page.xpath("//p[@class='stats']")[0]) == stats
    assert page.xpath("//p[@class='stats']/time/@datetime") == ["2025-06-09", "2025-06-15"]
    assert text(page.xpath("//div[@class='digest-summary']")[0]) == "Four entries."
    assert page.xpath("//p[@class='note']/a/@href") == ["/digests/2025-06/"]  # its month
    plain = doc(out, "/digests/2025-w26/")
    assert plain.findtext(".//h1") == "Week 26, 2025"
    assert text(plain.xpath("//p[@class='stats']")[0]) == "23 June 2025 to 29 June 2025 · 2 entries"
    assert not plain.xpath("//div[@class='digest-summary']")


def test_digest_groups_entries_by_main_issue(out):
    page = doc(out, "/digests/2025-w24/")
    groups = [
        (text(s.find("h2")), s.xpath("h2/a/@href"), s.xpath(".//h3/a/@href"))
        for s in page.xpath("//section[@class='digest-group']")
    ]
    # "Magnet curbs bite" lists Rare earth export controls first, so it goes there, not under Trade;
    # bigger groups first; entries without an issue last.
    assert groups == [
        (
            "Rare earth export controls",
            ["/issues/rare-earth-export-controls/"],
            [url("Sunday licences", 2025), url("Magnet curbs bite", 2025)],
        ),
        ("Trade", ["/issues/trade/"], [url("Monday trade talks", 2025)]),
        ("Other entries", [], [url("No issue here", 2025)]),
    ]


def test_digest_entries_show_summary_and_entity_links(out):
    card = doc(out, "/digests/2025-w24/").xpath("//article[@class='card'][.//a[text()='Magnet curbs bite']]")[0]
    assert card.findtext(".//p[@class='summary']") == "Magnets short."
    assert [(a.text, a.get("href")) for a in card.xpath(".//ul[@class='chips']//a")] == [
        ("India", "/countries/india/"),
        ("China", "/countries/china/"),
        ("Rare earth export controls", "/issues/rare-earth-export-controls/"),
        ("Trade", "/issues/trade/"),
    ]


def test_digest_lists_events_dated_in_its_week(out):
    # An event dated in week 24 counts there even when a later entry reports it; a month-only
    # date ("June 2025") belongs to no single week.
    page = doc(out, "/digests/2025-w24/")
    events = [
        (li.find("time").get("datetime"), item_text(li), li.xpath(".//a[@class='tl-source']/@href")[0])
        for li in page.xpath("//section[@aria-labelledby='week-events']//li")
    ]
    assert events == [
        ("2025-06-11", "11 June 2025 Event Plant closes", url("Magnet curbs bite", 2025)),
        ("2025-06-10", "10 June 2025 Event Earlier deal signed", url("Late June wrap", 2025)),
    ]


DASH = "\u2013"  # an en dash, between the ends of a range of dates


def pager_links(out, slug, label="Other weeks"):
    return [
        (a.get("rel"), a.get("href"), text(a))
        for a in doc(out, f"/digests/{slug}/").xpath(f"//nav[@aria-label='{label}']/a")
    ]


def test_pagers_go_to_the_adjacent_non_empty_period_older_on_the_left_with_its_dates(out):
    assert pager_links(out, "2025-w24") == [
        ("prev", "/digests/2025-w01/", f"← Older: 30 December 2024 {DASH} 5 January 2025"),
        (None, "/digests/", "All digests"),
        ("next", "/digests/2025-w26/", f"Newer: 23{DASH}29 June 2025 →"),
    ]
    assert pager_links(out, "2025-w26") == [
        ("prev", "/digests/2025-w24/", f"← Older: 9{DASH}15 June 2025"),
        (None, "/digests/", "All digests"),
    ]
    assert pager_links(out, "2024-w52") == [
        ("prev", "/digests/2020-w53/", f"← Older: 28 December 2020 {DASH} 3 January 2021"),
        (None, "/digests/", "All digests"),
        ("next", "/digests/2025-w01/", f"Newer: 30 December 2024 {DASH} 5 January 2025 →"),
    ]
    assert pager_links(out, "2025-06", "Other months") == [
        ("prev", "/digests/2024-12/", "← Older: December 2024"),
        (None, "/digests/", "All digests"),
    ]
    assert pager_links(out, "2021-01", "Other months") == [
        (None, "/digests/", "All digests"),
        ("next", "/digests/2024-12/", "Newer: December 2024 →"),
    ]


def test_monthly_digest_has_its_summary_entries_by_issue_and_events_by_relation(out):
    page = doc(out, "/digests/2025-06/")
    assert page.findtext(".//h1") == "Magnets bite as patrols resume"
    stats = "June 2025: 1 June 2025 to 30 June 2025 · 6 entries · 4 events"
    assert text(page.xpath("//p[@class='stats']")[0]) == stats
    summary = page.xpath("//div[@class='digest-summary']")[0]
    assert summary.xpath("ul[@class='highlights']/li/text()") == ["Licences granted.", "Patrols agreed."]
    assert lxml.html.tostring(summary.xpath("div[@class='body']")[0], encoding="unicode").count("<em>small</em>") == 1
    weeks = [(a.get("href"), a.text) for a in page.xpath("//p[@class='note']/a")]
    assert weeks == [("/digests/2025-w24/", "Week 24, 2025"), ("/digests/2025-w26/", "Week 26, 2025")]
    groups = [(text(s.find("h2")), s.xpath(".//h3/a/@href")) for s in page.xpath("//section[@class='digest-group']")]
    assert groups == [
        ("Rare earth export controls", [url("Sunday licences", 2025), url("Magnet curbs bite", 2025)]),
        ("Trade", [url("Late June wrap", 2025), url("Monday trade talks", 2025)]),
        ("Border dispute", [url("Patrols agreed", 2025)]),
        ("Other entries", [url("No issue here", 2025)]),
    ]
    by_relation = [
        (text(h), h.xpath("a/@href"), [item_text(li) for li in h.getnext().xpath("li")])
        for h in page.xpath("//section[@aria-labelledby='month-events']/h3")
    ]
    assert by_relation == [
        (
            "China and India",
            ["/relations/china--india/#2025-06"],
            [
                "June 2025 Event Prices rise",
                "22 June 2025 Event Patrol deal reached",
                "11 June 2025 Event Plant closes",
            ],
        ),
        ("Other events", [], ["10 June 2025 Event Earlier deal signed"]),
    ]


def test_year_boundary_entries_land_in_the_iso_year(out):
    assert doc(out, "/digests/2025-w01/").xpath("//h3/a/@href") == [url("New year Monday", 2024)]
    assert text(doc(out, "/digests/2025-w01/").xpath("//p[@class='stats']")[0]).startswith(
        "30 December 2024 to 5 January 2025 · 1 entry"
    )
    assert doc(out, "/digests/2024-w52/").xpath("//h3/a/@href") == [url("Old year Sunday", 2024)]
    assert doc(out, "/digests/2020-w53/").xpath("//h3/a/@href") == [url("Week fifty-three", 2021)]


def test_entry_page_links_its_digests(out):
    links = doc(out, url("New year Monday", 2024)).xpath("//p[@class='in-digest']/a")
    assert [(a.get("href"), a.text) for a in links] == [
        ("/digests/2025-w01/", "week 1, 2025"),
        ("/digests/2024-12/", "December 2024"),
    ]


def test_digest_index_lists_months_with_their_weeks_newest_first(out):
    page = doc(out, "/digests/")
    years = [
        (
            s.findtext("h2"),
            [
                (
                    li.find("a").get("href"),
                    li.findtext("span[@class='count']"),
                    [(a.get("href"), a.getparent().findtext("span[@class='count']")) for a in li.xpath("ul/li/a")],
                )
                for li in s.xpath("ul[@class='digest-months']/li")
            ],
        )
        for s in page.xpath("//main/section")
    ]
    assert years == [
        (
            "2025",
            [("/digests/2025-06/", "6", [("/digests/2025-w26/", "2"), ("/digests/2025-w24/", "4")])],
        ),
        (
            "2024",
            [("/digests/2024-12/", "2", [("/digests/2025-w01/", "1"), ("/digests/2024-w52/", "1")])],
        ),
        ("2021", [("/digests/2021-01/", "1", [("/digests/2020-w53/", "1")])]),
    ]
    june = [text(li) for li in page.xpath("//ul[@class='digest-weeks']")[0].xpath("li")]
    assert june == [f"Week 26 23{DASH}29 June 2025 2", f"Week 24: A week of magnets 9{DASH}15 June 2025 4"]  # its title
    assert text(page.xpath("//ul[@class='digest-months']/li")[0]).startswith(
        "June 2025: Magnets bite as patrols resume 6"
    )


def test_home_opens_with_the_latest_summarised_digest_then_the_latest_entries(out):
    page = doc(out, "/")
    sections = page.xpath("//main/section")
    assert [s.get("class") for s in sections] == ["home-brief", None]
    # The latest week (26) has no summary; its month has: the home page briefs with the month.
    assert sections[0].xpath(".//h2/a/@href") == ["/digests/2025-06/"]
    assert text(sections[0].find(".//h2")) == "Magnets bite as patrols resume"
    # short enough for a phone's first screen: the summary's text (its highlights are on the digest)
    assert text(sections[0].xpath(".//div[@class='digest-summary']")[0]) == "A month of small steps."
    assert sections[0].xpath(".//ul[@class='highlights']") == []
    assert text(page.xpath("//p[@class='site-updated']")[0]) == "Last updated 24 June 2025"
    assert sections[1].xpath(".//h3/a/@href")[:3] == [
        url("Patrols agreed", 2025),
        url("Late June wrap", 2025),
        url("Sunday licences", 2025),
    ]
    assert "/digests/" in page.xpath("//nav[@class='site-nav']//a/@href")


def test_home_without_a_summary_names_the_latest_weeks_top_issues(site):
    built = site({k: v for k, v in FILES.items() if not k.startswith("content/digests/")})
    assert built.ok, built.stderr
    brief = doc(built.output, "/").xpath("//section[@class='home-brief']")[0]
    assert brief.xpath(".//h2/a/@href") == ["/digests/2025-w26/"]
    assert text(brief.find(".//h2")) == "Week 26, 2025: Border dispute and Trade"
    assert text(brief.find("p[@class='meta']")) == "2 entries; top issues: Border dispute (1), Trade (1)."


def test_digest_feed_is_valid_atom_newest_week_first(out):
    feed = feedparser.parse(read(out / "digests/feed.atom.xml"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [(e.title, e.link) for e in feed.entries] == [
        ("Week 26, 2025: 2 entries", "http://127.0.0.1:8000/digests/2025-w26/"),
        ("Week 24, 2025: A week of magnets", "http://127.0.0.1:8000/digests/2025-w24/"),
        ("Week 1, 2025: 1 entry", "http://127.0.0.1:8000/digests/2025-w01/"),
        ("Week 52, 2024: 1 entry", "http://127.0.0.1:8000/digests/2024-w52/"),
        ("Week 53, 2020: 1 entry", "http://127.0.0.1:8000/digests/2020-w53/"),
    ]
    assert feed.entries[1].updated == "2025-06-15T23:30:00Z"
    assert feed.entries[1].summary == (
        "9 June 2025 to 15 June 2025: Sunday licences; No issue here; Magnet curbs bite; Monday trade talks"
    )
    assert doc(out, "/digests/").xpath("//main//a[text()='weekly digests']/@href") == ["/digests/feed.atom.xml"]


def test_monthly_digest_feed_is_valid_atom_newest_month_first(out):
    feed = feedparser.parse(read(out / "digests/monthly.atom.xml"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Briefing Digest: Monthly digests"
    assert [(e.title, e.link) for e in feed.entries] == [
        ("June 2025: Magnets bite as patrols resume", "http://127.0.0.1:8000/digests/2025-06/"),
        ("December 2024: 2 entries", "http://127.0.0.1:8000/digests/2024-12/"),
        ("January 2021: 1 entry", "http://127.0.0.1:8000/digests/2021-01/"),
    ]
    assert feed.entries[0].summary.startswith(
        "1 June 2025 to 30 June 2025: Licences granted.; Patrols agreed.. Entries: "
    )
    assert doc(out, "/digests/").xpath("//main//a[text()='monthly digests']/@href") == ["/digests/monthly.atom.xml"]


def test_digest_feeds_are_advertised_in_the_digest_index_head(out):
    assert doc(out, "/digests/").xpath("//head/link[@type='application/atom+xml']/@href") == [
        "/feeds/all.atom.xml",
        "/digests/feed.atom.xml",
        "/digests/monthly.atom.xml",
    ]


def test_bundled_site_has_a_digest_for_every_week_with_entries(bundled_site):
    weeks = set()
    for page in bundled_site.glob("briefings/*/*/index.html"):
        published = lxml.html.fromstring(page.read_bytes()).xpath("//p[@class='meta']/time/@datetime")[0]
        year, week, _ = dt.date.fromisoformat(published[:10]).isocalendar()
        weeks.add(f"{year:04d}-w{week:02d}")
    assert len(weeks) >= 10
    assert {p.parent.name for p in bundled_site.glob("digests/*-w*/index.html")} == weeks
    listed = doc(bundled_site, "/digests/").xpath("//ul[@class='digest-weeks']/li/a/@href")
    assert set(listed) == {f"/digests/{w}/" for w in weeks}
