"""What each open-data file holds: its JSON Schema (draft 2020-12, published at
/data/schema/<name>.json) and its CSV twin's columns (described in CSVW metadata beside it).
One table per file; a CSV cell that holds a list separates its items as its column says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ENTITY_ID = rf"^(country|official|issue):{SLUG}$"
ENTRY_ID = rf"^\d{{4}}/{SLUG}$"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
STATES = ["emerging", "escalating", "stable", "easing", "resolved"]


def _string(description: str, pattern: str | None = None, nullable: bool = False, **more) -> dict:
    schema: dict = {"type": ["string", "null"] if nullable else "string", "description": description, **more}
    if pattern:
        schema["pattern"] = pattern
    return schema


def _list(description: str, pattern: str) -> dict:
    return {"type": "array", "description": description, "items": {"type": "string", "pattern": pattern}}


def _count(description: str) -> dict:
    return {"type": "integer", "minimum": 0, "description": description}


SOURCES = {
    "type": "array",
    "description": "Where it is reported: a name, and a web address when it has one.",
    "items": {
        "type": "object",
        "required": ["name", "url"],
        "additionalProperties": False,
        "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"], "format": "uri"}},
    },
}
STATUS = {
    "type": "array",
    "description": "Its status history, oldest first (issues and relations with a profile that gives one).",
    "items": {
        "type": "object",
        "required": ["date", "state", "note"],
        "additionalProperties": False,
        "properties": {
            "date": _string("Since when (YYYY-MM or YYYY-MM-DD).", PARTIAL_DATE),
            "state": {"enum": STATES},
            "note": _string("What changed.", nullable=True),
        },
    },
}
NAMES = {
    "countries": _list("Countries and organisations it concerns (entity ids).", r"^country:"),
    "officials": _list("Officials it concerns (entity ids).", r"^official:"),
    "issues": _list("Issues it concerns (entity ids).", r"^issue:"),
}
DATE = _string("Its date as precisely as it is known: YYYY, YYYY-MM or YYYY-MM-DD.", PARTIAL_DATE)
PRECISION = {"enum": ["year", "month", "day"], "description": "How precisely the date is known."}
REPORTS = _list("The entries that report it (entry ids), oldest first.", ENTRY_ID)

RECORDS: dict[str, dict] = {
    "entries": {
        "id": _string("The entry's id: the year and slug of its address.", ENTRY_ID),
        "url": _string("Its page.", format="uri"),
        "title": _string("Its title."),
        "date": _string("Its publication date (ISO 8601; with its time and offset when one is given).", r"^\d{4}-"),
        "summary": _string("Its summary."),
        **NAMES,
        "events": _list("The events it reports (event ids).", r"^event-"),
        "statements": _list("The statements it reports (statement ids).", r"^statement-"),
        "sources": SOURCES,
    },
    "events": {
        "id": _string("The event's id: the anchor of its permalink.", r"^event-"),
        "url": _string("Its permalink.", format="uri"),
        "date": DATE,
        "precision": PRECISION,
        "what": _string("What happened."),
        **NAMES,
        "sources": SOURCES,
        "entries": REPORTS,
        "upcoming": {"type": "boolean", "description": "Dated after the build date (the newest entry's date)."},
    },
    "statements": {
        "id": _string("The statement's id: its anchor on the first entry that reports it.", r"^statement-"),
        "url": _string("Its address.", format="uri"),
        "date": DATE,
        "precision": PRECISION,
        "by": _string("Who said it (an official's entity id).", r"^official:"),
        "role": _string("The speaker's role at the time.", nullable=True),
        "said": _string("The words, or (when `paraphrase` is true) our summary of them."),
        "paraphrase": {"type": "boolean", "description": "True when `said` is a paraphrase, not a quotation."},
        "on": _list("The issues it is on (entity ids).", r"^issue:"),
        "sources": SOURCES,
        "entries": REPORTS,
    },
    "entities": {
        "id": _string(
            "The entity's id (`country:india`, `relation:china--india`).", r"^(country|official|issue|relation):"
        ),
        "kind": {"enum": ["country", "organisation", "official", "issue", "relation"]},
        "name": _string("Its name on the site."),
        "url": _string("Its page.", format="uri"),
        "aliases": {"type": "array", "items": {"type": "string"}, "description": "Other names it is known by."},
        "countries": _list("An official's country; a relation's two countries (entity ids).", r"^country:"),
        "role": _string("An official's current role.", nullable=True),
        "iso2": _string("ISO 3166-1 alpha-2 code.", nullable=True),
        "iso3": _string("ISO 3166-1 alpha-3 code.", nullable=True),
        "wikidata": _string("Wikidata item.", nullable=True),
        "entries": _count("Published entries that name it (a relation: that name both)."),
        "events": _count("Events that concern it."),
        "statements": _count("Statements on its page."),
        "first": _string("The date of its first entry.", nullable=True, format="date"),
        "last_updated": _string("Its newest entry, event or statement date.", PARTIAL_DATE, nullable=True),
        "state": {"enum": [*STATES, None], "description": "Its current state, if it has a status."},
        "state_since": _string("Since when it is in that state.", PARTIAL_DATE, nullable=True),
        "status": STATUS,
        "timeline_json": _string("Its page's timeline as JSON.", format="uri"),
        "timeline_csv": _string("Its page's timeline as CSV.", format="uri"),
        "calendar": _string("Its upcoming events as an iCalendar file.", format="uri"),
    },
    "timeline": {
        "kind": {"enum": ["entry", "event", "statement"]},
        "id": _string("The item's id in entries.json, events.json or statements.json."),
        "date": _string("Its date (an entry: its publication date).", PARTIAL_DATE),
        "text": _string("An entry's title, an event's text, a statement's words."),
        "url": _string("Its address.", format="uri"),
        "by": _string("A statement's speaker (entity id).", nullable=True),
        "paraphrase": {"type": ["boolean", "null"], "description": "A statement's: true when a paraphrase."},
        "entries": _list("The entries that report an event or a statement (entry ids).", ENTRY_ID),
        "sources": SOURCES,
    },
}
TITLES = {
    "entries": "Entries",
    "events": "Events",
    "statements": "Statements",
    "entities": "Countries, organisations, officials, issues and relations",
    "timeline": "A page's timeline: its entries, events and statements",
}
ROWS_KEY = {"timeline": "items"}  # the list's key in the document (else the file's name)

META = {
    "type": "object",
    "required": ["title", "licence", "site", "url", "schema", "csv", "build_date", "count"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string"},
        "licence": {"type": "string", "description": "The licence and attribution line (BRIEFING['data_licence'])."},
        "site": {"type": "string", "format": "uri"},
        "url": {"type": "string", "format": "uri", "description": "This file."},
        "schema": {"type": "string", "format": "uri"},
        "csv": {"type": "string", "format": "uri", "description": "Its CSV twin."},
        "build_date": {"type": ["string", "null"], "format": "date", "description": "The newest entry's date."},
        "count": {"type": "integer", "minimum": 0},
        "subject": {
            "type": "object",
            "required": ["id", "name", "url"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}},
        },
    },
}


def json_schema(name: str, schema_url: str) -> dict:
    """The JSON Schema of the file `name` (entries, events, statements, entities, timeline)."""
    record = RECORDS[name]
    key = ROWS_KEY.get(name, name)
    return {
        "$schema": DRAFT,
        "$id": schema_url,
        "title": f"Briefing Digest open data: {TITLES[name]}",
        "type": "object",
        "required": ["meta", key],
        "additionalProperties": False,
        "properties": {
            "meta": META,
            key: {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": list(record),
                    "additionalProperties": False,
                    "properties": record,
                },
            },
        },
    }


@dataclass(frozen=True)
class Column:
    """A CSV column: its name, how a record gives its cell, its CSVW datatype and separator."""

    name: str
    cell: Callable[[dict], object]
    datatype: str = "string"
    separator: str | None = None  # a list's items are joined by this


def _field(name: str, datatype: str = "string") -> Column:
    return Column(name, itemgetter(name), datatype)


def _ids(name: str) -> Column:
    return Column(name, itemgetter(name), separator=" ")


SOURCE_COLUMNS = (
    Column("source_names", lambda r: [s["name"] for s in r["sources"]], separator=" | "),
    Column("source_urls", lambda r: [s["url"] or "" for s in r["sources"]], separator=" "),
)
NAME_COLUMNS = (_ids("countries"), _ids("officials"), _ids("issues"))
COLUMNS: dict[str, tuple[Column, ...]] = {
    "entries": (
        *(_field(n) for n in ("id", "url", "title", "date", "summary")),
        *NAME_COLUMNS,
        _ids("events"),
        _ids("statements"),
        *SOURCE_COLUMNS,
    ),
    "events": (
        *(_field(n) for n in ("id", "url", "date", "precision", "what")),
        *NAME_COLUMNS,
        *SOURCE_COLUMNS,
        _ids("entries"),
        _field("upcoming", "boolean"),
    ),
    "statements": (
        *(_field(n) for n in ("id", "url", "date", "precision", "by", "role", "said")),
        _field("paraphrase", "boolean"),
        _ids("on"),
        *SOURCE_COLUMNS,
        _ids("entries"),
    ),
    "entities": (
        *(_field(n) for n in ("id", "kind", "name", "url")),
        Column("aliases", itemgetter("aliases"), separator=" | "),
        _ids("countries"),
        *(_field(n) for n in ("role", "iso2", "iso3", "wikidata")),
        *(_field(n, "integer") for n in ("entries", "events", "statements")),
        *(_field(n) for n in ("first", "last_updated", "state", "state_since")),
        *(_field(n) for n in ("timeline_json", "timeline_csv", "calendar")),
    ),
    "status": tuple(_field(n) for n in ("id", "date", "state", "note")),
    "timeline": (
        *(_field(n) for n in ("kind", "id", "date", "text", "url", "by")),
        _field("paraphrase", "boolean"),
        _ids("entries"),
        *SOURCE_COLUMNS,
    ),
}


def status_rows(entities: list[dict]) -> list[dict]:
    """entities.json's status histories as rows of their own (the CSV twin's second table)."""
    return [{"id": r["id"], **point} for r in entities for point in r["status"]]
