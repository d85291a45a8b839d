"""One event, many reports: merge the events (and statements) entries report into single
objects, give each a stable anchor, and check ids, `same_as` and near-duplicates.

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

from . import diagnostics as diag
from .model import Entry, Event, EventReport, Statement
from .names import did_you_mean

NEAR_WINDOW = 50  # each event is compared with at most this many earlier ones of its group
NEAR_MIN_SHARED = 4  # content words the two texts must have in common
NEAR_OVERLAP = 0.85  # share of the shorter text's content words that the other must have
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or over the their to with".split()
)
_NOT_WORD = re.compile(r"[^\w\s]")


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


class _Merger:
    """Collects the reports of a set of entries into Events; every problem recorded."""

    def __init__(self, known: dict[str, tuple[Event, EventReport]] | None = None):
        self.known = dict(known or {})  # a draft's view of the published ids: copied, never joined
        self.by_key: dict[tuple[str, str], Event] = {}
        self.members: dict[int, _Joined] = {}  # id(event) -> what it has joined
        self.first: dict[tuple[str, str], EventReport] = {}  # an event's key -> its first report
        self.by_id: dict[str, tuple[Event, EventReport]] = dict(self.known)
        self.problems: list = []
        self.keys: dict[int, tuple[str, str]] = {}  # id(report) -> its event_key, made once
        self.late: dict[tuple[str, str], Event] = {}  # key -> an event a `same_as` report joined (its entries to sort)
        self.named: set[tuple[str, str]] = set()  # the keys of events a report with an `id` joined

    def key_of(self, report: EventReport) -> tuple[str, str]:
        key = self.keys.get(id(report))
        if key is None:
            key = self.keys[id(report)] = event_key(report)
        return key

    def add(self, entry: Entry, report: EventReport) -> Event:
        assert report.date is not None  # only `same_as` items have none
        key = self.key_of(report)
        event = self.by_key.get(key)
        if event is None:
            event = Event("", report.date, report.what, (), (), ())
            self.by_key[key] = event
            self.first[key] = report
        _join(event, entry, report, self._joined(event))
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

    def _joined(self, event: Event) -> _Joined:
        joined = self.members.get(id(event))
        if joined is None:
            joined = self.members[id(event)] = _Joined()
        return joined

    def same_as(self, entry: Entry, report: EventReport) -> Event | None:
        wanted = report.same_as or ""
        held = self.by_id.get(wanted)
        if held is None:
            hint = did_you_mean(wanted, self.by_id, cutoff=0.6)
            self.problems.append(
                diag.error(
                    report.path,
                    report.line,
                    report.column,
                    f"no event has the id '{report.same_as}'{hint}: add 'id: {report.same_as}' "
                    "to the event it means, in the entry that reports it",
                )
            )
            return None
        if self.known.get(wanted) is held:
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


def _merged(published: list[Entry]) -> tuple[_Merger, list[Entry]]:
    """The published reports that start or join an event by text merged (`same_as` reports
    are joined later), and the entries oldest first."""
    merger = _Merger()
    ordered = _oldest_first(published)
    for entry in ordered:
        for report in entry.reports:
            if report.same_as is None:
                merger.add(entry, report)
    return merger, ordered


def merge_events(published: list[Entry], drafts: list[Entry], names) -> tuple[list[Event], list]:
    """Every published event once (newest first), with `entry.events` set for every entry.
    Drafts get events of their own: a draft's report never joins a published event (it
    would name the draft on published pages), but it may use a published event's id."""
    events, problems, _, _ = merged_events(published, drafts, names)
    return events, problems


def merged_events(published: list[Entry], drafts: list[Entry], names):
    """merge_events' (events, diagnostics), with the merger and each near-duplicate group's
    pairs (what events_kept.py keeps for the next assembly)."""
    merger, ordered = _merged(published)
    per_entry = {}
    for entry in ordered:
        per_entry[entry.url] = _events_of(merger, entry)
    events = list(merger.by_key.values())
    for event in merger.late.values():  # `same_as` reports joined last: entries oldest first again
        event.reports.sort(key=_OLDEST_FIRST)
    taken: set[str] = set()
    _name_anchors(merger, taken)
    groups = near_groups(merger.by_key, merger.first)
    pairs = {group: found for group, keys in groups.items() if (found := near_pairs(keys, merger.by_key))}
    problems = merger.problems + near_warnings(pairs, merger.by_key, merger.first, names)
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


def event_problems(published: list, drafts: list, names) -> list:
    """merge_events' diagnostics alone (what `briefing check` needs): the same merger, without
    the anchors, per-entry lists and sorting that only pages read."""
    merger, ordered = _merged(published)
    for entry in ordered:
        for report in entry.reports:
            if report.same_as is not None:
                merger.same_as(entry, report)
    groups = near_groups(merger.by_key, merger.first)
    pairs = {group: found for group, keys in groups.items() if (found := near_pairs(keys, merger.by_key))}
    problems = merger.problems + near_warnings(pairs, merger.by_key, merger.first, names)
    for draft in drafts:
        problems += _draft_events(draft, merger, set())[1]
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


Key = tuple[str, str]  # an event's: its first report's date and normalised text


def near_groups(by_key: dict[Key, Event], first: dict[Key, EventReport]) -> dict[Key, list[Key]]:
    """The events that may be near-duplicates: (date, country or official) -> the keys of the
    events of that date concerning it, in the order of their first reports' places."""
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in sorted(by_key, key=lambda k: place(first[k])):
        event = by_key[key]
        for entity in event.countries + event.officials:
            groups[(key[0], entity)].append(key)
    return groups


def near_pairs(group: list[Key], by_key: dict[Key, Event]) -> list[tuple[Key, Key]]:
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


def near_warnings(pairs: dict[Key, list[tuple[Key, Key]]], by_key: dict[Key, Event], first: dict, names) -> list:
    """A warning per pair (once, however many groups hold it)."""
    once = dict.fromkeys(pair for found in pairs.values() for pair in found)
    return [_near_warning(by_key[a], by_key[b], first[a], first[b], names) for a, b in once]


def place(report: EventReport):
    return (report.path, report.line, report.column)


def _near_warning(earlier: Event, later: Event, there: EventReport, here: EventReport, names) -> diag.Diagnostic:
    shared = [k for k in later.countries + later.officials if k in earlier.countries + earlier.officials]
    quoted = ", ".join(f"'{names(k)}'" for k in shared)
    return diag.warning(
        here.path,
        here.line,
        here.column,
        f"this event looks like the one at {there.path}:{there.line}:{there.column} (same date, {quoted}); "
        "write the same text to merge them",
    )


def merge_statements(published: list[Entry], drafts: list[Entry], slugs) -> list[Statement]:
    """Every published statement once (newest first): the same speaker, date and words
    (normalised) in two entries are one statement listing both."""
    by_key: dict[tuple[str, str, str], Statement] = {}
    taken: set[str] = set()
    for entry in _oldest_first(published):
        kept = []
        for said in entry.said:
            key = (said.by, said.date.iso(), normalise(said.said))
            statement = by_key.setdefault(key, said)
            if not statement.reports or statement.reports[-1] is not entry:  # entries come in order
                statement.reports.append(entry)
            if statement not in kept:
                kept.append(statement)
        entry.statements = tuple(kept)
    statements = list(by_key.values())
    for statement in sorted(statements, key=lambda s: (s.date.iso(), s.by, normalise(s.said))):
        base = f"{statement.date.iso()}-{slugs(statement.by)}-{statement.slug}"
        statement.anchor = _anchor("statement", base, normalise(statement.said), taken)
    for draft in drafts:
        for said in draft.said:
            said.reports = [draft]
            base = f"{said.date.iso()}-{slugs(said.by)}-{said.slug}"
            said.anchor = _anchor("statement", base, normalise(said.said), set(taken))
        draft.statements = draft.said
    return sorted(statements, key=lambda s: (tuple(-n for n in s.date.sort_key()), s.anchor))
