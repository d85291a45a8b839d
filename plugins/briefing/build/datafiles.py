"""The open-data files, written once per build from the derived model: /data/entries,
events, statements and entities as JSON and CSV, each with its JSON Schema in /data/schema/
and CSVW metadata beside the CSV (where its licence, attribution and columns are); and on every
entity and relation page its own timeline.json and timeline.csv. JSON holds one record per line;
CSV is RFC 4180 (CRLF, a header row). A record shared by many pages is serialised once; a
site file is made and written in parts, so that no process holds a whole one (at 100,000
entries entries.json is 77 MB), a page's timeline, whose rows are kept serialised anyway, whole."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..compact_json import compact
from ..domain.opendata import (
    SubjectFiles,
    entity_records,
    entry_record,
    event_record,
    relation_id,
    statement_record,
    timeline_items,
    timeline_record,
)
from ..domain.opendata_schema import COLUMNS, ROWS_KEY, TITLES, Column, json_schema, status_rows
from ..domain.views import Site
from ..safety import write_atomically
from .ics import CalendarWriter
from .output import PageWriter, in_blocks
from .templating import licence_line, site_addresses

DATA = "/data/"
SCHEMA = "/data/schema/"
SITE_FILES = ("entries", "events", "statements", "entities")


@dataclass
class DataContext:
    """What every file's metadata names: the site, its licence line, the build date."""

    site: Site
    absolute: Callable[[str], str]
    sitename: str
    licence: str
    sink: Callable[[str, Iterable[bytes]], None]  # takes each file as it is made, in parts (DataSink)

    def meta(self, name: str, url: str, csv_url: str, count: int, subject: dict | None = None) -> dict:
        meta = {
            "title": f"{self.sitename}: {TITLES[name]}" if subject is None else f"{subject['name']}: timeline",
            "licence": self.licence,
            "site": self.absolute("/"),
            "url": self.absolute(url),
            "schema": self.absolute(f"{SCHEMA}{name}.json"),
            "csv": self.absolute(csv_url),
            "build_date": self.site.build_date.isoformat() if self.site.build_date else None,
            "count": count,
        }
        if subject is not None:
            meta["subject"] = subject
        return meta

    def add(self, url: str, parts: str | Iterable[str]):
        self.sink(url, (parts.encode("utf-8"),) if isinstance(parts, str) else _encoded(parts))


ENCODED_BLOCK = 1 << 20  # characters joined before they are encoded: one encode per block, not per line


def _encoded(parts: Iterable[str]) -> Iterator[bytes]:
    return ("".join(block).encode("utf-8") for block in in_blocks(parts, ENCODED_BLOCK))


def json_document(meta: dict, key: str, rows: Iterable[str], count: int) -> Iterator[str]:
    """`{"meta": {...}, "<key>": [` then one record per line: valid JSON that diffs by record;
    in parts, `count` being how many `rows` there are (a list of them is joined at once)."""
    if not count:
        yield f'{{"meta":{compact(meta)},"{key}":[]}}\n'
        return
    yield f'{{"meta":{compact(meta)},\n"{key}":[\n'
    if isinstance(rows, list):
        yield ",\n".join(rows)
    else:
        separator = ""
        for row in rows:
            yield separator + row
            separator = ",\n"
    yield "\n]}\n"


def csv_header(name: str) -> str:
    return csv_line([c.name for c in COLUMNS[name]])


def csv_row(name: str, record: dict) -> str:
    return csv_line(_CELLS[name](record))


_FLAGS = {True: "true", False: "false", None: ""}


def _cells_by_kind(columns: tuple[Column, ...]) -> Callable[[dict], list]:
    """A record's cells by its columns' kinds: a list joined by the column's separator, a
    boolean true or false, nothing empty; text and numbers as they are."""
    cells = [column.cell for column in columns]
    joined = [(at, column.separator) for at, column in enumerate(columns) if column.separator is not None]
    flags = [at for at, column in enumerate(columns) if column.datatype == "boolean"]

    def made(record: dict) -> list:
        out = [cell(record) for cell in cells]
        for at, separator in joined:
            out[at] = separator.join(out[at])
        for at in flags:
            out[at] = _FLAGS[out[at]]
        return out

    return made


_CELLS = {name: _cells_by_kind(columns) for name, columns in COLUMNS.items()}


_QUOTED = re.compile(r'[",\r\n]')  # a cell holding any of these is quoted (RFC 4180)
_QUOTE_OR_BREAK = re.compile(r'["\r\n]')  # (the commas of a joined row are counted instead)


def csv_line(cells: list) -> str:
    """A row as `csv.writer(..., lineterminator="\r\n")` writes it: None empty, a cell with a
    comma, a quote or a line break quoted, its quotes doubled. Made here: the csv module copies
    every cell through a buffer of 4-byte characters (6 us a row at 10,000 entries, against 4),
    and most rows need no quote at all, which one look at the joined row tells."""
    texts = [cell if cell.__class__ is str else "" if cell is None else str(cell) for cell in cells]
    line = ",".join(texts)
    if line.count(",") >= len(texts) or _QUOTE_OR_BREAK.search(line):
        line = ",".join(['"' + text.replace('"', '""') + '"' if _QUOTED.search(text) else text for text in texts])
    elif line == "" and len(texts) == 1:
        line = '""'  # (an empty row would read as no row)
    return line + "\r\n"


def csv_metadata(name: str, csv_file: str, title: str, context: DataContext) -> dict:
    """CSV on the Web metadata (W3C), found by tools at `<file>.csv-metadata.json`."""
    columns = []
    for column in COLUMNS[name]:
        described = {"name": column.name, "titles": column.name, "datatype": column.datatype}
        if column.separator:
            described["separator"] = column.separator
        columns.append(described)
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_file,
        "dc:title": title,
        "dc:license": context.licence,
        "dc:publisher": context.sitename,
        "dc:source": context.absolute("/"),
        "tableSchema": {"columns": columns, **({"primaryKey": "id"} if name != "status" else {})},
    }


def _table(context: DataContext, name: str, base: str, rows: Iterable[tuple[str, str]], count: int, subject=None):
    """One JSON document, its CSV twin and the twin's CSVW metadata, from the `count` records'
    (JSON line, CSV line). A list of them (a page's timeline, made already) gives two files
    written whole; other rows are written as they are made, the CSV lines kept until the JSON is."""
    json_url, csv_url = f"{base}.json", f"{base}.csv"
    meta = context.meta(name, json_url, csv_url, count, subject)
    key = ROWS_KEY.get(name, name)
    if isinstance(rows, list):
        context.add(json_url, "".join(json_document(meta, key, [row[0] for row in rows], count)))
        context.add(csv_url, csv_header(name) + "".join([row[1] for row in rows]))
    else:
        csv_lines = [csv_header(name)]

        def json_lines():
            for json_line, csv_text in rows:
                csv_lines.append(csv_text)
                yield json_line

        context.add(json_url, json_document(meta, key, json_lines(), count))
        context.add(csv_url, csv_lines)
    file_name = csv_url.rsplit("/", 1)[1]
    context.add(f"{csv_url}-metadata.json", compact(csv_metadata(name, file_name, meta["title"], context)) + "\n")


def _records(site: Site, absolute, entities: list[dict]) -> dict[str, tuple[list, Callable[[object], dict]]]:
    """Each site file's items and what makes an item's record: a record is made as it is
    written and then let go (the entries' alone are hundreds of megabytes at 100,000 entries)."""
    upcoming = {id(e) for e in site.upcoming}
    return {
        "entries": (site.entries, lambda e: entry_record(e, absolute)),
        "events": (site.events, lambda e: event_record(e, absolute, id(e) in upcoming)),
        "statements": (site.statements, lambda s: statement_record(s, absolute)),
        "entities": (entities, lambda record: record),
    }


def site_data(context: DataContext):
    """/data/<name>.json and .csv for entries, events, statements and entities (with
    /data/status.csv, the status histories), and every schema."""
    entities = entity_records(context.site, context.absolute)
    records = _records(context.site, context.absolute, entities)
    for name in SITE_FILES:
        items, record = records[name]
        rows = ((compact(r), csv_row(name, r)) for r in map(record, items))
        _table(context, name, f"{DATA}{name}", rows, len(items))
    status = status_rows(entities)
    meta_title = f"{context.sitename}: status histories"
    context.add(f"{DATA}status.csv", csv_header("status") + "".join(csv_row("status", r) for r in status))
    context.add(f"{DATA}status.csv-metadata.json", compact(csv_metadata("status", "status.csv", meta_title, context)))
    for name in (*SITE_FILES, "timeline"):
        url = f"{SCHEMA}{name}.json"
        context.add(url, json.dumps(json_schema(name, context.absolute(url)), ensure_ascii=False, indent=2) + "\n")


def subject_data(context: DataContext):
    """Each entity's and each relation's timeline, as JSON and CSV beside its page. A row is
    serialised once however many pages list it."""
    rows: dict[tuple[str, str], tuple[str, str]] = {}

    def row(kind: str, item) -> tuple[str, str]:
        key = (kind, item.url if kind == "entry" else item.anchor)
        if key not in rows:
            record = timeline_record(kind, item, context.absolute)
            rows[key] = (compact(record), csv_row("timeline", record))
        return rows[key]

    subjects = [(v, v.entity.key, v.entity.name, v.entity.url) for v in context.site.views.values()]
    subjects += [(r, relation_id(r), r.name, r.url) for r in context.site.relations]
    for subject, subject_id, name, url in subjects:
        found = [row(kind, item) for kind, item in timeline_items(subject)]
        files = SubjectFiles.of(url)
        about = {"id": subject_id, "name": name, "url": context.absolute(url)}
        base = files.json.removesuffix(".json")
        _table(context, "timeline", base, found, len(found), about)


def open_data(site: Site, settings: dict, config, sink: Callable[[str, Iterable[bytes]], None]):
    """Every data file, then every calendar, handed to `sink` one at a time in a fixed order."""
    _, absolute = site_addresses(settings)
    sitename, licence = settings.get("SITENAME", "Briefing Digest"), licence_line(config, settings)
    context = DataContext(site, absolute, sitename, licence, sink)
    site_data(context)
    subject_data(context)
    for url, data in CalendarWriter(site, absolute, sitename, licence).files():
        sink(url, (data,))


class DataSink:
    """Writes each data file as its parts are made and keeps a hash of its bytes (what the
    preview and the quick rebuild compare), so no process holds every file at once: at 100,000
    entries they are over a gigabyte. Given the `previous` digests (the preview), it writes only
    the files whose bytes changed, each atomically (whole: it must be compared first), and lists
    them in `changed`."""

    def __init__(self, root, previous: dict[str, str] | None = None):
        self.writer = PageWriter(root)
        self.previous = previous
        self.digests: dict[str, str] = {}  # URL -> digest, in the order made
        self.changed: list[str] = []

    def __call__(self, url: str, parts: Iterable[bytes]):
        if self.previous is None and isinstance(parts, tuple):  # whole already (a timeline, a calendar)
            data = b"".join(parts)
            self.writer.write_bytes(url, data, "calendar" if url.endswith(".ics") else "data")
            self.digests[url] = hashlib.sha1(data).hexdigest()
            return
        if self.previous is None:
            hashed = hashlib.sha1()
            self.writer.write_parts(url, _hashing(parts, hashed), "calendar" if url.endswith(".ics") else "data")
            self.digests[url] = hashed.hexdigest()
            return
        data = b"".join(parts)
        digest = self.digests[url] = hashlib.sha1(data).hexdigest()
        if self.previous.get(url) != digest:
            path = self.writer.path_for(url)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomically(path, data)
            self.changed.append(url)


def _hashing(parts: Iterable[bytes], hashed) -> Iterator[bytes]:
    for part in parts:
        hashed.update(part)
        yield part
