"""Dates written in prose ("April 4", "on June 5", "in January", "2025-04-04"), resolved
against the date of the entry that reports them.

A report looks back: a day or month written without a year is the latest one on or
before the entry's date ("in December", in an entry of June 2025, is December 2024), and
"on Thursday" is the latest Thursday on or before it. A date that names its year is taken
as written. Impossible dates ("February 30") are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..domain.dates import MONTHS, PartialDate

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = "(?P<{}>" + "|".join((*MONTHS, "Sept")) + ")"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)"
_MONTH_WORDS = r"(?:in|since|until|till|by|from|during|early|late|mid-|the end of|the start of|the beginning of)"

_FORMS = [
    ("iso", r"(?<![\d-])" + _YEAR.format("iy") + r"-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])"),
    ("mdy", _MONTH.format("am") + r"\.?\s+" + _DAY.format("ad") + r",?\s+" + _YEAR.format("ay") + r"\b"),
    ("dmy", _DAY.format("bd") + r"\s+(?:of\s+)?" + _MONTH.format("bm") + r",?\s+" + _YEAR.format("by") + r"\b"),
    ("md", _MONTH.format("cm") + r"\.?\s+" + _DAY.format("cd") + r"\b(?![:.,]\d)"),
    ("dm", _DAY.format("dd") + r"\s+(?:of\s+)?" + _MONTH.format("dm") + r"\b"),
    ("my", _MONTH.format("em") + r",?\s+" + _YEAR.format("ey") + r"\b"),
    ("m", _MONTH_WORDS + r"\s*" + _MONTH.format("fm") + r"\b(?!\.?\s+[0-3]?\d\b)(?!,?\s+(?:1[89]|20)\d\d\b)"),
    ("y", r"in\s+" + _YEAR.format("gy") + r"\b(?![-/]\d)"),
    ("wd", r"on\s+(?P<hw>" + "|".join(WEEKDAYS) + r")\b"),
]
_DATES = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<form_{name}>{form})" for name, form in _FORMS) + ")")


@dataclass(frozen=True)
class DateMention:
    date: PartialDate
    written: str  # as the text has it: "April 4", "on Thursday"
    start: int  # offset in the searched text


def _month(name: str) -> int:
    return 9 if name == "Sept" else MONTHS.index(name) + 1


def _day(year: int, month: int, day: int) -> PartialDate | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _latest_day(month: int, day: int, anchor: dt.date) -> PartialDate | None:
    for year in (anchor.year, anchor.year - 1, anchor.year - 2, anchor.year - 3, anchor.year - 4):
        found = _day(year, month, day)
        if found is not None and found.first_day() <= anchor:
            return found
    return None  # 29 February with no leap year in reach


def _resolve(match: re.Match, anchor: dt.date) -> PartialDate | None:
    g = match.group
    if g("form_iso"):
        return _day(int(g("iy")), int(g("im")), int(g("id")))
    if g("form_mdy"):
        return _day(int(g("ay")), _month(g("am")), int(g("ad")))
    if g("form_dmy"):
        return _day(int(g("by")), _month(g("bm")), int(g("bd")))
    if g("form_md"):
        return _latest_day(_month(g("cm")), int(g("cd")), anchor)
    if g("form_dm"):
        return _latest_day(_month(g("dm")), int(g("dd")), anchor)
    if g("form_my"):
        return PartialDate(int(g("ey")), _month(g("em")))
    if g("form_m"):
        month = _month(g("fm"))
        return PartialDate(anchor.year if month <= anchor.month else anchor.year - 1, month)
    if g("form_y"):
        return PartialDate(int(g("gy")))
    if g("form_wd"):
        back = (anchor.weekday() - WEEKDAYS.index(g("hw"))) % 7
        day = anchor - dt.timedelta(days=back)
        return PartialDate(day.year, day.month, day.day)
    return None


def find_dates(text: str, anchor: dt.date) -> list[DateMention]:
    """Every date written in `text`, resolved against `anchor` (the entry's date), in order."""
    found = []
    for match in _DATES.finditer(text):
        date = _resolve(match, anchor)
        if date is not None:
            found.append(DateMention(date, match.group(0), match.start()))
    return found
