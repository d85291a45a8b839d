"""Dates as editors write them: full dates, optional times, and partial event dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from .direct_init import direct_init
from .limits import MAX_YEAR, MIN_YEAR

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$",
    re.ASCII,  # '\d' would take any script's digits ('1᠘00')
)


class DateError(ValueError):
    """A date string that is not one of the accepted forms."""


def _check_year(text: str, year: int):
    """Years outside MIN_YEAR..MAX_YEAR are typos (1025, 9999): they would make charts of
    thousands of bars and dates that feeds and calendars cannot hold."""
    if year < 1000:
        raise DateError(f"'{text}' is not a date: the year needs four digits")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"'{text}' is out of range: years run from {MIN_YEAR} to {MAX_YEAR} (a typo in the year?)")


_ISO_TEXT: dict[tuple[int, int, int], str] = {}  # bounded: years are MIN_YEAR..MAX_YEAR


def _iso(year: int, month: int, day: int) -> str:
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@direct_init
@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day (events are often vague)."""

    year: int
    month: int = 0
    day: int = 0

    def iso(self) -> str:
        """Looked up once per date written (every event's key asks for it: formatting each
        time was a tenth of the check's events diagnostics at 100,000 entries)."""
        fields = (self.year, self.month, self.day)
        text = _ISO_TEXT.get(fields)
        if text is None:
            text = _ISO_TEXT[fields] = _iso(*fields)
        return text

    def label(self) -> str:
        if not self.month:
            return str(self.year)
        if not self.day:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    def sort_key(self) -> tuple:
        """Vague dates sort after precise ones in the same period (newest-first lists show
        'June 2025' above '3 June 2025', as the month spans it)."""
        return (self.year, self.month or 13, self.day or 32)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if not self.month:
            return dt.date(self.year, 12, 31)
        if not self.day:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, self.month, self.day)


@functools.lru_cache(maxsize=1 << 14)  # a site's dates repeat: each is read once per process
def parse_partial_date(text: str) -> PartialDate:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    match = _PARTIAL.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    _check_year(text, year)
    try:
        dt.date(year, month if match.group(2) else 1, day if match.group(3) else 1)  # '2025-00' is no month
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None
    return PartialDate(year, month, day)


@functools.lru_cache(maxsize=1 << 14)
def parse_datetime(text: str) -> dt.datetime:
    """ISO 8601 date with optional time and offset; naive times are taken as UTC."""
    match = _DATETIME.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date: write YYYY-MM-DD, optionally with a time (YYYY-MM-DD HH:MM)")
    year, month, day, hour, minute, second, offset = match.groups()
    _check_year(text, int(year))
    tz = dt.UTC
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise DateError(f"'{text}' has an impossible time-zone offset")
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None


def iso_week(day: dt.date) -> tuple[int, int]:
    """(ISO year, ISO week): 2024-12-30 falls in 2025-W01."""
    year, week, _ = day.isocalendar()
    return year, week


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


EN_DASH = "\u2013"  # between the ends of a range of dates


def date_range(start: dt.date, end: dt.date) -> str:
    """'2-8 June 2025', '30 June - 6 July 2025', '29 December 2025 - 4 January 2026' (with an en dash)."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} {EN_DASH} {long_date(end)}"
    return f"{long_date(start)} {EN_DASH} {long_date(end)}"
