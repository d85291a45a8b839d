"""The model a full build keeps for the next `make html` (rebuild.py) holds only what a quick
rebuild reads. Each quick rebuild starts by unpickling it, and that cost follows its objects and
bytes: at 10,000 entries, leaving out the caches below and sharing equal closures took the file
from 167 to 76 MB and its objects from 1.17 to 0.54 million. What is left out is made again
when a page asks for it, from what is kept."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

from ..domain.views import Site

# the site's caches for the preview's next assembly (domain/site.py, domain/derive.py): a quick
# rebuild renders the edited bodies alone and never assembles
ASSEMBLY_CACHES = ("bodies", "related_lines")
# what resolving names adds to the registry (Registry, and check_reuse.forget_resolving)
RESOLVING_MEMOS = ("mention_targets", "mention_indexes", "named_in", "probes", "typos_found")


@functools.cache
def cached_properties(cls: type) -> tuple[str, ...]:
    """The names of a class's `functools.cached_property` values, kept in each object's __dict__."""
    cached = functools.cached_property
    return tuple(name for klass in cls.__mro__ for name, value in vars(klass).items() if isinstance(value, cached))


@contextlib.contextmanager
def lean_site(site: Site) -> Iterator[dict[str, str]]:
    """The site without what a quick rebuild never reads, while it is pickled; yields the entries'
    plain texts (kept in a file of their own: only the search step reads them). Entry sources are
    not needed again; the views' timelines, "Latest" and the like are made again when a page
    shows them. Everything is put back after, as it was."""
    aside: list[tuple[dict, str, object]] = []  # (an object's __dict__, a name, its value)

    def empty(found: dict, names, value_of):
        for name in names:
            if name in found:
                aside.append((found, name, found[name]))
                found[name] = value_of()

    everything = (*site.entries, *site.drafts)
    texts = {entry.path: entry.text for entry in everything}
    for entry in everything:
        empty(entry.__dict__, ("body", "text"), str)
    empty(site.__dict__, ASSEMBLY_CACHES, dict)
    empty(site.registry.__dict__, RESOLVING_MEMOS, dict)
    for holder in (site, *site.views.values(), *site.relations):
        found = holder.__dict__
        for name in cached_properties(type(holder)):
            if name in found:
                aside.append((found, name, found.pop(name)))
    try:
        yield texts
    finally:
        for found, name, value in aside:
            found[name] = value


def shared_closures(inputs: list[tuple[frozenset, ...]]) -> list[tuple[frozenset, ...]]:
    """Each page's closures with equal sets made one object: half as many to unpickle (most
    pages of an entity, or of an entry, share theirs in value, not in identity)."""
    one: dict[frozenset, frozenset] = {}
    return [tuple([one.setdefault(closure, closure) for closure in closures]) for closures in inputs]
