"""Page fingerprints: a page whose inputs are unchanged since the last build is not
rendered again; its file is linked from the previous output.

A fingerprint hashes the page's template and URL with a digest of its context, in which
entries stand for their file's hash, and with a salt covering the code, the theme, the
settings and every entity's name, aliases and profile (a change to any of those
re-renders everything: correctness first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from ..domain.cache import tree_hash
from ..domain.editorial import DigestSummary, SitePage
from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import DigestPeriod, EntityView, RelatedEntry, Relation, Site
from ..safety import write_atomically
from .pages import PageSpec, Pagination

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


def site_salt(site: Site, settings: dict, plugin_dir: Path, theme_dir: Path) -> str:
    """What every page depends on beyond its own context."""
    entities = [
        (
            key,
            v.entity.name,
            v.entity.aliases,
            v.entity.profile_html,
            v.entity.country,
            [(r.title, r.start, r.end) for r in v.entity.roles],
            v.entity.role,
            v.entity.iso2,
            v.entity.wikidata,
            v.entity.is_bloc,
            v.entity.status,
        )
        for key, v in site.views.items()
    ]
    relations = [(r.slug, r.profile_html, r.status, r.aliases) for r in site.relations if r.profile]
    pages = [(p.url, p.title) for p in site.pages]  # the footer links them on every page
    extra = settings_digest(settings) + repr(entities) + repr(relations) + repr(pages)
    return tree_hash(plugin_dir, theme_dir, extra=extra)


class Digester:
    """A stable, cheap stand-in for a page context; views and entries are memoized."""

    def __init__(self):
        self._memo: dict[int, object] = {}

    def __call__(self, value):
        if isinstance(value, PLAIN):
            return value
        known = self._memo.get(id(value))
        if known is not None:
            return known
        result = self._digest(value)
        if isinstance(value, (EntityView, Relation, DigestPeriod, Entry, Event, Statement)):
            # shared by many pages (an entity's 100 pages): keep it short for their repr()
            result = (type(value).__name__, hashlib.sha1(repr(result).encode()).hexdigest())
            self._memo[id(value)] = result
        return result

    def _digest(self, value):
        if isinstance(value, Entry):  # its file, and the events and statements it shares with others
            return ("entry", value.url, value.source_hash, self(value.events), self(value.statements))
        if isinstance(value, Event):
            reports = tuple((e.url, e.source_hash, e.title) for e in value.reports)
            return ("event", value.anchor, repr(value.date), value.what, value.entity_keys, reports, value.sources)
        if isinstance(value, Statement):
            reports = tuple((e.url, e.source_hash, e.title) for e in value.reports)
            return ("statement", value.anchor, repr(value.date), value.said, value.by, value.on, value.role, reports)
        if isinstance(value, (list, tuple)):
            return tuple(self(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, self(v)) for k, v in value.items()))
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Entity):
            return ("entity", value.key)
        if isinstance(value, Kind):
            return ("kind", value.name)
        return self._digest_view(value)

    def _digest_view(self, value):
        """Views of the model: entity pages, relations, digests, related entries, pages."""
        if isinstance(value, EntityView):
            return (
                "view",
                value.entity.key,
                self(value.entries),
                tuple((r.slug, len(r.entries)) for r in value.relations),
                self(value.events),
                self(value.statements),
                self(value.build_date),  # what "Latest" and "this month" are measured against
            )
        if isinstance(value, Relation):
            return (
                "relation",
                value.slug,
                self(value.entries),
                self(value.events),
                self(value.statements),
                tuple((e.key, n) for e, n in value.issues),
                tuple((k, tuple((e.key, n) for e, n in v)) for k, v in value.officials.items()),
                self(value.build_date),
            )
        if isinstance(value, DigestPeriod):
            return (
                "digest",
                value.slug,
                self(value.entries),
                self(value.events),
                self(value.summary),
                self(getattr(value, "relation_groups", [])),
                tuple(d.slug for d in [*getattr(value, "weeks", []), *getattr(value, "months", [])]),
                value.newer.slug if value.newer else None,  # type: ignore[attr-defined]
                value.older.slug if value.older else None,  # type: ignore[attr-defined]
            )
        if isinstance(value, (DigestSummary, SitePage)):
            return (type(value).__name__, value.path, repr(vars(value)))
        if isinstance(value, RelatedEntry):
            return ("related", self(value.entry), value.shared)
        if isinstance(value, Pagination):
            return ("page", value.number, value.count, value.base_url, self(value.items))
        if isinstance(value, PageSpec):
            return ("spec", value.url, self(value.lastmod))
        raise TypeError(f"no digest for {type(value).__name__}: add it to Digester")


def fingerprints(specs: list[PageSpec], salt: str) -> list[str]:
    digest = Digester()
    return [hashlib.sha1(repr((salt, s.template, s.url, digest(s.context))).encode()).hexdigest() for s in specs]


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
