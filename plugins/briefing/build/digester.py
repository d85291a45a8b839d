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

from ..domain.editorial import DigestSummary, SitePage
from ..domain.limits import CARD_NAMES, EMAIL_NAMES, LD_STATEMENTS
from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import DigestPeriod, EntityView, MonthDigest, RelatedEntry, Relation, Site
from .pages import CHRONICLES, PageSpec, Pagination
from .year_digest import main_page, year_page

PLAIN = (str, int, float, bool, type(None))


NO_PATHS: frozenset[str] = frozenset()
ENTITY_TOKEN = "entity\0"  # + a key: in the closure of every value that names the entity (never a path)
BODY_TOKEN = "body\0"  # + an entry's path: in the closures of the pages that show its body whole
SHARED = (EntityView, Relation, DigestPeriod, Entry, Event, Statement)


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
        self._lines: dict[int, str] = {}  # id(entry) -> the digest of its line
        self._parts: list[list[frozenset]] = []  # the closures met while digesting each open value
        self.years: dict[int, tuple] = {}  # id(view or relation) -> its years (year_digest.py)
        # on every HTML page: the footer links the site's own pages
        self.site_wide = repr([(p.url, p.title) for p in site.pages]) if site else ""

    def page(self, spec: PageSpec) -> tuple[object, tuple[frozenset, ...]]:
        """(digest of the page's context, the closures of the files it reads)."""
        self._parts.append([])
        context = spec.context
        standings = context.get("standings")
        if standings is not None:  # the home page: each by its name, state and dates only
            context = {**context, "standings": tuple(self.standing(s) for s in standings)}
        if spec.template == "home.html" and context.get("digest") is not None:
            context = {**context, "digest": self.brief(context["digest"])}
        if spec.template == "digest_atom.xml":  # each digest by its name, summary and entries' titles
            context = {**context, "digests": tuple(self.digest_in_feed(d) for d in context["digests"])}
        year = context.get("year") if spec.template in CHRONICLES else None
        if year is not None:  # a page of one year of a timeline: not what only the main page shows
            context = {**context, CHRONICLES[spec.template]: year_page(self, context[CHRONICLES[spec.template]], year)}
        email = spec.template in ("email.html", "email.txt")
        if email:  # a digest to send has no pager and no footer
            context = {"digest": self.digest_to_send(context["digest"], spec.template == "email.html")}
        digest = self.listed(context) if spec.listing else self(context)
        if spec.template == "entry.html":
            digest = (digest, self.entry_page(spec.context["entry"]))
        elif spec.template == "atom.xml":  # a statement's issues are its categories
            items = spec.context["entries"]
            digest = (digest, self.topics([s for s in items if isinstance(s, Statement)]))
            if spec.context.get("with_content"):
                digest = (digest, tuple(hashlib.sha1(e.html.encode()).hexdigest() for e in items))
                self._parts[-1].append(frozenset(BODY_TOKEN + e.path for e in items if isinstance(e, Entry)))
        parts = self._parts.pop()
        unique = {id(p): p for p in parts if p}
        # feeds have no footer, nor has an email
        site_wide = self.site_wide if spec.template.endswith(".html") and not email else ""
        return (digest, site_wide), tuple(unique.values())

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

    def entity(self, key: str) -> str:
        """What a page naming an entity shows of it (see _entity), and its profile's closure."""
        found = self._entities.get(key)
        if found is None:
            found = self._entity(key)
            self._entities[key] = found
        if self._parts and found[1]:
            self._parts[-1].append(found[1])
        return found[0]

    def _entity(self, key: str) -> tuple[str, frozenset]:
        """What a page naming an entity shows of it: its name and link, its JSON-LD type (an
        official's role and country only where shown: see official(); its own page: profile()).
        One string: it is in thousands of digests (cards, events, "Appears with")."""
        site = self.site
        if site is None:
            return key, frozenset((ENTITY_TOKEN + key,))
        entity = site.entity(key)
        flags = f"{site.has_page(key):d}{entity.is_bloc:d}{bool(entity.iso2):d}"
        digest = f"{key}|{flags}|{entity.name}"  # a key has no "|": unambiguous
        # the entity's token, so the preview knows the pages that name it (candidates.py)
        token = ENTITY_TOKEN + key
        return digest, frozenset((entity.profile_path, token)) if entity.profile_path else frozenset((token,))

    def official(self, key: str, role: bool = False) -> tuple:
        """An official as a statement's caption or an index's row shows them: by their name and
        their country's (with `role`, an entry's list of officials: their current role too)."""
        entity = self.site.entity(key) if self.site else None
        country = self.entity(entity.country) if entity and entity.country else None
        return (self.entity(key), country, entity.current_role if role and entity else None)

    def profile(self, entity: Entity) -> tuple:
        """All an entity's own page shows of it: its profile, aliases, codes, roles and status."""
        return (
            self.official(entity.key, role=True),
            tuple(entity.aliases),
            entity.profile_html,
            tuple((r.title, repr(r.start), repr(r.end)) for r in entity.roles),
            entity.role,
            entity.iso2,
            entity.iso3,
            entity.wikidata,
            repr(entity.status),
        )

    def chronicle(self, subject) -> tuple:
        """What the build date decides on a subject's page: its "Latest" items and this month's
        activity (not the date itself: a newer entry elsewhere changes only pages where they change)."""
        latest = tuple((item.kind, item.value.anchor) for item in subject.latest_items)
        years = subject.timeline.years  # the years a main page holds: up to the build date's, and after it
        now = subject.build_date
        ahead = now.year if now and any(y.year > now.year for y in years) else None
        standing = (repr(subject.last_updated), subject.latest.anchor if subject.latest else None)
        upcoming = tuple(e.anchor for e in subject.upcoming)
        layout = tuple((y.year, y.url) for y in years)
        return ("chronicle", latest, repr(subject.activity), upcoming, layout, ahead, standing)

    @staticmethod
    def state_now(relation: Relation) -> tuple | None:
        """A relation's current state as a map draws it: the state and since when."""
        current = relation.current
        return (current.state, repr(current.date)) if current else None

    def digest_to_send(self, digest: DigestPeriod, names: bool) -> tuple:
        """What a digest's email shows: its entries by issue, each by its title, date, summary
        and link (email.html also by the names of its first countries and officials: `names`),
        its events and its summary."""
        groups = tuple(
            (self.entity(issue.key) if issue else None, tuple(self.sent(e, names) for e in entries))
            for issue, entries in digest.groups
        )
        events = tuple((e.url, e.what, repr(e.date)) for e in digest.events)  # not their reports
        self._parts[-1].append(frozenset(e.path for e in digest.entries))
        return ("digest email", digest.slug, len(digest.entries), events, groups, self(digest.summary))

    def sent(self, entry: Entry, names: bool) -> tuple:
        """An entry in an email: its title, date, summary and link, and the names email.html
        gives of its first countries and officials (by name alone: no link, no role)."""
        shown = (entry.url, entry.title, entry.date.isoformat(), entry.summary)
        if not names:
            return shown
        return (*shown, tuple(self.name(k) for k in (entry.countries + entry.officials)[:EMAIL_NAMES]))

    def name(self, key: str) -> str:
        """An entity's name alone (its profile is still a file the page reads)."""
        self.entity(key)
        return self.site.entity(key).name if self.site else key

    def lines(self, entries: list[Entry]) -> tuple:
        """Entries as a timeline lists them (entity and relation pages): each by its link,
        title and date; their order, dates and count make the timeline, chart and stats."""
        memo, shown = self._lines, []
        for entry in entries:
            line = memo.get(id(entry))
            if line is None:  # short: an entity's page may list thousands
                line = repr((entry.url, entry.title, entry.date.isoformat()))
                line = memo[id(entry)] = hashlib.sha1(line.encode()).hexdigest()
            shown.append(line)
        self._parts[-1].append(frozenset(e.path for e in entries))
        return tuple(shown)

    def appears_with(self, view: EntityView) -> str:
        """An entity page's "Appears with": the entities named most with it (each by its name and
        link, as entity() has them) and their counts, as one string: a page per entity has it."""
        site, shown, paths = self.site, [], set()
        if site is None:
            return ""
        for pairs in view.appears_with.values():
            for other, n in pairs:  # a key names its kind: the lists' headings
                shown.append(f"{other.key}|{site.has_page(other.key):d}|{n}|{other.name}")
                paths.add(ENTITY_TOKEN + other.key)  # a profile added later, renamed: the token stays
                if other.profile_path:
                    paths.add(other.profile_path)
        self._parts[-1].append(frozenset(paths))
        return "\n".join(shown)

    def brief(self, digest: DigestPeriod) -> tuple:
        """What the home page's brief shows of the latest digest: its dates and headline, its
        summary, or its counts and top issues (not its entries or events themselves)."""
        monthly = isinstance(digest, MonthDigest)
        shown = ("brief", digest.url, digest.dates, monthly, digest.headline)
        if digest.summary:  # its summary in place of its counts
            return (*shown, self(digest.summary))
        issues = tuple((self.entity(issue.key), len(entries)) for issue, entries in digest.groups if issue)[:3]
        return (*shown, len(digest.entries), len(digest.events), issues)

    def digest_in_feed(self, digest: DigestPeriod) -> tuple:
        summary = (digest.summary.title, tuple(digest.summary.highlights)) if digest.summary else None
        shown = tuple((e.url, e.title, e.published.isoformat()) for e in digest.entries[:CARD_NAMES])
        return (
            "digest entry",
            digest.url,
            digest.name,
            repr(digest.start),
            repr(digest.end),
            summary,
            len(digest.entries),
            shown,
        )

    def standing(self, standing) -> tuple:
        """What "Where things stand" shows of an issue or a relation."""
        now = standing.current
        state = (now.state, repr(now.date)) if now else None
        return ("standing", standing.url, standing.name, state, repr(standing.last_updated))

    def listed(self, value):
        """An index's view of what it lists: each view, relation or digest by its name and
        the number of its entries, a list of events by its length."""
        if isinstance(value, EntityView):
            return ("view", self.official(value.entity.key), len(value.entries))  # an official with his country
        if isinstance(value, Relation):
            a, b = self.entity(value.a.key), self.entity(value.b.key)
            return ("relation", value.slug, a, b, len(value.entries), self.state_now(value))  # the network map
        if isinstance(value, DigestPeriod):
            summary = value.summary.title if value.summary else None
            weeks = tuple(self.listed(w) for w in getattr(value, "weeks", ()))
            return ("digest", value.slug, value.name, value.dates, len(value.entries), summary, weeks)
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
        self._parts[-1].append(frozenset((BODY_TOKEN + entry.path,)))
        return (
            hashlib.sha1(entry.html.encode()).hexdigest(),
            entry.body_line,
            repr(entry.sources),
            tuple(sorted(entry.official_roles.items())),
            tuple(self.official(k, role=not entry.official_roles.get(k)) for k in entry.officials),
            self(entry.events),
            self(entry.statements),
            self.topics(entry.statements),  # in its JSON-LD
        )

    def topics(self, statements: list[Statement]) -> tuple:
        """The issues statements are `on`: shown only in feeds and JSON-LD (a timeline, a
        relation's page, shows a statement without them)."""
        return tuple(self.entities(s.on) for s in statements)

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
        return self._digest_report(value)

    def _reported(self, value: Event | Statement) -> tuple:
        """Its anchor, date and reports (on whose files the page then depends)."""
        self._parts[-1].append(frozenset(e.path for e in value.reports))
        return value.anchor, repr(value.date), tuple((e.url, e.title, e.path) for e in value.reports)

    def _digest_report(self, value):
        """Events, statements, and the containers and plain values of a context."""
        if isinstance(value, Event):
            told = (self.entities(value.countries), self.entities(value.officials), self.entities(value.issues))
            return ("event", *self._reported(value), value.what, *told, repr(value.sources), value.published)
        if isinstance(value, Statement):
            said = (value.said, self.official(value.by), value.role, repr(value.source))  # `on`: see topics()
            return ("statement", *self._reported(value), *said, value.paraphrase)
        if isinstance(value, (list, tuple)):
            if value and type(value[0]) is PageSpec:  # the sitemap's 17,000 pages at 10k: without the dispatch
                return tuple([self._spec(v) if type(v) is PageSpec else self(v) for v in value])
            return tuple(self(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, self(v)) for k, v in value.items()))
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Entity):
            return self.entity(value.key)
        if isinstance(value, Kind):
            return ("kind", value.name)
        return self._digest_view(value)

    def _digest_view(self, value):
        """Views of the model: entity pages, relations, digests, related entries, pages."""
        if isinstance(value, (EntityView, Relation)):  # (only its main page holds it whole)
            return main_page(self, value)
        if isinstance(value, DigestPeriod):
            return (
                "digest",
                value.slug,
                self(value.entries),
                self(value.events),
                tuple((self.entity(e.key) if e else None, len(es)) for e, es in value.groups),
                self(value.summary),
                tuple(  # each relation by its name: its own page shows the rest
                    ((r.slug, r.name) if r else None, self(events))
                    for r, events in getattr(value, "relation_groups", [])
                ),
                tuple(d.slug for d in [*getattr(value, "weeks", []), *getattr(value, "months", [])]),
                value.newer.slug if value.newer else None,  # type: ignore[attr-defined]
                value.older.slug if value.older else None,  # type: ignore[attr-defined]
            )
        if isinstance(value, (DigestSummary, SitePage)):
            return (type(value).__name__, value.path, repr(vars(value)))
        if isinstance(value, RelatedEntry):  # a line: its title, date and shared names (not its card)
            entry = value.entry
            self._parts[-1].append(frozenset((entry.path,)))
            return ("related", entry.url, entry.title, entry.date.isoformat(), value.shared)
        if isinstance(value, Pagination):
            return ("page", value.number, value.count, value.base_url, self(value.items))
        if isinstance(value, PageSpec):
            return self._spec(value)
        raise TypeError(f"no digest for {type(value).__name__}: add it to Digester")

    def _spec(self, spec: PageSpec) -> tuple:
        """A page as the sitemap lists it: its address and date."""
        return ("spec", spec.url, spec.lastmod.isoformat() if type(spec.lastmod) is dt.date else self(spec.lastmod))

    def relation(self, value: Relation) -> tuple:
        """What a relation's main page shows of it beside its timeline (year_digest.main_page)."""
        if value.profile and value.profile.path:
            self._parts[-1].append(frozenset((value.profile.path,)))
        return (
            "relation",
            value.slug,
            self.entity(value.a.key),
            self.entity(value.b.key),
            tuple((self.entity(e.key), n) for e, n in value.issues),
            tuple((k, tuple((self.entity(e.key), n) for e, n in v)) for k, v in value.officials.items()),
            value.profile_html,
            repr(value.status),
            tuple(value.aliases),
        )

    def view(self, value: EntityView) -> tuple:
        """What an entity's main page shows of it beside its timeline (year_digest.main_page)."""
        statements = value.statements[:LD_STATEMENTS]  # in its JSON-LD
        return (
            "view",
            self.profile(value.entity),
            self(statements),
            self.topics(statements),
            self.appears_with(value),
            tuple((r.slug, r.name, len(r.entries), self.state_now(r)) for r in value.relations),  # its map
        )
