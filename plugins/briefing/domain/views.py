"""What the pages show, derived from the model: entity views, relations, digests, the Site."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections import Counter
from dataclasses import dataclass, field

from .dates import PartialDate
from .model import KINDS, Entity, Entry, Event, RelationProfile, Statement, StatusPoint, digest_slug, digest_url
from .registry import Registry


@dataclass(frozen=True)
class TimelineItem:
    date: PartialDate
    text: str
    url: str
    is_event: bool
    event: Event | None = None  # the event itself (anchor, sources, reports) for event items

    def sort_key(self):
        return (self.date.sort_key(), not self.is_event, self.url, self.text)


class Standing:
    """Where an issue or a relation stands: its status history, current state, when it was
    last updated and its latest development. Shared by entity views and relations."""

    status: tuple[StatusPoint, ...]
    entries: list[Entry]
    events: list[Event]
    statements: list[Statement]

    @property
    def current(self) -> StatusPoint | None:
        return self.status[-1] if self.status else None

    @functools.cached_property
    def last_updated(self) -> PartialDate | None:
        """The newest date among its entries, events and statements."""
        dates = [_entry_date(e) for e in self.entries[:1]]
        dates += [e.date for e in self.events] + [s.date for s in self.statements]
        return max(dates, key=lambda d: (d.first_day(), bool(d.day), bool(d.month)), default=None)

    @property
    def latest(self) -> Event | None:
        """Its newest event (events are newest first)."""
        return self.events[0] if self.events else None


@dataclass
class Relation(Standing):
    a: Entity
    b: Entity
    entries: list[Entry]
    events: list[Event]
    statements: list[Statement] = field(default_factory=list)
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
    newer: Digest | None = None
    older: Digest | None = None

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


@dataclass
class EntityView(Standing):
    """What an entity's page shows, derived from the model."""

    entity: Entity
    registry: Registry = field(repr=False)
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    appears_with_limit: int = 8
    events: list[Event] = field(default_factory=list)  # the events that concern it, newest first
    statements: list[Statement] = field(default_factory=list)  # its own words, or on it (an issue)

    @property
    def status(self) -> tuple[StatusPoint, ...]:  # type: ignore[override]
        return self.entity.status

    @functools.cached_property
    def timeline(self) -> list[TimelineItem]:
        """Its entries and the events that concern it, each once, newest first. Computed when a
        page first needs it, i.e. in the worker that renders page 1 (and only if it re-renders)."""
        items = [TimelineItem(_entry_date(entry), entry.title, entry.url, False) for entry in self.entries]
        items += [TimelineItem(ev.date, ev.what, ev.entry_url, True, ev) for ev in self.events]
        return sorted(items, key=TimelineItem.sort_key, reverse=True)

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


@dataclass
class Site:
    registry: Registry
    entries: list[Entry]  # published, newest first
    drafts: list[Entry]
    views: dict[str, EntityView]  # entity key -> view, for every entity with a page
    relations: list[Relation]
    digests: list[Digest]  # newest first
    related: dict[str, list[Entry]]  # entry url -> related entries
    events: list[Event] = field(default_factory=list)  # every published event once, newest first
    statements: list[Statement] = field(default_factory=list)  # newest first

    def entity(self, key: str) -> Entity:
        return self.registry.entities[key]

    def has_page(self, key: str) -> bool:
        return key in self.views

    def of_kind(self, kind) -> list[EntityView]:
        return [v for v in self.views.values() if v.entity.kind is kind]


def _entry_date(entry: Entry) -> PartialDate:
    return PartialDate(entry.date.year, entry.date.month, entry.date.day)
