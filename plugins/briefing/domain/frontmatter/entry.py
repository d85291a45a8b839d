"""The entry schema: front-matter keys of content/briefings/**.md into an EntryDraft."""

from __future__ import annotations

import hashlib

from .. import diagnostics as diag
from ..model import EntryDraft, OfficialRef, Source
from ..names import MAX_SLUG_LENGTH, did_you_mean, is_slug, slugify
from .fields import Fields, FrontMatterError
from .reports import read_events, read_source, read_statements
from .source import read_front_matter

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
    problems: list = []
    parts = read_front_matter(path, raw, problems)
    if parts is None:
        return None, problems
    root, body, body_line = parts
    f = Fields(path, problems)
    try:
        found = f.mapping(root, ENTRY_KEYS, "front matter")
    except FrontMatterError:
        return None, problems
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
    slug = None
    if "slug" in found:
        slug = f.attempt(f.text, value("slug"), "slug")
        if slug is not None and not is_slug(slug):
            f.attempt(
                f.fail,
                value("slug"),
                f"slug '{slug}' must be lowercase letters, digits and single hyphens (e.g. 'india-china-talks'), at most {MAX_SLUG_LENGTH} characters",
            )
            slug = None
    status = "published"
    if "status" in found:
        status = f.attempt(f.text, value("status"), "status")
        if status not in STATUSES:
            f.attempt(
                f.fail,
                value("status"),
                f"status '{status}' must be 'published' or 'draft'{did_you_mean(str(status), STATUSES)}",
            )
    if diag.has_errors(problems):
        return None, problems
    line_of = lambda key: found[key][0].start_mark.line + 2 if key in found else 1  # noqa: E731
    return EntryDraft(
        path=path,
        title=title,
        published=published,
        has_time=has_time,
        summary=summary,
        countries=countries,
        officials=officials,
        issues=issues,
        events=events,
        sources=sources,
        slug=slug,
        status=status,
        body=body,
        body_line=body_line,
        date_line=line_of("date"),
        slug_line=line_of("slug"),
        title_line=line_of("title"),
        source_hash=hashlib.sha1(raw).hexdigest(),
        default_slug=slugify(title),
        statements=statements,
    ), problems


def _officials(f: Fields, node):
    for item, found in f.short_or_mapping(
        node, "officials", OFFICIAL_KEYS, "an official", "name", "an official given as a mapping needs 'name'"
    ):
        if found is None:
            name = f.attempt(f.name, item, "officials")
            if name:
                yield OfficialRef(name)
            continue
        name = f.attempt(f.name, found["name"][1], "name")
        country = f.attempt(f.name, found["country"][1], "country") if "country" in found else None
        role = f.attempt(f.text, found["role"][1], "role") if "role" in found else None
        if name:
            yield OfficialRef(name, country, role)


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
