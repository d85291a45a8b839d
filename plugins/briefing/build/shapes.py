"""Each page's context as keys (its *shape*): what it lists, in order, each shared value by its
key (an entry by its file, a view by its entity, a related line by its file and shared names,
a page of a list by its number and items), and the keys it holds. candidates.py compares the
shapes of the old and the new page list: a page whose shape changed, or whose shape holds a
dirty key, is a candidate. A value of a type no keyer knows makes every page one (Unbounded).
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from ..domain.editorial import DigestSummary, SitePage
from ..domain.model import Entity, Entry, Event, Kind, Statement
from ..domain.views import DigestPeriod, EntityView, RelatedEntry, Relation
from .pages import PageSpec, Pagination


class Unbounded(Exception):
    """A context value this module cannot key: every page is a candidate."""


def _shape(value, keys: set):
    """A context as keys: what it lists and in which order, each shared value by its key (also
    put in `keys`). Made for every page on every such edit: one pass, dispatched on the type."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is list or kind is tuple:
        types = set(map(type, value))
        if len(types) == 1:  # a list of one kind: in one pass
            rows = _ROWS.get(type(value[0]))
            if rows is not None:
                return rows(value, keys)
        elif types and types <= _SHARED.keys():  # shared values of a few kinds (a feed's entries and statements)
            shaped = tuple([_SHARED[type(v)](v) for v in value])
            keys.update(shaped)
            return shaped
        return tuple([_shape(v, keys) for v in value])
    if kind is dict:
        return tuple([(k, _shape(v, keys)) for k, v in value.items()])
    shared = _SHARED.get(kind)
    if shared is not None:  # the commonest values (an entry on a list): keyed without a second call
        key = shared(value)
        keys.add(key)
        return key
    keyer = _KEYERS.get(kind) or _keyer_of(kind)
    return keyer(value, keys)


def _kept(key: tuple, keys: set) -> tuple:
    keys.add(key)
    return key


def _keyer_of(kind: type):
    """The keyer of a type not seen yet (subclasses: Digest, MonthDigest, Markup ...), or Unbounded."""
    if issubclass(kind, (str, int, float)):
        _KEYERS[kind] = lambda v, keys: v
        return _KEYERS[kind]
    for base, shared in list(_SHARED.items()):
        if issubclass(kind, base):
            _SHARED[kind] = shared  # _shape finds it there from now on
            return lambda v, keys, shared=shared: _kept(shared(v), keys)
    for base, keyer in list(_KEYERS.items()):
        if issubclass(kind, base):
            _KEYERS[kind] = keyer
            return keyer
    raise Unbounded(kind.__name__)


_PLAIN_TYPES = {str, int, float, bool, type(None)}
# a value shared between pages, as its key (which goes into the page's keys)
_SHARED: dict = {
    Entry: lambda v: ("E", v.path),
    EntityView: lambda v: ("V", v.entity.key),
    Relation: lambda v: ("R", v.slug),
    DigestPeriod: lambda v: ("D", v.slug),
    Event: lambda v: ("T", v.url),
    Statement: lambda v: ("T", v.url),
    DigestSummary: lambda v: ("S", v.path),
    SitePage: lambda v: ("S", v.path),
    Entity: lambda v: ("X", v.key),
}
_KEYERS: dict = {
    RelatedEntry: lambda v, keys: (_kept(("L", v.entry.path), keys), v.shared),
    Pagination: lambda v, keys: ("P", v.number, v.count, v.base_url, _shape(v.items, keys)),
    PageSpec: lambda v, keys: ("spec", v.url, v.lastmod),  # the sitemap's: a date compares as itself
    dt.date: lambda v, keys: v,  # and datetime, a subclass (a date never equals a datetime)
    Kind: lambda v, keys: ("K", v.name),
}


def _rows(tag: str, key_of):
    """A list's shape when every value in it is of one shared type: as _shape makes it, each
    value by (tag, its key), at one comprehension's cost (10,000 entries' related lines, the
    sitemap's 30,000 pages, the home pages' cards)."""

    def rows(values: list, keys: set) -> tuple:
        shaped = tuple([(tag, key) for key in map(key_of, values)])
        keys.update(shaped)
        return shaped

    return rows


def _related_rows(values: list, keys: set) -> tuple:
    shaped = tuple([(("L", v.entry.path), v.shared) for v in values])
    keys.update([key for key, _ in shaped])
    return shaped


_ROWS: dict = {
    Entry: _rows("E", attrgetter("path")),
    EntityView: _rows("V", attrgetter("entity.key")),
    Relation: _rows("R", attrgetter("slug")),
    Event: _rows("T", attrgetter("url")),
    Statement: _rows("T", attrgetter("url")),
    RelatedEntry: _related_rows,
    PageSpec: lambda values, keys: tuple([("spec", v.url, v.lastmod) for v in values]),
}


def shapes_of(
    specs: list, known: dict | None = None, kept: frozenset[str] | set[str] = frozenset()
) -> dict[str, tuple]:
    """{url: (the page's shape, the keys it holds)}; {} when a value cannot be keyed. The pages
    of `kept` take theirs from `known`, an earlier page list's shapes, without being shaped:
    the caller knows they are the same (kept_shapes.py)."""
    shapes = {}
    try:
        for spec in specs:
            if spec.url in kept:
                shapes[spec.url] = known[spec.url]  # type: ignore[index]
                continue
            keys: set = set()
            shaped = (spec.template, spec.listing, spec.public, _shape(spec.context, keys))
            shapes[spec.url] = (shaped, keys)
    except Unbounded:
        return {}
    return shapes
