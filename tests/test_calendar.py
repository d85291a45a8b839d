"""Upcoming events (issue 20, item 3): events dated after the build date (the newest entry's
date) on the home page, the pages of what they concern and /calendar/, and as RFC 5545
calendars (/calendar.ics and one per page) that the `icalendar` package parses back: stable
UIDs from the events' anchors, all-day spans as precise as the date, the source as URL."""

from __future__ import annotations

import datetime as dt

import icalendar
import lxml.html
import pytest
from tools.open_site import FILES, UPCOMING
from tools.sites import doc, entry, read, text

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def calendar(out, url: str) -> icalendar.Calendar:
    raw = (out / url.lstrip("/")).read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)  # CRLF only
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    return icalendar.Calendar.from_ical(raw)


def events(cal: icalendar.Calendar) -> list:
    return list(cal.walk("VEVENT"))


def test_the_site_calendar_lists_every_upcoming_event_soonest_first(out):
    cal = calendar(out, "/calendar.ics")
    assert (str(cal["VERSION"]), str(cal["METHOD"]), str(cal["X-WR-CALNAME"])) == (
        "2.0",
        "PUBLISH",
        "Briefing Digest: upcoming events",
    )
    assert [str(e["SUMMARY"]) for e in events(cal)] == [
        "India and the United States meet on trade (in September 2025)",
        "China\u2019s suspension of its controls ends; talks, maybe",
        "India hosts the BRICS summit (in 2026)",
    ]


def test_an_event_is_all_day_and_spans_what_is_known_of_its_date(out):
    spans = [(e.decoded("DTSTART"), e.decoded("DTEND"), str(e["UID"])) for e in events(calendar(out, "/calendar.ics"))]
    assert spans == [
        (
            dt.date(2025, 9, 1),
            dt.date(2025, 10, 1),
            "event-2025-09-india-and-the-united-states-meet-on-trade@127.0.0.1",
        ),
        (
            dt.date(2026, 11, 10),
            dt.date(2026, 11, 11),
            "event-2026-11-10-chinas-suspension-of-its-controls-ends-talks-maybe@127.0.0.1",
        ),
        (dt.date(2026, 1, 1), dt.date(2027, 1, 1), "event-2026-india-hosts-the-brics-summit@127.0.0.1"),
    ]


def test_an_event_carries_its_source_its_reports_and_a_stamp_from_the_build_date(out):
    suspension = events(calendar(out, "/calendar.ics"))[1]
    assert str(suspension["URL"]) == "https://english.mofcom.gov.cn/b.html"
    assert suspension.decoded("DTSTAMP") == dt.datetime(2025, 6, 20, tzinfo=dt.UTC)
    assert str(suspension["DESCRIPTION"]) == (
        f"Reported in: Magnet talks ({BASE}/briefings/2025/magnet-talks/)\n"
        f"Permalink: {BASE}/events/2026/#event-2026-11-10-chinas-suspension-of-its-controls-ends-talks-maybe"
    )
    assert suspension["CATEGORIES"].cats == ["China"]
    brics = events(calendar(out, "/calendar.ics"))[2]
    assert str(brics["URL"]) == f"{BASE}/events/2026/#event-2026-india-hosts-the-brics-summit"  # no source: permalink
    assert str(brics["DESCRIPTION"]).startswith("Date: 2026; the day is not known yet.\n")


def test_each_page_has_a_calendar_of_its_own_upcoming_events(out):
    def summaries(url):
        return [str(e["SUMMARY"]) for e in events(calendar(out, url))]

    assert summaries("/countries/india/calendar.ics") == [
        "India and the United States meet on trade (in September 2025)",
        "India hosts the BRICS summit (in 2026)",
    ]
    assert summaries("/countries/china/calendar.ics") == ["China\u2019s suspension of its controls ends; talks, maybe"]
    assert summaries("/relations/china--india/calendar.ics") == [
        "China\u2019s suspension of its controls ends; talks, maybe"
    ]
    assert summaries("/issues/border-dispute/calendar.ics") == []  # a calendar to subscribe to, for later
    assert str(calendar(out, "/countries/india/calendar.ics")["X-WR-CALNAME"]) == "Briefing Digest: India"


def test_the_home_page_and_the_pages_of_what_they_concern_say_what_is_coming_up(out):
    (block,) = doc(out, "/").xpath("//section[@class='upcoming-block']")
    assert [text(li) for li in block.xpath("ul/li")] == [
        "September 2025 India and the United States meet on trade",
        "10 November 2026 China\u2019s suspension of its controls ends; talks, maybe",
        "2026 India hosts the BRICS summit",
    ]
    assert block.xpath("ul/li/a/@href")[0] == "/events/2025/#event-2025-09-india-and-the-united-states-meet-on-trade"
    assert block.xpath("p[@class='calendar-links']/a/@href") == [
        "webcal://127.0.0.1:8000/calendar.ics",
        "/calendar.ics",
        "/calendar/",
    ]
    india = doc(out, "/countries/india/").xpath("//section[@class='upcoming-block']/ul/li/a/text()")
    assert india == ["India and the United States meet on trade", "India hosts the BRICS summit"]
    assert not doc(out, "/issues/border-dispute/").xpath("//section[@class='upcoming-block']")


def test_events_to_come_are_not_latest_nor_last_updated(out):
    """India's timeline runs to 2026, but "Latest" and "last updated" stop at the build date."""
    india = doc(out, "/countries/india/")
    assert "Last updated 20 June 2025." in text(india.xpath("//p[@class='stats']")[0])
    latest = india.xpath("//section[@class='latest-block']//li/a/text()")
    assert not set(latest) & set(UPCOMING)


def test_the_calendar_page_lists_them_and_says_how_to_subscribe(out):
    page = doc(out, "/calendar/")
    assert [li.xpath("a/text()")[0] for li in page.xpath("//ul[@class='upcoming-items']/li")] == UPCOMING
    assert "paste http://127.0.0.1:8000/calendar.ics" in text(page)


def test_the_main_page_keeps_the_build_date_s_year_when_events_are_to_come(site):
    """60 items in 2025 and an event in 2026: 2026 does not push 2025 off the main page."""
    files = {
        f"content/briefings/e{i:02d}.md": entry(f"Entry {i:02d}", f"2025-03-{i % 28 + 1:02d}", countries="[India]")
        for i in range(60)
    }
    files["content/briefings/later.md"] = entry(
        "Later", "2025-04-01", countries="[India]", events="\n  - {date: 2026-05, what: Talks planned, scheduled: true}"
    )
    built = site(files)
    assert built.ok, built.stderr
    page = lxml.html.fromstring(built.text("countries/india/index.html"))
    assert page.xpath("//h3[@class='year-heading']/text()") == ["2026", "2025"]
    assert page.xpath("//ul[@class='period-months']//a/@href") == ["#2025-04", "#2025-03"]


def check_lines(site, events: str) -> list[str]:
    built = site({"content/briefings/a.md": entry("Plans", "2025-01-04", countries="[India]", events=events)})
    return [line for line in built.stderr.splitlines() if line.startswith("content/")]


def test_an_event_after_its_entry_is_a_warning_unless_scheduled(site):
    events = "\n  - {date: 2025-02, what: A visit is planned, scheduled: true}\n  - {date: 2025-03, what: A typo}"
    assert check_lines(site, events) == [
        "content/briefings/a.md:7:5: warning: event dated 2025-03, after the entry (2025-01-04): "
        "add 'scheduled: true' if it is planned",
    ]


def test_scheduled_is_true_or_false(site):
    events = "\n  - {date: 2025-02, what: A visit, scheduled: maybe}"
    assert check_lines(site, events) == ["content/briefings/a.md:6:47: error: 'scheduled' must be true or false"]


def test_bundled_calendar_lists_the_scheduled_events_after_the_newest_entry(bundled_site):
    entries = sorted(p for p in bundled_site.glob("briefings/*/*/index.html"))
    newest = max(lxml.html.fromstring(read(p)).xpath("//time/@datetime")[0][:10] for p in entries)
    found = events(calendar(bundled_site, "/calendar.ics"))
    assert len(found) >= 3
    assert all(e.decoded("DTSTART") > dt.date.fromisoformat(newest) for e in found)
    assert all(e.decoded("DTSTAMP") == dt.datetime.fromisoformat(newest + "T00:00:00+00:00") for e in found)
    assert all(str(e["UID"]).startswith("event-") for e in found)
