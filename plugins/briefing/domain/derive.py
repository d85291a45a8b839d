"""Derivation, once per build: entity views, relations, digests and related entries from
the resolved entries. Every step is linear (or n log n) in entries x names."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from operator import attrgetter

from .config import BriefingConfig
from .countries import names_in_text
from .dates import iso_week
from .editorial import DigestSummary, SitePage, attach_summaries
from .limits import RELATION_COUNTRIES
from .mentions import MentionTarget
from .model import KINDS, Entity, Entry, Event, Statement
from .registry import Registry
from .related import kept_lines, related_entries
from .relation_profiles import Pair
from .views import Digest, EntityView, MonthDigest, Relation, Site

RELATED_WEIGHTS = {kind.name: kind.related_weight for kind in KINDS}
_URL = attrgetter("url")


def derive_site(
    registry: Registry,
    entries: list[Entry],
    config: BriefingConfig,
    *,
    events: list[Event] = (),  # type: ignore[assignment]
    statements: list[Statement] = (),  # type: ignore[assignment]
    profiles: dict | None = None,
    summaries: list[DigestSummary] = (),  # type: ignore[assignment]
    pages: list[SitePage] = (),  # type: ignore[assignment]
    previous: Site | None = None,  # the site before an edit (the preview): related entries kept where they can be
) -> Site:
    published = sorted((e for e in entries if not e.is_draft), key=Entry.sort_key)
    build_date = published[0].date if published else None  # the newest content date, never the clock
    # Drafts are previewed locally; the published build (BRIEFING["drafts"] = False) has none at all.
    drafts = sorted((e for e in entries if e.is_draft), key=Entry.sort_key) if config.drafts else []
    postings: dict[str, list[Entry]] = defaultdict(list)
    for entry in published:
        for key in entry.entity_keys:
            postings[key].append(entry)
    views = _entity_views(registry, postings, events, statements, config, build_date)
    relations = _relations(registry, published, events, config.relations_min_entries, profiles or {})
    for relation in relations:
        relation.build_date = build_date
        views[relation.a.key].relations.append(relation)
        views[relation.b.key].relations.append(relation)
    by_date = _newest_events(list(events))  # sorted once: each period's events are taken from it in order
    digests = _digests(published, by_date, registry)
    months = _month_digests(published, by_date, registry, relations, digests)
    attach_summaries(list(summaries), [*digests, *months])
    related, kept = related_entries(registry, published, postings, config.related_entries, previous)
    site = Site(
        registry,
        published,
        drafts,
        dict(sorted(views.items())),
        relations,
        digests,
        related,
        list(events),
        list(statements),
        month_digests=months,
        pages=sorted(pages, key=lambda p: p.slug),
        build_date=build_date,
    )
    if previous is not None and kept:
        site.related_lines = kept_lines(previous, site, kept)
    return site


def _entity_views(
    registry: Registry,
    postings: dict[str, list[Entry]],
    events: list[Event],
    statements: list[Statement],
    config: BriefingConfig,
    build_date,
) -> dict[str, EntityView]:
    """A view of each entity that entries, events or statements name, or that has a profile."""
    event_postings: dict[str, list[Event]] = defaultdict(list)
    for event in events:  # newest first, so each list is too
        for kind in KINDS:
            for key in getattr(event, kind.event_field):
                event_postings[key].append(event)
    said = _statement_postings(statements)
    views: dict[str, EntityView] = {}
    for key, entity in registry.entities.items():
        if key in postings or key in event_postings or key in said or entity.profile_path:
            views[key] = EntityView(
                entity,
                registry,
                postings.get(key, []),
                appears_with_limit=config.appears_with,
                events=event_postings.get(key, []),
                statements=said.get(key, []),
                build_date=build_date,
            )
    return views


def _statement_postings(statements: list[Statement]) -> dict[str, list[Statement]]:
    """Statements by their speaker and by each issue they are on; newest first."""
    out: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        for key in (statement.by, *statement.on):
            out[key].append(statement)
    return out


def concerns_pair(event: Event, pair: Pair, reported_by_pair: bool) -> bool:
    """An event is on a relation's page when it concerns both countries, or one of them and
    no other country while an entry naming both reports it."""
    a, b = pair
    if a in event.countries and b in event.countries:
        return True
    return reported_by_pair and (a in event.countries or b in event.countries) and len(event.countries) == 1


def _relations(registry: Registry, published: list[Entry], events, minimum: int, profiles: dict) -> list[Relation]:
    """Pairs of countries named together; each entry (and event) pairs only its first
    RELATION_COUNTRIES countries (at most 28 pairs), so its work is bounded however many it names."""
    pairs: dict[Pair, list[Entry]] = defaultdict(list)
    slugs = {key: entity.slug for key, entity in registry.entities.items()}
    by_slug = slugs.__getitem__  # (a pair is its two keys in the order of their slugs: pair_of)
    for entry in published:
        for pair in itertools.combinations(sorted(entry.countries[:RELATION_COUNTRIES], key=by_slug), 2):
            pairs[pair].append(entry)
    candidates: dict[Pair, list[Event]] = defaultdict(list)
    for event in events:  # newest first
        countries = event.countries[:RELATION_COUNTRIES]
        if len(countries) == 1:
            (only,) = countries
            for entry in event.reports:
                for other in entry.countries[:RELATION_COUNTRIES]:
                    if other != only:
                        candidates[(only, other) if slugs[only] <= slugs[other] else (other, only)].append(event)
        for pair in itertools.combinations(sorted(countries, key=by_slug), 2):
            candidates[pair].append(event)
    of_country: dict[str, set[str]] = defaultdict(set)  # each country's officials (filtered in C: _describe)
    for key, entity in registry.entities.items():
        if entity.country is not None:
            of_country[entity.country].add(key)
    out = []
    for (a, b), shared in pairs.items():
        if len(shared) < max(1, minimum):
            continue
        urls = set(map(_URL, shared))
        pair_events, seen = [], set()
        for event in candidates.get((a, b), []):
            if id(event) not in seen and concerns_pair(event, (a, b), not urls.isdisjoint(map(_URL, event.reports))):
                seen.add(id(event))
                pair_events.append(event)
        relation = Relation(registry.entities[a], registry.entities[b], shared, pair_events)
        _describe(registry, relation, profiles.get((a, b)), of_country)
        out.append(relation)
    return sorted(out, key=lambda r: r.slug)


def _describe(registry: Registry, relation: Relation, profile, of_country: dict[str, set[str]]):
    """The issues a pair deals with and the officials of each side, counted over its
    entries and events (each event once); its profile's status and text."""
    items: list[Entry | Event] = [*relation.entries, *relation.events]
    issues = Counter(itertools.chain.from_iterable(item.issues for item in items))  # counted in C, in order
    officials = Counter(itertools.chain.from_iterable(item.officials for item in items))
    entities = registry.entities
    relation.issues = sorted(((entities[k], n) for k, n in issues.items()), key=lambda p: (-p[1], p[0].name))
    # each side's officials taken in counting order by a filter in C (a busy pair counts
    # officials of many countries), then ranked: the sort is stable
    relation.officials = {
        side: sorted(
            ((entities[k], officials[k]) for k in filter(of_country[side].__contains__, officials)),
            key=lambda p: (-p[1], p[0].name),
        )
        for side in (relation.a.key, relation.b.key)
    }
    relation.statements = sorted(
        {
            id(s): s
            for e in relation.entries
            for s in e.statements
            if entities[s.by].country in (relation.a.key, relation.b.key)
        }.values(),
        key=lambda s: (tuple(-n for n in s.date.sort_key()), s.anchor),
    )
    relation.profile = profile


def _by_issue(entries: list[Entry], registry: Registry) -> list[tuple[Entity | None, list[Entry]]]:
    """Entries grouped by their first issue, biggest group first (then by name; no issue last)."""
    groups: dict[str | None, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.issues[0] if entry.issues else None].append(entry)
    ordered = sorted(
        groups.items(), key=lambda g: (-len(g[1]), g[0] is None, registry.entities[g[0]].name if g[0] else "")
    )
    return [(registry.entities[k] if k else None, es) for k, es in ordered]


def _newest_events(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda ev: (ev.date.sort_key(), ev.entry_url, ev.what), reverse=True)


def _digests(published: list[Entry], events: list[Event], registry: Registry) -> list[Digest]:
    """A digest per ISO week with published entries; `events` newest first (_newest_events),
    so each week's are too (the sort is stable: a week's ties keep the order of `events`)."""
    weeks: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    week_of: dict[dt.date, tuple[int, int]] = {}  # each day's week, worked out once (days repeat)
    for entry in published:
        week = week_of.get(entry.date)
        if week is None:
            week = week_of[entry.date] = iso_week(entry.date)
        weeks[week].append(entry)
    events_by_week: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for event in events:
        if event.date.day:
            day = dt.date(event.date.year, event.date.month, event.date.day)
            events_by_week[week_of.get(day) or iso_week(day)].append(event)
    digests = [
        Digest(year, week, entries=weeks[(year, week)], events=events_by_week.get((year, week), []))
        for year, week in sorted(weeks, reverse=True)
    ]
    for digest in digests:
        digest.groups = _by_issue(digest.entries, registry)
    for newer, older in itertools.pairwise(digests):
        newer.older, older.newer = older, newer
    return digests


def _month_digests(
    published: list[Entry], events: list[Event], registry: Registry, relations: list[Relation], weeks: list[Digest]
) -> list[MonthDigest]:
    """One digest per calendar month with published entries: its entries by issue, and the
    events dated in it (to the day or the month) by relation; `events` newest first, as _digests."""
    months: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in published:
        months[(entry.date.year, entry.date.month)].append(entry)
    events_by_month: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for event in events:
        if event.date.month:
            events_by_month[(event.date.year, event.date.month)].append(event)
    pairs_of: dict[int, list[tuple[str, Relation]]] = defaultdict(list)  # id(event) -> the relations listing it
    for relation in relations:
        slug = relation.slug
        for event in relation.events:
            pairs_of[id(event)].append((slug, relation))
    digests = []
    for year, month in sorted(months, reverse=True):
        month_events = events_by_month.get((year, month), [])
        digest = MonthDigest(year, month, entries=months[(year, month)], events=month_events)
        digest.groups = _by_issue(digest.entries, registry)
        digest.relation_groups = _by_relation(month_events, pairs_of)
        digests.append(digest)
    by_month = {(d.year, d.month): d for d in digests}
    for week in weeks:  # newest first: each month lists the weeks that have entries in it, and back
        for key in dict.fromkeys((e.date.year, e.date.month) for e in reversed(week.entries)):
            by_month[key].weeks.append(week)
            week.months.append(by_month[key])
    for newer, older in itertools.pairwise(digests):
        newer.older, older.newer = older, newer
    return digests


def _by_relation(
    events: list[Event], pairs_of: dict[int, list[tuple[str, Relation]]]
) -> list[tuple[Relation | None, list]]:
    """Each event once, under the relation page that lists it and has the most of the month's
    events (then by name); events on no relation page last. `pairs_of`: (slug, relation)."""
    counts: Counter = Counter(slug for event in events for slug, _ in pairs_of.get(id(event), ()))
    relation_of: dict[str, Relation] = {}
    groups: dict[str, list[Event]] = {}
    for event in events:
        best = min(pairs_of.get(id(event), ()), key=lambda p: (-counts[p[0]], p[0]), default=None)
        slug = best[0] if best else ""
        if best:
            relation_of[slug] = best[1]
        groups.setdefault(slug, []).append(event)
    ordered = sorted(groups.items(), key=lambda g: (not g[0], -len(g[1]), g[0]))
    return [(relation_of.get(slug), listed) for slug, listed in ordered]


def mention_targets(entry: Entry, registry: Registry, views=None) -> list[MentionTarget]:
    """The names in an entry's body that may link: entities it names that have a page (`views`:
    None for a published entry, every entity of which has one)."""
    return [link_target(registry, key) for key in entry.entity_keys if views is None or key in views]


def link_target(registry: Registry, key: str) -> MentionTarget:
    """An entity's link target, made once per assembly: the previous assembly's very object
    while it is equal (Registry.kept_targets), so that a kept body's targets compare by identity."""
    target = registry.link_targets.get(key)
    if target is None:
        entity = registry.entities[key]
        target = MentionTarget(entity.url, names_in_text(entity), ignore_case=entity.kind.mentions_any_case)
        kept = registry.kept_targets.get(key)
        registry.link_targets[key] = target = kept if kept == target else target
    return target
