"""A cold check on two cores, each process keeping the drafts it parsed.

With no drafts cached (the first check, or after the cache is cleared) every entry is parsed
and resolved. The main process parses the profiles, then takes the entries from the head in
chunks, while a forked process takes them from the tail, until they meet (`Meeting`), so
that both end their parsing together however the machine's load or the files differ. Each
resolves what it parsed: drafts never cross the pipe (pickling and
unpickling a draft cost a third of parsing it). What crosses is small: from the far half,
each entry's stat, front-matter hash and own diagnostics, the names its drafts define (officials
given with a country, issues: `Definitions`) and their dates; to it, the profiles and the
near half's definitions, so that both build the same registry; back from it, the records
(check_site.EntryRecord, each event report a ReportSketch) and, only when a near miss needs
them, how many of its files name each entity. The events' diagnostics are shared by date
(event_halves.py): the near half sends the far one its reports of the far dates once it has
resolved, and each makes its share while the other does. Each process writes its own share
of the drafts file (check_store: the far half's is `check-drafts-1.pickle`). A far process
that dies leaves the check to the one-core way: only slower.
"""

from __future__ import annotations

import contextlib
import copyreg
import datetime as dt
import io
import operator
import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from multiprocessing.reduction import ForkingPickler

from ..safety import outlive_parent
from . import check_site
from .cache import domain_salt
from .check_store import FORMAT, REGISTRY, run_alone
from .dates import PartialDate
from .event_halves import far_problems, far_share, near_problems
from .model import KIND_BY_NAME, EventReport, NameRef, OfficialRef
from .near_misses import near_miss_warnings, uses
from .registry import build_registry, issues_named
from .two_ends import Link, Lost, Meeting


@check_site.pickled_as_call
@dataclass(slots=True)
class Definitions:
    """What building the registry reads of a draft (registry._add_entry_definitions): the
    officials it gives with a country and every issue it names, in the draft's order."""

    path: str
    officials: tuple
    issues: tuple
    events: tuple = ()
    statements: tuple = ()


@check_site.pickled_as_call
@dataclass(slots=True)
class Dated:
    """A draft of the other process as near misses read it: its path and date (its names are
    counted there)."""

    path: str
    published: dt.datetime | None
    countries: tuple = ()
    issues: tuple = ()
    officials: tuple = ()
    events: tuple = ()
    statements: tuple = ()


def plain_definitions(draft) -> tuple:
    """A draft's Definitions as plain tuples (officials given with a country: name, line,
    column, country, line, column, role; issues named anywhere: name, line, column), which
    pickle at a fraction of the cost of the objects: the drafts file keeps them, and each
    half of a cold check sends the other those of its drafts."""
    officials = tuple(
        [
            (o.name.name, o.name.line, o.name.column, o.country.name, o.country.line, o.country.column, o.role)
            for o in draft.officials
            if o.country is not None
        ]
    )
    return officials, tuple([(ref.name, ref.line, ref.column) for ref in issues_named(draft)])


def as_definitions(path: str, plain: tuple) -> Definitions:
    officials = tuple(
        OfficialRef(NameRef(name, line, column), NameRef(country, c_line, c_column), role)
        for name, line, column, country, c_line, c_column, role in plain[0]
    )
    return Definitions(path, officials, tuple([NameRef(*ref) for ref in plain[1]]))


def _sent_definitions(drafts) -> list[tuple]:
    """What the other half builds the registry from of these drafts (_received_definitions)."""
    return [(d.path, plain_definitions(d)) for d in drafts]


def _received_definitions(sent: list[tuple]) -> list[Definitions]:
    return [as_definitions(path, plain) for path, plain in sent]


@dataclass(slots=True)
class ReportSketch:
    """An event report of the far half as the near half's events diagnostics read it
    (event_problems.py): its source, issues, slug, entry's address and reasons stay where
    they were made. Sent so, the far half's records pickle in half the time and unpickle in
    under half (13 MB instead of 21 MB at 100,000 entries), on the path between the halves."""

    date: PartialDate | None
    what: str
    countries: tuple
    officials: tuple
    id: str | None
    same_as: str | None
    path: str
    line: int
    column: int


_SKETCHED = operator.attrgetter(*(f.name for f in fields(ReportSketch)))
_SKETCHING = {
    **copyreg.dispatch_table,
    EventReport: lambda report: (ReportSketch, _SKETCHED(report)),
    PartialDate: lambda date: (PartialDate, (date.year, date.month, date.day)),  # not its __dict__
}


def sketched(value) -> bytes:
    """`value` pickled with each event report in it as a ReportSketch: the far half's records
    as the near half reads them, and the near half's share of the events (event_halves.py)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _SKETCHING
    pickler.dump(value)
    return buffer.getvalue()


CHUNK = 256  # entries a process takes at a time: 20-70 ms of parsing, the most either waits for the other


def _parse_from_head(meeting: Meeting, jobs: list, root, known: dict, stats: dict) -> tuple[list, list]:
    """(_read_and_parse of the main process's first share, then of chunks from the head; each
    chunk's Definitions for the far process, pickled as soon as the chunk is parsed)."""
    parsed: list = []
    defined = []
    taken = range(meeting.head)
    while taken:
        chunk = _read_and_parse(jobs[taken.start : taken.stop], root, known, stats)
        parsed += chunk
        found = _sent_definitions([draft for _, _, draft, _, _ in chunk if draft is not None])
        defined.append(pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
        taken = meeting.from_head()
    return parsed, defined


def _parse_from_tail(meeting: Meeting, jobs: list, root, known: dict) -> tuple[list, list]:
    """(_read_and_parse of the far process's first share, then of chunks from the tail, in the
    entries' order; each chunk's report to the main process, pickled as soon as the chunk is
    parsed, so that the meeting balances the pickling too)."""
    chunks, reports = [], []
    taken = range(meeting.tail, len(jobs))
    while taken:
        stats: dict = {}
        chunks.append(_read_and_parse(jobs[taken.start : taken.stop], root, known, stats))
        reports.append(_report(chunks[-1], stats))
        taken = meeting.from_tail()
    return [item for chunk in reversed(chunks) for item in chunk], reports[::-1]


def _report(parsed: list, stats: dict) -> bytes:
    """What the main process needs of parsed entries to build the registry and find near
    misses: (summary, plain definitions, Dated, stats), pickled."""
    drafts = [draft for _, _, draft, _, _ in parsed if draft is not None]
    summary = [(name, sig, front, tuple(own)) for name, sig, _, own, front in parsed]
    found = (summary, _sent_definitions(drafts), [Dated(d.path, d.published) for d in drafts], stats)
    return pickle.dumps(found, pickle.HIGHEST_PROTOCOL)


def _joined_report(parts: list[bytes]) -> tuple:
    """The far process's report of every chunk (as received), joined in the entries' order."""
    summary, defined, dated, stats = [], [], [], {}
    for part in parts:
        found = pickle.loads(part)
        summary += found[0]
        defined += _received_definitions(found[1])
        dated += found[2]
        stats.update(found[3])
    return summary, defined, dated, stats


def _read_and_parse(jobs: list, root, known: dict, stats: dict) -> list:
    """[(name, signature, draft, own diagnostics, front-matter hash)] of (name, path) jobs;
    files already read are in `known` ({name: (bytes or None, read problems)}); the stats of
    those read here go into `stats`."""
    from .check import _parse, read_entry_file

    out = []
    sigs: dict = {}
    for name, path in jobs:
        raw, problems = known[name] if known.get(name) is not None else read_entry_file(path, name, root, (sigs, stats))
        draft, own, front = _parse(name, raw, []) if raw is not None else (None, problems, "")
        out.append((name, sigs.get(name), draft, own, front))
    return out


def _far_half(connection, jobs: tuple, files, known: tuple, day: tuple, store):
    """The far process: read and parse its share of `jobs` ((the meeting, [(name, path)] of
    every entry to parse)), report, build the registry, resolve, answer
    near-miss counts, then write its share of the drafts file when told ('write': while the
    check waits; 'detach': once it has answered, on its own, the check no longer waiting)."""
    today, explain, _ = day
    meeting, every = jobs
    parsed, reports = _parse_from_tail(meeting, every, files.root, known[0])
    drafts = [draft for _, _, draft, _, _ in parsed if draft is not None]
    connection.send(reports)
    profiles, near_parts = connection.recv()
    near_definitions: list = [found for part in near_parts for found in _received_definitions(pickle.loads(part))]
    for profile in profiles:  # kinds are compared with `is`, and unpickling made copies
        profile.kind = KIND_BY_NAME[profile.kind.name]
    registry, _ = build_registry(profiles, [*near_definitions, *drafts])
    resolved_under = check_site.registry_key((FORMAT, domain_salt(), today.isoformat(), explain), registry)
    records = {d.path: check_site.resolve_record(registry, d, today, explain) for d in drafts}
    pickled = sketched(records)  # while the near half may still be resolving
    near_events = connection.recv()  # sent once it has resolved (event_halves.far_share)
    in_order = [records[name] for name, _ in every if name in records]
    with ThreadPoolExecutor(1) as sender:  # the main process reads them once it has found its near misses
        sent = sender.submit(connection.send_bytes, pickled)
        problems = far_problems(near_events, in_order, lambda key: registry.entities[key].name)
        sent.result()
    connection.send(problems)
    while (order := connection.recv()) == "uses":
        connection.send({key: len(paths) for key, paths in uses(registry, drafts, []).items()})
    sigs = known[1]  # those of files read before the fork

    def write():
        kept = {n: _store(sig or sigs[n], front, d, own, (resolved_under, records)) for n, sig, d, own, front in parsed}
        store.save_shard(kept)

    if order == "detach":  # the check answers without waiting for this process, which writes on its own
        outlive_parent()
        connection.send("alone")
        run_alone(write, store.held())
    elif order == "write":
        write()


def _store(sig: str, front: str, draft, own, resolved: tuple) -> tuple:
    """An entry as the drafts file keeps it (check_reuse.kept_entry); `resolved`: (the
    registry's key, {path: record})."""
    from .check_reuse import kept_entry

    record = resolved[1][draft.path] if draft is not None else None
    return kept_entry(sig, front, draft, own, resolved[0], record)


def split_check(store, files, entries: tuple, parse_profiles, day: tuple) -> tuple | None:
    """(diagnostics but the entries' own, {name: own diagnostics}, {name: front-matter hash},
    what the index keeps of the events' diagnostics and the registry) of a cold check on two
    processes, or None when the far process was lost; both shares of the drafts file are
    written by `store.finish()`. `entries`: ({shown path: (bytes or None, read problems), or
    None when not read yet}, every entry in order; {shown path: path}; {shown path: signature}
    and {shown path: stat}, both filled in); `parse_profiles`: the function that parses the
    profile and editorial files; `day`: (today, --explain, the profile and editorial files'
    signatures). The main process also has the registry file written (check_reuse._registry)."""
    todo, paths, sigs, stats = entries
    jobs = [(name, paths[name]) for name in todo]
    try:
        meeting = Meeting(len(jobs), CHUNK)
    except OSError:  # no shared memory for its counters and lock (no /dev/shm): the one-core way
        return None
    link = Link(_far_half, (meeting, jobs), files, (todo, sigs), day, store)
    try:
        profiles = parse_profiles()  # first: the meeting then balances this work too
        near, defined = _parse_from_head(meeting, jobs, files.root, todo, stats)
        done = _near_half(link, store, files, (todo, near, defined, sigs, stats), profiles, day)
    except BaseException as exc:
        link.close()
        if isinstance(exc, Lost):
            return None
        raise
    store.pending.insert(0, lambda detach: _order_shard(link, store, detach))  # first: it writes meanwhile
    return done


def _order_shard(link: Link, store, detach: bool):
    """Have the far process write its share of the drafts file: joined with the writers, or
    (detach) not waited for once it says it will no longer die with this process (its exit,
    as it frees its share of the drafts, cost the command 0.1-0.25 s at 10,000 entries)."""
    with contextlib.suppress(Lost):
        link.send("detach" if detach else "write")
        if detach:
            link.receive()
            link.connection.close()
            return
    store.writers.append(link)


def _exchange(link: Link, profiles: list, defined: list[bytes]) -> tuple:
    """The far report, joined, for what the far half waits for once it has sent it: the
    profiles and the main process's definitions, pickled while it may still be parsing, and
    sent before its report is unpickled."""
    for_far = ForkingPickler.dumps((profiles, defined))
    parts = link.receive()
    link.send_pickled(for_far)
    return _joined_report(parts)


class _FarAnswers:
    """What the far half sends once it has resolved, received in its order: its records, its
    share of the events' diagnostics, then how many of its files name each entity, each time
    near misses ask."""

    def __init__(self, link: Link):
        self.link = link
        self.answers: list = []

    def _receive(self, count: int):
        while len(self.answers) < count:
            self.answers.append(self.link.receive())

    def records(self) -> dict:
        self._receive(1)
        return self.answers[0]

    def uses(self) -> dict:
        self._receive(2)
        self.link.send("uses")
        return self.link.receive()

    def events(self, published: list, unpublished: list, names) -> list:
        """The events' diagnostics: the near half's share made while the far half makes its own."""
        found = near_problems(published, unpublished, names)
        self._receive(2)
        return found + self.answers[1]


def _near_half(link: Link, store, files, entries: tuple, parsed_profiles: tuple, day: tuple):
    from .check_reuse import EventsMemo, forget_resolving

    today, explain, others = day
    todo, near, defined, sigs, stats = entries
    profiles, profile_cache = parsed_profiles
    rest: list = list(files.strays)
    sorted_out = check_site.sorted_out([profiles[p] for p in (*files.profiles, *files.editorial)], rest)
    drafts = [draft for _, _, draft, _, _ in near if draft is not None]
    summary, far_definitions, far_dated, far_stats = _exchange(link, sorted_out[0], defined)
    stats.update(far_stats)
    sigs.update((name, sig) for name, sig, _, _, _ in near if sig is not None)  # None: read before
    sigs.update((name, sig) for name, sig, _, _ in summary if sig is not None)
    registry, found = build_registry(list(sorted_out[0]), [*drafts, *far_definitions])
    rest += found
    inputs = ((FORMAT, domain_salt(), today.isoformat(), explain), tuple(others.values()))
    resolved_under = check_site.registry_key(inputs[0], registry)
    fronts = {name: front for name, _, _, _, front in near}
    fronts.update((name, front) for name, _, front, _ in summary)
    held = {"id": os.urandom(8).hex(), "fronts": tuple((d.path, fronts[d.path]) for d in (*drafts, *far_definitions))}
    memo = {"id": held["id"], "inputs": inputs, "found": tuple(found), "under": resolved_under}
    records = {d.path: check_site.resolve_record(registry, d, today, explain) for d in drafts}
    store.save_drafts_later(
        lambda: {n: _store(sigs[n], front, draft, own, (resolved_under, records)) for n, _, draft, own, front in near},
        profile_cache,
        whole=False,
    )
    link.send_pickled(sketched(far_share(records.values())))  # the far half reads it once it has resolved
    far = _FarAnswers(link)
    # no record is read here: found while the far half may still be resolving
    near_misses = near_miss_warnings(registry, [*drafts, *far_dated], sorted_out[0], far.uses)
    # written once the check has answered, with the typos near misses asked (as check_reuse keeps it),
    # without what resolving made
    store.save_later(REGISTRY, {**memo, "registry": registry}, lambda: forget_resolving(registry))
    records.update(far.records())
    ordered = [records[name] for name in todo if name in records]
    events = EventsMemo(None, {}, resolved_under, [(name, fronts[name]) for name in todo if name in records])
    rest += [p for r in ordered for p in r.own] + near_misses
    rest += check_site.cross_file(registry, ordered, sorted_out, events, far.events)
    own = {name: tuple(own) for name, _, _, own, _ in near if own}
    own.update((name, own) for name, _, _, own in summary if own)
    return (
        rest,
        {name: own[name] for name in todo if name in own},
        fronts,  # every entry's, read by name (_body_edits)
        {"events": events.saved, "registry": held},
    )
