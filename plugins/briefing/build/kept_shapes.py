"""Pages whose shape is known to be as it was, found without shaping them: after an edit, the
preview takes their shapes from the last page list (shapes.shapes_of's `kept`), so that shaping
costs what the edit changed. Each rule keeps a page only where its shape is made of values the
edit's Changes (candidates.py) would have marked had they changed; tests/test_shapes.py compares
the shapes so kept with shapes made afresh after every kind of edit."""

from __future__ import annotations

import itertools

from ..domain.views import Site
from .candidates import Described
from .pages import feed_url


def kept_shapes(old: Described, new: Described, old_shapes: dict, new_specs: list, keys: frozenset) -> set[str]:
    """The URLs of the pages of `new_specs` other than entry pages (kept_entry_pages) that keep
    their shape from `old_shapes`: feeds and the home page's later pages. `keys` are the edit's
    dirty keys (Changes.keys)."""
    return _kept_feeds(new.site, old_shapes, keys) | _kept_home_pages(old, new, old_shapes, new_specs)


def kept_entry_dates(old_specs: list, kept: set[str]) -> dict:
    """{URL: date} of the `kept` entry pages (kept_entry_pages), from the old page list: a page's
    date is the newest of its entry's and its related entries', and a related list is kept only
    when none of them moved in time (domain/related.py). (Read afresh, it is 60,000 fields of
    entries all over the heap at 10,000 entries.)"""
    return {spec.url: spec.lastmod for spec in old_specs if spec.template == "entry.html" and spec.url in kept}


def kept_entry_pages(old: Described, new: Described, old_shapes: dict) -> set[str]:
    """The entry pages whose shape is as it was: an entry page's shape is its file and its
    related lines (each related entry's file and shared names), and derive_site keeps the very
    tuple of lines when an entry's related entries cannot have changed (with every name and
    weight as they were). With every address on the same file as before, the files are the
    same too. 10,000 entry pages are most of the shaping an edit pays for."""
    before, now = old.site.related_lines, new.site.related_lines
    if not before or old.addresses != new.addresses:
        return set()
    return {url for url, lines in now.items() if before.get(url) is lines and url in old_shapes}


def _kept_feeds(new: Site, old_shapes: dict, keys: frozenset) -> set[str]:
    """The feeds of views and relations whose own key is not dirty, nor the key of an entity
    they are named after. A feed's shape is its title (the names of its entity, or of a
    relation's two), its addresses and its first entries and statements, in date order; a
    view's or relation's description holds its entries' files and its statements' addresses in
    order, and an item whose date changed dirties every view and relation holding it. (The
    3,885 feeds at 10,000 entries took 38 ms to shape on every front-matter edit.)"""
    kept = set()
    for key, view in new.views.items():
        url = feed_url(view.entity.url)
        if ("V", key) not in keys and ("X", key) not in keys and url in old_shapes:
            kept.add(url)
    for relation in new.relations:
        url = feed_url(relation.url)
        names = {("R", relation.slug), ("X", relation.a.key), ("X", relation.b.key)}
        if names.isdisjoint(keys) and url in old_shapes:
            kept.add(url)
    return kept


def _kept_home_pages(old: Described, new: Described, old_shapes: dict, new_specs: list) -> set[str]:
    """The home page's pages after the first (which also shows the brief, the standings and
    what is coming) when the published entries are the same files in the same order: each such
    page's shape is its number, the number of pages and its slice of their files. (The page
    list starts with the home page's pages; the descriptions list the published entries first.)"""
    if _published_files(old) != _published_files(new):
        return set()
    home = itertools.takewhile(lambda spec: spec.kind == "home", new_specs)
    return {spec.url for spec in home if spec.context["pagination"].number > 1 and spec.url in old_shapes}


def _published_files(described: Described) -> list[str]:
    return list(itertools.islice(described.entries, len(described.site.entries)))
