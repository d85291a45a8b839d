"""Related entries: counted once per build from each name's posting list, and kept from the
site before an edit (the preview) for every entry the edit cannot have changed them for,
a profile renamed (its entity under a new key) included."""

from __future__ import annotations

from collections import Counter
from operator import attrgetter, sub

from .model import Entry
from .registry import Registry
from .views import Site

_URL = attrgetter("url")
RELATED_WINDOW = 12  # candidates: this many entries either side in each shared posting list


def related_entries(
    registry: Registry,
    published: list[Entry],
    postings: dict[str, list[Entry]],
    limit: int,
    previous: Site | None = None,
) -> tuple[dict[str, list[Entry]], set[str]]:
    """({url: up to `limit` related entries}, the URLs whose list was kept from `previous`).
    Each entity the entry names contributes its weight (issue 3, official 2, country 1) to the
    entries nearest in time in that entity's list (RELATED_WINDOW either side); highest score
    first, ties newer first, then by URL. The window keeps this linear in the number of entries.
    Entries are counted by their rank in `published` (sorted newer first, then by URL: the tie
    order), so the scores are counted in C (a Counter of ranks, each window repeated its
    weight's times) and the best are the smallest of rank - score x len(published)."""
    if limit <= 0:
        return {e.url: [] for e in published}, set()
    rank = {e.url: i for i, e in enumerate(published)}
    ranks_of: dict[str, list[int]] = {}  # each name's posting list as ranks, made when first needed
    at_of: dict[str, dict[int, int]] = {}  # and each rank's place in it
    kept = kept_related(previous, registry, published, postings) if previous is not None else {}
    size = len(published)
    weight_of: dict[str, int] = {}
    out = {}
    for me, entry in enumerate(published):
        same = kept.get(entry.url)
        if same is not None:
            out[entry.url] = same
            continue
        bag: list[int] = []
        for key in entry.entity_keys:
            ranks = ranks_of.get(key)
            if ranks is None:
                ranks = ranks_of[key] = [rank[e.url] for e in postings[key]]
                at_of[key] = {r: i for i, r in enumerate(ranks)}
                weight_of[key] = registry.entities[key].kind.related_weight
            at = at_of[key][me]
            bag += ranks[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1] * weight_of[key]
        scores = Counter(bag)
        del scores[me]
        # rank - score x size of each candidate, the smallest first: sorted in C (a hundred or so
        # candidates: sorting them all costs less than heapq.nsmallest's loop in Python)
        best = sorted(map(sub, scores.keys(), map(size.__mul__, scores.values())))[:limit]
        out[entry.url] = [published[key % size] for key in best]
    return out, set(kept)


def renamed_keys(before: Registry, now: Registry) -> dict[str, str]:
    """{old key: new key} of each profile's entity whose name, and so key, changed, where
    neither key is in the other registry: the same entity under a new name, not two merged."""
    by_profile = {e.profile_path: key for key, e in before.entities.items() if e.profile_path}
    renamed = {}
    for key, entity in now.entities.items():
        old = by_profile.get(entity.profile_path) if entity.profile_path else None
        if old is not None and old != key and old not in now.entities and key not in before.entities:
            renamed[old] = key
    return renamed


def kept_related(
    previous: Site, registry: Registry, published: list[Entry], postings: dict[str, list[Entry]]
) -> dict[str, list[Entry]]:
    """{URL: its related entries, this assembly's} from `previous`, for each entry whose related entries
    cannot have changed: its names (a renamed entity's new key for its old) and date are as they
    were, and in each of its names' lists no entry came, went or moved within RELATED_WINDOW of
    it (a related list is made from those windows, the names' weights and the entries' dates alone)."""
    renamed = renamed_keys(previous.registry, registry)
    old_key = {new: old for old, new in renamed.items()}
    now_keys = (lambda e: tuple([renamed.get(k, k) for k in e.entity_keys])) if renamed else (lambda e: e.entity_keys)
    before = {e.url: e for e in previous.entries}
    moved = set()
    lists: set[str] = set()  # the names whose lists may differ: those a moved, new or gone entry has or had
    for entry in published:
        old = before.pop(entry.url, None)
        if old is None or old.timestamp != entry.timestamp or now_keys(old) != entry.entity_keys:
            moved.add(entry.url)
            lists.update(entry.entity_keys)
            if old is not None:
                lists.update(now_keys(old))
    for gone in before.values():  # (each other list holds the same entries, ordered by their dates and URLs)
        lists.update(now_keys(gone))
    touched = set(moved)
    for key in lists:
        view = previous.views.get(old_key.get(key, key))
        old_urls = [e.url for e in view.entries] if view else []
        new_urls = [e.url for e in postings.get(key, [])]
        span = _changed_span(old_urls, new_urls, moved)
        if span is not None:
            low, high = span
            touched.update(new_urls[max(0, low - RELATED_WINDOW) : high + RELATED_WINDOW])
    now = {e.url: e for e in published}
    this_site = now.__getitem__
    kept = {}
    for url in now.keys() - touched:
        related = previous.related.get(url)
        if related is not None:
            try:
                kept[url] = list(map(this_site, map(_URL, related)))
            except KeyError:  # a related entry went
                continue
    return kept


def kept_lines(previous: Site, site: Site, kept: set[str]) -> dict:
    """The related lines of the kept lists whose entry names only entities named and weighed as
    before. A line shows the names the entry shares with a related entry, which are among its
    own; and a kept list's related entries kept their names and dates (else it would not be kept)."""
    (old_ranks, old_names), (ranks, names) = previous._shared_lookup, site._shared_lookup
    same = {key for key, name in names.items() if old_names.get(key) == name and old_ranks.get(key) == ranks[key]}
    lines, by_url = previous.related_lines, {e.url: e for e in site.entries}
    return {url: lines[url] for url in kept if url in lines and same.issuperset(by_url[url].entity_keys)}


def _changed_span(old: list[str], new: list[str], moved: set[str]) -> tuple[int, int] | None:
    """The positions [low, high) of `new` that differ from `old` (past their common start and
    end) or hold an entry whose date or names changed; None when there are none."""
    at = [i for i, url in enumerate(new) if url in moved]
    if old == new:  # nothing came, went or moved in the list: only its changed entries count
        return (at[0], at[-1] + 1) if at else None
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    low, high = start, len(new) - end
    if at:
        low, high = min(low, at[0]), max(high, at[-1] + 1)
    return low, max(high, low + 1)
