"""Page fingerprints: a page whose inputs are unchanged since the last build is not
rendered again (its file is linked from the previous output, or left in place by the preview).

A fingerprint hashes the page's template and URL with a digest of what its context shows
(entries as their cards show them, bodies only where shown whole, every entity named with
its name, profile and page), and a salt covering the code, the theme and the settings (a
change to any of those re-renders everything). While digesting, each page collects the
content files it reads: the preview's dependency map.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from ..domain.cache import tree_hash
from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import Digest, EntityView, Relation, Site
from ..safety import write_atomically
from .pages import PageSpec, Pagination
from .templating import FRAGMENTS

PLAIN = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    if isinstance(value, PLAIN):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def settings_digest(settings: dict) -> str:
    """Every plain-valued setting but the output path (a staging folder that differs per build)."""
    kept = {k: v for k, v in settings.items() if k not in ("OUTPUT_PATH",) and _plain(v)}
    return json.dumps(kept, sort_keys=True, default=str)


def site_salt(settings: dict, plugin_dir: Path) -> str:
    """What every page depends on beyond its own context and template: the code and the settings.
    Entities and relation profiles are not in it (pages digest the ones they show), nor the
    theme (each page's fingerprint holds its templates' own digest)."""
    return tree_hash(plugin_dir, extra=settings_digest(settings))


class TemplateDigests:
    """Per template, a hash of its source and of every template it extends, includes or
    imports, and of the partials that code renders into every kind of page (FRAGMENTS)."""

    def __init__(self, env):
        self.env = env
        self._own: dict[str, tuple[str, tuple]] = {}
        self._closure: dict[str, str] = {}

    def _source(self, name: str) -> tuple[str, tuple]:
        if name not in self._own:
            from jinja2 import meta

            source = self.env.loader.get_source(self.env, name)[0]
            found = tuple(meta.find_referenced_templates(self.env.parse(source)))
            self._own[name] = (hashlib.sha1(source.encode()).hexdigest(), found)
        return self._own[name]

    def __call__(self, name: str) -> str:
        if name not in self._closure:
            seen, todo, parts = set(), [name, *FRAGMENTS], []
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                digest, found = self._source(current)
                if None in found:  # a template named at run time: any template may be it
                    found = tuple(self.env.list_templates())
                parts.append((current, digest))
                todo += [f for f in found if f not in seen]
            self._closure[name] = hashlib.sha1(repr(sorted(parts)).encode()).hexdigest()
        return self._closure[name]


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
        digest = self.listed(spec.context) if spec.listing else self(spec.context)
        if spec.template == "entry.html":
            digest = (digest, self.entry_page(spec.context["entry"]))
        elif spec.context.get("with_content"):
            digest = (digest, tuple(e.html for e in spec.context["entries"]))
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
            entry.html,
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


def fingerprints(specs: list[PageSpec], salt: str, site: Site, env) -> list[str]:
    return fingerprints_and_inputs(specs, salt, site, env)[0]


def fingerprints_and_inputs(specs: list, salt: str, site: Site, env, digester=None) -> tuple[list[str], list[tuple]]:
    """Each page's fingerprint and the closures of the content files it reads (the preview's
    dependency map: a page reads a file when any value it shows was made from it)."""
    digester = digester or Digester(site)
    templates = TemplateDigests(env)
    prints, inputs = [], []
    for spec in specs:
        digest, closures = digester.page(spec)
        key = (salt, templates(spec.template), spec.template, spec.url, digest)
        prints.append(hashlib.sha1(repr(key).encode()).hexdigest())
        inputs.append(closures)
    return prints, inputs


class PageRecord:
    """The fingerprints of the pages in one output folder, kept in the cache folder."""

    def __init__(self, cache_dir: Path, output: Path):
        name = hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:16]
        self.path = Path(cache_dir) / f"pages-{name}.json"
        self.output = Path(output)
        self.current: dict[str, str] = {}
        try:
            self.previous = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}

    def reuse(self, specs: list[PageSpec], prints: list[str]) -> list[str | None]:
        """For each page, the previous output's file when its fingerprint is unchanged."""
        from .output import PageWriter

        self.current = {spec.url: fp for spec, fp in zip(specs, prints, strict=True)}
        if not self.previous or not self.output.is_dir():
            return [None] * len(specs)
        old = PageWriter(self.output)
        found = []
        for spec, fp in zip(specs, prints, strict=True):
            path = old.path_for(spec.url) if self.previous.get(spec.url) == fp else None
            found.append(path if path and os.path.isfile(path) else None)
        return found

    def forget(self):
        """Before the output changes: a record must never describe files it did not see built."""
        self.path.unlink(missing_ok=True)

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(self.current, sort_keys=True).encode("utf-8"))
