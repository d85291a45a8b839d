"""What the search index holds: one record per published entry, event (at its permalink),
statement (at its anchor) and entity page, grouped into bundles of whole years (a year too
big for one Pagefind service is split into bundles of whole months: periods.py).

A record is plain data (url, content, meta, filters, sort), exactly what Pagefind's custom
records take, so nothing is re-parsed from our own HTML. Bundles are the unit of
re-indexing: a record's content depends only on its own entry or entity (names included),
so an edit re-indexes the bundle holding its date and nothing else.

The entity pages join the oldest bundle unless they are `minimum` records themselves. A small
site is one bundle; the 10,000-entry reference corpus is one bundle per year plus the pages.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from ..compact_json import compact, compact_sorted
from ..domain.dates import PartialDate, long_date
from ..domain.views import Site
from .periods import Period, group_periods

PAGES = "pages"  # the name of a bundle that holds only entity pages
SUMMARY_CHARS = 240  # of an entity's profile, shown when browsing without a query
# A word in every record. Browsing by filters alone searches for it: a search without words
# makes Pagefind load every chunk of every bundle's word index (5 s and ~25 MB at 10,000
# entries), while this word's postings are one small chunk per bundle. It starts with "zq",
# which no English word does, so no prefix a reader types matches it.
BROWSE_WORD = "zqxjbrowse"
# Pagefind reads words of a record's text that start with these as its own instructions
# (weights, anchors) and drops them from the text: what an editor writes must stay words.
_PRIVATE_MARKER = re.compile(r"_{3}(?=(?:END_)?PAGEFIND_)")


def record_json(record: dict) -> str:
    """A record as compact JSON, its keys sorted: what the bundle's digest hashes and what the
    Pagefind service is sent (service.index_records), so each record is encoded once."""
    return compact_sorted(record)


@dataclass(frozen=True)
class Bundle:
    """One Pagefind bundle, written to /pagefind/<name>/: the records of some whole years
    (newest first) or of some months of one year, and perhaps the entity pages."""

    name: str
    records: tuple[dict, ...]
    years: tuple[str, ...] = ()
    pages: bool = False
    months: tuple[str, ...] = ()  # "YYYY-MM", newest first, when it holds part of a split year

    @functools.cached_property
    def digest(self) -> str:
        """Hash of everything indexed: equal digests give byte-identical bundles. The hash of the
        name and the records as one JSON array, hashed a record at a time: the array joined would
        be two more copies of the texts (some 50 MB for a bundle of 9,000 records). Made once: a
        bundle's key is asked for by its store's look-up, its build and its link."""
        hashed = hashlib.sha1(f"{self.name}\n[".encode())
        separator = ""
        for text in self.texts:
            hashed.update((separator + text).encode())
            separator = ","
        hashed.update(b"]")
        return hashed.hexdigest()

    @functools.cached_property
    def texts(self) -> tuple[str, ...]:
        """Each record as `record_json` encodes it, made once for the digest and the service."""
        return tuple(map(record_json, self.records))

    def drop_texts(self):
        """Let the texts go (made again if asked for): a caller that holds every bundle, as the
        preview's refresh does, keeps one bundle's at a time (all of them: some 60 MB at 10,000
        entries, 600 MB at 100,000)."""
        vars(self).pop("texts", None)


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    """The words of a rendered profile, without tags (what a reader sees)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def inert(text: str) -> str:
    """Text that Pagefind indexes as words only (`___PAGEFIND_WEIGHT___9` becomes `_ PAGEFIND_WEIGHT___9`).
    The regex only where its marker's word is: it visits every character of a record's text
    (0.8 s of CPU for the 250,000 texts of 10,000 entries, against 0.05 s)."""
    return _PRIVATE_MARKER.sub("_ ", text) if "PAGEFIND_" in text else text


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit].rstrip(" ,;:") + "…"


def _chips(site: Site, keys) -> str:
    """The entities an entry names, as JSON [[kind's initial, name, slug]]: drawn as chips by the
    page. Initials and slugs, not kind names and URLs: every meta field is indexed, and
    "countries" must not find every entry."""
    chips = [[e.kind.name[0], e.name, e.slug] for e in map(site.entity, keys) if site.has_page(e.key)]
    return compact(chips)


def entry_record(site: Site, entry, order: str) -> dict:
    names = [site.entity(k).name for k in entry.entity_keys]
    events = [event.what for event in entry.events]
    sources = [source.name for source in entry.sources]
    date_label = long_date(entry.date)
    # The title is matched (and weighted) as metadata, so excerpts come from the text; names and
    # the date last: "India" finds every entry naming India, "October 2024" those of that month.
    parts = [entry.summary, entry.text, *events, *sources, " · ".join(names), date_label]
    filters = {
        "kind": ["entry"],
        "country": [site.entity(k).name for k in entry.countries],
        "official": [site.entity(k).name for k in entry.officials],
        "issue": [site.entity(k).name for k in entry.issues],
        **_period(PartialDate(entry.date.year, entry.date.month, entry.date.day)),
    }
    return {
        "url": entry.url,
        "content": inert("\n".join(parts)) + "\n" + BROWSE_WORD,
        "language": "en",
        "meta": {
            "title": inert(entry.title),
            "date": entry.date.isoformat(),
            "date_label": date_label,
            "summary": inert(entry.summary),
            "chips": inert(_chips(site, entry.entity_keys)),
        },
        "filters": {k: [inert(v) for v in values] for k, values in filters.items() if values},
        "sort": {"order": order},
    }


def _filters(site: Site, kind: str, keys, date: PartialDate, countries=()) -> dict:
    """The filters of an event or a statement: as an entry's, over the entities it concerns."""
    names: dict[str, list[str]] = {"country": [], "official": [], "issue": []}
    for key in (*countries, *keys):
        entity = site.entity(key)
        if entity.name not in names[entity.kind.name]:
            names[entity.kind.name].append(entity.name)
    filters = {"kind": [kind], **names, **_period(date)}
    return {k: [inert(v) for v in values] for k, values in filters.items() if values}


def _period(date: PartialDate) -> dict:
    """The year filter, and the month one (which no facet shows: "October 2024" in a query)."""
    period = {"year": [f"{date.year:04d}"]}
    if date.month:
        period["month"] = [f"{date.year:04d}-{date.month:02d}"]
    return period


def event_record(site: Site, event, order: str) -> dict:
    """An event, once, at its permalink: found by its own words, its sources and the names of
    what it concerns (not its entries' titles: a search for a word finds the events that say it)."""
    names = [site.entity(k).name for k in event.entity_keys]
    sources = [s.name for s in event.sources]
    count = len(event.reports)
    summary = f"Reported in {count} {'entry' if count == 1 else 'entries'}" + (f" · {sources[0]}" if sources else "")
    return {
        "url": event.url,
        "content": inert("\n".join([event.what, *sources, " · ".join(names), event.date.label()])) + "\n" + BROWSE_WORD,
        "language": "en",
        "meta": {
            "title": inert(event.what),
            "date": event.date.iso(),
            "date_label": event.date.label(),
            "summary": inert(summary),
            "chips": inert(_chips(site, event.entity_keys)),
        },
        "filters": _filters(site, "event", event.entity_keys, event.date),
        "sort": {"order": order},
    }


def statement_record(site: Site, statement, order: str) -> dict:
    """A statement at its anchor on its entry: found by the words said and the speaker."""
    speaker = site.entity(statement.by)
    country = (speaker.country,) if speaker.country else ()
    detail = ", ".join(p for p in (speaker.name, statement.role) if p)
    said = f"In paraphrase: {statement.said}" if statement.paraphrase else f"“{statement.said}”"
    sources = [statement.source.name] if statement.source else []
    content = "\n".join([statement.said, detail, *sources, statement.date.label()])
    return {
        "url": statement.url,
        "content": inert(content) + "\n" + BROWSE_WORD,
        "language": "en",
        "meta": {
            "title": inert(f"{speaker.name}: {_shorten(statement.said, 90)}"),
            "date": statement.date.iso(),
            "date_label": statement.date.label(),
            "summary": inert(said),
            "detail": inert(detail),
            "chips": inert(_chips(site, (statement.by, *statement.on))),
        },
        "filters": _filters(site, "statement", (statement.by, *statement.on), statement.date, country),
        "sort": {"order": order},
    }


def entity_record(site: Site, view, order: str) -> dict:
    entity = view.entity
    kind = entity.kind
    country = site.entity(entity.country).name if entity.country else None
    profile = html_text(entity.profile_html)
    lines = [profile, kind.singular_title, ", ".join(entity.aliases)]
    if entity.current_role:
        lines.append(entity.current_role)
    if country:
        lines.append(country)
    filters = {"kind": [kind.name], kind.name: [entity.name]}
    if country:  # an official's
        filters["country"] = [country]
    meta = {"title": entity.name, "summary": _shorten(profile, SUMMARY_CHARS)}
    if entity.current_role or country:
        meta["detail"] = ", ".join(p for p in (entity.current_role, country) if p)
    return {
        "url": entity.url,
        "content": inert("\n".join(line for line in lines if line)) + "\n" + BROWSE_WORD,
        "language": "en",
        "meta": {k: inert(v) for k, v in meta.items()},
        "filters": {k: [inert(v) for v in values] for k, values in filters.items()},
        "sort": {"order": order},
    }


KIND_RANK = {"entry": 0, "event": 1, "statement": 2}  # on the same date, newest first lists them so


def _newest_first(date: PartialDate, kind: str, then: float = 0.0, url: str = "") -> tuple:
    """Sorts newest first: by date (a vague date above the precise dates it spans, as timelines
    show them), then entries, events, statements, then an entry's time, then the address."""
    year, month, day = date.sort_key()
    return (-year, -month, -day, KIND_RANK[kind], then, url)


def _dated(site: Site) -> list[tuple]:
    """Every dated record to be, as (sort key, year, month or 0, maker, item), newest first."""
    items = [
        (
            _newest_first(PartialDate(e.date.year, e.date.month, e.date.day), "entry", -e.timestamp, e.url),
            e.date.year,
            e.date.month,
            entry_record,
            e,
        )
        for e in site.entries
    ]
    for kind, maker, things in (("event", event_record, site.events), ("statement", statement_record, site.statements)):
        items += [(_newest_first(t.date, kind, url=t.url), t.date.year, t.date.month or 0, maker, t) for t in things]
    return sorted(items, key=lambda item: item[0])


def _dated_records(site: Site, dated: list[tuple], period: Period) -> list[dict]:
    """The records of this period, newest first, ranked: a newest-first list is a sort by this
    key, bundle after bundle."""
    mine = [(make, item) for _, year, month, make, item in dated if period.holds(year, month)]
    return [make(site, item, f"d{rank:06d}") for rank, (make, item) in enumerate(mine)]


def _page_records(site: Site) -> list[dict]:
    """Entity pages after every dated record ("p" sorts after "d"), by name."""
    views = site.views.values()
    return [entity_record(site, view, f"p{view.entity.name.casefold()} {view.entity.url}") for view in views]


@dataclass(frozen=True)
class BundlePlan:
    """A bundle before its records are made: a full build makes each bundle's records only
    while it indexes that bundle (at 100,000 entries every record at once is about a gigabyte
    of the main process, which each page worker forked later would count)."""

    name: str
    years: tuple[str, ...]
    pages: bool
    size: int  # records: the longest bundles are indexed first
    make: Callable[[], list[dict]]
    months: tuple[str, ...] = ()

    def bundle(self) -> Bundle:
        return Bundle(self.name, tuple(self.make()), self.years, self.pages, self.months)


def planned_bundles(
    site: Site, minimum: int = 500, years: set[int] | None = None, maximum: int = 0
) -> list[BundlePlan]:
    """The bundles, newest first; the entity pages are in the last one. With `years`, only the
    bundles holding one of those years (what the preview refreshes after an edit). `maximum`:
    the most records of a year kept whole (0: no ceiling)."""
    dated = _dated(site)
    months = _month_counts(dated)
    periods, separate = _plan(site, months, minimum, maximum)
    plans = []
    for number, period in enumerate(periods):
        with_pages = number == 0 and not separate
        if years is not None and years.isdisjoint(period.years):
            continue
        labels = tuple(f"{y:04d}" for y in reversed(period.years))
        size = sum(n for (y, m), n in months.items() if period.holds(y, m)) + (len(site.views) if with_pages else 0)
        make = functools.partial(_period_records, site, dated, period, with_pages)
        name = _bundle_name(period, with_pages)
        plans.append(BundlePlan(name, labels, with_pages, size, make, period.month_labels()))
    plans.reverse()
    if separate and site.views and years is None:
        plans.append(BundlePlan(PAGES, (), True, len(site.views), functools.partial(_page_records, site)))
    return plans


def _bundle_name(period: Period, pages: bool) -> str:
    return f"{period.name}-{PAGES}" if pages else period.name


def _period_records(site: Site, dated: list[tuple], period: Period, with_pages: bool) -> list[dict]:
    return _dated_records(site, dated, period) + (_page_records(site) if with_pages else [])


def site_bundles(site: Site, minimum: int = 500, years: set[int] | None = None, maximum: int = 0) -> list[Bundle]:
    """planned_bundles() with their records made."""
    return [plan.bundle() for plan in planned_bundles(site, minimum, years, maximum)]


def bundle_names(site: Site, minimum: int = 500, maximum: int = 0) -> list[str]:
    """The names of site_bundles(site, minimum, maximum=maximum), in order, without making a record."""
    periods, separate = _plan(site, _month_counts(_dated(site)), minimum, maximum)
    names = [_bundle_name(period, number == 0 and not separate) for number, period in enumerate(periods)]
    return names[::-1] + ([PAGES] if separate and site.views else [])


def _month_counts(dated: list[tuple]) -> dict[tuple[int, int], int]:
    """Dated records by (year, month; 0 for those dated to a year alone)."""
    months: dict[tuple[int, int], int] = {}
    for _, year, month, _, _ in dated:
        months[year, month] = months.get((year, month), 0) + 1
    return months


def _plan(site: Site, months: dict, minimum: int, maximum: int) -> tuple[list[Period], bool]:
    """The bundles' periods, oldest first, and whether the entity pages have a bundle of their own."""
    periods = group_periods(months, max(minimum, 1), maximum)
    return periods, len(site.views) >= minimum or not periods
