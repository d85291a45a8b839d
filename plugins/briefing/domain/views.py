"""What the pages show, derived from the model: entity views, relations, digests, the Site."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field

from .dates import PartialDate
from .model import KINDS, Entity, Entry, Event, digest_slug, digest_url
from .registry import Registry


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
class EntityView:
    """What an entity's page shows, derived from the model."""

    entity: Entity
    registry: Registry = field(repr=False)
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    appears_with_limit: int = 8

    @functools.cached_property
    def timeline(self) -> list[TimelineItem]:
        """Its entries and the events of them that concern it, newest first. Computed when a
        page first needs it, i.e. in the worker that renders page 1 (and only if it re-renders)."""
        items = []
        for entry in self.entries:
            items.append(TimelineItem(_entry_date(entry), entry.title, entry.url, False))
            items += [
                TimelineItem(ev.date, ev.what, entry.url, True) for ev in entry.events if _concerns(ev, self.entity)
            ]
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


def _entry_date(entry: Entry) -> PartialDate:
    return PartialDate(entry.date.year, entry.date.month, entry.date.day)


def _concerns(event: Event, entity: Entity) -> bool:
    field = entity.kind.event_field
    return field is None or entity.key in getattr(event, field)
