"""The entry schema: front-matter keys of content/briefings/**.md into an EntryDraft."""

from __future__ import annotations

import hashlib

from .. import diagnostics as diag
from ..model import EntryDraft, OfficialRef, Source
from ..names import MAX_SLUG_LENGTH, did_you_mean, is_slug, slugify
from .fields import Fields, open_front_matter
from .plain_entry import plain_entry
from .reports import read_events, read_source, read_statements

ENTRY_KEYS = (
    "title",
    "date",
    "summary",
    "countries",
    "officials",
    "issues",
    "events",
    "statements",
    "source",
    "sources",
    "slug",
    "status",
)
OFFICIAL_KEYS = ("name", "country", "role")
STATUSES = ("published", "draft")


def parse_entry(path: str, raw: bytes) -> tuple[EntryDraft | None, list]:
    """Check one entry file: (draft, diagnostics); the draft is None on any error."""
    draft, problems = read_entry(path, raw)
    return (draft if draft is not None and draft.complete else None), problems


def read_entry(path: str, raw: bytes, front_only: bool = False) -> tuple[EntryDraft | None, list]:
    """Check one entry file: (draft, diagnostics). The draft holds every value that was read
    without error, and is None only when the front matter could not be read at all; it is
    `complete` when the file has no error. Names are resolved from every draft, so one
    mistake in a file never hides or invents a problem in another. `front_only` (the check):
    the same diagnostics, but the draft's body and `source_hash` are empty."""
    draft = plain_entry(path, raw, front_only)
    if draft is not None:  # the usual shape, with no problem: read without YAML nodes
        return draft, []
    return read_entry_exactly(path, raw, front_only)


def read_entry_exactly(path: str, raw: bytes, front_only: bool = False) -> tuple[EntryDraft | None, list]:
    """read_entry by the YAML nodes, for any file."""
    problems: list = []
    opened = open_front_matter(path, raw, ENTRY_KEYS, "front matter", problems, front_only)
    if opened is None:
        return None, problems
    f, found, body, body_line = opened
    for required in ("title", "date"):
        if required not in found:
            problems.append(diag.error(path, 1, 1, f"missing required key '{required}'"))

    def value(key):
        return found[key][1] if key in found else None

    title = f.attempt(f.text, value("title"), "title") if "title" in found else None
    published, has_time = (
        f.attempt(f.datetime, value("date"), "date", default=(None, False)) if "date" in found else (None, False)
    )
    summary = f.attempt(f.long_text, value("summary"), "summary") if "summary" in found else None
    if summary is not None:
        summary = " ".join(summary.split())
    countries = f.attempt(f.names, value("countries"), "countries", default=()) if "countries" in found else ()
    issues = f.attempt(f.names, value("issues"), "issues", default=()) if "issues" in found else ()
    officials = tuple(_officials(f, value("officials"))) if "officials" in found else ()
    events = tuple(read_events(f, value("events"))) if "events" in found else ()
    statements = tuple(read_statements(f, value("statements"))) if "statements" in found else ()
    sources = _sources(f, found)
    slug = _slug(f, value("slug")) if "slug" in found else None
    status = _status(f, value("status")) if "status" in found else "published"
    line_of = lambda key: found[key][0].start_mark.line + 2 if key in found else 1  # noqa: E731
    return EntryDraft(
        path=path,
        title=title or "",
        published=published,  # type: ignore[arg-type]  # None only in a draft that is not complete
        has_time=has_time,
        summary=summary,
        countries=countries,
        officials=officials,
        issues=issues,
        events=events,
        sources=sources,
        slug=slug,
        status=status,
        body="" if front_only else body,
        body_line=body_line,
        date_line=line_of("date"),
        slug_line=line_of("slug"),
        title_line=line_of("title"),
        source_hash="" if front_only else hashlib.sha1(raw).hexdigest(),
        default_slug=slugify(title or ""),
        statements=statements,
        complete=not diag.has_errors(problems),
    ), problems


def _officials(f: Fields, node):
    short = lambda item, what: OfficialRef(f.name(item, what))  # noqa: E731  (a name alone)
    needs = "an official given as a mapping needs 'name'"
    return f.short_or_mapping(node, "officials", OFFICIAL_KEYS, "an official", "name", needs, short, _official)


def _official(f: Fields, found: dict) -> OfficialRef | None:
    name = f.attempt(f.name, found["name"][1], "name")
    country = f.attempt(f.name, found["country"][1], "country") if "country" in found else None
    role = f.attempt(f.text, found["role"][1], "role") if "role" in found else None
    return OfficialRef(name, country, role) if name else None


def _slug(f: Fields, node) -> str | None:
    slug = f.attempt(f.text, node, "slug")
    if slug is not None and not is_slug(slug):
        f.attempt(
            f.fail,
            node,
            f"slug '{slug}' must be lowercase letters, digits and single hyphens "
            f"(e.g. 'india-china-talks'), at most {MAX_SLUG_LENGTH} characters",
        )
        return None
    return slug


def _status(f: Fields, node) -> str:
    status = f.attempt(f.text, node, "status")
    if status not in STATUSES:
        hint = did_you_mean(str(status), STATUSES)
        f.attempt(f.fail, node, f"status '{status}' must be 'published' or 'draft'{hint}")
    return status


def _sources(f: Fields, found) -> tuple[Source, ...]:
    if "source" in found and "sources" in found:
        f._record(found["sources"][0], "give either 'source' or 'sources', not both")
        return ()
    key = "source" if "source" in found else "sources" if "sources" in found else None
    if key is None:
        return ()
    out = []
    for item in f.attempt(f.items, found[key][1], key, default=[]):
        source = read_source(f, item)
        if source is not None:
            out.append(source)
    return tuple(out)
