"""Resolved entries kept between the preview's assemblies of the site (build/live.py).

Resolving an entry reads its own draft and, of the registry, only what its names lead to (as
the check's records say, check_site.py): which entity each name it gives finds, and those
entities' fields that names, mentions and roles read (check_site.entity_state). So an entry
whose draft is the very object parsed before resolves as it did when none of its names finds
another entity (or none) than before and none of the entities it resolved to changed: its
resolution is copied, not made again. A profile renamed or an alias added resolves again only
the drafts that name that entity or a name whose look-up changed; a draft that had problems
(their "did you mean" hints read the whole registry) is always resolved again.
"""

from __future__ import annotations

from .check_site import entity_state
from .model import COUNTRY, ISSUE, OFFICIAL, Entry, EntryDraft
from .names import name_key
from .resolve import resolve_entry


class Resolutions:
    """Each draft's resolution as resolve_entry made it, kept with the registry it was made
    against (each entity's state, each name's look-up); resolver() hands out copies that later
    steps may change."""

    def __init__(self):
        self.states: dict[str, tuple] | None = None  # entity key -> its state, of the last assembly's registry
        self.names: dict[str, dict[str, str]] = {}  # kind -> name key -> entity key, idem
        self.kept: dict[str, tuple[EntryDraft, Entry | None, tuple]] = {}  # path -> (draft, pristine entry, problems)
        self.reused = 0  # of the last assembly (tests)
        self.warnings: dict = {}  # path -> each entry's own warnings and what made them (entry_warnings.py)

    def resolver(self, registry):
        """resolve_entry for this assembly's registry: a kept resolution when it is exact."""
        states = {key: entity_state(entity) for key, entity in registry.entities.items()}
        names = {kind: dict(found) for kind, found in registry.lookups().items()}
        if self.states is None:
            kept, entities, looked_up = {}, set(), set()
        else:
            kept = self.kept
            entities = {k for k in states.keys() | self.states.keys() if states.get(k) != self.states.get(k)}
            looked_up = _changed_names(self.names, names)
        fresh: dict[str, tuple[EntryDraft, Entry | None, tuple]] = {}
        self.states, self.names, self.kept, self.reused = states, names, fresh, 0

        def resolve(registry, draft: EntryDraft) -> tuple[Entry | None, list]:
            found = kept.get(draft.path)
            if found is not None and found[0] is draft and _unaffected(found, entities, looked_up):
                self.reused += 1
                fresh[draft.path] = found
                return _copied(found[1]), list(found[2])
            entry, problems = resolve_entry(registry, draft)
            fresh[draft.path] = (draft, _copied(entry), tuple(problems))
            return entry, problems

        return resolve


def _changed_names(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
    """(kind, name key) of every name whose look-up finds another entity, or none, than before."""
    changed = set()
    for kind in old.keys() | new.keys():
        before, after = old.get(kind, {}), new.get(kind, {})
        if before != after:
            changed |= {(kind, n) for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    return changed


def _unaffected(found: tuple, entities: set[str], looked_up: set[tuple[str, str]]) -> bool:
    """Whether a kept resolution is what resolving its draft against the new registry gives."""
    draft, entry, problems = found
    if not entities and not looked_up:
        return True
    if problems or entry is None:
        return False
    if looked_up and any(  # (a changed look-up also changes an entity it finds: a second guard)
        (kind, name_key(name)) in looked_up for kind, name in _names_given(draft)
    ):
        return False
    return not entities or entities.isdisjoint(_keys_resolved(entry))


def _names_given(draft: EntryDraft):
    """(kind, name) of every name the draft looks up, as resolve_entry looks them up."""
    yield from ((COUNTRY.name, ref.name) for ref in draft.countries)
    yield from ((ISSUE.name, ref.name) for ref in draft.issues)
    for official in draft.officials:
        yield OFFICIAL.name, official.name.name
        if official.country is not None:
            yield COUNTRY.name, official.country.name
    for event in draft.events:
        for kind, refs in ((COUNTRY, event.countries), (OFFICIAL, event.officials), (ISSUE, event.issues)):
            yield from ((kind.name, ref.name) for ref in refs or ())
    for said in draft.statements:
        yield OFFICIAL.name, said.by.name
        yield from ((ISSUE.name, ref.name) for ref in said.on or ())


def _keys_resolved(entry: Entry) -> set[str]:
    """Every entity the resolution read: the entry's, its events' and its statements'."""
    keys = set(entry.entity_keys)
    for report in entry.reports:
        keys.update(report.countries, report.officials, report.issues)
    for statement in entry.said:
        keys.add(statement.by)
        keys.update(statement.on)
    return keys


def _copied(entry: Entry | None) -> Entry | None:
    """A copy of a just-resolved entry that later steps may change: merging sets its events and
    statements and each of its statements' reports and anchor, rendering its HTML and text.
    (copy.copy's work without its generic protocol: 10,000 of them on every assembly.)"""
    if entry is None:
        return None
    twin = _shallow(entry)
    said = []
    for statement in entry.said:
        copied = _shallow(statement)
        copied.reports = list(statement.reports)
        said.append(copied)
    twin.said = tuple(said)
    return twin


def _shallow(value):
    twin = object.__new__(type(value))
    twin.__dict__.update(value.__dict__)
    return twin
