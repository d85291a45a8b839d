"""Dates written in prose ("April 4", "Aug. 27", "on June 5", "in January", "2025-04-04"),
resolved against the date of the entry that reports them.

A date that names its year is taken as written. One without a year (or a weekday) is
resolved by the tense of its clause (prose_clauses.tense_before): after "will", "would",
"due to", "expected to", "next" or "ahead of" it is the first such day on or after the
entry's date; after "said", "was", "last" or a past-tense verb, the latest on or before it;
after "planned for" or "scheduled for", whichever is nearer; and with no sign at all, the
one before, unless the one after is four times nearer ("Aug. 1" in a report of July 28).
Impossible dates ("February 30") are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.dates import MONTHS, PartialDate
from .prose import Passage
from .prose_clauses import FUTURE, PAST, SCHEDULED, clause_at, tense_before

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
PAST_BIAS = 4  # with no sign of tense, a later date is taken only when this many times nearer

_FULL = "|".join(MONTHS)
_ANY = "|".join((*MONTHS, *(f"{m}\\.?" for m in SHORT_MONTHS)))
_MONTH = "(?P<{}>" + _ANY + ")"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)"
_MONTH_WORDS = (
    r"(?:in|since|until|till|by|from|during|early|late|mid-|last|next|this|the end of|the start of|the beginning of)"
)
_WEEKDAY_WORDS = r"(?:on|from|by|until|since|last|next|this)"

_FORMS = [
    ("iso", r"(?<![\d-])" + _YEAR.format("iy") + r"-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])"),
    ("mdy", _MONTH.format("am") + r"\s+" + _DAY.format("ad") + r",?\s+" + _YEAR.format("ay") + r"\b"),
    ("dmy", _DAY.format("bd") + r"\s+(?:of\s+)?" + _MONTH.format("bm") + r",?\s+" + _YEAR.format("by") + r"\b"),
    ("md", _MONTH.format("cm") + r"\s+" + _DAY.format("cd") + r"\b(?![:.,]\d)"),
    ("dm", _DAY.format("dd") + r"\s+(?:of\s+)?" + _MONTH.format("dm") + r"(?![\w])"),
    ("my", _MONTH.format("em") + r",?\s+" + _YEAR.format("ey") + r"\b"),
    (
        "m",
        _MONTH_WORDS + r"\s*(?P<fm>" + _FULL + r")\b(?!\.?\s+[0-3]?\d\b)(?!,?\s+(?:1[89]|20)\d\d\b)",
    ),
    ("y", r"in\s+" + _YEAR.format("gy") + r"\b(?![-/]\d)"),
    ("wd", _WEEKDAY_WORDS + r"\s+(?P<hw>" + "|".join(WEEKDAYS) + r")\b"),
]
_DATES = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<form_{name}>{form})" for name, form in _FORMS) + ")")

Tense = Callable[[int], "str | None"]  # the tense of the clause at an offset of the text


@dataclass(frozen=True)
class DateMention:
    date: PartialDate
    written: str  # as the text has it: "April 4", "on Thursday"
    start: int  # offset in the searched text


def _month(name: str) -> int:
    name = name.rstrip(".")
    if name == "Sept":
        return 9
    return next(i for i, full in enumerate(MONTHS, 1) if full.startswith(name))


def _day(year: int, month: int, day: int) -> PartialDate | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _choose(before, after, anchor_gap, tense: str | None):
    """One of two candidates (the latest on or before the entry, the first after it)."""
    if before is None or after is None:
        return before or after
    gap_before, gap_after = anchor_gap(before), anchor_gap(after)
    if gap_before == 0 or tense == PAST:
        return before
    if tense == FUTURE:
        return after
    if tense == SCHEDULED:
        return after if gap_after <= gap_before else before
    return after if gap_after * PAST_BIAS < gap_before else before


def _day_without_year(month: int, day: int, anchor: dt.date, tense: str | None) -> PartialDate | None:
    dates = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _day(y, month, day))]
    before = max((d for d in dates if d.first_day() <= anchor), default=None, key=lambda d: d.first_day())
    after = min((d for d in dates if d.first_day() > anchor), default=None, key=lambda d: d.first_day())
    return _choose(before, after, lambda d: abs((d.first_day() - anchor).days), tense)


def _month_without_year(month: int, anchor: dt.date, tense: str | None) -> PartialDate:
    before = PartialDate(anchor.year if month <= anchor.month else anchor.year - 1, month)
    after = PartialDate(anchor.year if month > anchor.month else anchor.year + 1, month)
    months = lambda d: abs((d.year - anchor.year) * 12 + d.month - anchor.month)  # noqa: E731
    return _choose(before, after, months, tense)


def _weekday(name: str, written: str, anchor: dt.date, tense: str | None) -> PartialDate:
    back = (anchor.weekday() - WEEKDAYS.index(name)) % 7
    before, after = anchor - dt.timedelta(days=back), anchor + dt.timedelta(days=(7 - back) % 7)
    lead = written.split()[0].lower()
    if lead in ("next", "last"):  # 'next Tuesday' on a Tuesday is a week ahead
        before = before - dt.timedelta(days=7) if before == anchor else before
        after = after + dt.timedelta(days=7) if after == anchor else after
        tense = FUTURE if lead == "next" else PAST
    day = _choose(before, after, lambda d: abs((d - anchor).days), tense)
    return PartialDate(day.year, day.month, day.day)


def _resolve(match: re.Match, anchor: dt.date, tense: str | None) -> PartialDate | None:
    g = match.group
    if g("form_iso"):
        return _day(int(g("iy")), int(g("im")), int(g("id")))
    if g("form_mdy"):
        return _day(int(g("ay")), _month(g("am")), int(g("ad")))
    if g("form_dmy"):
        return _day(int(g("by")), _month(g("bm")), int(g("bd")))
    if g("form_md"):
        return _day_without_year(_month(g("cm")), int(g("cd")), anchor, tense)
    if g("form_dm"):
        return _day_without_year(_month(g("dm")), int(g("dd")), anchor, tense)
    if g("form_my"):
        return PartialDate(int(g("ey")), _month(g("em")))
    if g("form_m"):
        lead = match.group(0).split()[0].lower()
        return _month_without_year(_month(g("fm")), anchor, {"next": FUTURE, "last": PAST}.get(lead, tense))
    if g("form_y"):
        return PartialDate(int(g("gy")))
    if g("form_wd"):
        return _weekday(g("hw"), match.group(0), anchor, tense)
    return None


def find_dates(text: str, anchor: dt.date, tense: Tense | None = None) -> list[DateMention]:
    """Every date written in `text`, resolved against `anchor` (the entry's date) and the
    tense of the clause each is in (`tense(offset)`; none given: no sign of tense), in order."""
    found = []
    for match in _DATES.finditer(text):
        date = _resolve(match, anchor, tense(match.start()) if tense else None)
        if date is not None:
            found.append(DateMention(date, match.group(0), match.start()))
    return found


def tense_of(text: str) -> Tense:
    """The tense of the clause at each offset of `text` (for find_dates on a plain text)."""
    passage = Passage(text, 1)

    def tense(offset: int) -> str | None:
        start = passage.sentence_start(offset)
        clause, clause_start = clause_at(passage.sentence_at(offset), offset - start)
        return tense_before(clause, offset - start - clause_start)

    return tense
