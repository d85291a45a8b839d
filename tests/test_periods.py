"""Timelines by period, on hand-built items: grouping by year and month, the split between the
main page and year pages, the pager between them, "Latest" (the last 30 days, or the latest
five) and this month's activity in plain words, all against a fixed build date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.domain.dates import PartialDate, date_range
from briefing.domain.periods import (
    LATEST_AT_LEAST,
    MAIN_PAGE_ITEMS,
    MonthActivity,
    build_timeline,
    events_by_month,
    latest_items,
    month_activity,
    year_pages,
)

URL = "/countries/india/"


@dataclass
class Item:  # an event or a statement: what the timeline reads of one
    date: PartialDate
    anchor: str


@dataclass
class Dated:  # an entry
    date: dt.date
    title: str = field(default="")


def event(iso: str, name: str = "") -> Item:
    parts = [int(p) for p in iso.split("-")]
    return Item(PartialDate(*parts), name or f"event-{iso}")


def entries(*days: str) -> list[Dated]:
    return sorted((Dated(dt.date.fromisoformat(d), d) for d in days), key=lambda e: e.date, reverse=True)


def shape(timeline):
    return [
        (
            y.year,
            y.url,
            [i.anchor for i in y.undated],
            [(m.anchor, [i.anchor for i in m.items], len(m.entries)) for m in y.months],
        )
        for y in timeline.years
    ]


def test_items_group_by_year_and_month_newest_first_a_vague_date_first():
    timeline = build_timeline(
        URL,
        entries("2025-06-12", "2025-06-01", "2024-11-05"),
        [event("2025-06-12"), event("2025-06"), event("2025"), event("2025-04-04")],
        [event("2025-06-12", "statement-a")],
    )
    assert shape(timeline) == [
        (
            2025,
            URL,
            ["event-2025"],  # dated to the year only: under the year's heading, above its months
            [
                ("2025-06", ["event-2025-06", "event-2025-06-12", "statement-a"], 2),  # events before statements
                ("2025-04", ["event-2025-04-04"], 0),
            ],
        ),
        (2024, URL, [], [("2024-11", [], 1)]),
    ]
    assert [(m.name, m.short_name, m.count) for m in timeline.years[0].months] == [
        ("June 2025", "Jun", 5),
        ("April 2025", "Apr", 1),
    ]


def test_the_newest_years_fill_the_main_page_older_years_get_pages():
    many = [event(f"2025-01-{d:02d}") for d in range(1, 29)] + [event(f"2025-02-{d:02d}") for d in range(1, 21)]
    timeline = build_timeline(URL, [], [*many, event("2024-05-01"), event("2024-06-01"), event("2023-01-01")], [])
    # 48 items in 2025; 2024's two more make 50, which still fit; 2023 would make 51.
    assert [(y.year, y.url, y.count) for y in timeline.years] == [
        (2025, URL, 48),
        (2024, URL, 2),
        (2023, URL + "2023/", 1),
    ]
    assert timeline.year_pages == [(URL + "2023/", timeline.years[2])]
    assert MAIN_PAGE_ITEMS == 50


def test_the_newest_year_is_always_on_the_main_page_and_no_later_year_comes_back():
    big = [event(f"2025-{m:02d}-{d:02d}") for m in range(1, 4) for d in range(1, 21)]  # 60 in 2025
    timeline = build_timeline(URL, [], [*big, event("2024-01-01"), event("2023-01-01")], [])
    assert [(y.year, y.url) for y in timeline.years] == [
        (2025, URL),
        (2024, URL + "2024/"),
        (2023, URL + "2023/"),
    ]
    assert timeline.pager(URL) == ((URL + "2024/", "2024"), None)
    assert timeline.pager(URL + "2024/") == ((URL + "2023/", "2023"), (URL, "2025"))
    assert timeline.pager(URL + "2023/") == (None, (URL + "2024/", "2024"))
    assert timeline.period_url(2024, 1) == URL + "2024/#2024-01"
    assert timeline.period_url(2025) == URL + "#2025"


def test_the_pager_names_every_year_of_the_main_page():
    big = [event(f"2024-{m:02d}-{d:02d}") for m in range(1, 4) for d in range(1, 17)]  # 48 in 2024
    timeline = build_timeline(URL, [], [event("2025-01-01"), *big, event("2023-01-01"), event("2023-02-01")], [])
    assert [(y.year, y.url) for y in timeline.years] == [(2025, URL), (2024, URL), (2023, URL + "2023/")]
    assert timeline.pager(URL + "2023/") == (None, (URL, "2024\u20132025"))


BUILD = dt.date(2025, 11, 8)


def test_latest_is_the_last_thirty_days_when_they_hold_five_or_more():
    items = [event("2025-11-08"), event("2025-11"), event("2025-10-10"), event("2025-10-20"), event("2025-10-30")]
    items += [event("2025-10-09"), event("2025-12-01")]  # one day too early; after the build date
    timeline = build_timeline(URL, [], items, [])
    assert [i.anchor for i in latest_items(timeline, BUILD)] == [
        "event-2025-11",  # "November 2025" starts inside the window
        "event-2025-11-08",
        "event-2025-10-30",
        "event-2025-10-20",
        "event-2025-10-10",
    ]


def test_latest_is_the_latest_five_when_the_last_thirty_days_hold_fewer():
    items = [event("2025-11-01"), event("2025-06-01"), event("2025-05-01"), event("2025"), event("2024-01-01")]
    items.append(event("2023-01-01"))
    timeline = build_timeline(URL, [], items, [])
    assert [i.anchor for i in latest_items(timeline, BUILD)] == [
        "event-2025",
        "event-2025-11-01",
        "event-2025-06-01",
        "event-2025-05-01",
        "event-2024-01-01",
    ]
    assert LATEST_AT_LEAST == 5
    assert latest_items(timeline, None) == []


def test_this_months_entries_against_the_monthly_average_in_plain_words():
    # 12 entries in the 6 months before November (June to October ... from the first, in May)
    before = [f"2025-{m:02d}-0{d}" for m in range(5, 11) for d in (1, 2)]
    activity = month_activity(entries(*before, "2025-11-01", "2025-11-05", "2025-11-08"), BUILD)
    assert activity == MonthActivity("November 2025", 3, 2.0)
    assert activity.sentence() == "3 entries in November 2025, against 2 a month on average."
    sparse = month_activity(entries("2024-11-20", "2025-05-01", "2025-11-02"), BUILD)
    assert sparse.sentence() == "1 entry in November 2025, against 1 every 6 months on average."
    quiet = month_activity(entries("2025-09-01", "2025-10-01"), BUILD)
    assert quiet.sentence() == "No entries in November 2025, against 1 a month on average."
    assert month_activity(entries("2025-11-01"), BUILD).sentence() == "1 entry in November 2025, its first month."
    assert month_activity([], BUILD) is None


@pytest.mark.parametrize(
    "start,end,text",
    [
        ("2025-06-02", "2025-06-08", "2\u20138 June 2025"),
        ("2025-06-30", "2025-07-06", "30 June \u2013 6 July 2025"),
        ("2025-12-29", "2026-01-04", "29 December 2025 \u2013 4 January 2026"),
    ],
)
def test_a_range_of_dates_in_words(start, end, text):
    assert date_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == text


def test_a_years_events_by_month_those_dated_to_the_year_alone_first():
    events = [event("2024-11-02"), event("2024"), event("2024-11"), event("2024-03-05")]  # newest first
    months = events_by_month(events)
    assert [(m.anchor, m.name, m.short_name, [e.anchor for e in m.events]) for m in months] == [
        ("2024", "Dated only to 2024", "Year", ["event-2024"]),
        ("2024-11", "November 2024", "Nov", ["event-2024-11-02", "event-2024-11"]),
        ("2024-03", "March 2024", "Mar", ["event-2024-03-05"]),
    ]


@given(
    events=st.lists(st.tuples(st.integers(2019, 2026), st.integers(0, 12)), max_size=90),
    days=st.lists(st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)), max_size=90),
    build_year=st.none() | st.integers(2019, 2026),
)
def test_the_page_list_counts_the_same_year_pages_as_the_timeline(events, days, build_year):
    """The page list counts each year's items instead of grouping them (year_pages): it must
    give the years the timeline gives pages of their own, each with its newest entry's date."""
    items = [Item(PartialDate(y, m, 1 if m else 0), f"e{i}") for i, (y, m) in enumerate(events)]
    dated = entries(*(d.isoformat() for d in days))
    build_date = dt.date(build_year, 6, 30) if build_year else None
    timeline = build_timeline(URL, dated, items[::2], items[1::2], build_date)
    expected = [
        (url, y.year, max((e.date for m in y.months for e in m.entries), default=None))
        for url, y in timeline.year_pages
    ]
    assert year_pages(URL, dated, items[::2], items[1::2], build_date) == expected
