"""The open data behind the pages, as plain records: every published entry, event, statement
and entity (countries, organisations, officials, issues, relations with their status
histories), and each page's own timeline. Ids and URLs are the site's own, dates ISO 8601,
order the pages' order; drafts never appear (the Site holds only published items). Built once
per build from the derived model; `build/datafiles.py` writes them as JSON and CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .dates import PartialDate
from .model import Entry, Event, Source, Statement, StatusPoint
from .views import EntityView, Relation, Site

Absolute = Callable[[str], str]  # a site path -> its absolute URL
PRECISION = {1: "year", 2: "month", 3: "day"}  # parts of a date written -> how precise it is

# The files of a page's own data, beside its index.html (an entity's or a relation's page).
TIMELINE_JSON = "timeline.json"
TIMELINE_CSV = "timeline.csv"
CALENDAR_ICS = "calendar.ics"


def entry_id(entry: Entry) -> str:
    """`2025/india-china-rare-earths`: its URL's year and slug, unique as its URL is."""
    return entry.url.removeprefix("/briefings/").strip("/")


def relation_id(relation: Relation) -> str:
    return f"relation:{relation.slug}"


def precision(date: PartialDate) -> str:
    return PRECISION[1 + bool(date.month) + bool(date.day)]


def _sources(sources: tuple[Source, ...]) -> list[dict]:
    """Only web addresses are given as URLs (as on the pages): anything else is its name alone."""
    return [{"name": s.name, "url": s.href if s.is_web else None} for s in sources]


def _status(points: tuple[StatusPoint, ...]) -> list[dict]:
    return [{"date": p.date.iso(), "state": p.state, "note": p.note} for p in points]


def entry_record(entry: Entry, absolute: Absolute) -> dict:
    return {
        "id": entry_id(entry),
        "url": absolute(entry.url),
        "title": entry.title,
        "date": entry.published.isoformat() if entry.has_time else entry.date.isoformat(),
        "summary": entry.summary,
        "countries": list(entry.countries),
        "officials": list(entry.officials),
        "issues": list(entry.issues),
        "events": [e.anchor for e in entry.events if e.published],
        "statements": [s.anchor for s in entry.statements],
        "sources": _sources(entry.sources),
    }


def event_record(event: Event, absolute: Absolute, upcoming: bool) -> dict:
    return {
        "id": event.anchor,
        "url": absolute(event.url),
        "date": event.date.iso(),
        "precision": precision(event.date),
        "what": event.what,
        "countries": list(event.countries),
        "officials": list(event.officials),
        "issues": list(event.issues),
        "sources": _sources(event.sources),
        "entries": [entry_id(e) for e in event.reports],
        "upcoming": upcoming,
    }


def statement_record(statement: Statement, absolute: Absolute) -> dict:
    return {
        "id": statement.anchor,
        "url": absolute(statement.url),
        "date": statement.date.iso(),
        "precision": precision(statement.date),
        "by": statement.by,
        "role": statement.role,
        "said": statement.said,
        "paraphrase": statement.paraphrase,
        "on": list(statement.on),
        "sources": _sources((statement.source,) if statement.source else ()),
        "entries": [entry_id(e) for e in statement.reports],
    }


@dataclass(frozen=True)
class SubjectFiles:
    """The addresses of a page's own data files (its timeline and its calendar)."""

    json: str
    csv: str
    calendar: str

    @classmethod
    def of(cls, page_url: str) -> SubjectFiles:
        return cls(page_url + TIMELINE_JSON, page_url + TIMELINE_CSV, page_url + CALENDAR_ICS)


def _subject(counts: tuple[int, int, int], standing, absolute: Absolute, page_url: str) -> dict:
    """What entities and relations share: counts, dates, status and their files."""
    entries, events, statements = counts
    current = standing.current
    files = SubjectFiles.of(page_url)
    return {
        "entries": entries,
        "events": events,
        "statements": statements,
        "first": standing.entries[-1].date.isoformat() if standing.entries else None,
        "last_updated": standing.last_updated.iso() if standing.last_updated else None,
        "state": current.state if current else None,
        "state_since": current.date.iso() if current else None,
        "status": _status(standing.status),
        "timeline_json": absolute(files.json),
        "timeline_csv": absolute(files.csv),
        "calendar": absolute(files.calendar),
    }


def entity_record(view: EntityView, absolute: Absolute) -> dict:
    entity = view.entity
    kind = "organisation" if entity.is_bloc else entity.kind.name
    record = {
        "id": entity.key,
        "kind": kind,
        "name": entity.name,
        "url": absolute(entity.url),
        "aliases": list(entity.aliases),
        "countries": [entity.country] if entity.country else [],
        "role": entity.current_role if entity.kind.name == "official" else None,
        "iso2": entity.iso2,
        "iso3": entity.iso3,
        "wikidata": entity.wikidata,
    }
    counts = (len(view.entries), len(view.events), len(view.statements))
    return record | _subject(counts, view, absolute, entity.url)


def relation_record(relation: Relation, absolute: Absolute) -> dict:
    record = {
        "id": relation_id(relation),
        "kind": "relation",
        "name": relation.name,
        "url": absolute(relation.url),
        "aliases": relation.aliases,
        "countries": [relation.a.key, relation.b.key],
        "role": None,
        "iso2": None,
        "iso3": None,
        "wikidata": None,
    }
    counts = (len(relation.entries), len(relation.events), len(relation.statements))
    return record | _subject(counts, relation, absolute, relation.url)


def entity_records(site: Site, absolute: Absolute) -> list[dict]:
    """Every entity with a page (by kind, then name, as the indexes list them), then every relation."""
    kinds = {"country": 0, "organisation": 1, "official": 2, "issue": 3}
    records = [entity_record(view, absolute) for view in site.views.values()]
    records.sort(key=lambda r: (kinds[r["kind"]], r["name"].casefold(), r["id"]))
    return records + [relation_record(r, absolute) for r in site.relations]


def timeline_record(kind: str, item, absolute: Absolute) -> dict:
    """One row of a page's timeline: an entry, an event or a statement, in one shape."""
    if kind == "entry":
        date, text, by, paraphrase = item.date.isoformat(), item.title, None, None
        entries, sources, item_id = [], _sources(item.sources), entry_id(item)
    elif kind == "event":
        date, text, by, paraphrase = item.date.iso(), item.what, None, None
        entries, sources, item_id = [entry_id(e) for e in item.reports], _sources(item.sources), item.anchor
    else:
        date, text, by, paraphrase = item.date.iso(), item.said, item.by, item.paraphrase
        entries, item_id = [entry_id(e) for e in item.reports], item.anchor
        sources = _sources((item.source,) if item.source else ())
    return {
        "kind": kind,
        "id": item_id,
        "date": date,
        "text": text,
        "url": absolute(item.url),
        "by": by,
        "paraphrase": paraphrase,
        "entries": entries,
        "sources": sources,
    }


KIND_ORDER = {"event": 0, "statement": 1, "entry": 2}


def timeline_items(subject) -> list[tuple[str, object]]:
    """A page's entries, events and statements, newest first as its timeline lists them (a
    vague date above the precise dates it spans), then events, statements, entries, then by id."""
    items = [
        ((-e.date.year, -e.date.month, -e.date.day), KIND_ORDER["entry"], e.url, "entry", e) for e in subject.entries
    ]
    for kind, reports in (("event", subject.events), ("statement", subject.statements)):
        items += [(tuple(-n for n in r.date.sort_key()), KIND_ORDER[kind], r.anchor, kind, r) for r in reports]
    items.sort(key=lambda i: i[:3])
    return [(kind, item) for *_, kind, item in items]
