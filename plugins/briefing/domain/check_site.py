"""The check's assembly: what `assemble_site(render=False)` says, from small per-entry records.

Resolving an entry's names reads only its own front matter and the registry. So each
entry's resolution is kept as an `EntryRecord` (its own diagnostics and what the cross-file
checks read of it), valid while the registry, built again on every full check (0.1 s at
10k), hashes the same (`registry_key`): a front-matter edit that names no new official or
issue resolves that file alone, then the
cross-file checks (near misses, duplicate addresses, merged events, relation profiles,
digest summaries) run again on the records of all. `tests/test_check_cache.py` and
`tests/test_check_sites.py` hold it to the build's own diagnostics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import operator
import os
from dataclasses import dataclass, fields

from . import diagnostics as diag
from .config import BriefingConfig
from .editorial import DigestSummary, summary_warnings
from .entry_warnings import entry_warnings
from .event_problems import event_problems
from .model import EntryDraft, Profile, RelationProfile
from .near_misses import near_miss_warnings
from .registry import build_registry  # noqa: F401  (the check builds it: re-exported)
from .relation_profiles import check_relation_profiles
from .resolve import basis_text, resolve_entry

PARALLEL_FROM = 300  # entries to resolve from which a forked process shares the work (as the parser's pool)


def pickled_as_call(cls):
    """Pickle a slots dataclass as a call of the class with its fields: pickled the default
    way (an empty object, then each slot set from a dict of them), the cold check's records
    took four times longer to unpickle, on the path between its two processes (check_split.py)."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # of several fields: a tuple of them

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@pickled_as_call
@dataclass(slots=True)
class EntryRecord:
    """One entry's resolution as the check keeps it: its own diagnostics (names, dates,
    lists, `--explain` notes), and for a draft that became an entry (`url` not None) what
    the cross-file checks read of it."""

    own: tuple
    path: str
    url: str | None = None
    timestamp: float = 0.0
    date: dt.date | None = None
    is_draft: bool = False
    countries: tuple = ()
    reports: tuple = ()
    address_line: int = 1  # where a duplicate address is reported


class _Reported:
    """An entry as merge_events, relation profiles and summaries read it, made from a record."""

    __slots__ = ("countries", "date", "events", "is_draft", "path", "reports", "timestamp", "url")

    def __init__(self, record: EntryRecord):
        self.path, self.url, self.timestamp = record.path, record.url, record.timestamp
        self.date, self.countries, self.reports = record.date, record.countries, record.reports
        self.is_draft, self.events = record.is_draft, ()


def registry_key(context: tuple, registry) -> str:
    """What every record depends on besides its own front matter: `context` (code, day,
    --explain) and the registry as built, before resolving fills its look-up caches: every
    entity's fields that names, messages and pages read (not profile texts), every name and
    where it was first given. An edit that moves a name another file gave first, or adds an
    alias, changes it; most front-matter edits do not."""
    entities = [entity_state(e) for e in registry.entities.values()]
    state = (entities, registry._names, registry._claims, registry._slugs, sorted(registry._codes))
    return hashlib.sha1(repr((context, state)).encode()).hexdigest()


def entity_state(e) -> tuple:
    fields = (e.kind.name, e.slug, e.name, e.aliases, e.iso2, e.iso3, e.is_bloc, e.wikidata, e.country, e.roles)
    return (*fields, e.role, e.profile_path, e.country_source, e.status)


def resolve_record(registry, draft: EntryDraft, today: dt.date, explain: bool) -> EntryRecord:
    """Resolve one draft against the registry, as assemble_site does, into its record."""
    entry, found = resolve_entry(registry, draft)
    if entry is None:
        return EntryRecord(tuple(found), draft.path)
    found += entry_warnings([entry], [draft], today)
    if explain:
        found += [
            diag.note(r.path, r.line, r.column, f"this event concerns {basis_text(registry, r)}")
            for r in entry.reports
            if r.same_as is None
        ]
    return EntryRecord(
        tuple(found),
        entry.path,
        entry.url,
        entry.timestamp,
        entry.date,
        entry.is_draft,
        entry.countries,
        entry.reports,
        draft.slug_line if draft.slug else draft.title_line,
    )


def sorted_out(parsed, problems: list) -> tuple[list, list, list]:
    """(entity profiles, relation profiles, digest summaries) of the profile and editorial
    files' parse results; their diagnostics into `problems`."""
    profiles, relations, summaries = [], [], []
    for found, found_problems in parsed:
        problems += found_problems
        if isinstance(found, Profile):
            profiles.append(found)
        elif isinstance(found, RelationProfile):
            relations.append(found)
        elif isinstance(found, DigestSummary):
            summaries.append(found)
    return profiles, relations, summaries


def assemble(
    registry, drafts: list[tuple[str, EntryDraft]], kept: dict, parsed: tuple, day: tuple, resolved, memos=(None, None)
) -> list:
    """The diagnostics: each draft's record (from `kept` when valid, else resolved), handed
    to `resolved({name: record})` before the cross-file checks run; `parsed`: (entity
    profiles, relation profiles, digest summaries), `day`: (today, explain); a kept draft may
    be its path and date alone (check_split.Dated), whose names `elsewhere()` counts for near
    misses, and `events` may keep the events' diagnostics (`memos`: (elsewhere, events)).
    With many to resolve a forked process takes the near misses and half of them, and sends
    back only its records."""
    elsewhere, events = memos
    todo = [(n, d) for n, d in drafts if n not in kept]
    bare = [d for _, d in drafts]
    records = dict(kept)
    if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        half = len(todo) // 2
        waiting = _in_child(_share, registry, todo[half:], bare, parsed[0], day, elsewhere)
        records.update(_resolved(registry, todo[:half], day))
        found, near = waiting()
        records.update(found)
    else:
        records.update(_resolved(registry, todo, day))
        near = near_miss_warnings(registry, bare, parsed[0], elsewhere)
    ordered = [records[n] for n, _ in drafts]
    resolved({n: records[n] for n, _ in drafts})
    return [p for r in ordered for p in r.own] + near + cross_file(registry, ordered, parsed, events)


def _resolved(registry, todo: list, day: tuple) -> dict:
    return {name: resolve_record(registry, draft, *day) for name, draft in todo}


def _share(registry, todo: list, drafts: list, profiles: list, day: tuple, elsewhere=None) -> tuple:
    """A forked process's part: its drafts' records and the near misses."""
    return _resolved(registry, todo, day), near_miss_warnings(registry, drafts, profiles, elsewhere)


def _in_child(job, *args):
    """Start `job(*args)` in a forked process (it inherits the arguments: nothing is copied);
    returns the function that waits for its result. A child that dies is replaced by running
    the job here: only slower."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run():
        send.send(job(*args))
        send.close()

    child = context.Process(target=run)
    child.start()
    send.close()

    def result():
        try:
            value = receive.recv()
        except (EOFError, OSError):
            value = job(*args)
        child.join()
        return value

    return result


def cross_file(registry, records: list[EntryRecord], parsed: tuple, events=None, of_events=None) -> list:
    """The diagnostics that read more than one entry but no draft, from the records (in the
    entries' order); `parsed`: (entity profiles, relation profiles, digest summaries);
    `events(records, compute)`: the events' diagnostics, kept from the last check when they
    must be the same (check_reuse.EventsMemo), else compute(); `of_events(published, drafts,
    names)` makes them (event_problems; a cold check on two processes shares them out:
    event_halves.py)."""
    _, relation_profiles, summaries = parsed
    made = [r for r in records if r.url is not None]
    problems = _duplicate_addresses(made)
    published = [_Reported(r) for r in made if not r.is_draft]
    unpublished = [_Reported(r) for r in made if r.is_draft]
    make = of_events or event_problems
    compute = lambda: make(published, unpublished, lambda key: registry.entities[key].name)  # noqa: E731
    problems += compute() if events is None else events(records, compute)
    minimum = BriefingConfig().relations_min_entries
    problems += check_relation_profiles(registry, relation_profiles, published, minimum)[1]  # type: ignore[arg-type]
    problems += summary_warnings(summaries, published)
    return problems


def _duplicate_addresses(made: list[EntryRecord]) -> list:
    """site._duplicate_urls on records."""
    seen: dict[str, EntryRecord] = {}
    out = []
    for record in made:
        assert record.url is not None
        first = seen.setdefault(record.url, record)
        if first is not record:
            out.append(
                diag.error(
                    record.path,
                    record.address_line,
                    1,
                    f"this entry and {first.path} both have the address {record.url}: give one a different 'slug'",
                )
            )
    return out
