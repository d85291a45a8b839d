"""Events merged again after an edit (the preview's assemblies): only the events whose reports
changed are merged afresh; every other event is copied from the previous merge.

An event is made by the reports of its key alone (their entries oldest first, each entry's
reports in order), so an event no changed entry reports, before or after the edit, is what
it was, but for its entries, which are new objects after each assembly: it is copied with
them swapped in by path. Its anchor stays unless an event merged afresh would take or give
up the same base (then the whole merge runs again), and only the near-duplicate groups of
the events merged afresh are compared again. Whatever the copy cannot bound (an entry added,
removed, published or unpublished; an `id` or a `same_as` in the changed reports, or an event
either of them reaches; many changed entries) takes the full merge, which leaves what the next
edit keeps. tests/test_merge_reuse.py compares both ways after each of a sequence of edits.
"""

from __future__ import annotations

import bisect
import collections
from dataclasses import dataclass

from .events import (
    _OLDEST_FIRST,
    Key,
    _Merger,
    _newest_first,
    draft_events,
    event_key,
    merged_events,
    near_pairs,
    near_warnings,
    newest_key,
    place,
    plain_base,
)
from .model import Entry, Event, EventReport

MAX_CHANGED = 200  # changed entries beyond which the full merge is as quick


@dataclass
class MergedEvents:
    """What a merge leaves for the next one (kept on the Site it made)."""

    entries: dict[str, Entry]  # path -> each published entry, as merged
    by_key: dict[Key, Event]
    first: dict[Key, EventReport]  # an event's key -> its first report
    by_id: dict[str, tuple[Key, EventReport]]  # an `id` -> the event it names, and its report
    held: set[Key]  # the events an `id` or a `same_as` joined: never merged apart from the rest
    bases: collections.Counter  # "event-<base>" -> how many events have that base
    anchors: set[str]
    groups: dict[Key, list[Key]]  # near-duplicate groups (events.near_groups)
    pairs: dict[Key, list[tuple[Key, Key]]]  # each group's near-duplicate pairs, when it has any
    events: list[Event]  # newest first
    problems: list  # the merger's own (ids, `same_as`): no changed report can change them


def merge_events_kept(published: list[Entry], drafts: list[Entry], names, previous: MergedEvents | None):
    """events.merge_events' (events, diagnostics), and what the next merge keeps: from
    `previous` (the last merge's) where the edit is bounded, else merged afresh."""
    if previous is not None:
        again = _merge_again(previous, published, drafts, names)
        if again is not None:
            return again
    events, problems, merger, (groups, pairs) = merged_events(published, drafts, names)
    by_id = {i: (merger.key_of(r), r) for i, (_, r) in merger.by_id.items()}
    ids = {key: report_id for report_id, (key, _) in sorted(by_id.items())}  # (as events._name_anchors)
    kept = MergedEvents(
        {e.path: e for e in published},
        merger.by_key,
        merger.first,
        by_id,
        merger.named | set(merger.late),
        collections.Counter("event-" + (ids.get(k) or plain_base(k, r)) for k, r in merger.first.items()),
        {e.anchor for e in events},
        groups,
        pairs,
        events,
        list(merger.problems),
    )
    return events, problems, kept


def _merge_again(state: MergedEvents, published: list[Entry], drafts: list[Entry], names):
    """merge_events_kept's answer from `state`, or None when the edit is not bounded."""
    changed = _changed(state, published)
    if changed is None or len(state.anchors) != len(state.events):  # (anchors are unique but in odd cases)
        return None
    touched = _touched(state, *changed)
    if touched is None:
        return None
    by_path = {e.path: e for e in published}
    fresh, reporters = _merge_touched(state, touched, changed[1], by_path)
    anchored = _anchor_fresh(state, touched, fresh)
    if anchored is None:
        return None
    bases, taken = anchored
    by_key, first, new_of, events = _copy_kept(state, touched, fresh, by_path)
    _entries_events(state, published, fresh, new_of, {e.path for e in changed[1]}, reporters)
    groups, pairs = _near_again(state, touched, fresh, by_key, first)
    merger = _Merger()
    merger.by_key = by_key
    merger.by_id = {report_id: (by_key[key], report) for report_id, (key, report) in state.by_id.items()}
    problems = state.problems + near_warnings(pairs, by_key, first, names) + draft_events(drafts, merger, taken)
    kept = MergedEvents(
        by_path, by_key, first, state.by_id, state.held, bases, taken, groups, pairs, events, state.problems
    )
    return events, problems, kept


def _changed(state: MergedEvents, published: list[Entry]) -> tuple[list[Entry], list[Entry]] | None:
    """(the old, the new) of each published entry whose reports, address or time changed; None
    when the published entries are not the same files, or their addresses are not unique."""
    if len(published) != len(state.entries):
        return None
    before, after = [], []
    urls = set()
    for entry in published:
        old = state.entries.get(entry.path)
        if old is None:
            return None
        urls.add(entry.url)
        if (
            old.url != entry.url
            or old.timestamp != entry.timestamp
            or not (old.reports is entry.reports or old.reports == entry.reports)
        ):
            before.append(old)
            after.append(entry)
    if len(urls) != len(published) or len(after) > MAX_CHANGED:
        return None
    return before, after


def _touched(state: MergedEvents, before: list[Entry], after: list[Entry]) -> set[Key] | None:
    """The keys of the changed entries' reports, old and new; None when one has an `id` or a
    `same_as`, or reaches an event one of those joined."""
    reports = [r for entry in (*before, *after) for r in entry.reports]
    if any(r.id or r.same_as is not None for r in reports):
        return None
    touched = {event_key(r) for r in reports}
    return touched if touched.isdisjoint(state.held) else None


def _merge_touched(state: MergedEvents, touched: set[Key], after: list[Entry], by_path: dict[str, Entry]):
    """The touched events merged afresh (a merger holding them alone) from every entry that
    reports one, oldest first as the full merge takes them; and those entries' paths."""
    changed = {e.path for e in after}
    reporters = {e.path: e for e in after}
    for key in touched:
        old = state.by_key.get(key)
        if old is not None:
            reporters.update((e.path, by_path[e.path]) for e in old.reports if e.path not in changed)
    merger = _Merger()
    for entry in sorted(reporters.values(), key=_OLDEST_FIRST):
        for report in entry.reports:
            if report.same_as is None and merger.key_of(report) in touched:
                merger.add(entry, report)
    return merger, set(reporters)


def _anchor_fresh(state: MergedEvents, touched: set[Key], fresh: _Merger):
    """Each fresh event's anchor, its plain base (bases, anchors); None when an old or a fresh
    one shares its base or anchor with another event (the full merge decides which is hashed)."""
    bases, taken = state.bases.copy(), set(state.anchors)
    for key in touched:
        old = state.by_key.get(key)
        if old is None:
            continue
        plain = "event-" + plain_base(key, state.first[key])
        if old.anchor != plain or bases[plain] != 1:
            return None
        del bases[plain]
        taken.discard(plain)
    for key, event in fresh.by_key.items():
        plain = "event-" + plain_base(key, fresh.first[key])
        if plain in bases or plain in taken:
            return None
        bases[plain] = 1
        taken.add(plain)
        event.anchor = plain
    return bases, taken


def _copy_kept(state: MergedEvents, touched: set[Key], fresh: _Merger, by_path: dict[str, Entry]):
    """Every other event copied with its entries swapped for the new ones: (by key, first
    reports, old event's id -> its new one, the events newest first)."""
    by_key: dict[Key, Event] = {}
    copied: dict[int, Event] = {}
    for key, old in state.by_key.items():
        if key in touched:
            continue
        event = object.__new__(Event)
        event.__dict__.update(old.__dict__)
        event.reports = [by_path[e.path] for e in old.reports]
        by_key[key] = copied[id(old)] = event
    events = [new for old in state.events if (new := copied.get(id(old))) is not None]
    for event in fresh.by_key.values():
        bisect.insort(events, event, key=newest_key)
    new_of = dict(copied)
    for key in touched:
        was, now = state.by_key.get(key), fresh.by_key.get(key)
        if was is not None and now is not None:
            new_of[id(was)] = now
    by_key.update(fresh.by_key)
    first = state.first.copy()
    for key in touched:
        first.pop(key, None)
    first.update(fresh.first)
    return by_key, first, new_of, events


def _entries_events(state, published, fresh: _Merger, new_of: dict[int, Event], changed: set, reporters: set):
    """Each published entry's events, newest first: a changed entry's from its reports, an
    entry reporting a touched event sorted again (its anchor may differ), any other's copied."""
    for entry in published:
        if entry.path in changed:
            found: list[Event] = []
            for report in entry.reports:
                event = fresh.by_key[fresh.key_of(report)]
                if event not in found:
                    found.append(event)
            entry.events = tuple(_newest_first(found))
            continue
        old = state.entries[entry.path].events
        if not old:
            entry.events = ()
            continue
        events = tuple([new_of[id(e)] for e in old])
        entry.events = tuple(_newest_first(events)) if entry.path in reporters else events


def _near_again(state: MergedEvents, touched: set[Key], fresh: _Merger, by_key: dict, first: dict):
    """The near-duplicate groups of the touched events, old and new, made and compared again;
    every other group and its pairs kept."""
    places: set[Key] = set()
    for key in touched:
        for event in (state.by_key.get(key), fresh.by_key.get(key)):
            if event is not None:
                places.update((key[0], entity) for entity in event.countries + event.officials)
    groups, pairs = dict(state.groups), dict(state.pairs)
    for group in places:
        members = [key for key in state.groups.get(group, ()) if key not in touched]
        members += [
            key
            for key, event in fresh.by_key.items()
            if key[0] == group[0]
            for entity in event.countries + event.officials
            if entity == group[1]
        ]
        members.sort(key=lambda k: place(first[k]))
        found = near_pairs(members, by_key)
        if members:
            groups[group] = members
        else:
            del groups[group]
        if found:
            pairs[group] = found
        else:
            pairs.pop(group, None)
    return groups, pairs
