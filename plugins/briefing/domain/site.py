"""load_site(): every content file in, one checked and cross-linked Site out.

The content check and the build both call it, so they can never disagree. Counts,
co-occurrence, timelines, relations, digests and related entries are derived here,
once per build, from the model.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import diagnostics as diag
from .cache import BuildCache
from .config import BriefingConfig
from .countries import EXTRA_ALIASES
from .dates import PartialDate, iso_week
from .loader import find_content, parse_entries, parse_profiles, render_bodies
from .markdown import MentionTarget
from .model import ISSUE, KINDS, Entity, Entry, Event
from .registry import Registry, build_registry
from .resolve import resolve_entry

log = logging.getLogger(__name__)

SUMMARY_LIMIT = 300
RELATED_WINDOW = 12  # candidates: this many entries either side in each shared posting list
RELATED_WEIGHTS = {"issue": 3, "official": 2, "country": 1}


@dataclass(frozen=True)
class TimelineItem:
    date: PartialDate
    text: str
    url: str
    is_event: bool

    def sort_key(self):
        return (self.date.sort_key(), not self.is_event, self.url, self.text)


@dataclass
class Relation:
    a: Entity
    b: Entity
    entries: list[Entry]
    events: list[Event]

    @property
    def slug(self) -> str:
        return f"{self.a.slug}--{self.b.slug}"

    @property
    def url(self) -> str:
        return f"/relations/{self.slug}/"

    @property
    def name(self) -> str:
        return f"{self.a.name} and {self.b.name}"


@dataclass
class Digest:
    year: int
    week: int
    entries: list[Entry]
    events: list[Event]
    groups: list[tuple[Entity | None, list[Entry]]] = field(default_factory=list)
    newer: "Digest | None" = None
    older: "Digest | None" = None

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-w{self.week:02d}"

    @property
    def url(self) -> str:
        return f"/digests/{self.slug}/"

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def name(self) -> str:
        return f"Week {self.week}, {self.year}"


@dataclass
class EntityView:
    """What an entity's page shows, derived from the model."""

    entity: Entity
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    registry: Registry | None = field(default=None, repr=False)
    appears_with_limit: int = 8

    @functools.cached_property
    def timeline(self) -> list[TimelineItem]:
        """Its entries and the events of them that concern it, newest first. Computed when a
        page first needs it, i.e. in the worker that renders page 1 (and only if it re-renders)."""
        items = []
        key = self.entity.key
        for entry in self.entries:
            items.append(TimelineItem(_entry_date(entry), entry.title, entry.url, False))
            items += [TimelineItem(ev.date, ev.what, entry.url, True)
                      for ev in entry.events if _concerns(ev, key)]
        return sorted(items, key=TimelineItem.sort_key, reverse=True)

    @functools.cached_property
    def appears_with(self) -> dict[str, list[tuple[Entity, int]]]:
        """The entities named most often in its entries, per kind: [(entity, count)]."""
        counts: Counter = Counter()
        for entry in self.entries:
            counts.update(entry.entity_keys)
        counts.pop(self.entity.key, None)
        entities = self.registry.entities
        ranked = sorted(((entities[k], n) for k, n in counts.items()), key=lambda pair: (-pair[1], pair[0].name))
        return {kind.name: [p for p in ranked if p[0].kind is kind][: self.appears_with_limit] for kind in KINDS}

    @property
    def since(self) -> dt.date | None:
        return self.entries[-1].date if self.entries else None


@dataclass
class Site:
    registry: Registry
    entries: list[Entry]  # published, newest first
    drafts: list[Entry]
    views: dict[str, EntityView]  # entity key -> view, for every entity with a page
    relations: list[Relation]
    digests: list[Digest]  # newest first
    related: dict[str, list[Entry]]  # entry url -> related entries

    def entity(self, key: str) -> Entity:
        return self.registry.entities[key]

    def has_page(self, key: str) -> bool:
        return key in self.views

    def of_kind(self, kind) -> list[EntityView]:
        return [v for v in self.views.values() if v.entity.kind is kind]


def load_site(content_dir, config: BriefingConfig | None = None, *, render: bool = True,
              today: dt.date | None = None, timings: dict | None = None,
              cache: BuildCache | None = None) -> tuple[Site | None, list]:
    """(Site, diagnostics); the Site is None when any diagnostic is an error.
    With render=False only the checks run (what `briefing check` needs)."""
    config = config or BriefingConfig()
    clock = _Clock(timings)
    content_dir = Path(content_dir)
    problems: list = []
    if not content_dir.is_dir():
        return None, [diag.error(str(content_dir), 1, 1, "content folder not found")]
    entry_paths, profile_paths = find_content(content_dir)
    clock.lap("find")
    drafts = []
    for draft, found in parse_entries(entry_paths, config.workers, cache):
        problems += found
        if draft is not None:
            drafts.append(draft)
    profiles = []
    for profile, found in parse_profiles(profile_paths):
        problems += found
        if profile is not None:
            profiles.append(profile)
    clock.lap("parse")
    registry, found = build_registry(profiles, drafts)
    problems += found
    clock.lap("registry")
    entries = []
    for draft in drafts:
        entry, found = resolve_entry(registry, draft)
        problems += found
        entries.append(entry)
    problems += _entry_warnings(entries, drafts, today or dt.date.today())
    problems += _duplicate_urls(entries, drafts)
    clock.lap("resolve")
    if diag.has_errors(problems) or not render:
        if cache:
            cache.save()
        return None, sorted(set(problems))
    site = _derive(registry, entries, config)
    clock.lap("derive")
    _render(site, config, cache)
    clock.lap("markdown")
    if cache:
        cache.save()
    return site, sorted(set(problems))


class _Clock:
    """Phase timings for `make bench` profiles (BRIEFING_TIMINGS=1); a no-op otherwise."""

    def __init__(self, timings: dict | None):
        import time

        self._now = time.perf_counter
        self.timings = timings
        self.last = self._now()

    def lap(self, name: str):
        if self.timings is not None:
            now = self._now()
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
            self.last = now


def _entry_warnings(entries: list[Entry], drafts, today: dt.date) -> list:
    out = []
    for entry, draft in zip(entries, drafts):
        if entry.date > today:
            out.append(diag.warning(entry.path, draft.date_line, 7, f"dated in the future ({entry.date.isoformat()})"))
        if not draft.countries and not draft.issues:
            out.append(diag.warning(entry.path, 1, 1, "names no country and no issue: it will appear on no entity page"))
        if len(entry.summary) > SUMMARY_LIMIT:
            out.append(diag.warning(entry.path, 1, 1, f"summary is {len(entry.summary)} characters; keep it under {SUMMARY_LIMIT}"))
        for event_draft in draft.events:
            if event_draft.date.first_day() > entry.date:
                out.append(diag.warning(entry.path, event_draft.line, event_draft.column,
                                        f"event dated {event_draft.date.iso()}, after the entry ({entry.date.isoformat()})"))
    return out


def _duplicate_urls(entries: list[Entry], drafts) -> list:
    seen: dict[str, Entry] = {}
    out = []
    for entry, draft in zip(entries, drafts):
        first = seen.setdefault(entry.url, entry)
        if first is not entry:
            line = draft.slug_line if draft.slug else draft.title_line
            out.append(diag.error(entry.path, line, 1,
                                  f"this entry and {first.path} both have the address {entry.url}: give one a different 'slug'"))
    return out


def _derive(registry: Registry, entries: list[Entry], config: BriefingConfig) -> Site:
    published = sorted((e for e in entries if not e.is_draft), key=Entry.sort_key)
    drafts = sorted((e for e in entries if e.is_draft), key=Entry.sort_key)
    postings: dict[str, list[Entry]] = defaultdict(list)
    for entry in published:
        for key in entry.entity_keys:
            postings[key].append(entry)
    views: dict[str, EntityView] = {}
    for key, entity in registry.entities.items():
        if key in postings or entity.profile_path:
            views[key] = EntityView(entity, postings.get(key, []), registry=registry,
                                    appears_with_limit=config.appears_with)
    relations = _relations(registry, published, config.relations_min_entries)
    for relation in relations:
        views[relation.a.key].relations.append(relation)
        views[relation.b.key].relations.append(relation)
    digests = _digests(published, registry)
    related = _related(published, postings, config.related_entries)
    return Site(registry, published, drafts, dict(sorted(views.items())), relations, digests, related)


def _entry_date(entry: Entry) -> PartialDate:
    return PartialDate(entry.date.year, entry.date.month, entry.date.day)


def _concerns(event: Event, key: str) -> bool:
    kind = key.split(":", 1)[0]
    if kind == "country":
        return key in event.countries
    if kind == "issue":
        return key in event.issues
    return True  # an official is concerned by every event of an entry that names them


def _relations(registry: Registry, published: list[Entry], minimum: int) -> list[Relation]:
    pairs: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in published:
        countries = sorted(entry.countries, key=lambda k: registry.entities[k].slug)
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                pairs[(a, b)].append(entry)
    out = []
    for (a, b), shared in pairs.items():
        if len(shared) < max(1, minimum):
            continue
        events = sorted((ev for e in shared for ev in e.events if a in ev.countries or b in ev.countries),
                        key=lambda ev: (ev.date.sort_key(), ev.entry_url, ev.what), reverse=True)
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
    for (year, week) in sorted(weeks, reverse=True):
        entries = weeks[(year, week)]
        groups: dict[str | None, list[Entry]] = defaultdict(list)
        for entry in entries:
            groups[entry.issues[0] if entry.issues else None].append(entry)
        ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0] is None,
                                                        registry.entities[g[0]].name if g[0] else ""))
        events = sorted(set(events_by_week.get((year, week), [])),
                        key=lambda ev: (ev.date.sort_key(), ev.entry_url, ev.what), reverse=True)
        digests.append(Digest(year, week, entries, events,
                              [(registry.entities[k] if k else None, es) for k, es in ordered]))
    for newer, older in zip(digests, digests[1:]):
        newer.older, older.newer = older, newer
    return digests


def _related(published: list[Entry], postings: dict[str, list[Entry]], limit: int) -> dict[str, list[Entry]]:
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
            weight = RELATED_WEIGHTS[key[: key.index(":")]]
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
        codes = {entity.iso2, entity.iso3} - set(EXTRA_ALIASES.get(entity.iso2, ()))  # "USA" is a name too
        names = tuple(n for n in (entity.name, *entity.aliases) if n not in codes)
        targets.append(MentionTarget(entity.url, names, ignore_case=entity.kind is ISSUE))
    return targets


def _render(site: Site, config: BriefingConfig, cache: BuildCache | None):
    everything = site.entries + site.drafts
    jobs = [(e.body, tuple(mention_targets(e, site.registry, site.views)) if config.link_mentions else ())
            for e in everything]
    for entry, rendered in zip(everything, render_bodies(jobs, config.workers, cache)):
        entry.html = rendered.html
        entry.text = rendered.text
        if not entry.summary:
            entry.summary = rendered.first_paragraph
    profiled = [v.entity for v in site.views.values() if v.entity.profile_body.strip()]
    for entity, rendered in zip(profiled, render_bodies([(e.profile_body, ()) for e in profiled], 1, cache)):
        entity.profile_html = rendered.html
