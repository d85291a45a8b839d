"""What the search index holds: one record per published entry, event (at its permalink),
statement (at its anchor) and entity page, grouped into bundles (one per year, by the date of
each entry, event or statement; one for the entity pages).

A record is plain data (url, content, meta, filters, sort), exactly what Pagefind's custom
records take, so nothing is re-parsed from our own HTML. Bundles are the unit of
re-indexing: a record's content depends only on its own entry or entity (names included),
so an edit re-indexes the bundle of its year and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html.parser import HTMLParser

from ..domain.dates import long_date
from ..domain.views import Site

ENTITIES_BUNDLE = "entities"
SUMMARY_CHARS = 240  # of an entity's profile, shown when browsing without a query
# A word in every record. Browsing by filters alone searches for it: a search without words
# makes Pagefind load every chunk of every bundle's word index (5 s and ~25 MB at 10,000
# entries), while this word's postings are one small chunk per bundle. It starts with "zq",
# which no English word does, so no prefix a reader types matches it.
BROWSE_WORD = "zqxjbrowse"


@dataclass(frozen=True)
class Bundle:
    """One Pagefind bundle, written to /pagefind/<name>/."""

    name: str
    records: tuple[dict, ...]

    @property
    def digest(self) -> str:
        """Hash of everything indexed: equal digests give byte-identical bundles."""
        text = json.dumps(self.records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha1(f"{self.name}\n{text}".encode()).hexdigest()


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


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit].rstrip(" ,;:") + "…"


def _chips(site: Site, keys) -> str:
    """The entities an entry names, as JSON [[kind, name, url or ""]]: drawn as chips by the page."""
    chips = []
    for key in keys:
        entity = site.entity(key)
        chips.append([entity.kind.name, entity.name, entity.url if site.has_page(key) else ""])
    return json.dumps(chips, ensure_ascii=False, separators=(",", ":"))


def entry_record(site: Site, entry, rank: int) -> dict:
    names = [site.entity(k).name for k in entry.entity_keys]
    events = [event.what for event in entry.events]
    sources = [source.name for source in entry.sources]
    # Names last: they make "India" find every entry naming India, but excerpts read better
    # from the text.
    content = "\n".join([entry.title, entry.summary, entry.text, *events, *sources, " · ".join(names), BROWSE_WORD])
    filters = {
        "kind": ["entry"],
        "country": [site.entity(k).name for k in entry.countries],
        "official": [site.entity(k).name for k in entry.officials],
        "issue": [site.entity(k).name for k in entry.issues],
        "year": [f"{entry.date.year:04d}"],
    }
    return {
        "url": entry.url,
        "content": content,
        "language": "en",
        "meta": {
            "title": entry.title,
            "date": entry.date.isoformat(),
            "date_label": long_date(entry.date),
            "kind": "entry",
            "summary": entry.summary,
            "chips": _chips(site, entry.entity_keys),
        },
        "filters": {k: v for k, v in filters.items() if v},
        # The site's own order (newest first, then by URL) as a rank within the year: dates alone
        # tie, and a rank within one year changes only that year's bundle.
        "sort": {"order": f"{rank:06d}"},
    }


def _filters(site: Site, kind: str, keys, year: int, countries=()) -> dict:
    """The filters of an event or a statement: as an entry's, over the entities it concerns."""
    names = {"country": [], "official": [], "issue": []}
    for key in (*countries, *keys):
        entity = site.entity(key)
        if entity.name not in names[entity.kind.name]:
            names[entity.kind.name].append(entity.name)
    filters = {"kind": [kind], **names, "year": [f"{year:04d}"]}
    return {k: v for k, v in filters.items() if v}


def event_record(site: Site, event, rank: int) -> dict:
    """An event, once, at its permalink: found by its own words, its sources and the names of
    what it concerns (not its entries' titles: a search for a word finds the events that say it)."""
    names = [site.entity(k).name for k in event.entity_keys]
    sources = [s.name for s in event.sources]
    count = len(event.reports)
    summary = f"Reported in {count} {'entry' if count == 1 else 'entries'}" + (f" · {sources[0]}" if sources else "")
    return {
        "url": event.url,
        "content": "\n".join([event.what, *sources, " · ".join(names), BROWSE_WORD]),
        "language": "en",
        "meta": {
            "title": event.what,
            "date": event.date.iso(),
            "date_label": event.date.label(),
            "kind": "event",
            "summary": summary,
            "chips": _chips(site, event.entity_keys),
        },
        "filters": _filters(site, "event", event.entity_keys, event.date.year),
        "sort": {"order": f"{rank:06d}"},
    }


def statement_record(site: Site, statement, rank: int) -> dict:
    """A statement at its anchor on its entry: found by the words said and the speaker."""
    speaker = site.entity(statement.by)
    country = (speaker.country,) if speaker.country else ()
    detail = ", ".join(p for p in (speaker.name, statement.role) if p)
    said = f"In paraphrase: {statement.said}" if statement.paraphrase else f"“{statement.said}”"
    sources = [statement.source.name] if statement.source else []
    return {
        "url": statement.url,
        "content": "\n".join([statement.said, detail, *sources, BROWSE_WORD]),
        "language": "en",
        "meta": {
            "title": f"{speaker.name}: {_shorten(statement.said, 90)}",
            "date": statement.date.iso(),
            "date_label": statement.date.label(),
            "kind": "statement",
            "summary": said,
            "detail": detail,
            "chips": _chips(site, (statement.by, *statement.on)),
        },
        "filters": _filters(site, "statement", (statement.by, *statement.on), statement.date.year, country),
        "sort": {"order": f"{rank:06d}"},
    }


def entity_record(site: Site, view) -> dict:
    entity = view.entity
    kind = entity.kind
    country = site.entity(entity.country).name if entity.country else None
    lines = [entity.name, kind.singular_title, ", ".join(entity.aliases)]
    if entity.current_role:
        lines.append(entity.current_role)
    if country:
        lines.append(country)
    profile = html_text(entity.profile_html)
    lines += [profile, BROWSE_WORD]
    filters = {"kind": [kind.name], kind.name: [entity.name]}
    if country:  # an official's
        filters["country"] = [country]
    meta = {"title": entity.name, "kind": kind.name, "summary": _shorten(profile, SUMMARY_CHARS)}
    if entity.current_role or country:
        meta["detail"] = ", ".join(p for p in (entity.current_role, country) if p)
    return {
        "url": entity.url,
        "content": "\n".join(line for line in lines if line),
        "language": "en",
        "meta": meta,
        "filters": filters,
        "sort": {"order": f"{entity.name.casefold()} {entity.url}"},
    }


def site_bundles(site: Site, years: set[int] | None = None) -> list[Bundle]:
    """The entity pages' bundle first, then one bundle per year of entries, newest year first.
    With `years`, only those years' bundles (the preview's refresh after an edit)."""
    by_year: dict[int, list] = {}
    for entry in site.entries:  # newest first
        if years is None or entry.date.year in years:
            by_year.setdefault(entry.date.year, []).append((entry_record, entry))
    for event in site.events:  # newest first: ranked after the year's entries
        if years is None or event.date.year in years:
            by_year.setdefault(event.date.year, []).append((event_record, event))
    for statement in site.statements:
        if years is None or statement.date.year in years:
            by_year.setdefault(statement.date.year, []).append((statement_record, statement))
    bundles = []
    if years is None:
        bundles.append(Bundle(ENTITIES_BUNDLE, tuple(entity_record(site, view) for view in site.views.values())))
    for year in sorted(by_year, reverse=True):
        records = tuple(make(site, item, rank) for rank, (make, item) in enumerate(by_year[year]))
        bundles.append(Bundle(f"{year:04d}", records))
    return [b for b in bundles if b.records]


def bundle_names(site: Site) -> list[str]:
    """The names site_bundles(site) gives, without making a record."""
    years = {e.date.year for e in site.entries} | {e.date.year for e in site.events}
    years |= {s.date.year for s in site.statements}
    return ([ENTITIES_BUNDLE] if site.views else []) + [f"{y:04d}" for y in sorted(years, reverse=True)]
