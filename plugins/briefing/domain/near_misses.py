"""Near misses: a name within a typo of another entity's name is a warning, at the rarer spelling.

Different spellings make different pages (`/officials/wang-yee/` beside
`/officials/wang-yi/`), silently, so every official and issue that an entry introduces (a
profile is deliberate) is compared with the others, and every name a country profile adds
with the other countries. The spelling blamed is the one fewer files name; on a
tie, the one first given in the newer file (profiles count as older than any entry, and a
built-in name is never blamed). The warning stands where the blamed spelling was first
given and names the other spelling and its place, so both are in one line.

What counts as a typo is `names.looks_like_typo` (one word differs, by a letter or two, from
the same first letter), looked up through the registry's typo index: no all-pairs comparison.
"""

from __future__ import annotations

import datetime as dt
import functools

from . import diagnostics as diag
from .model import COUNTRY, ISSUE, OFFICIAL, Entity, EntryDraft, Kind, Profile
from .registry import Registry

_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def uses(registry: Registry, drafts: list[EntryDraft], profiles: list[Profile]) -> dict[str, set[str]]:
    """entity key -> the files that name it (a profile names its own entity)."""
    found: dict[str, set[str]] = {}
    keys: dict[tuple[str, str], str | None] = {}  # each spelling looked up once, not once per file

    def note(kind: Kind, name: str, path: str):
        key = keys.get((kind.name, name), "")
        if key == "":
            entity = registry.find(kind, name)
            key = keys[(kind.name, name)] = entity.key if entity is not None else None
        if key is not None:
            found.setdefault(key, set()).add(path)

    for draft in drafts:
        for ref in (*draft.countries, *(r for e in draft.events for r in e.countries or ())):
            note(COUNTRY, ref.name, draft.path)
        for ref in (*draft.issues, *(r for e in draft.events for r in e.issues or ())):
            note(ISSUE, ref.name, draft.path)
        for ref in (r for s in draft.statements for r in s.on or ()):
            note(ISSUE, ref.name, draft.path)
        for official in draft.officials:
            note(OFFICIAL, official.name.name, draft.path)
        for ref in (*(r for e in draft.events for r in e.officials or ()), *(s.by for s in draft.statements)):
            note(OFFICIAL, ref.name, draft.path)
    for profile in profiles:
        note(profile.kind, profile.name.name, profile.path)
    return found


def _place(where: str) -> tuple[str, int, int] | None:
    """'path:line:col' as (path, line, col); None for a built-in name."""
    path, _, rest = where.rpartition(":")
    path, _, line = path.rpartition(":")
    if not (path and line.isdigit() and rest.isdigit()):
        return None
    return path, int(line), int(rest)


class _Judge:
    """Which of two spellings is the likely typo."""

    def __init__(self, registry: Registry, drafts: list[EntryDraft], profiles: list[Profile], elsewhere=None):
        self.registry = registry
        self._drafts, self._profiles = drafts, profiles
        self._uses: dict[str, set[str]] | None = None  # counted when first needed: most sites have no near miss
        self._elsewhere = elsewhere  # () -> {entity key: files naming it} among files not in `drafts`
        self._counted_elsewhere: dict[str, int] = {}

    @functools.cached_property
    def dates(self) -> dict[str, dt.datetime]:
        """Each file's date, made when two spellings are first judged (a check of 100,000
        entries most often judges none: making them was half of its near misses' time)."""
        return {d.path: _aware(d.published) for d in self._drafts if d.published is not None}

    @functools.cached_property
    def entry_paths(self) -> set[str]:
        return {d.path for d in self._drafts}

    def is_new(self, entity: Entity) -> bool:
        """Given first in an entry, not defined by a profile (a profile is deliberate)."""
        place = _place(self.registry.introduced_at(entity))
        return place is not None and place[0] in self.entry_paths

    def count(self, entity: Entity) -> int:
        if self._uses is None:
            self._uses = uses(self.registry, self._drafts, self._profiles)
            self._counted_elsewhere = self._elsewhere() if self._elsewhere else {}
        return len(self._uses.get(entity.key, ())) + self._counted_elsewhere.get(entity.key, 0)

    def _age(self, entity: Entity):
        place = _place(self.registry.introduced_at(entity))
        return (self.dates.get(place[0], _OLDEST), place[0]) if place else None

    def blamed(self, one: Entity, other: Entity) -> tuple[Entity, Entity] | None:
        """(the rarer spelling, the other), or None when neither was given in a file."""
        first, second = self._age(one), self._age(other)
        if first is None and second is None:
            return None
        if first is None or second is None:
            return (other, one) if first is None else (one, other)
        if self.count(one) != self.count(other):
            return (one, other) if self.count(one) < self.count(other) else (other, one)
        return (one, other) if first > second else (other, one)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def _entity_warnings(registry: Registry, judge: _Judge) -> list:
    out = []
    seen: set[frozenset] = set()
    for kind in (OFFICIAL, ISSUE):
        for entity in registry.of_kind(kind):
            near = registry.typo_of(kind, entity.name, exclude=entity.key)
            pair = frozenset((entity.key, near))
            if near is None or pair in seen or not (judge.is_new(entity) or judge.is_new(registry.entities[near])):
                continue
            seen.add(pair)
            judged = judge.blamed(entity, registry.entities[near])
            if judged is None:
                continue
            blamed, kept = judged
            place = _place(registry.introduced_at(blamed))
            if place is None:  # a built-in name is never blamed (see _Judge.blamed)
                continue
            path, line, column = place
            kept_at = registry.introduced_at(kept)
            out.append(
                diag.warning(
                    path,
                    line,
                    column,
                    f"{kind.name} '{blamed.name}' (named in {_files(judge.count(blamed))}) is very like "
                    f"'{kept.name}' (named in {_files(judge.count(kept))}, first at {kept_at}): a typo? "
                    f"(different spellings make different {kind.name} pages)",
                )
            )
    return out


def _country_name_warnings(registry: Registry, profiles: list[Profile]) -> list:
    """A name a country profile adds that is within a typo of another country's name."""
    out = []
    for profile in profiles:
        if profile.kind is not COUNTRY:
            continue
        entity = registry.find(COUNTRY, profile.name.name)
        if entity is None or entity.profile_path != profile.path:
            continue
        added = list(profile.aliases)
        if entity.iso2 is None and registry.introduced_at(entity).startswith(profile.path + ":"):
            added.insert(0, profile.name)  # a country this profile defines
        for ref in added:
            near = registry.typo_of(COUNTRY, ref.name, exclude=entity.key)
            if near is None:
                continue
            other = registry.entities[near]
            where = registry.introduced_at(other)
            out.append(
                diag.warning(
                    profile.path,
                    ref.line,
                    ref.column,
                    f"country name '{ref.name}' is very like '{other.name}' ({where}): a typo? "
                    f"(entries that write it are counted for '{entity.name}')",
                )
            )
    return out


def near_miss_warnings(registry: Registry, drafts: list[EntryDraft], profiles: list[Profile], elsewhere=None) -> list:
    """Every near miss among officials, issues and the names country profiles add; with
    `elsewhere` (a split check, see check_split.py), `drafts` holds the other process's drafts
    by path and date only, and `elsewhere()` counts the files of those that name each entity."""
    judge = _Judge(registry, drafts, profiles, elsewhere)
    return _entity_warnings(registry, judge) + _country_name_warnings(registry, profiles)
