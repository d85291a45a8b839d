"""Timelines by period: what an entity's or a relation's pages show month by month.

Events and statements are grouped under year and month headings, newest first, with the
month's entries beside them; the newest years fill the main page (up to MAIN_PAGE_ITEMS
items, always the newest year) and every older year gets a page of its own. The "Latest"
block, the month's activity and what is upcoming are measured against the build date: the
newest content date, never the clock, so the same content gives the same pages. A timeline is
made when a page shows it; the page list only counts each year's items (year_pages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass

from .dates import MONTHS, PartialDate
from .model import Entry, Event, Statement

MAIN_PAGE_ITEMS = 50  # events, statements and entries on an entity's main page (the newest year is always there)
LATEST_DAYS = 30  # the "Latest" block: the last 30 days' events and statements ...
LATEST_AT_LEAST = 5  # ... or the latest five, if there are fewer


def period_anchor(year: int, month: int = 0) -> str:
    """The HTML id of a year (`2025`) or a month (`2025-06`) heading."""
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


@dataclass(frozen=True)
class TimelineItem:
    """An event or a statement on a timeline."""

    date: PartialDate
    kind: str  # "event" or "statement"
    value: Event | Statement

    @property
    def anchor(self) -> str:
        return self.value.anchor

    @property
    def is_event(self) -> bool:
        return self.kind == "event"

    def sort_key(self):
        """Newest first once reversed; on one date events before statements, then by anchor."""
        return (self.date.sort_key(), self.kind == "event", self.anchor)


@dataclass(frozen=True)
class MonthPeriod:
    """A month of a timeline or of a year's events (month 0: what is dated to the year alone)."""

    year: int
    month: int

    @property
    def anchor(self) -> str:
        return period_anchor(self.year, self.month)

    @property
    def name(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}" if self.month else f"Dated only to {self.year}"

    @property
    def short_name(self) -> str:
        return MONTHS[self.month - 1][:3] if self.month else "Year"


@dataclass(frozen=True)
class MonthGroup(MonthPeriod):
    """One month of a timeline: its events and statements, and the entries dated in it."""

    items: tuple[TimelineItem, ...]  # newest first
    entries: tuple[Entry, ...]  # newest first

    @property
    def count(self) -> int:
        return len(self.items) + len(self.entries)


@dataclass(frozen=True)
class YearGroup:
    year: int
    undated: tuple[TimelineItem, ...]  # dated to the year only: listed above its months
    months: tuple[MonthGroup, ...]  # newest first
    url: str  # the page that shows it: the main page, or its own year page
    count: int  # its items and entries: counted once, not on each page whose index lists the year

    @property
    def anchor(self) -> str:
        return period_anchor(self.year)


@dataclass(frozen=True)
class Timeline:
    """Every event, statement and entry of a page's subject, by year and month."""

    url: str  # the main page
    years: tuple[YearGroup, ...]  # newest first

    def on_page(self, url: str) -> tuple[YearGroup, ...]:
        return tuple(y for y in self.years if y.url == url)

    @property
    def year_pages(self) -> list[tuple[str, YearGroup]]:
        """(URL, year) of every year that has a page of its own."""
        return [(y.url, y) for y in self.years if y.url != self.url]

    def pager(self, url: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        """(older, newer) pages of years around the page at `url`: (URL, the years it shows)."""
        pages: list[tuple[str, list[int]]] = []
        for year in self.years:  # newest first; the main page's years come first
            if not pages or pages[-1][0] != year.url:
                pages.append((year.url, []))
            pages[-1][1].append(year.year)
        at = next((i for i, (page, _) in enumerate(pages) if page == url), None)
        if at is None:
            return None, None

        def named(index: int) -> tuple[str, str] | None:
            if not 0 <= index < len(pages):
                return None
            page, years = pages[index]
            return page, str(years[0]) if len(years) == 1 else f"{years[-1]}\u2013{years[0]}"

        return named(at + 1), named(at - 1)

    def period_url(self, year: int, month: int = 0) -> str:
        """The address of a year's or a month's heading, on whichever page shows it."""
        page = next((y.url for y in self.years if y.year == year), self.url)
        return f"{page}#{period_anchor(year, month)}"

    def item_url(self, item: TimelineItem) -> str:
        """Where an item is shown: the page of its year, at its anchor."""
        for year in self.years:
            if year.year == item.date.year:
                return f"{year.url}#{item.anchor}"
        return f"{self.url}#{item.anchor}"


def year_url(base: str, year: int) -> str:
    """An entity's or a relation's year page: /countries/india/2024/."""
    return f"{base}{year:04d}/"


def build_timeline(
    url: str, entries: list[Entry], events: list[Event], statements: list[Statement], build_date: dt.date | None = None
) -> Timeline:
    """Group items by year and month (newest first) and give each year its page. The main page
    always holds the build date's year (or the newest, without one) and the years after it
    (events to come), then older years while they fit."""
    items = [TimelineItem(ev.date, "event", ev) for ev in events]
    items += [TimelineItem(st.date, "statement", st) for st in statements]
    items.sort(key=TimelineItem.sort_key, reverse=True)
    by_month: dict[tuple[int, int], list] = {}
    for item in items:
        by_month.setdefault((item.date.year, item.date.month), []).append(item)
    entries_by_month: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:  # newest first
        entries_by_month.setdefault((entry.date.year, entry.date.month), []).append(entry)
    periods = sorted(set(by_month) | set(entries_by_month), reverse=True)
    months_of: dict[int, list[MonthGroup]] = {}
    for y, m in periods:  # newest first
        if m:
            month = MonthGroup(y, m, tuple(by_month.get((y, m), ())), tuple(entries_by_month.get((y, m), ())))
            months_of.setdefault(y, []).append(month)
    groups = [
        _year_group(year, tuple(by_month.get((year, 0), ())), tuple(months_of.get(year, ())), url)
        for year in sorted({y for y, _ in periods}, reverse=True)
    ]
    pages = _year_urls(url, [(g.year, g.count) for g in groups], build_date)
    years = [g if pages[g.year] == url else dataclasses.replace(g, url=pages[g.year]) for g in groups]
    return Timeline(url, tuple(years))


def _year_group(year: int, undated: tuple, months: tuple[MonthGroup, ...], url: str) -> YearGroup:
    return YearGroup(year, undated, months, url, len(undated) + sum(len(m.items) + len(m.entries) for m in months))


def _year_urls(url: str, counts: list[tuple[int, int]], build_date: dt.date | None) -> dict[int, str]:
    """{year: the page that shows it} for (year, items and entries in it), newest first: the
    main page holds the build date's year (or the newest) and the years after it, then older
    years while they fit in MAIN_PAGE_ITEMS; every other year has a page of its own."""
    pages = {}
    on_main, main_open, present = 0, True, False
    for year, count in counts:
        always = not present or (build_date is not None and year > build_date.year)
        present = present or build_date is None or year <= build_date.year
        main_open = main_open and (always or on_main + count <= MAIN_PAGE_ITEMS)
        if main_open:
            on_main += count
        pages[year] = url if main_open else year_url(url, year)
    return pages


def year_groups(
    url: str, entries: list[Entry], events: list[Event], statements: list[Statement], build_date: dt.date | None
) -> tuple[list[tuple[int, int, str]], dict[int, tuple[list, list, list]]]:
    """The years of build_timeline's timeline without their months: ((year, its items and
    entries, the page that shows it), newest first) and {year: (its events, its statements, its
    entries)}, each in the order given (what a page of one year shows: build/year_digest.py)."""
    grouped: dict[int, tuple[list, list, list]] = {}
    kinds: tuple[list, ...] = (events, statements, entries)
    for at, items in enumerate(kinds):
        for item in items:
            grouped.setdefault(item.date.year, ([], [], []))[at].append(item)
    counts = sorted(((year, sum(map(len, lists))) for year, lists in grouped.items()), reverse=True)
    pages = _year_urls(url, counts, build_date)
    return [(year, count, pages[year]) for year, count in counts], grouped


def year_pages(
    url: str, entries: list[Entry], events: list[Event], statements: list[Statement], build_date: dt.date | None
) -> list[tuple[str, int, dt.date | None]]:
    """(URL, year, its newest entry's date) of each year of build_timeline's timeline that has a
    page of its own, newest first: counted, not grouped (the page list needs only these; the
    timeline itself is made when a page is drawn)."""
    counts: dict[int, int] = {}
    newest: dict[int, dt.date] = {}
    for date in [*(e.date for e in events), *(s.date for s in statements)]:
        counts[date.year] = counts.get(date.year, 0) + 1
    for entry in entries:
        year = entry.date.year
        counts[year] = counts.get(year, 0) + 1
        if year not in newest or entry.date > newest[year]:
            newest[year] = entry.date
    pages = _year_urls(url, sorted(counts.items(), reverse=True), build_date)
    return [(page, year, newest.get(year)) for year, page in pages.items() if page != url]


@dataclass(frozen=True)
class EventMonth(MonthPeriod):
    """One month of a year's events page."""

    events: tuple[Event, ...]  # newest first


def events_by_month(events: list[Event]) -> list[EventMonth]:
    """One year's events (newest first) by month, newest first; those dated to the year alone
    come first, as they do on timelines."""
    months: dict[int, list[Event]] = {}
    for event in events:
        months.setdefault(event.date.month, []).append(event)
    order = sorted(months, key=lambda month: (month == 0, month), reverse=True)
    return [EventMonth(events[0].date.year, month, tuple(months[month])) for month in order]


@dataclass(frozen=True)
class MonthActivity:
    """Entries in the build date's month against the monthly average before it."""

    month: str  # "June 2025"
    count: int
    average: float | None  # per month over the full months from the first entry to the last month; None: new

    def sentence(self) -> str:
        """Plain words: '6 entries in June 2025, against 2 a month on average'."""
        said = f"{_entries(self.count)} in {self.month}"
        if self.average is None:
            return f"{said}, its first month."
        return f"{said}, against {_rate(self.average)} on average."


def _entries(count: int) -> str:
    if count == 0:
        return "No entries"
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _rate(average: float) -> str:
    if average == 0:
        return "none a month"
    if average >= 0.95:
        return f"{round(average)} a month"
    every = round(1 / average)
    return f"1 every {every} months" if every > 1 else "1 a month"


def month_activity(entries: list[Entry], build_date: dt.date | None) -> MonthActivity | None:
    """None without entries or a build date. The average counts the months from the first
    entry's month to the month before the build date's, empty months included."""
    if not entries or build_date is None:
        return None
    this_month = (build_date.year, build_date.month)
    count = sum(1 for e in entries if (e.date.year, e.date.month) == this_month)
    before = sum(1 for e in entries if (e.date.year, e.date.month) < this_month)
    first = entries[-1].date  # entries are newest first
    months_before = (build_date.year - first.year) * 12 + build_date.month - first.month
    average = before / months_before if months_before > 0 else None
    return MonthActivity(f"{MONTHS[build_date.month - 1]} {build_date.year}", count, average)


def latest_items(timeline: Timeline, build_date: dt.date | None) -> list[TimelineItem]:
    """The last LATEST_DAYS days' events and statements up to the build date, or the latest
    LATEST_AT_LEAST if there are fewer; an item counts from the first day of its date."""
    if build_date is None:
        return []
    cutoff = build_date - dt.timedelta(days=LATEST_DAYS - 1)
    past = [
        item
        for year in timeline.years
        for item in (*year.undated, *(i for month in year.months for i in month.items))
        if item.date.first_day() <= build_date
    ]
    recent = [item for item in past if item.date.first_day() >= cutoff]
    return recent if len(recent) >= LATEST_AT_LEAST else past[:LATEST_AT_LEAST]


def upcoming_events(events: list[Event], build_date: dt.date | None) -> list[Event]:
    """Events dated after the build date (their first possible day is later: "November 2025"
    is not upcoming on 8 November 2025), soonest first; a vague date after the precise dates
    it spans ("2026" after "10 November 2026")."""
    if build_date is None:
        return []
    later = [event for event in events if event.date.first_day() > build_date]
    return sorted(later, key=lambda event: (event.date.sort_key(), event.anchor))


class Chronicle:
    """What a page about an entity or a relation shows by period (mixed into EntityView and
    Relation): its timeline by month and year, its "Latest" block and this month's activity."""

    entries: list[Entry]
    events: list[Event]
    statements: list[Statement]
    build_date: dt.date | None

    @property
    def page_url(self) -> str:
        raise NotImplementedError

    @functools.cached_property
    def timeline(self) -> Timeline:
        return build_timeline(self.page_url, self.entries, self.events, self.statements, self.build_date)

    def year_pages(self) -> list[tuple[str, int, dt.date | None]]:
        """(URL, year, its newest entry's date) of each year with a page of its own."""
        timeline = self.__dict__.get("timeline")
        if timeline is not None:  # made already: read it
            newest = [(url, y.year, [e.date for m in y.months for e in m.entries]) for url, y in timeline.year_pages]
            return [(url, year, max(dates, default=None)) for url, year, dates in newest]
        return year_pages(self.page_url, self.entries, self.events, self.statements, self.build_date)

    @functools.cached_property
    def latest_items(self) -> list[TimelineItem]:
        return latest_items(self.timeline, self.build_date)

    @functools.cached_property
    def activity(self) -> MonthActivity | None:
        return month_activity(self.entries, self.build_date)

    @functools.cached_property
    def upcoming(self) -> list[Event]:
        return upcoming_events(self.events, self.build_date)
