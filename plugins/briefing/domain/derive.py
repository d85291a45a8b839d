"""Derivation, once per build: entity views, relations, digests and related entries from
the resolved entries. Every step is linear (or n log n) in entries x names."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import defaultdict

from .config import BriefingConfig
from .countries import names_in_text
from .dates import iso_week
from .limits import RELATION_COUNTRIES
from .markdown import MentionTarget
from .model import KINDS, Entry, Event
from .registry import Registry
from .views import Digest, EntityView, Relation, Site

RELATED_WINDOW = 12  # candidates: this many entries either side in each shared posting list
RELATED_WEIGHTS = {kind.name: kind.related_weight for kind in KINDS}


def derive_site(registry: Registry, entries: list[Entry], config: BriefingConfig) -> Site:
    published = sorted((e for e in entries if not e.is_draft), key=Entry.sort_key)
    # Drafts are previewed locally; the published build (BRIEFING["drafts"] = False) has none at all.
    drafts = sorted((e for e in entries if e.is_draft), key=Entry.sort_key) if config.drafts else []
    postings: dict[str, list[Entry]] = defaultdict(list)
    for entry in published:
        for key in entry.entity_keys:
            postings[key].append(entry)
    views: dict[str, EntityView] = {}
    for key, entity in registry.entities.items():
        if key in postings or entity.profile_path:
            views[key] = EntityView(entity, registry, postings.get(key, []), appears_with_limit=config.appears_with)
    relations = _relations(registry, published, config.relations_min_entries)
    for relation in relations:
        views[relation.a.key].relations.append(relation)
        views[relation.b.key].relations.append(relation)
    digests = _digests(published, registry)
    related = _related(registry, published, postings, config.related_entries)
    return Site(registry, published, drafts, dict(sorted(views.items())), relations, digests, related)


def _relations(registry: Registry, published: list[Entry], minimum: int) -> list[Relation]:
    """Pairs of countries named together; each entry pairs only its first RELATION_COUNTRIES
    countries (at most 28 pairs), so its work is bounded however many it names."""
    pairs: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in published:
        countries = sorted(entry.countries[:RELATION_COUNTRIES], key=lambda k: registry.entities[k].slug)
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                pairs[(a, b)].append(entry)
    out = []
    for (a, b), shared in pairs.items():
        if len(shared) < max(1, minimum):
            continue
        events = sorted(
            (ev for e in shared for ev in e.events if a in ev.countries or b in ev.countries),
            key=lambda ev: (ev.date.sort_key(), ev.entry_url, ev.what),
            reverse=True,
        )
        out.append(Relation(registry.entities[a], registry.entities[b], shared, events))
    return sorted(out, key=lambda r: r.slug)


def _digests(published: list[Entry], registry: Registry) -> list[Digest]:
    weeks: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in published:
        weeks[iso_week(entry.date)].append(entry)
    events_by_week: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for entry in published:
        for event in entry.events:
            if event.date.day:
                events_by_week[iso_week(dt.date(event.date.year, event.date.month, event.date.day))].append(event)
    digests = []
    for year, week in sorted(weeks, reverse=True):
        entries = weeks[(year, week)]
        groups: dict[str | None, list[Entry]] = defaultdict(list)
        for entry in entries:
            groups[entry.issues[0] if entry.issues else None].append(entry)
        ordered = sorted(
            groups.items(), key=lambda g: (-len(g[1]), g[0] is None, registry.entities[g[0]].name if g[0] else "")
        )
        events = sorted(
            set(events_by_week.get((year, week), [])),
            key=lambda ev: (ev.date.sort_key(), ev.entry_url, ev.what),
            reverse=True,
        )
        digests.append(
            Digest(year, week, entries, events, [(registry.entities[k] if k else None, es) for k, es in ordered])
        )
    for newer, older in itertools.pairwise(digests):
        newer.older, older.newer = older, newer
    return digests


def _related(
    registry: Registry, published: list[Entry], postings: dict[str, list[Entry]], limit: int
) -> dict[str, list[Entry]]:
    """Up to `limit` related entries per entry. Each entity the entry names contributes its
    weight (issue 3, official 2, country 1) to the entries nearest in time in that entity's
    list (RELATED_WINDOW either side); highest score first, ties newer first, then by URL.
    The window keeps this linear in the number of entries."""
    if limit <= 0:
        return {e.url: [] for e in published}
    position = {key: {e.url: i for i, e in enumerate(entries)} for key, entries in postings.items()}
    out = {}
    for entry in published:
        scores: dict[str, int] = defaultdict(int)
        others: dict[str, Entry] = {}
        for key in entry.entity_keys:
            weight = registry.entities[key].kind.related_weight
            entries = postings[key]
            at = position[key][entry.url]
            for other in entries[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1]:
                scores[other.url] += weight
                others[other.url] = other
        scores.pop(entry.url, None)
        best = heapq.nsmallest(limit, scores, key=lambda url: (-scores[url], -others[url].timestamp, url))
        out[entry.url] = [others[url] for url in best]
    return out


def mention_targets(entry: Entry, registry: Registry, views) -> list[MentionTarget]:
    """The names in an entry's body that may link: entities it names that have a page."""
    targets = []
    for key in entry.entity_keys:
        if key not in views:
            continue
        entity = registry.entities[key]
        targets.append(MentionTarget(entity.url, names_in_text(entity), ignore_case=entity.kind.mentions_any_case))
    return targets
