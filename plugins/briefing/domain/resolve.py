"""Turn entry drafts into entries whose names are entity keys, reporting every unknown name;
give each event the entities it concerns, and each statement its speaker and issues."""

from __future__ import annotations

from . import diagnostics as diag
from .countries import names_in_text
from .dates import PartialDate
from .limits import MAX_HINTS_PER_FILE
from .mentions import MentionIndex, MentionTarget, names_apart, names_in
from .model import (
    COUNTRY,
    ISSUE,
    OFFICIAL,
    Entity,
    Entry,
    EntryDraft,
    EventDraft,
    EventReport,
    Kind,
    NameRef,
    Statement,
    entry_url,
)
from .names import slugify
from .registry import Registry

ACTOR_KINDS = (COUNTRY, OFFICIAL, ISSUE)
OWN_LIST = "its own list"
NAMED = "named in its text"
FALLBACK = "its entry's: its text names none of them"


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


def mention_target(entity: Entity) -> MentionTarget:
    """The names that stand for an entity in text (names_in_text: its name and aliases, not
    its ISO codes), keyed by entity key (see _Names)."""
    return MentionTarget(entity.key, names_in_text(entity), ignore_case=entity.kind.mentions_any_case)


def _probe(target: MentionTarget) -> tuple[bool, tuple[str, ...]]:
    """(in any case?, the names as MentionIndex matches them): what a text must hold for the
    target to be named in it."""
    return target.ignore_case, target.matched


class _Names:
    """Which of an entry's entities a text names. Only the entities one of whose names the
    text holds at all (a substring test, in C) can be named, so the mention index is made of
    those alone, and shared by every text that holds the same ones (each entity's target,
    each such index and each text's scan made once per build): most event texts hold one or
    two names, and an event reported by many entries has one text."""

    def __init__(self, registry: Registry, keys):
        self.registry, self.keys = registry, tuple(keys)

    def __call__(self, text: str, candidates) -> frozenset[str]:
        targets, indexes, probes = self.registry.mention_targets, self.registry.mention_indexes, self.registry.probes
        lowered = text.lower()
        if len(lowered) != len(text):  # as MentionIndex.mentions does: then names match exactly
            lowered = text
        present = []
        for key in self.keys:
            probe = probes.get(key)
            if probe is None:
                target = targets.get(key)
                if target is None:
                    target = targets[key] = mention_target(self.registry.entities[key])
                probe = probes[key] = _probe(target)
            haystack = lowered if probe[0] else text
            for name in probe[1]:
                if name in haystack:
                    present.append(key)
                    break
        if not present:
            return frozenset()
        found: frozenset[str] | None = self.registry.named_in.get((text, *present))
        if found is None:  # entries that report one event give it the same text: scanned once
            found = names_apart(text, lowered, {key: probes[key] for key in present})
            if found is None:  # names of two entities overlap: the longest one there decides
                index = indexes.get(tuple(present))
                if index is None:
                    index = indexes[tuple(present)] = MentionIndex([targets[k] for k in present])
                found = frozenset(names_in(text, index))
            self.registry.named_in[(text, *present)] = found
        return found.intersection(candidates)


def _event_actors(registry: Registry, event: EventDraft, lists: dict, path: str, problems: list, named_in) -> tuple:
    """(country keys, official keys, issue keys, the basis of each): own lists win; the other
    kinds take the entry's entities the text names. Only an event with no list of its own
    whose text names none of its entry's entities takes all of them (an editor who lists some
    kinds has said what the event concerns: the entry's officials do not join a US-China
    event)."""
    if event.countries is None and event.officials is None and event.issues is None:  # the usual event
        named = named_in(event.what, named_in.keys)
        if not named:
            return lists["country"], lists["official"], lists["issue"], _ALL_FALLBACK
        kept = [tuple([key for key in lists[kind.name] if key in named]) for kind in ACTOR_KINDS]
        return kept[0], kept[1], kept[2], _ALL_NAMED
    own = {"country": event.countries, "official": event.officials, "issue": event.issues}
    actors, basis = {}, {}
    for kind in ACTOR_KINDS:
        if own[kind.name] is not None:
            actors[kind.name] = _resolve_names(registry, kind, own[kind.name], path, problems)
            basis[kind.name] = OWN_LIST
    rest = [k for k in ACTOR_KINDS if k.name not in actors]
    named = named_in(event.what, [key for kind in rest for key in lists[kind.name]])
    for kind in rest:
        actors[kind.name] = tuple(k for k in lists[kind.name] if k in named)
        basis[kind.name] = NAMED
    return actors["country"], actors["official"], actors["issue"], tuple(basis[kind.name] for kind in ACTOR_KINDS)


_ALL_NAMED, _ALL_FALLBACK = (NAMED,) * len(ACTOR_KINDS), (FALLBACK,) * len(ACTOR_KINDS)


def basis_text(registry: Registry, report: EventReport) -> str:
    """'China, Wang Yi (named in its text); Border dispute (its own list)': for `check --explain`,
    made only then (its report keeps each kind's reason, not this text: the names were 7%
    of resolving an entry, for a note that is seldom asked for)."""
    groups: dict[str, list[str]] = {}
    for keys, why in zip((report.countries, report.officials, report.issues), report.basis, strict=True):
        groups.setdefault(why, []).extend(registry.entities[k].name for k in keys)
    parts = [f"{', '.join(names)} ({why})" for why, names in groups.items() if names]
    return "; ".join(parts) or "no entity (its text names none of its entry's, which names none)"


def _reports(registry: Registry, draft: EntryDraft, lists: dict, url: str, problems: list, named_in):
    default_source = draft.sources[0] if draft.sources else None
    for event in draft.events:
        if event.same_as is not None:
            yield EventReport(
                None, "", (), (), (), (), None, None, event.same_as.name, draft.path, event.line, event.column, url
            )
            continue
        countries, officials, issues, basis = _event_actors(registry, event, lists, draft.path, problems, named_in)
        yield EventReport(
            date=event.date,
            what=event.what,
            countries=countries,
            officials=officials,
            issues=issues,
            basis=basis,
            source=event.source or default_source,
            id=event.id.name if event.id else None,
            same_as=None,
            path=draft.path,
            line=event.line,
            column=event.column,
            entry_url=url,
            slug=event.slug,
        )


def role_on(entity: Entity, date: PartialDate, given: str | None) -> str | None:
    """The role an official held on a date: the entry's word first, then the profile's role
    that spans the date, then their current one."""
    if given:
        return given
    day = date.first_day()
    for role in reversed(entity.roles):
        if (role.start is None or role.start.first_day() <= day) and (role.end is None or day <= role.end.last_day()):
            return role.title
    return entity.current_role


def _statements(registry: Registry, draft: EntryDraft, issues, roles: dict, problems: list, named_in):
    entry_day = PartialDate(draft.published.year, draft.published.month, draft.published.day)
    for said in draft.statements:
        speaker = registry.find(OFFICIAL, said.by.name)
        if speaker is None:
            problems.append(
                diag.error(draft.path, said.by.line, said.by.column, _unknown(registry, OFFICIAL, said.by, problems))
            )
            continue
        if said.on is not None:
            on = _resolve_names(registry, ISSUE, said.on, draft.path, problems)
        else:
            named = named_in(said.said, issues)
            on = tuple(k for k in issues if k in named) or issues
        date = said.date or entry_day
        yield Statement(
            by=speaker.key,
            said=said.said,
            date=date,
            on=on,
            source=said.source or (draft.sources[0] if draft.sources else None),
            paraphrase=said.paraphrase,
            role=role_on(speaker, date, roles.get(speaker.key)),
            path=draft.path,
            line=said.line,
            column=said.column,
            slug=said.slug,
        )


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


def _check_report_names(registry: Registry, draft: EntryDraft, problems: list):
    """The names an incomplete draft's events and statements give, checked (it becomes no
    entry, but each unknown name is still reported)."""
    kinds = (COUNTRY, OFFICIAL, ISSUE)
    for event in draft.events:
        for kind, refs in zip(kinds, (event.countries, event.officials, event.issues), strict=True):
            _resolve_names(registry, kind, refs or (), draft.path, problems)
    for said in draft.statements:
        _resolve_names(registry, OFFICIAL, (said.by,), draft.path, problems)
        _resolve_names(registry, ISSUE, said.on or (), draft.path, problems)


def resolve_entry(registry: Registry, draft: EntryDraft) -> tuple[Entry | None, list]:
    """(Entry, problems); every name of the draft is resolved even when the draft is not
    `complete` (its file has other errors), but only a complete draft becomes an Entry."""
    problems: list = []
    path = draft.path
    countries = _resolve_names(registry, COUNTRY, draft.countries, path, problems)
    issues = _resolve_names(registry, ISSUE, draft.issues, path, problems)
    officials, roles = _resolve_officials(registry, draft, problems)
    if not draft.complete:
        _check_report_names(registry, draft, problems)
        return None, problems
    slug = draft.slug or draft.default_slug or slugify(draft.title)
    if not slug:
        problems.append(
            diag.error(path, draft.title_line, 1, "the title has no letters or digits for a page address: add a 'slug'")
        )
    url = entry_url(slug, draft.published.year, draft.status)
    lists = {"country": countries, "official": tuple(officials), "issue": issues}
    named_in = _Names(registry, (*countries, *officials, *issues))
    reports = tuple(_reports(registry, draft, lists, url, problems, named_in))
    said = tuple(_statements(registry, draft, issues, roles, problems, named_in))
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
        reports=reports,
        sources=draft.sources,
        body=draft.body,
        body_line=draft.body_line,
        source_hash=draft.source_hash,
        said=said,
    )
    return entry, problems
