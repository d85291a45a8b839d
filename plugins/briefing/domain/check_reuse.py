"""What a full check reuses of the drafts file (check.py): each entry as it was last checked.

An entry is kept as a plain tuple (its fields: SIG ... OWN below). Its draft is kept pickled
(with a few dozen others), unpickled only when it must be resolved again (the registry it was
resolved against changed) or when a near miss counts the files that name an entity: a
front-matter edit that defines nothing new reads none of the other 9,999 (unpickling every
draft was a third of such a check). What the registry reads of a draft (Definitions) and
what near misses read of it besides its names (its path and date) are kept beside it.
"""

from __future__ import annotations

import os
import pickle

from . import check_site
from .cache import domain_salt
from .check_split import Dated, as_definitions, plain_definitions
from .check_store import FORMAT, REGISTRY
from .model import ISSUE, OFFICIAL
from .near_misses import uses

# The fields of a kept entry: its signature, its front matter's hash, its draft (the draft,
# or once written (a chunk of pickled drafts, its place in it); None when it could not be
# parsed), the key of the registry it was resolved against, its record, its Definitions, its
# date, its own parse diagnostics.
SIG, FRONT, DRAFT, RESOLVED_UNDER, RECORD, DEFINES, PUBLISHED, OWN = range(8)
CHUNK = 64  # drafts pickled together


def kept_entry(sig: str, front: str, draft, own, resolved_under: str, record) -> tuple:
    """An entry as the drafts file keeps it."""
    if draft is None:
        return (sig, front, None, "", None, None, None, tuple(own))
    return (sig, front, draft, resolved_under, record, plain_definitions(draft), draft.published, tuple(own))


def same_kept(old: tuple | None, new: tuple) -> bool:
    """Whether the drafts file already holds `new` for this entry: the same bytes, and a
    resolution made under the same registry (records themselves are not compared)."""
    return old is not None and old[SIG] == new[SIG] and old[RESOLVED_UNDER] == new[RESOLVED_UNDER]


def as_written(entries: dict) -> dict:
    """`entries` with each draft as (a pickle of CHUNK drafts, its place in it), made in the
    process that writes: pickling drafts a few dozen at a time costs less than one by one,
    and a check unpickles only the chunks of the drafts it reads."""
    out = dict(entries)
    fresh = [name for name, kept in entries.items() if kept[DRAFT] is not None and not isinstance(kept[DRAFT], tuple)]
    for start in range(0, len(fresh), CHUNK):
        names = fresh[start : start + CHUNK]
        chunk = pickle.dumps([entries[name][DRAFT] for name in names], protocol=5)
        for place, name in enumerate(names):
            kept = entries[name]
            out[name] = (*kept[:DRAFT], (chunk, place), *kept[DRAFT + 1 :])
    return out


def draft_of(kept: tuple, chunks: dict):
    """A kept entry's draft; `chunks`: the chunks unpickled so far ({id: (bytes, drafts)})."""
    draft = kept[DRAFT]
    if not isinstance(draft, tuple):
        return draft
    chunk, place = draft
    if id(chunk) not in chunks:
        chunks[id(chunk)] = (chunk, pickle.loads(chunk))
    return chunks[id(chunk)][1][place]


class EventsMemo:
    """The events' diagnostics (events.event_problems, the costliest cross-file check), kept
    in the index with the registry's key and each entry's front-matter hash, in order, that
    they were made from (`saved`). A record is what resolving (path, front matter, registry)
    gives, so the next check reuses them when the registry's key and the entries are the
    same and every entry whose front matter changed has a record that reads the same to the
    events' check (url, draft or not, path, time, event reports) as the one they were made
    from (the kept record under the old front matter and key): a front-matter edit that
    touches no event reuses them."""

    def __init__(self, old: dict | None, kept: dict, under: str, fronts: list[tuple[str, str]]):
        self.old, self.kept, self.under, self.fronts = old, kept, under, fronts
        self.saved: dict | None = None

    def __call__(self, records: list, compute) -> list:
        found = tuple(self.old["problems"]) if self.old is not None and self._same(records) else tuple(compute())
        self.saved = {"under": self.under, "fronts": tuple(self.fronts), "problems": found}
        return list(found)

    def _same(self, records: list) -> bool:
        old = self.old
        if not isinstance(old, dict) or old.get("under") != self.under or len(old["fronts"]) != len(self.fronts):
            return False
        for (name, front), (old_name, old_front), record in zip(self.fronts, old["fronts"], records, strict=True):
            if name != old_name:
                return False
            if front == old_front:
                continue
            was = self.kept.get(name)
            if was is None or was[FRONT] != old_front or was[RESOLVED_UNDER] != self.under:
                return False
            if was[RECORD] is None or _events_view(was[RECORD]) != _events_view(record):
                return False
        return True


def _events_view(record) -> tuple:
    """What the events' check reads of a record (check_site._Reported)."""
    return (record.url, record.is_draft, record.path, record.timestamp, record.reports)


def assemble(files, shown: list[str], parsed: dict, kept: dict, profiles: dict, context: tuple, keep) -> tuple:
    """(The diagnostics but the entries' own parse ones, what the index keeps of the
    registry): the registry built (from each kept
    entry's Definitions), drafts resolved (a kept entry whose registry is as last time keeps
    its record, and its draft unread) and handed to `keep({name: (registry key, record)},
    events memo)`, cross-file checks. `parsed`: {name: (draft or None, own diagnostics, front
    hash)} of the entries parsed now; every other name of `shown` is in `kept`; `context`:
    (the check's store, (the events' memo, the registry's) from the index, --explain, today,
    the profile and editorial files' signatures)."""
    store, (old_events, held), explain, today, others = context
    rest: list = list(files.strays)
    sorted_out = check_site.sorted_out([profiles[p] for p in (*files.profiles, *files.editorial)], rest)
    defined = [parsed[n][0] if n in parsed else _kept_definitions(n, kept[n]) for n in shown]
    fronts = [
        (n, parsed[n][2] if n in parsed else kept[n][FRONT])
        for n, d in zip(shown, defined, strict=True)
        if d is not None
    ]
    inputs = ((FORMAT, domain_salt(), today.isoformat(), explain), tuple(others.values()))
    entries = (parsed, kept, held)
    registry, found, resolved_under, held_now = _registry(store, inputs, (sorted_out[0], defined), fronts, entries)
    rest += found
    drafts: list = []
    reusable: dict = {}
    unread: list = []
    chunks: dict = {}
    for name in shown:
        if name in parsed:
            if parsed[name][0] is not None:
                drafts.append((name, parsed[name][0]))
        elif kept[name][DRAFT] is None:
            continue
        elif kept[name][RESOLVED_UNDER] == resolved_under:
            reusable[name] = kept[name][RECORD]
            drafts.append((name, Dated(name, kept[name][PUBLISHED])))
            unread.append(name)
        else:
            drafts.append((name, draft_of(kept[name], chunks)))

    def elsewhere() -> dict:
        """How many of the unread drafts name each entity (near misses count them)."""
        named = uses(registry, [draft_of(kept[n], chunks) for n in unread], [])
        return {key: len(paths) for key, paths in named.items()}

    events = EventsMemo(old_events, kept, resolved_under, fronts)
    resolved = lambda records: keep({n: (resolved_under, r) for n, r in records.items()}, events)  # noqa: E731
    day, memos = (today, explain), (elsewhere, events)
    return rest + check_site.assemble(registry, drafts, reusable, sorted_out, day, resolved, memos), held_now


def ask_typos(registry):
    """Ask the registry what near misses will (near_misses._entity_warnings), so that the
    registry file keeps the answers (Registry.typos_found): a check that reuses it does not
    compare every official's and issue's name again."""
    for kind in (OFFICIAL, ISSUE):
        for entity in registry.of_kind(kind):
            registry.typo_of(kind, entity.name, exclude=entity.key)


def forget_resolving(registry):
    """Empty what resolving entries adds to a registry (look-up caches: see Registry), so that
    the registry file keeps it as built, with the typos near misses asked."""
    registry.mention_targets, registry.mention_indexes, registry.named_in = {}, {}, {}
    registry.probes, registry.link_targets = {}, {}


def _kept_definitions(name: str, kept: tuple):
    return None if kept[DEFINES] is None else lambda: as_definitions(name, kept[DEFINES])


def _registry(store, inputs: tuple, made_of: tuple, fronts: list, entries: tuple) -> tuple:
    """(registry, its diagnostics, its key, what the index keeps of it): the one the registry
    file keeps when it was built from the same inputs (code, day, --explain, profile and
    editorial files) and the same Definitions, else built and written to that file by a
    forked process (as built: resolving has not filled its look-up caches yet). The index
    keeps the file's id and the entries' front-matter hashes it is known to hold for, the
    latest check's: each entry whose hash differs from those is compared by its Definitions
    (_same_definitions). `entries`: (parsed, kept, what the index kept)."""
    parsed, kept, held = entries
    memo = store.load(REGISTRY)
    if (
        isinstance(memo, dict)
        and isinstance(held, dict)
        and memo.get("id") == held.get("id")
        and memo.get("inputs") == inputs
        and _same_definitions(memo, held["fronts"], fronts, (parsed, kept))
    ):
        return memo["registry"], list(memo["found"]), memo["under"], {"id": memo["id"], "fronts": tuple(fronts)}
    profiles, defined = made_of
    made = [d() if callable(d) else d for d in defined if d is not None]  # kept ones made only now
    registry, found = check_site.build_registry(list(profiles), made)
    under = check_site.registry_key(inputs[0], registry)
    token = os.urandom(8).hex()
    memo = {"id": token, "inputs": inputs, "registry": registry, "found": tuple(found), "under": under}
    store.save_aside(REGISTRY, memo, lambda: ask_typos(registry))
    return registry, found, under, {"id": token, "fronts": tuple(fronts)}


def _same_definitions(memo: dict, old: tuple, fronts: list, entries: tuple) -> bool:
    """Whether these entries' Definitions build the registry `memo` keeps: the same entries,
    each with the same front matter, or with Definitions that name the same (officials with
    their country and role, issues) where the registry holds no place in that file (no name
    it gave first, no conflict found there): its names then moved lines and nothing else."""
    parsed, kept = entries
    if len(old) != len(fronts):
        return False
    placed: set | None = None
    for (name, front), (old_name, old_front) in zip(fronts, old, strict=True):
        if name != old_name:
            return False
        if front == old_front:
            continue
        was = kept.get(name)
        if name not in parsed or was is None or was[FRONT] != old_front or was[DEFINES] is None:
            return False
        now = plain_definitions(parsed[name][0])
        if now == was[DEFINES]:
            continue
        placed = _places(memo) if placed is None else placed
        if name in placed or _names_of(now) != _names_of(was[DEFINES]):
            return False
    return True


def _names_of(plain: tuple) -> tuple:
    """Plain Definitions without their places."""
    return tuple(o[0:1] + o[3:4] + o[6:] for o in plain[0]), tuple(ref[0] for ref in plain[1])


def _places(memo: dict) -> set[str]:
    """Every file a place in the kept registry or its diagnostics is in."""
    registry = memo["registry"]
    wheres = registry.places()
    wheres += [e.country_source for e in registry.entities.values() if e.country_source]
    return {where.rsplit(":", 2)[0] for where in wheres} | {problem.path for problem in memo["found"]}


def profiles_of(files, others: dict, cached: dict) -> tuple[dict, dict]:
    """({path: (profile, page or summary, or None; diagnostics)} of the profile and editorial
    files, each parsed again only when its bytes changed; the same with signatures, to keep)."""
    from .loader import parse_editorial, parse_profiles

    out, kept = {}, {}
    for paths, parse in ((files.profiles, parse_profiles), (files.editorial, parse_editorial)):
        fresh = [p for p in paths if cached.get(p, ("",))[0] != others[p][1]]
        parsed = dict(zip(fresh, parse(fresh, files.root), strict=True))  # one call: the working folder found once
        for path in paths:
            out[path] = parsed[path] if path in parsed else cached[path][1]
            kept[path] = (others[path][1], out[path])
    return out, kept
