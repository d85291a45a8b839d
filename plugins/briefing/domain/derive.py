"""Derivation, once per build: entity views, relations, digests and related entries from
the resolved entries. Every step is linear (or n log n) in entries x names."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import Counter, defaultdict

from .config import BriefingConfig
from .countries import names_in_text
from .dates import iso_week
from .editorial import DigestSummary, SitePage, attach_summaries
from .limits import RELATION_COUNTRIES
from .mentions import MentionTarget
from .model import KINDS, Entity, Entry, Event, Statement
from .registry import Registry
from .relation_profiles import Pair, pair_of
from .views import Digest, EntityView, MonthDigest, Relation, Site

RELATED_WINDOW = 12  # candidates: this many entries either side in each shared posting list
RELATED_WEIGHTS = {kind.name: kind.related_weight for kind in KINDS}


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
    related, kept = _related(registry, published, postings, config.related_entries, previous)
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
    if previous is not None and kept and previous._shared_lookup == site._shared_lookup:
        # a kept list's entries kept their names and dates (else its entry would not be kept),
        # so with every entity's name and weight as they were, its lines are as they were
        lines = previous.related_lines
        site.related_lines = {url: lines[url] for url in kept if url in lines}
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
    for entry in published:
        countries = sorted(entry.countries[:RELATION_COUNTRIES], key=slugs.__getitem__)
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                pairs[(a, b)].append(entry)
    candidates: dict[Pair, list[Event]] = defaultdict(list)
    for event in events:  # newest first
        countries = event.countries[:RELATION_COUNTRIES]
        if len(countries) == 1:
            for entry in event.reports:
                for other in entry.countries[:RELATION_COUNTRIES]:
                    if other != countries[0]:
                        candidates[pair_of(registry, countries[0], other)].append(event)
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                candidates[pair_of(registry, a, b)].append(event)
    out = []
    for (a, b), shared in pairs.items():
        if len(shared) < max(1, minimum):
            continue
        urls = {e.url for e in shared}
        pair_events = []
        for event in candidates.get((a, b), []):
            reported = any(r.url in urls for r in event.reports)
            if event not in pair_events and concerns_pair(event, (a, b), reported):
                pair_events.append(event)
        relation = Relation(registry.entities[a], registry.entities[b], shared, pair_events)
        _describe(registry, relation, profiles.get((a, b)))
        out.append(relation)
    return sorted(out, key=lambda r: r.slug)


def _describe(registry: Registry, relation: Relation, profile):
    """The issues a pair deals with and the officials of each side, counted over its
    entries and events (each event once); its profile's status and text."""
    issues: Counter = Counter()
    officials: Counter = Counter()
    items: list[Entry | Event] = [*relation.entries, *relation.events]
    for item in items:
        issues.update(item.issues)
        officials.update(item.officials)
    entities = registry.entities
    relation.issues = sorted(((entities[k], n) for k, n in issues.items()), key=lambda p: (-p[1], p[0].name))
    ranked = sorted(((entities[k], n) for k, n in officials.items()), key=lambda p: (-p[1], p[0].name))
    relation.officials = {
        side.key: [p for p in ranked if p[0].country == side.key] for side in (relation.a, relation.b)
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


def _related(
    registry: Registry,
    published: list[Entry],
    postings: dict[str, list[Entry]],
    limit: int,
    previous: Site | None = None,
) -> tuple[dict[str, list[Entry]], set[str]]:
    """({url: up to `limit` related entries}, the URLs whose list was kept from `previous`).
    Each entity the entry names contributes its weight (issue 3, official 2, country 1) to the
    entries nearest in time in that entity's list (RELATED_WINDOW either side); highest score
    first, ties newer first, then by URL. The window keeps this linear in the number of entries.
    Entries are counted by their rank in `published` (sorted newer first, then by URL: the tie
    order), so the scores are counted in C (a Counter of ranks, each window repeated its
    weight's times) and the best are the smallest of rank - score x len(published)."""
    if limit <= 0:
        return {e.url: [] for e in published}, set()
    rank = {e.url: i for i, e in enumerate(published)}
    ranks_of: dict[str, list[int]] = {}  # each name's posting list as ranks, made when first needed
    at_of: dict[str, dict[int, int]] = {}  # and each rank's place in it
    kept = _kept_related(previous, published, postings) if previous is not None else {}
    size = len(published)
    out = {}
    for me, entry in enumerate(published):
        same = kept.get(entry.url)
        if same is not None:
            out[entry.url] = same
            continue
        bag: list[int] = []
        for key in entry.entity_keys:
            ranks = ranks_of.get(key)
            if ranks is None:
                ranks = ranks_of[key] = [rank[e.url] for e in postings[key]]
                at_of[key] = {r: i for i, r in enumerate(ranks)}
            at, weight = at_of[key][me], registry.entities[key].kind.related_weight
            bag += ranks[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1] * weight
        scores = Counter(bag)
        del scores[me]
        best = heapq.nsmallest(limit, [other - score * size for other, score in scores.items()])
        out[entry.url] = [published[key % size] for key in best]
    return out, set(kept)


def _kept_related(previous: Site, published: list[Entry], postings: dict[str, list[Entry]]) -> dict[str, list[Entry]]:
    """{URL: its related entries, this assembly's} from `previous`, for each entry whose related entries
    cannot have changed: its names and date are as they were, and in each of its names' lists
    no entry came, went or moved within RELATED_WINDOW of it (a related list is made from those
    windows, the names' weights and the entries' dates alone)."""
    before = {e.url: e for e in previous.entries}
    moved = set()
    lists: set[str] = set()  # the names whose lists may differ: those a moved, new or gone entry has or had
    for entry in published:
        old = before.pop(entry.url, None)
        if old is None or old.timestamp != entry.timestamp or old.entity_keys != entry.entity_keys:
            moved.add(entry.url)
            lists.update(entry.entity_keys)
            if old is not None:
                lists.update(old.entity_keys)
    for gone in before.values():  # (each other list holds the same entries, ordered by their dates and URLs)
        lists.update(gone.entity_keys)
    touched = set(moved)
    for key in lists:
        view = previous.views.get(key)
        old_urls = [e.url for e in view.entries] if view else []
        new_urls = [e.url for e in postings.get(key, [])]
        span = _changed_span(old_urls, new_urls, moved)
        if span is not None:
            low, high = span
            touched.update(new_urls[max(0, low - RELATED_WINDOW) : high + RELATED_WINDOW])
    now = {e.url: e for e in published}
    kept = {}
    for url in now.keys() - touched:
        related = previous.related.get(url)
        if related is not None:
            try:
                kept[url] = [now[e.url] for e in related]
            except KeyError:  # a related entry went
                continue
    return kept


def _changed_span(old: list[str], new: list[str], moved: set[str]) -> tuple[int, int] | None:
    """The positions [low, high) of `new` that differ from `old` (past their common start and
    end) or hold an entry whose date or names changed; None when there are none."""
    at = [i for i, url in enumerate(new) if url in moved]
    if old == new:  # nothing came, went or moved in the list: only its changed entries count
        return (at[0], at[-1] + 1) if at else None
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    low, high = start, len(new) - end
    if at:
        low, high = min(low, at[0]), max(high, at[-1] + 1)
    return low, max(high, low + 1)


def mention_targets(entry: Entry, registry: Registry, views=None) -> list[MentionTarget]:
    """The names in an entry's body that may link: entities it names that have a page (`views`:
    None for a published entry, every entity of which has one)."""
    targets = []
    for key in entry.entity_keys:
        if views is not None and key not in views:
            continue
        target = registry.link_targets.get(key)
        if target is None:  # once per entity, not once per entry that names it
            entity = registry.entities[key]
            target = MentionTarget(entity.url, names_in_text(entity), ignore_case=entity.kind.mentions_any_case)
            registry.link_targets[key] = target
        targets.append(target)
    return targets
