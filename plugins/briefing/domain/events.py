"""One event, many reports: merge the events entries report into single objects, give each
a stable anchor, and check ids, `same_as` and near-duplicates (statements: statements.py;
the check's diagnostics alone: event_problems.py).

Everything here is linear or n log n: events are grouped by a key (date and normalised
text), and near-duplicates are looked for only among events of the same date that share
an actor, each compared with at most NEAR_WINDOW others of its group.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Generic, Protocol, TypeVar

from . import diagnostics as diag
from .model import Entry, Event, EventReport
from .names import did_you_mean

NEAR_WINDOW = 50  # each event is compared with at most this many earlier ones of its group
NEAR_MIN_SHARED = 4  # content words the two texts must have in common
NEAR_OVERLAP = 0.85  # share of the shorter text's content words that the other must have
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or over the their to with".split()
)
_NOT_WORD = re.compile(r"[^\w\s]")
Key = tuple[str, str]  # an event's: its first report's date and normalised text
E = TypeVar("E")


class Concerned(Protocol):
    """What near-duplicates read of an event (an Event, or event_problems.Sketch)."""

    @property
    def what(self) -> str: ...
    @property
    def countries(self) -> Collection[str]: ...
    @property
    def officials(self) -> Collection[str]: ...


@functools.lru_cache(maxsize=1 << 17)  # every assembly asks again for every event's text
def normalise(text: str) -> str:
    """The form events are compared in: case, punctuation and white space ignored."""
    if text.isascii():  # NFKD leaves ASCII as it is, and it has no combining marks
        bare = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


@functools.lru_cache(maxsize=1 << 16)  # (each assembly asks again for the events that share a date and a name)
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalise(text).split() if w not in STOP_WORDS)


def looks_alike(a: str, b: str) -> bool:
    """The near-duplicate measure (docs/DESIGN.md), on content words (normalised, stop words
    left out): they share at least NEAR_MIN_SHARED, and at least NEAR_OVERLAP of the shorter
    text's are in the other (the overlap coefficient). "Twenty Indian soldiers die in the
    Galwan Valley clash with Chinese troops" is then like "Twenty Indian soldiers are killed
    in a violent clash with Chinese troops in the Galwan Valley" (8 of 9), while "Tariffs
    talks involving United States" is unlike "AI governance talks involving United States"
    (4 of 5: the one word that differs is what the talks were about)."""
    return words_alike(content_words(a), content_words(b))


def words_alike(words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    """looks_alike on content words already taken (each event's once, not once per pair)."""
    shared = len(words_a & words_b)
    return shared >= NEAR_MIN_SHARED and shared >= NEAR_OVERLAP * min(len(words_a), len(words_b))


def event_key(report: EventReport) -> tuple[str, str]:
    """What makes two reports one event: the date as written and the normalised text."""
    return (report.date.iso() if report.date else "", normalise(report.what))


_OLDEST_FIRST = operator.attrgetter("timestamp", "url")  # (a C key: 10,000 entries, twice per assembly)


def _oldest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=_OLDEST_FIRST)


def _anchor(prefix: str, base: str, text: str, taken: set[str]) -> str:
    anchor = f"{prefix}-{base}"
    if anchor in taken:  # two different texts whose slugs begin alike: the text's hash tells them apart
        anchor += "-" + hashlib.sha1(text.encode()).hexdigest()[:6]
    taken.add(anchor)
    return anchor


class Merging(Generic[E]):
    """Collects the reports of a set of entries into events of type E by key (what the
    subclass makes of them: new_event, join), with their ids; every problem recorded."""

    def __init__(self, known: dict[str, tuple[E, EventReport]] | None = None):
        self.known = dict(known or {})  # a draft's view of the published ids: copied, never joined
        self.by_key: dict[Key, E] = {}
        self.first: dict[Key, EventReport] = {}  # an event's key -> its first report
        self.by_id: dict[str, tuple[E, EventReport]] = dict(self.known)
        self.problems: list = []
        self.keys: dict[int, Key] = {}  # id(report) -> its event_key, made once
        self.named: set[Key] = set()  # the keys of events a report with an `id` joined

    def new_event(self, report: EventReport) -> E:
        raise NotImplementedError

    def join(self, event: E, entry: Entry, report: EventReport):
        raise NotImplementedError

    def key_of(self, report: EventReport) -> Key:
        key = self.keys.get(id(report))
        if key is None:
            key = self.keys[id(report)] = event_key(report)
        return key

    def add(self, entry: Entry, report: EventReport) -> E:
        assert report.date is not None  # only `same_as` items have none
        key = self.key_of(report)
        event = self.by_key.get(key)
        if event is None:
            event = self.by_key[key] = self.new_event(report)
            self.first[key] = report
        self.join(event, entry, report)
        if report.id:
            self.named.add(key)
            held = self.by_id.get(report.id)
            if held is not None and held[0] is not event:
                other = held[1]
                self.problems.append(
                    diag.error(
                        report.path,
                        report.line,
                        report.column,
                        f"event id '{report.id}' is already given at {other.path}:{other.line}:{other.column}: "
                        "ids are unique across the site",
                    )
                )
            elif held is None:
                self.by_id[report.id] = (event, report)
        return event

    def held(self, report: EventReport) -> tuple[E, EventReport] | None:
        """The event and report a `same_as` report names, or None, its error recorded."""
        held = self.by_id.get(report.same_as or "")
        if held is None:
            hint = did_you_mean(report.same_as or "", self.by_id, cutoff=0.6)
            self.problems.append(
                diag.error(
                    report.path,
                    report.line,
                    report.column,
                    f"no event has the id '{report.same_as}'{hint}: add 'id: {report.same_as}' "
                    "to the event it means, in the entry that reports it",
                )
            )
        return held


class _Merger(Merging[Event]):
    """Merging into Events, as pages show them: every entry and source once, the entities of
    every kind."""

    def __init__(self, known: dict[str, tuple[Event, EventReport]] | None = None):
        super().__init__(known)
        self.members: dict[int, _Joined] = {}  # id(event) -> what it has joined
        self.late: dict[Key, Event] = {}  # key -> an event a `same_as` report joined (its entries to sort)

    def new_event(self, report: EventReport) -> Event:
        assert report.date is not None  # (Merging.add's)
        return Event("", report.date, report.what, (), (), ())

    def join(self, event: Event, entry: Entry, report: EventReport):
        _join(event, entry, report, self._joined(event))

    def _joined(self, event: Event) -> _Joined:
        joined = self.members.get(id(event))
        if joined is None:
            joined = self.members[id(event)] = _Joined()
        return joined

    def same_as(self, entry: Entry, report: EventReport) -> Event | None:
        held = self.held(report)
        if held is None:
            return None
        if self.known.get(report.same_as or "") is held:
            return dataclasses.replace(held[0], reports=[*held[0].reports, entry])
        _join(held[0], entry, None, self._joined(held[0]))
        self.late[self.key_of(held[1])] = held[0]
        return held[0]


class _Joined:
    """What an event has joined, kind by kind: set look-ups, so that an event reported by
    thousands of entries stays linear."""

    __slots__ = ("countries", "entries", "issues", "officials", "sources")

    def __init__(self):
        self.entries: set[str] = set()
        self.countries: set[str] = set()
        self.officials: set[str] = set()
        self.issues: set[str] = set()
        self.sources: set = set()


def _join(event: Event, entry: Entry, report: EventReport | None, joined: _Joined):
    """Add a report to an event: its entry and source once each, and the entities it concerns."""
    if entry.url not in joined.entries:
        joined.entries.add(entry.url)
        event.reports.append(entry)
    if report is None:
        return
    if report.countries:
        event.countries += _fresh(report.countries, joined.countries)
    if report.officials:
        event.officials += _fresh(report.officials, joined.officials)
    if report.issues:
        event.issues += _fresh(report.issues, joined.issues)
    if report.source is not None and report.source not in joined.sources:
        joined.sources.add(report.source)
        event.sources += (report.source,)


def _fresh(keys: tuple[str, ...], seen: set[str]) -> tuple[str, ...]:
    """The keys not seen yet, now seen."""
    fresh = tuple([k for k in keys if k not in seen])
    seen.update(fresh)
    return fresh


def merged_by_text(published: list[Entry], merger: Merging) -> list[Entry]:
    """The published entries oldest first, each report that starts or joins an event by text
    merged into `merger` (`same_as` reports are joined later)."""
    ordered = _oldest_first(published)
    for entry in ordered:
        for report in entry.reports:
            if report.same_as is None:
                merger.add(entry, report)
    return ordered


def near_duplicates(merger: Merging, names) -> tuple[dict, dict, list]:
    """(near_groups, their pairs that look alike, a warning per pair) of a merge."""
    groups = near_groups(merger.by_key, merger.first)
    pairs = {group: found for group, keys in groups.items() if (found := near_pairs(keys, merger.by_key))}
    return groups, pairs, near_warnings(pairs, merger.by_key, merger.first, names)


def merge_events(published: list[Entry], drafts: list[Entry], names) -> tuple[list[Event], list]:
    """Every published event once (newest first), with `entry.events` set for every entry.
    Drafts get events of their own: a draft's report never joins a published event (it
    would name the draft on published pages), but it may use a published event's id."""
    events, problems, _, _ = merged_events(published, drafts, names)
    return events, problems


def merged_events(published: list[Entry], drafts: list[Entry], names):
    """merge_events' (events, diagnostics), with the merger and each near-duplicate group's
    pairs (what events_kept.py keeps for the next assembly)."""
    merger = _Merger()
    ordered = merged_by_text(published, merger)
    per_entry = {}
    for entry in ordered:
        per_entry[entry.url] = _events_of(merger, entry)
    events = list(merger.by_key.values())
    for event in merger.late.values():  # `same_as` reports joined last: entries oldest first again
        event.reports.sort(key=_OLDEST_FIRST)
    taken: set[str] = set()
    _name_anchors(merger, taken)
    groups, pairs, near = near_duplicates(merger, names)
    problems = merger.problems + near
    for entry in ordered:
        entry.events = tuple(_newest_first(per_entry[entry.url]))
    problems += draft_events(drafts, merger, taken)
    return _newest_first(events), problems, merger, (groups, pairs)


def draft_events(drafts: list[Entry], merger: _Merger, taken: set[str]) -> list:
    """Each draft's events set (see _draft_events); their diagnostics."""
    problems: list = []
    for draft in drafts:
        own, found = _draft_events(draft, merger, taken)
        draft.events = tuple(own)
        problems += found
    return problems


def _draft_events(draft: Entry, published: _Merger, taken: set[str]) -> tuple[list[Event], list]:
    """A draft's events: a copy of a published event it reports (listing the draft too), or
    an event of its own, unpublished, with no permalink. Published events are never changed."""
    own = _Merger(published.by_id)
    found: list[Event] = []
    for report in draft.reports:
        if report.same_as is not None:
            event = own.same_as(draft, report)
        else:
            known = published.by_key.get(event_key(report))
            if known is not None:
                event = dataclasses.replace(known, reports=[*known.reports, draft])
            else:
                event = own.add(draft, report)
                event.published = False
        if event is not None and event not in found:
            found.append(event)
    _name_anchors(own, set(taken))
    return _newest_first(found), [p for p in own.problems if p.path == draft.path]


def _events_of(merger: _Merger, entry: Entry) -> list[Event]:
    found: list[Event] = []
    for report in entry.reports:
        event = merger.same_as(entry, report) if report.same_as is not None else merger.by_key[merger.key_of(report)]
        if event is not None and event not in found:
            found.append(event)
    return found


def _newest_first(events) -> list[Event]:
    if len(events) < 2:  # most entries report one event or none (10,000 lists per assembly)
        return list(events)
    return sorted(events, key=newest_key)


def newest_key(event: Event):
    return (-event.date.year, -(event.date.month or 13), -(event.date.day or 32), event.anchor)


def _name_anchors(merger: _Merger, taken: set[str]):
    """Anchors in a fixed order (editor ids first, then by date and text: an event's key is
    its first report's date and normalised text, which are its own), so the same content
    gives the same anchors in every build."""
    ids = {id(event): report_id for report_id, (event, _) in sorted(merger.by_id.items())}
    for key, event in sorted(merger.by_key.items(), key=lambda item: (id(item[1]) not in ids, item[0])):
        base = ids.get(id(event)) or plain_base(key, merger.first[key])
        event.anchor = _anchor("event", base, key[1], taken)


def plain_base(key: tuple[str, str], first: EventReport) -> str:
    """The anchor's base of an event no `id` names: its date and its first report's slug."""
    return f"{key[0]}-{first.slug or 'event'}"


def near_groups(by_key: Mapping[Key, Concerned], first: dict[Key, EventReport]) -> dict[Key, list[Key]]:
    """The events that may be near-duplicates: (date, country or official) -> the keys of the
    events of that date concerning it, in the order of their first reports' places."""
    groups: dict[Key, list[Key]] = defaultdict(list)
    places = map(place, map(first.__getitem__, by_key))  # compared in C (ties kept in order)
    for _, _, key in sorted(zip(places, range(len(by_key)), by_key, strict=True)):
        event = by_key[key]
        for entity in (*event.countries, *event.officials):
            groups[(key[0], entity)].append(key)
    return groups


def near_pairs(group: list[Key], by_key: Mapping[Key, Concerned]) -> list[tuple[Key, Key]]:
    """(earlier, later) of each pair of a group that looks alike, each later event compared
    with the NEAR_WINDOW events before it."""
    if len(group) < 2:
        return []
    words = [content_words(by_key[key].what) for key in group]
    return [
        (group[before], later)
        for at, later in enumerate(group)
        for before in range(max(0, at - NEAR_WINDOW), at)
        if words_alike(words[before], words[at])
    ]


def near_warnings(pairs: dict[Key, list[tuple[Key, Key]]], by_key: Mapping[Key, Concerned], first: dict, names) -> list:
    """A warning per pair (once, however many groups hold it)."""
    once = dict.fromkeys(pair for found in pairs.values() for pair in found)
    return [_near_warning(by_key[a], by_key[b], first[a], first[b], names) for a, b in once]


place = operator.attrgetter("path", "line", "column")  # a report's (path, line, column), made in C


def _near_warning(
    earlier: Concerned, later: Concerned, there: EventReport, here: EventReport, names
) -> diag.Diagnostic:
    theirs = (*earlier.countries, *earlier.officials)
    shared = [k for k in (*later.countries, *later.officials) if k in theirs]
    quoted = ", ".join(f"'{names(k)}'" for k in shared)
    return diag.warning(
        here.path,
        here.line,
        here.column,
        f"this event looks like the one at {there.path}:{there.line}:{there.column} (same date, {quoted}); "
        "write the same text to merge them",
    )
