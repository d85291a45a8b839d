"""Relation profiles (content/relations/<slug-a>--<slug-b>.md): checked against the registry
and the entries, then attached to the relation pages they describe."""

from __future__ import annotations

from pathlib import PurePosixPath

from . import diagnostics as diag
from .limits import RELATION_COUNTRIES
from .model import COUNTRY, Entry, RelationProfile
from .registry import Registry

Pair = tuple[str, str]  # two country keys, in the order of their slugs


def pair_of(registry: Registry, a: str, b: str) -> Pair:
    return tuple(sorted((a, b), key=lambda k: registry.entities[k].slug))  # type: ignore[return-value]


def check_relation_profiles(
    registry: Registry, profiles: list[RelationProfile], published: list[Entry], minimum: int
) -> tuple[dict[Pair, RelationProfile], list]:
    """{pair: profile} of every valid profile; errors for unknown or repeated countries and a
    file name that is not the pair's, a warning for a pair with too few entries for a page."""
    problems: list = []
    found: dict[Pair, RelationProfile] = {}
    for profile in profiles:
        keys = []
        for ref in profile.countries:
            entity = registry.find(COUNTRY, ref.name)
            if entity is None:
                hint = registry.suggestion(COUNTRY, ref.name)
                problems.append(diag.error(profile.path, ref.line, ref.column, f"unknown country '{ref.name}'{hint}"))
            else:
                keys.append(entity.key)
        if len(keys) != 2:
            continue
        if keys[0] == keys[1]:
            problems.append(
                diag.error(
                    profile.path,
                    profile.countries_line,
                    profile.countries_column,
                    f"a relation is between two different countries, not '{registry.entities[keys[0]].name}' twice",
                )
            )
            continue
        pair = pair_of(registry, *keys)
        expected = "--".join(registry.entities[k].slug for k in pair) + ".md"
        if PurePosixPath(profile.path).name != expected:
            a, b = (registry.entities[k].name for k in pair)
            problems.append(
                diag.error(
                    profile.path,
                    profile.countries_line,
                    profile.countries_column,
                    f"the profile of {a} and {b} must be named content/relations/{expected} "
                    "(slugs in alphabetical order)",
                )
            )
            continue
        found[pair] = profile
    problems += _thin_pairs(registry, found, published, minimum)
    return found, problems


def _thin_pairs(registry: Registry, found: dict[Pair, RelationProfile], published: list[Entry], minimum: int) -> list:
    """A warning per profile whose pair is named together in too few published entries."""
    counts = dict.fromkeys(found, 0)
    if not counts:  # (no profile: no pair to count, and 10,000 entries' pairs to skip)
        return []
    for entry in published:
        countries = entry.countries[:RELATION_COUNTRIES]  # as relation pages count them
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                if (a, b) in counts or (b, a) in counts:  # (a pair is one of these two, in slug order)
                    pair = pair_of(registry, a, b)
                    if pair in counts:
                        counts[pair] += 1
    out = []
    for pair, count in counts.items():
        if count < max(1, minimum):
            profile = found[pair]
            a, b = (registry.entities[k].name for k in pair)
            out.append(
                diag.warning(
                    profile.path,
                    profile.countries_line,
                    profile.countries_column,
                    f"{a} and {b} are named together in {count} published "
                    f"{'entry' if count == 1 else 'entries'}; a relation page needs {max(1, minimum)}: "
                    "this profile shows once they reach it",
                )
            )
    return out
