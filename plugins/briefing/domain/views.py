"""What the pages show, derived from the model: entity views, relations, digests, the Site."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections import Counter
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING

from .dates import MONTHS, PartialDate, date_range
from .editorial import DigestSummary, SitePage
from .model import KINDS, Entity, Entry, Event, RelationProfile, Statement, StatusPoint, digest_slug, digest_url
from .names import name_key
from .periods import Chronicle, upcoming_events
from .registry import Registry

if TYPE_CHECKING:
    from .events_kept import MergedEvents


class Standing:
    """Where an issue or a relation stands: its status history, current state, when it was
    last updated and its latest development. Shared by entity views and relations."""

    status: tuple[StatusPoint, ...]
    entries: list[Entry]
    events: list[Event]
    statements: list[Statement]
    build_date: dt.date | None

    @property
    def current(self) -> StatusPoint | None:
        return self.status[-1] if self.status else None

    @functools.cached_property
    def last_updated(self) -> PartialDate | None:
        """The newest date among its entries, events and statements, up to the build date
        (an event to come is no update)."""
        dates = [_entry_date(e) for e in self.entries[:1]]
        dates += [e.date for e in self.events] + [s.date for s in self.statements]
        dates = [d for d in dates if not self._to_come(d)]
        return max(dates, key=lambda d: (d.first_day(), bool(d.day), bool(d.month)), default=None)

    @property
    def latest(self) -> Event | None:
        """Its newest event up to the build date (events are newest first)."""
        return next((e for e in self.events if not self._to_come(e.date)), None)

    def _to_come(self, date: PartialDate) -> bool:
        return self.build_date is not None and date.first_day() > self.build_date

    @property
    def latest_apart(self) -> Event | None:
        """Its newest event when the "Latest" block just below the status box does not list
        it (newer statements fill the block): only then does the box name it. In both, a
        reader on a phone read the same event twice, one under the other."""
        latest = self.latest
        listed = getattr(self, "latest_items", ())  # Chronicle's, on every page with a status box
        return latest if latest and all(item.value is not latest for item in listed) else None


@dataclass
class Relation(Standing, Chronicle):
    a: Entity
    b: Entity
    entries: list[Entry]
    events: list[Event]
    statements: list[Statement] = field(default_factory=list)
    build_date: dt.date | None = None
    profile: RelationProfile | None = None
    profile_html: str = ""
    issues: list[tuple[Entity, int]] = field(default_factory=list)  # by entries and events, most first
    officials: dict[str, list[tuple[Entity, int]]] = field(default_factory=dict)  # country key -> its officials

    @property
    def status(self) -> tuple[StatusPoint, ...]:  # type: ignore[override]
        return self.profile.status if self.profile else ()

    @property
    def aliases(self) -> list[str]:
        return [a.name for a in self.profile.aliases] if self.profile else []

    @property
    def slug(self) -> str:
        """<slug a>--<slug b>, in alphabetical order."""
        return f"{self.a.slug}--{self.b.slug}"

    @property
    def url(self) -> str:
        return f"/relations/{self.slug}/"

    page_url = url

    @property
    def name(self) -> str:
        return f"{self.a.name} and {self.b.name}"


@dataclass
class DigestPeriod:
    """What weekly and monthly digests share: their entries grouped by main issue, the events
    dated in the period, an editor's summary, and the adjacent non-empty periods."""

    year: int
    _: KW_ONLY  # then a digest's week or month, so Digest(2025, 24, entries=..., events=...)
    entries: list[Entry]
    events: list[Event]
    groups: list[tuple[Entity | None, list[Entry]]] = field(default_factory=list)
    summary: DigestSummary | None = None
    newer: DigestPeriod | None = None
    older: DigestPeriod | None = None

    @property
    def slug(self) -> str:
        raise NotImplementedError

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"/digests/{self.slug}/"

    @property
    def headline(self) -> str:
        """The summary's title, or the period's name and its biggest issues."""
        if self.summary:
            return self.summary.title
        issues = [issue.name for issue, _ in self.groups if issue][:2]
        return f"{self.name}: {' and '.join(issues)}" if issues else self.name


@dataclass
class Digest(DigestPeriod):
    """An ISO week's digest."""

    week: int
    months: list[MonthDigest] = field(default_factory=list)  # the monthly digests of its entries, oldest first

    @property
    def slug(self) -> str:
        return digest_slug(self.year, self.week)

    @property
    def url(self) -> str:
        return digest_url(self.year, self.week)

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def name(self) -> str:
        return f"Week {self.week}, {self.year}"

    @property
    def dates(self) -> str:
        return date_range(self.start, self.end)


@dataclass
class MonthDigest(DigestPeriod):
    """A calendar month's digest: its entries by issue, its events by relation."""

    month: int
    relation_groups: list[tuple[Relation | None, list[Event]]] = field(default_factory=list)
    weeks: list[Digest] = field(default_factory=list)  # the weekly digests with entries in it, newest first

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return PartialDate(self.year, self.month).last_day()

    @property
    def name(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    dates = name  # a month's dates are its name


@dataclass
class EntityView(Standing, Chronicle):
    """What an entity's page shows, derived from the model."""

    entity: Entity
    registry: Registry = field(repr=False)
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    appears_with_limit: int = 8
    events: list[Event] = field(default_factory=list)  # the events that concern it, newest first
    statements: list[Statement] = field(default_factory=list)  # its own words, or on it (an issue)
    build_date: dt.date | None = None  # the newest content date: what "Latest" and "this month" mean

    @property
    def status(self) -> tuple[StatusPoint, ...]:  # type: ignore[override]
        return self.entity.status

    @property
    def page_url(self) -> str:
        return self.entity.url

    @property
    def url(self) -> str:
        return self.entity.url

    @property
    def name(self) -> str:
        return self.entity.name

    @functools.cached_property
    def appears_with(self) -> dict[str, list[tuple[Entity, int]]]:
        """The entities named most often in its entries, per kind: [(entity, count)]."""
        counts: Counter = Counter()
        for entry in self.entries:
            counts.update(entry.entity_keys)
        counts.pop(self.entity.key, None)
        entities = self.registry.entities
        by_kind: dict[str, list[tuple[Entity, int]]] = {kind.name: [] for kind in KINDS}
        for key, n in counts.items():
            entity = entities[key]
            by_kind[entity.kind.name].append((entity, n))
        # the first few of each kind as sorted() would put them (nsmallest is that, without sorting all)
        limit, rank = self.appears_with_limit, lambda pair: (-pair[1], pair[0].name)
        return {name: heapq.nsmallest(limit, pairs, key=rank) for name, pairs in by_kind.items()}

    @property
    def since(self) -> dt.date | None:
        return self.entries[-1].date if self.entries else None

    @functools.cached_property
    def partners(self) -> list[Partner]:
        """The other side of each of its relations, most shared entries first (then by name)."""
        found = [Partner(r, r.b if r.a.key == self.entity.key else r.a, len(r.entries)) for r in self.relations]
        return sorted(found, key=lambda p: (-p.weight, name_key(p.entity.name), p.entity.slug))


@dataclass(frozen=True)
class Partner:
    """One of a country's relations, seen from that country: the relation map's lines."""

    relation: Relation
    entity: Entity  # the other side
    weight: int  # the entries that name both

    @property
    def state(self) -> StatusPoint | None:
        return self.relation.current


@dataclass
class Site:
    registry: Registry
    entries: list[Entry]  # published, newest first
    drafts: list[Entry]
    views: dict[str, EntityView]  # entity key -> view, for every entity with a page
    relations: list[Relation]
    digests: list[Digest]  # newest first
    related: dict[str, list[Entry]]  # entry url -> related entries, best first
    events: list[Event] = field(default_factory=list)  # every published event once, newest first
    statements: list[Statement] = field(default_factory=list)  # newest first
    month_digests: list[MonthDigest] = field(default_factory=list)  # newest first
    pages: list[SitePage] = field(default_factory=list)  # content/pages/: About ...
    build_date: dt.date | None = None  # the newest published entry's date (never the clock)
    # entry url -> its related lines as (the related entry's place in `related`, shared names),
    # newest first: made by related_entries(), or kept from the previous site by derive_site
    # where they cannot differ (with its related list, in the same order)
    related_lines: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # entry path -> (its body's source, its mention targets, whether its plain text was made, the
    # body rendered from them, the entity keys it named): an assembly after an edit takes an
    # entry's rendered body from here when its source and targets are as they were (and it has
    # the plain text the assembly wants; site._kept_bodies)
    bodies: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)
    # what merging the events left for the next assembly to keep (domain/events_kept.py)
    kept_events: MergedEvents | None = field(default=None, repr=False, compare=False)

    def __getstate__(self):
        """Pickled without `kept_events` (the cache's model: its first edit merges afresh)."""
        return {**self.__dict__, "kept_events": None}

    def entity(self, key: str) -> Entity:
        return self.registry.entities[key]

    def has_page(self, key: str) -> bool:
        return key in self.views

    def of_kind(self, kind) -> list[EntityView]:
        return [v for v in self.views.values() if v.entity.kind is kind]

    @property
    def brief(self) -> DigestPeriod | None:
        """What the home page opens with: the latest week's digest if an editor summarised it,
        else the latest month's if summarised, else the latest week's (its top issues)."""
        candidates = [d for d in [*self.digests[:1], *self.month_digests[:1]] if d.summary]
        return candidates[0] if candidates else (self.digests[0] if self.digests else None)

    @functools.cached_property
    def upcoming(self) -> list[Event]:
        """Every event dated after the build date, soonest first."""
        return upcoming_events(self.events, self.build_date)

    @functools.cached_property
    def standings(self) -> list[Standing]:
        """Issues and relations with a status, most recently updated first ("Where things stand")."""
        found: list = [v for v in self.views.values() if v.status] + [r for r in self.relations if r.status]
        return sorted(found, key=lambda s: (_newest_first(s.last_updated), s.name))

    def related_entries(self, entry: Entry) -> list[RelatedEntry]:
        """An entry's related entries, newest first, each with what it shares with the entry."""
        related = self.related.get(entry.url, [])
        lines = self.related_lines.get(entry.url)
        if lines is not None:  # (no field of a related entry read: 50,000 of them at 10,000 entries)
            return [RelatedEntry(related[at], shared) for at, shared in lines]
        order = sorted(range(len(related)), key=lambda at: related[at].sort_key())
        ranks, names = self._shared_lookup
        lines = tuple([(at, _shared(ranks, names, entry, related[at])) for at in order])
        self.related_lines[entry.url] = lines
        return [RelatedEntry(related[at], shared) for at, shared in lines]

    @functools.cached_property
    def _shared_lookup(self) -> tuple[dict[str, int], dict[str, str]]:
        """Each entity's rank among shared names (minus its kind's weight) and its name: the
        page list reads them for every related line (50,000 at 10,000 entries)."""
        entities = self.registry.entities.items()
        return {k: -e.kind.related_weight for k, e in entities}, {k: e.name for k, e in entities}


@dataclass(slots=True)  # not frozen: 50,000 made on every page list at 10,000 entries, 3x faster
class RelatedEntry:
    entry: Entry
    shared: tuple[str, ...]  # the names it shares, issues first, then officials, then countries

    @property
    def reason(self) -> str:
        """'also about Rare earth export controls and Wang Yi'."""
        names = list(self.shared[:RELATED_REASON_NAMES])
        more = len(self.shared) - len(names)
        if more:
            return f"also about {', '.join(names)} and {more} more"
        return "also about " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])


RELATED_REASON_NAMES = 3


def shared_names(registry: Registry, entry: Entry, other: Entry) -> tuple[str, ...]:
    """What two entries both name, by kind weight (issues, officials, countries), in the entry's order."""
    entities = registry.entities.items()
    ranks, names = {k: -e.kind.related_weight for k, e in entities}, {k: e.name for k, e in entities}
    return _shared(ranks, names, entry, other)


def _shared(ranks: dict[str, int], names: dict[str, str], entry: Entry, other: Entry) -> tuple[str, ...]:
    theirs = other.entity_keys
    keys = [k for k in entry.entity_keys if k in theirs]
    keys.sort(key=ranks.__getitem__)  # stable: the entry's order within a kind
    return tuple([names[k] for k in keys])


def _newest_first(date: PartialDate | None) -> tuple:
    return tuple(-n for n in date.sort_key()) if date else (1,)


def _entry_date(entry: Entry) -> PartialDate:
    return PartialDate(entry.date.year, entry.date.month, entry.date.day)
