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

import dataclasses
import functools
from operator import attrgetter

from ..domain.model import Entry, Event, Statement
from ..domain.views import EntityView, Site
from .digester import BODY_TOKEN, ENTITY_TOKEN, Digester
from .pages import known_chronicles
from .shapes import shapes_of


class Changes:
    """What differs between two models (each described by Described), as dirty paths, entity
    tokens and keys."""

    def __init__(self, old: Described, new: Described, files: set[str]):
        self.unbounded = old.build_date != new.build_date or old.site_wide != new.site_wide
        renamed = renames(old.site, new.site)
        shown, bodies = _differing_entries(old, new, renamed)
        self.files = set(files) | shown
        reported = _differing(old.reported, new.reported)
        if renamed and reported:  # an event or statement that differs only by a renamed entity's key
            before = _reported(old.site, renamed, reported)
            reported = {url for url in reported if before.get(url) != new.reported.get(url)}
        for site in (old.site, new.site):  # an event or statement changed: the pages showing it read its reports
            for item in [*site.events, *site.statements, *_unpublished(site)]:
                if item.url in reported:
                    self.files |= {e.path for e in item.reports}
        self.tokens = {ENTITY_TOKEN + key for key in _differing(old.named, new.named)}
        keys = {("T", url) for url in reported}
        keys |= {("X", t.removeprefix(ENTITY_TOKEN)) for t in self.tokens}
        keys |= {("V", key) for key in _differing(old.views, new.views)}
        keys |= {("R", slug) for slug in _differing(old.relations, new.relations)}
        keys |= {("D", slug) for slug in _differing(old.digests, new.digests)}
        keys |= {("S", path) for path in _differing(old.editorial, new.editorial)}
        for described in (old, new):  # a container of a changed value: where things stand, its counts
            keys |= _holding(described, self.files, reported)
        # The digests' index lists each month's weeks with their dates and counts: a changed week
        # changes the months holding it. (A week's page names its months, and a month's page its
        # weeks, by name and address alone: a changed month changes none of its weeks.)
        for site in (old.site, new.site):
            for week in site.digests:
                if ("D", week.slug) in keys:
                    keys |= {("D", month.slug) for month in week.months}
        keys |= {("E", path) for path in self.files}
        keys |= {("L", path) for path in self.files}
        self.keys = frozenset(keys)
        self.dirty = frozenset(self.files | self.tokens | {BODY_TOKEN + path for path in bodies})


def candidates(
    old_specs: list,
    old_inputs: list,
    old_shapes: dict,
    new_specs: list,
    changes: Changes,
    kept: frozenset[str] | set[str] = frozenset(),
):
    """(indexes into new_specs of the pages to fingerprint again, the new shapes by URL), or
    (None, shapes) when every page must be; the pages of `kept` keep their old shapes
    (kept_shapes.py)."""
    shapes = shapes_of(new_specs, old_shapes, kept)
    if not shapes or changes.unbounded:
        return None, shapes
    old_at = {spec.url: i for i, spec in enumerate(old_specs)}
    untouched, dirty_keys, chosen = changes.dirty.isdisjoint, changes.keys, []
    for i, spec in enumerate(new_specs):
        at = old_at.get(spec.url)
        shaped, keys = shapes[spec.url]
        if (
            at is None
            or old_shapes.get(spec.url, (None,))[0] != shaped
            or not keys.isdisjoint(dirty_keys)
            or not all(map(untouched, old_inputs[at]))  # a closure holds a dirty file or token
        ):
            chosen.append(i)
    return chosen, shapes


def pages_reading(inputs: list[tuple], files: set[str]) -> list[int]:
    """The pages (indexes into `inputs`) whose closures hold one of `files`: a body edit's
    candidates. One C-level look-up per closure (3 million at 100,000 entries)."""
    untouched = frozenset(files).isdisjoint
    return [i for i, closures in enumerate(inputs) if not all(map(untouched, closures))]


def kept_chronicles(old_specs: list, changes: Changes) -> dict[str, tuple]:
    """The dates the page list reads of each entity and relation whose key is not dirty, from
    the old page list (pages.known_chronicles): its entries, events and statements are the same,
    with the same dates (a changed one dirties every view, relation and digest holding it),
    and so is the build date (else every timeline is counted again)."""
    if changes.unbounded:
        return {}
    keys = changes.keys

    def unchanged(subject) -> bool:
        key = ("V", subject.entity.key) if isinstance(subject, EntityView) else ("R", subject.slug)
        return key not in keys

    return known_chronicles(old_specs, unchanged)


# --- descriptors: what pages show of each value, keyed ---


def _differing(old: dict, new: dict) -> set:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _differing_entries(old: Described, new: Described, renamed: dict[str, str]) -> tuple[set[str], set[str]]:
    """(The entries whose description changed, but for the keys of renamed entities; of the
    others, those whose body as shown changed: a mention that links a renamed entity)."""
    differing = _differing(old.entries, new.entries)
    if not differing:
        return differing, set()
    before = {e.path: e for e in [*old.site.entries, *old.site.drafts] if e.path in differing}
    was = _entries(list(before.values()), renamed) if renamed else old.entries
    shown, bodies = set(), set()
    for path in differing:
        then, now = was.get(path), new.entries.get(path)
        if then is None or now is None or then[0] != now[0]:
            shown.add(path)
        elif then[1] != now[1]:
            bodies.add(path)
    return shown, bodies


class Described:
    """One model's descriptors (kept for the next edit's comparison while the model is current)."""

    def __init__(self, site: Site):
        self.site = site
        self.build_date = site.build_date
        self.site_wide = tuple((p.url, p.title) for p in site.pages)
        self.entries = _entries([*site.entries, *site.drafts])
        self.reported = _reported(site)
        self.named = _named(site)
        self.views = _views(site)
        self.relations = _relations(site)
        self.digests = _digests(site)
        self.editorial = {p.path: repr(vars(p)) for p in site.pages}

    @functools.cached_property
    def addresses(self) -> dict[str, str]:
        """Each entry's and draft's address and file (kept_shapes.py): made once per model, which
        is the new one in one edit and the old one in the next."""
        return {e.url: e.path for e in [*self.site.entries, *self.site.drafts]}

    def describe_entries(self, entries: list[Entry]):
        """Describe again entries of this site changed in place (a body edit: body, HTML,
        summary; nothing else of the model changes)."""
        self.entries.update(_entries(entries))


_KEYED = ("countries", "officials", "issues", "official_roles", "reports", "entity_keys")
_BODY = ("body", "html", "text")
_ENTRY_FIELDS = attrgetter(
    *(f.name for f in dataclasses.fields(Entry) if f.name not in ("said", "events", "statements", *_KEYED, *_BODY))
)
_ENTRY_BODY = attrgetter(*_BODY)
_NAMES = attrgetter("countries", "officials", "issues")
_PATH, _URL = attrgetter("path"), attrgetter("url")


def _entries(entries: list[Entry], renamed: dict | None = None) -> dict[str, tuple]:
    """Each entry as pages show it: (all but its body: its fields, the entity keys it names
    (translated by `renamed`, old key -> new: see renames()), its events' and statements'
    addresses; its body as shown whole, which only the pages holding its BODY_TOKEN show)."""
    return {
        e.path: (
            (
                _ENTRY_FIELDS(e),
                _entry_names(e, renamed) if renamed else (_NAMES(e), e.official_roles, e.reports),
                tuple(map(_URL, e.events)),
                tuple(map(_URL, e.statements)),
            ),
            _ENTRY_BODY(e),
        )
        for e in entries
    }


def _entry_names(entry: Entry, renamed: dict) -> tuple:
    roles = {renamed.get(k, k): role for k, role in entry.official_roles.items()}
    reports = tuple(_with_keys_renamed(r, renamed) for r in entry.reports)
    return (tuple(_keys(names, renamed) for names in _NAMES(entry)), roles, reports)


def _keys(found: tuple, renamed: dict) -> tuple:
    return tuple([renamed.get(k, k) for k in found])


def _with_keys_renamed(item, renamed: dict):
    """An event or an event report with the entity keys it names translated by `renamed`."""
    return dataclasses.replace(
        item,
        countries=_keys(item.countries, renamed),
        officials=_keys(item.officials, renamed),
        issues=_keys(item.issues, renamed),
    )


def renames(old: Site, new: Site) -> dict[str, str]:
    """{old key: new key} of the entities whose key changed with their name (a profile renamed:
    the same profile file). A page shows an entity's key only through what the digester
    describes of it (its name and link: the entity's token is in the page's closures), so an
    entry, event or statement that differs only by such a key changes no page by itself."""
    before = {e.profile_path: key for key, e in old.registry.entities.items() if e.profile_path}
    return {
        before[e.profile_path]: key
        for key, e in new.registry.entities.items()
        if e.profile_path in before and before[e.profile_path] != key
    }


def _unpublished(site: Site) -> list:
    seen = {id(e) for e in site.events}
    return [x for e in site.drafts for x in e.events if id(x) not in seen]


_EVENT_FIELDS = attrgetter(*(f.name for f in dataclasses.fields(Event) if f.name != "reports"))
_STATEMENT_FIELDS = attrgetter(*(f.name for f in dataclasses.fields(Statement) if f.name != "reports"))


def _reported(site: Site, renamed: dict | None = None, urls: set | None = None) -> dict[str, list]:
    """Events and statements by URL (a list: two may share one), each as a page shows it (those
    of `urls` alone, their entity keys translated by `renamed`, when given)."""
    out: dict[str, list] = {}
    everything = [(x, _EVENT_FIELDS) for x in [*site.events, *_unpublished(site)]]
    statements = [*site.statements, *(s for e in site.drafts for s in e.statements)]
    everything += [(x, _STATEMENT_FIELDS) for x in statements]
    for item, fields in everything:
        if urls is not None and item.url not in urls:
            continue
        shown = fields(_translated(item, renamed) if renamed else item)
        out.setdefault(item.url, []).append((shown, tuple([e.path for e in item.reports])))
    return out


def _translated(item: Event | Statement, renamed: dict) -> Event | Statement:
    if isinstance(item, Event):
        return _with_keys_renamed(item, renamed)
    return dataclasses.replace(item, by=renamed.get(item.by, item.by), on=_keys(item.on, renamed))


def _named(site: Site) -> dict[str, tuple]:
    """Each entity as a page naming it shows it (the digest's own description of it)."""
    digester = Digester(site)
    return {
        key: (digester._entity(key)[0], entity.current_role, entity.country)  # as official() shows them too
        for key, entity in site.registry.entities.items()
    }


def _views(site: Site) -> dict[str, tuple]:
    digester = Digester(site)
    out = {}
    for key, view in site.views.items():
        out[key] = (
            digester.profile(view.entity),
            tuple(map(_PATH, view.entries)),
            tuple(map(_URL, view.events)),
            tuple(map(_URL, view.statements)),
            tuple((r.slug, r.name, len(r.entries), Digester.state_now(r)) for r in view.relations),
        )
    return out


def _relations(site: Site) -> dict[str, tuple]:
    out = {}
    for r in site.relations:
        out[r.slug] = (
            r.a.key,
            r.b.key,
            tuple(map(_PATH, r.entries)),
            tuple(map(_URL, r.events)),
            tuple(map(_URL, r.statements)),
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
            tuple(map(_PATH, d.entries)),
            tuple(map(_URL, d.events)),
            tuple((g.key if g else None, tuple(map(_PATH, es))) for g, es in d.groups),
            (d.summary.path, repr(vars(d.summary))) if d.summary else None,
            tuple(((r.slug if r else None), tuple(map(_URL, xs))) for r, xs in getattr(d, "relation_groups", [])),
            tuple(x.slug for x in [*getattr(d, "weeks", []), *getattr(d, "months", [])]),
            d.newer.slug if d.newer else None,
            d.older.slug if d.older else None,
        )
    return out


def _holding(described: Described, files: set[str], reported: set[str]) -> set[tuple]:
    """The views, relations and digests holding a changed entry, event or statement, read from
    their descriptions (their entries' files, their events' and statements' addresses)."""
    out: set[tuple] = set()
    files = {path for path in files if path in described.entries}  # a rename: often none
    if not files and not reported:
        return out
    # (kind, descriptions, where the entries' files are, where the events' and statements' addresses are)
    holders = (
        ("V", described.views, 1, (2, 3)),
        ("R", described.relations, 2, (3, 4)),
        ("D", described.digests, 1, (2,)),
    )
    for kind, found, paths, urls in holders:
        for key, shown in found.items():  # isdisjoint over tuples: this runs over every holder's every entry
            if not files.isdisjoint(shown[paths]) or (
                reported and not all(reported.isdisjoint(shown[i]) for i in urls)
            ):
                out.add((kind, key))
    return out
