"""Which pages a re-assembled site may show differently: the preview fingerprints only those.

After an edit that assembles the site again (front matter, a profile, a digest summary, a file
added or deleted), the old and the new model are compared, value by value, on what pages
show of them (cheap descriptors, no page digests):

- an entry whose card or page changed (its file, its rendered body after an alias was added,
  its events): its path is dirty;
- an entity whose name, link, kind, role or country as pages show them changed (a page it
  gained or lost, a rename): its token (digester.ENTITY_TOKEN) is dirty;
- a view, relation, digest, event, statement or site page whose members or fields changed:
  its key is dirty.

A page is a candidate when its closures (the dependency map) hold a dirty path or token, when
the shape of its context (what it lists, by key, in order: a page of the home page's list, an
entry's related entries) changed, when that shape names a dirty key, or when it is new. What
cannot be bounded this way (the build date moved, the site's own pages' titles in every
footer, a value of an unknown type) makes every page a candidate (None). A wrong set would be
a stale page, so each rule errs towards looking.
"""

from __future__ import annotations

import datetime as dt

from ..domain.editorial import DigestSummary, SitePage
from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import DigestPeriod, EntityView, RelatedEntry, Relation, Site
from .digester import ENTITY_TOKEN, PLAIN, Digester
from .pages import PageSpec, Pagination


class Unbounded(Exception):
    """A context value this module cannot key: every page is a candidate."""


def shape(value):
    """A context as keys: what it lists and in which order, each shared value by its key."""
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(shape(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, shape(v)) for k, v in value.items()))
    key = _key(value)
    if key is None:
        raise Unbounded(type(value).__name__)
    return key


def _key(value):
    if isinstance(value, Entry):
        return ("E", value.path)
    if isinstance(value, EntityView):
        return ("V", value.entity.key)
    if isinstance(value, Relation):
        return ("R", value.slug)
    if isinstance(value, DigestPeriod):
        return ("D", value.slug)
    if isinstance(value, (Event, Statement)):
        return ("T", value.url)
    if isinstance(value, (DigestSummary, SitePage)):
        return ("S", value.path)
    if isinstance(value, Entity):
        return ("X", value.key)
    if isinstance(value, RelatedEntry):
        return ("L", value.entry.path, value.shared)
    if isinstance(value, Pagination):
        return ("P", value.number, value.count, value.base_url, shape(value.items))
    if isinstance(value, PageSpec):
        return ("spec", value.url, shape(value.lastmod))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Kind):
        return ("K", value.name)
    return None


def spec_shape(spec: PageSpec) -> tuple:
    return (spec.template, spec.listing, spec.public, shape(spec.context))


def _keys_in(shaped, into: set):
    """Every key a shape holds (entries, views, relations ... as shape() keyed them)."""
    if isinstance(shaped, tuple):
        if shaped and isinstance(shaped[0], str) and shaped[0] in _KINDS_OF_KEY:
            into.add(shaped[:2])
        for part in shaped:
            _keys_in(part, into)


_KINDS_OF_KEY = {"E", "V", "R", "D", "T", "S", "X", "L"}


class Changes:
    """What differs between two models, as dirty paths, entity tokens and keys."""

    def __init__(self, old: Site, new: Site, files: set[str]):
        self.unbounded = old.build_date != new.build_date or _site_wide(old) != _site_wide(new)
        self.files = set(files)
        self.keys: set[tuple] = set()
        self.files |= _differing(_entries(old), _entries(new))
        reported = _differing(_reported(old), _reported(new))
        for site in (old, new):  # an event or statement changed: the pages showing it read its reports
            for item in [*site.events, *site.statements, *_unpublished_events(site)]:
                if item.url in reported:
                    self.files |= {e.path for e in item.reports}
        self.keys |= {("T", url) for url in reported}
        self.tokens = {ENTITY_TOKEN + key for key in _differing(_named(old), _named(new))}
        self.keys |= {("X", t.removeprefix(ENTITY_TOKEN)) for t in self.tokens}
        self.keys |= {("V", key) for key in _differing(_views(old), _views(new))}
        self.keys |= {("R", slug) for slug in _differing(_relations(old), _relations(new))}
        self.keys |= {("D", slug) for slug in _differing(_digests(old), _digests(new))}
        self.keys |= {("S", path) for path in _differing(_editorial(old), _editorial(new))}
        for site in (old, new):  # a container of a changed value: where things stand, its counts
            self.keys |= _holding(site, self.files, reported)
        for site in (old, new):  # a month's page and the index list its weeks: one changed, both did
            for d in [*site.digests, *site.month_digests]:
                if ("D", d.slug) in self.keys:
                    self.keys |= {("D", x.slug) for x in [*getattr(d, "weeks", []), *getattr(d, "months", [])]}
        self.keys |= {("E", path) for path in self.files}
        self.keys |= {("L", path) for path in self.files}
        self.dirty = frozenset(self.files | self.tokens)


def candidates(old_specs: list, old_inputs: list, old_shapes: dict, new_specs: list, changes: Changes):
    """(indexes into new_specs of the pages to fingerprint again, the new shapes by URL), or
    (None, shapes) when every page must be."""
    shapes = {}
    try:
        for spec in new_specs:
            shapes[spec.url] = spec_shape(spec)
    except Unbounded:
        return None, {}
    if changes.unbounded:
        return None, shapes
    old_at = {spec.url: i for i, spec in enumerate(old_specs)}
    chosen = []
    for i, spec in enumerate(new_specs):
        at = old_at.get(spec.url)
        shaped = shapes[spec.url]
        if at is None or old_shapes.get(spec.url) != shaped or _reads_a_change(shaped, old_inputs[at], changes):
            chosen.append(i)
    return chosen, shapes


def _reads_a_change(shaped: tuple, closures: tuple, changes: Changes) -> bool:
    """Whether a page's closures hold a dirty path or token, or its context a dirty key."""
    if any(not changes.dirty.isdisjoint(closure) for closure in closures):
        return True
    if not changes.keys:
        return False
    held: set = set()
    _keys_in(shaped, held)
    return not held.isdisjoint(changes.keys)


def shapes_of(specs: list) -> dict:
    try:
        return {spec.url: spec_shape(spec) for spec in specs}
    except Unbounded:
        return {}


# --- descriptors: what pages show of each value, keyed ---


def _differing(old: dict, new: dict) -> set:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _site_wide(site: Site) -> tuple:
    return tuple((p.url, p.title) for p in site.pages)


def _entries(site: Site) -> dict[str, tuple]:
    out = {}
    for e in [*site.entries, *site.drafts]:
        fields = {k: v for k, v in vars(e).items() if k not in ("said", "events", "statements")}
        out[e.path] = (
            tuple(sorted(fields.items(), key=lambda kv: kv[0])),
            tuple(x.url for x in e.events),
            tuple(x.url for x in e.statements),
        )
    return out


def _unpublished_events(site: Site) -> list:
    seen = {id(e) for e in site.events}
    return [x for e in site.drafts for x in e.events if id(x) not in seen]


def _reported(site: Site) -> dict[str, list]:
    """Events and statements by URL (a list: two may share one), each as a page shows it."""
    out: dict[str, list] = {}
    everything = [*site.events, *_unpublished_events(site), *site.statements]
    everything += [s for e in site.drafts for s in e.statements]
    for item in everything:
        fields = {k: v for k, v in vars(item).items() if k != "reports"}
        described = (type(item).__name__, repr(sorted(fields.items())), tuple(e.path for e in item.reports))
        out.setdefault(item.url, []).append(described)
    return {url: sorted(found) for url, found in out.items()}


def _named(site: Site) -> dict[str, tuple]:
    """Each entity as a page naming it shows it (the digest's own description of it)."""
    digester = Digester(site)
    return {key: digester._entity(key)[0] for key in site.registry.entities}


def _views(site: Site) -> dict[str, tuple]:
    digester = Digester(site)
    out = {}
    for key, view in site.views.items():
        out[key] = (
            digester.profile(view.entity),
            tuple(e.path for e in view.entries),
            tuple(x.url for x in view.events),
            tuple(x.url for x in view.statements),
            tuple((r.slug, r.name, len(r.entries), Digester.state_now(r)) for r in view.relations),
        )
    return out


def _relations(site: Site) -> dict[str, tuple]:
    out = {}
    for r in site.relations:
        out[r.slug] = (
            r.a.key,
            r.b.key,
            tuple(e.path for e in r.entries),
            tuple(x.url for x in r.events),
            tuple(x.url for x in r.statements),
            r.profile.path if r.profile else None,
            r.profile_html,
            repr(r.status),
            tuple(r.aliases),
            tuple((e.key, n) for e, n in r.issues),
            tuple((k, tuple((e.key, n) for e, n in v)) for k, v in r.officials.items()),
        )
    return out


def _digests(site: Site) -> dict[str, tuple]:
    out = {}
    for d in [*site.digests, *site.month_digests]:
        out[d.slug] = (
            type(d).__name__,
            tuple(e.path for e in d.entries),
            tuple(x.url for x in d.events),
            tuple((g.key if g else None, tuple(e.path for e in es)) for g, es in d.groups),
            (d.summary.path, repr(vars(d.summary))) if d.summary else None,
            tuple(((r.slug if r else None), tuple(x.url for x in xs)) for r, xs in getattr(d, "relation_groups", [])),
            tuple(x.slug for x in [*getattr(d, "weeks", []), *getattr(d, "months", [])]),
            d.newer.slug if d.newer else None,
            d.older.slug if d.older else None,
        )
    return out


def _holding(site: Site, files: set[str], reported: set[str]) -> set[tuple]:
    """The views, relations and digests holding a changed entry, event or statement."""
    out: set[tuple] = set()
    holders = [("V", v.entity.key, v) for v in site.views.values()]
    holders += [("R", r.slug, r) for r in site.relations]
    holders += [("D", d.slug, d) for d in [*site.digests, *site.month_digests]]
    for kind, key, holder in holders:
        if any(e.path in files for e in holder.entries) or any(
            x.url in reported for x in [*holder.events, *getattr(holder, "statements", ())]
        ):
            out.add((kind, key))
    return out


def _editorial(site: Site) -> dict[str, str]:
    return {p.path: repr(vars(p)) for p in site.pages}
