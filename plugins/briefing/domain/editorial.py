"""Editorial files that are neither entries nor profiles: digest summaries
(content/digests/<period>.md) and the site's own pages (content/pages/<slug>.md, e.g. About),
and their checks against the site (a summary of a period without entries is a warning)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import diagnostics as diag
from .dates import MONTHS
from .limits import MAX_YEAR, MIN_YEAR

MONTH_PERIOD = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
WEEK_PERIOD = re.compile(r"(\d{4})-w(\d{2})", re.ASCII)
# Folders and files at the site's root: a page may not take their address.
RESERVED_PAGE_SLUGS = frozenset(
    "briefings drafts countries officials issues relations digests events search feeds theme pagefind "
    "page sitemap robots 404 index data calendar".split()
)


@dataclass
class DigestSummary:
    """An editor's summary of a week or a month, shown atop its digest and on the home page."""

    path: str
    period: str  # "2025-06" (a month) or "2025-w24" (an ISO week): the file's name
    title: str
    highlights: tuple[str, ...] = ()
    body: str = ""
    body_line: int = 1
    html: str = ""  # the body, rendered


@dataclass
class SitePage:
    """A page of the site's own (About): content/pages/<slug>.md at /<slug>/."""

    path: str
    slug: str
    title: str
    summary: str | None = None
    body: str = ""
    body_line: int = 1
    html: str = ""

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


def period_of(stem: str) -> str | None:
    """The period a digest summary's file name names ('2025-06', '2025-w24'), or None."""
    if match := MONTH_PERIOD.fullmatch(stem):
        year, month = int(match[1]), int(match[2])
        return stem if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None
    if match := WEEK_PERIOD.fullmatch(stem):
        year, week = int(match[1]), int(match[2])
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return stem if MIN_YEAR <= year <= MAX_YEAR else None
    return None


def period_name(period: str) -> str:
    """'June 2025', 'week 24, 2025'."""
    if match := MONTH_PERIOD.fullmatch(period):
        return f"{MONTHS[int(match[2]) - 1]} {match[1]}"
    year, week = period.split("-w")
    return f"week {int(week)}, {year}"


def summary_warnings(summaries: list[DigestSummary], published: list) -> list:
    """A summary of a period without published entries is a warning: it shows once the
    period has entries (the check and the build say the same). Each day is looked at once
    (days repeat: the bench corpus's 10,000 entries fall on 3,681), and none when there is no
    summary (a pass over every entry on each of the preview's front-matter edits)."""
    periods = set()
    for day in {entry.date for entry in published} if summaries else ():
        year, week, _ = day.isocalendar()
        periods.add(f"{year:04d}-w{week:02d}")
        periods.add(f"{day.year:04d}-{day.month:02d}")
    return [
        diag.warning(
            summary.path,
            1,
            1,
            f"no published entries in {period_name(summary.period)}: this summary shows once the period has entries",
        )
        for summary in summaries
        if summary.period not in periods
    ]


def attach_summaries(summaries: list[DigestSummary], digests: list) -> None:
    """Give each digest (weekly or monthly) its summary, if an editor wrote one."""
    by_period = {s.period: s for s in summaries}
    for digest in digests:
        digest.summary = by_period.get(digest.slug)
