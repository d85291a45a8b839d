"""What a page shows, as a stable digest: the part of a page's fingerprint that comes from its
context, and the content files it reads (each page's closures: the preview's dependency map).

An entry stands for what a listing shows of it (title, dates, summary, names): its body is
digested only where it is shown whole (its own page, feeds with content), so a body edit changes
only those pages. An entity stands for what a page naming it shows (name, link, type, role), its
own page for all of it. Indexes digest what they list by name and count; an entity's page by
what that page number shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import Digest, EntityView, Relation, Site
from .pages import PageSpec, Pagination

PLAIN = (str, int, float, bool, type(None))


NO_PATHS: frozenset[str] = frozenset()
SHARED = (EntityView, Relation, Digest, Entry, Event, Statement)


class Digester:
    """A stable, cheap stand-in for a page context. Shared values (views, entries, events ...)
    are memoized, each with the content files it reads (its closure), so a page knows the
    files it depends on: the preview's dependency map (see live.py).

    An entry stands for what a listing shows of it (title, dates, summary, names): its body
    is digested only where it is shown whole (its own page, feeds with content), so a body
    edit changes only those pages. An entity stands for everything a page may show of it."""

    def __init__(self, site: Site | None = None):
        self.site = site
        self._memo: dict[int, tuple] = {}  # id -> (digest, closure): values live as long as the site
        self._entities: dict[str, tuple] = {}
        self._parts: list[list[frozenset]] = []  # the closures met while digesting each open value

    def page(self, spec: PageSpec) -> tuple[object, tuple[frozenset, ...]]:
        """(digest of the page's context, the closures of the files it reads)."""
        self._parts.append([])
        if spec.listing:
            digest = self.listed(spec.context)
        elif spec.template == "entity.html":
            digest = self.entity_page(spec.context["view"], spec.context["pagination"])
        else:
            digest = self(spec.context)
        if spec.template == "entry.html":
            digest = (digest, self.entry_page(spec.context["entry"]))
        elif spec.context.get("with_content"):
            digest = (digest, tuple(hashlib.sha1(e.html.encode()).hexdigest() for e in spec.context["entries"]))
        parts = self._parts.pop()
        unique = {id(p): p for p in parts if p}
        return digest, tuple(unique.values())

    def __call__(self, value):
        if isinstance(value, PLAIN):
            return value
        known = self._memo.get(id(value))
        if known is None:
            if not isinstance(value, SHARED):
                return self._digest(value)
            self._parts.append([])
            result = self._digest(value)
            parts = self._parts.pop()
            closure = frozenset().union(*parts) if parts else NO_PATHS
            if isinstance(value, Entry):
                closure = closure | {value.path}
            # shared by many pages (an entity's 100 pages): keep it short for their repr()
            known = ((type(value).__name__, hashlib.sha1(repr(result).encode()).hexdigest()), closure)
            self._memo[id(value)] = known
        if self._parts:
            self._parts[-1].append(known[1])
        return known[0]

    def entity(self, key: str) -> tuple:
        """Everything a page may show of an entity: its name, link, profile, codes, roles, status."""
        found = self._entities.get(key)
        if found is None:
            found = self._entity(key)
            self._entities[key] = found
        if self._parts and found[1]:
            self._parts[-1].append(found[1])
        return found[0]

    def _entity(self, key: str) -> tuple[tuple, frozenset]:
        """What a page naming an entity shows of it: its name and link, its JSON-LD type, an
        official's role and country (its own page shows more: see profile())."""
        site = self.site
        if site is None:
            return ("entity", key), NO_PATHS
        entity = site.entity(key)
        country = site.entity(entity.country) if entity.country else None
        digest = (
            "entity",
            key,
            entity.name,
            site.has_page(key),
            entity.is_bloc,
            bool(entity.iso2),
            entity.current_role,
            (country.key, country.name, site.has_page(country.key)) if country else None,
        )
        return digest, frozenset((entity.profile_path,)) if entity.profile_path else NO_PATHS

    def profile(self, entity: Entity) -> tuple:
        """All an entity's own page shows of it: its profile, aliases, codes, roles and status."""
        return (
            self.entity(entity.key),
            tuple(entity.aliases),
            entity.profile_html,
            tuple((r.title, repr(r.start), repr(r.end)) for r in entity.roles),
            entity.role,
            entity.iso2,
            entity.iso3,
            entity.wikidata,
            repr(entity.status),
        )

    def entity_page(self, view: EntityView, page: Pagination) -> tuple:
        """What an entity's page shows: on every page its header (profile, number of entries,
        since when) and its share of entry cards; on page 1 also its chart (every entry's
        date), latest statements, the head of its timeline, appears-with, relations, standing."""
        header = (self.profile(view.entity), len(view.entries), repr(view.since))
        items = ("page", page.number, page.count, page.base_url, self(page.items))
        if page.number > 1:
            return ("entity page", header, items)
        timeline = tuple(
            (repr(t.date), t.text, t.url, t.is_event, self(t.event) if t.event else None) for t in view.timeline[:40]
        )
        with_ = tuple((k, tuple((self.entity(e.key), n) for e, n in v)) for k, v in view.appears_with.items())
        return (
            "entity page 1",
            header,
            items,
            tuple(e.date.toordinal() for e in view.entries),
            self(view.statements[:20]),
            len(view.statements),
            timeline,
            len(view.timeline),
            with_,
            tuple((r.slug, r.name, len(r.entries)) for r in view.relations),
            repr(view.status),
            repr(view.last_updated),
            self(view.latest) if view.latest else None,
        )

    def listed(self, value):
        """An index's view of what it lists: each view, relation or digest by its name and
        the number of its entries, a list of events by its length."""
        if isinstance(value, EntityView):
            return ("view", self.entity(value.entity.key), len(value.entries))
        if isinstance(value, Relation):
            return ("relation", value.slug, self.entity(value.a.key), self.entity(value.b.key), len(value.entries))
        if isinstance(value, Digest):
            return ("digest", value.slug, len(value.entries))
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], Event):
                return ("events", len(value))
            return tuple(self.listed(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, self.listed(v)) for k, v in value.items()))
        return self(value)

    def entities(self, keys) -> tuple:
        return tuple(self.entity(k) for k in keys)

    def entry_page(self, entry: Entry) -> tuple:
        """What an entry's own page shows beyond its card: body, sources, events, statements, roles."""
        return (
            hashlib.sha1(entry.html.encode()).hexdigest(),
            entry.body_line,
            repr(entry.sources),
            tuple(sorted(entry.official_roles.items())),
            self(entry.events),
            self(entry.statements),
        )

    def _digest(self, value):
        if isinstance(value, Entry):  # as a listing shows it: a card, a feed entry, a timeline item
            return (
                "entry",
                value.url,
                value.path,
                value.title,
                value.summary,
                value.published.isoformat(),
                value.has_time,
                value.status,
                self.entities(value.entity_keys),
                len(value.countries),
                len(value.officials),
            )
        if isinstance(value, Event):
            reports = tuple((e.url, e.title, e.path) for e in value.reports)
            self._parts[-1].append(frozenset(e.path for e in value.reports))
            return (
                "event",
                value.anchor,
                repr(value.date),
                value.what,
                self.entities(value.countries),
                self.entities(value.officials),
                self.entities(value.issues),
                reports,
                repr(value.sources),
                value.published,
            )
        if isinstance(value, Statement):
            reports = tuple((e.url, e.title, e.path) for e in value.reports)
            self._parts[-1].append(frozenset(e.path for e in value.reports))
            return (
                "statement",
                value.anchor,
                repr(value.date),
                value.said,
                self.entity(value.by),
                self.entities(value.on),
                value.role,
                repr(value.source),
                value.paraphrase,
                reports,
            )
        if isinstance(value, (list, tuple)):
            return tuple(self(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, self(v)) for k, v in value.items()))
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Entity):
            return self.entity(value.key)
        if isinstance(value, Kind):
            return ("kind", value.name)
        if isinstance(value, EntityView):
            return (
                "view",
                self.profile(value.entity),
                self(value.entries),
                tuple((r.slug, r.name, len(r.entries)) for r in value.relations),
                self(value.events),
                self(value.statements),
            )
        if isinstance(value, Relation):
            return self._relation(value)
        if isinstance(value, Digest):
            return (
                "digest",
                value.slug,
                self(value.entries),
                self(value.events),
                tuple((self.entity(e.key) if e else None, len(es)) for e, es in value.groups),
                value.newer.slug if value.newer else None,
                value.older.slug if value.older else None,
            )
        if isinstance(value, Pagination):
            return ("page", value.number, value.count, value.base_url, self(value.items))
        if isinstance(value, PageSpec):
            return ("spec", value.url, self(value.lastmod))
        raise TypeError(f"no digest for {type(value).__name__}: add it to Digester")

    def _relation(self, value: Relation) -> tuple:
        if value.profile and value.profile.path:
            self._parts[-1].append(frozenset((value.profile.path,)))
        return (
            "relation",
            value.slug,
            self.entity(value.a.key),
            self.entity(value.b.key),
            self(value.entries),
            self(value.events),
            self(value.statements),
            tuple((self.entity(e.key), n) for e, n in value.issues),
            tuple((k, tuple((self.entity(e.key), n) for e, n in v)) for k, v in value.officials.items()),
            value.profile_html,
            repr(value.status),
            tuple(value.aliases),
        )
