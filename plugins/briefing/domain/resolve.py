"""Turn entry drafts into entries whose names are entity keys, reporting every unknown name."""

from __future__ import annotations

from . import diagnostics as diag
from .limits import MAX_HINTS_PER_FILE
from .model import COUNTRY, ISSUE, OFFICIAL, Entry, EntryDraft, Event, Kind, NameRef, entry_url
from .names import slugify
from .registry import Registry


def _resolve_names(registry: Registry, kind: Kind, refs, path: str, problems: list) -> tuple[str, ...]:
    keys = []
    for ref in refs:
        entity = registry.find(kind, ref.name)
        if entity is None:
            problems.append(diag.error(path, ref.line, ref.column, _unknown(registry, kind, ref, problems)))
        elif entity.key not in keys:
            keys.append(entity.key)
    return tuple(keys)


def _unknown(registry: Registry, kind: Kind, ref: NameRef, problems: list) -> str:
    """The message for an unknown name; past MAX_HINTS_PER_FILE problems in a file, without a
    "did you mean" (each is an index look-up: a file of 40,000 unknown names stays cheap)."""
    hint = registry.suggestion(kind, ref.name) if len(problems) < MAX_HINTS_PER_FILE else ""
    if kind is OFFICIAL:
        return (
            f"unknown official '{ref.name}'{hint}: give their country once, as "
            f"{{name: {ref.name}, country: ...}}, or add a profile in content/officials/"
        )
    return f"unknown {kind.name} '{ref.name}'{hint}"


def _resolve_officials(registry: Registry, draft: EntryDraft, problems: list) -> tuple[list[str], dict[str, str]]:
    """(official keys in order, {key: role the entry gives}); each unknown name reported."""
    officials: list[str] = []
    roles: dict[str, str] = {}
    path = draft.path
    for ref in draft.officials:
        if ref.country is not None and registry.find(COUNTRY, ref.country.name) is None:
            problems.append(
                diag.error(
                    path, ref.country.line, ref.country.column, _unknown(registry, COUNTRY, ref.country, problems)
                )
            )
            continue
        entity = registry.find(OFFICIAL, ref.name.name)
        if entity is None:
            problems.append(
                diag.error(path, ref.name.line, ref.name.column, _unknown(registry, OFFICIAL, ref.name, problems))
            )
            continue
        if entity.key not in officials:
            officials.append(entity.key)
        if ref.role:
            roles[entity.key] = ref.role
    return officials, roles


def resolve_entry(registry: Registry, draft: EntryDraft) -> tuple[Entry | None, list]:
    """(Entry, problems); every name of the draft is resolved even when the draft is not
    `complete` (its file has other errors), but only a complete draft becomes an Entry."""
    problems: list = []
    path = draft.path
    countries = _resolve_names(registry, COUNTRY, draft.countries, path, problems)
    issues = _resolve_names(registry, ISSUE, draft.issues, path, problems)
    officials, roles = _resolve_officials(registry, draft, problems)
    event_names = []
    for event in draft.events:
        event_countries = (
            countries if event.countries is None else _resolve_names(registry, COUNTRY, event.countries, path, problems)
        )
        event_issues = issues if event.issues is None else _resolve_names(registry, ISSUE, event.issues, path, problems)
        event_names.append((event, event_countries, event_issues))
    if not draft.complete:
        return None, problems
    slug = draft.slug or draft.default_slug or slugify(draft.title)
    if not slug:
        problems.append(
            diag.error(path, draft.title_line, 1, "the title has no letters or digits for a page address: add a 'slug'")
        )
    url = entry_url(slug, draft.published.year, draft.status)
    events = [
        Event(e.date, e.what, event_countries, event_issues, url) for e, event_countries, event_issues in event_names
    ]
    entry = Entry(
        path=path,
        title=draft.title,
        published=draft.published,
        has_time=draft.has_time,
        summary=draft.summary or "",
        slug=slug,
        status=draft.status,
        countries=countries,
        officials=tuple(officials),
        issues=issues,
        official_roles=roles,
        events=tuple(sorted(events, key=lambda e: e.date.sort_key(), reverse=True)),
        sources=draft.sources,
        body=draft.body,
        body_line=draft.body_line,
        source_hash=draft.source_hash,
    )
    return entry, problems
