"""Issues an entry is likely about, from the entries most like it.

A new report on the Special Representatives talks rarely says "border dispute", but the
entries on the same actors are filed under it. Likeness is what two entries name in common,
weighted as the site weighs related entries (an issue 3, an official 2, a country 1), plus
the words their titles share. An issue is proposed when the closest entries that carry it
hold at least half of the closest entries' likeness, there are at least two of them, and
the text itself uses the head word of the issue's name ("dispute" or "disputed" for "Border
dispute"): a topic of the nearest neighbours that this text touches, not every topic of the
neighbourhood.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..domain.model import COUNTRY, ISSUE, OFFICIAL, EntryDraft
from ..domain.registry import Registry

WEIGHTS = {COUNTRY.name: 1, OFFICIAL.name: 2, ISSUE.name: 3}
NEIGHBOURS = 5  # entries compared
MIN_CARRIERS = 2  # of them, that must carry an issue for it to be proposed...
MIN_SUPPORT = 0.5  # ...holding at least this share of their likeness
MIN_SCORE = 4  # an entry less like this one than this is not a neighbour
_TITLE_WORD = re.compile(r"[a-z][a-z\-]{3,}")
_COMMON = {"with", "from", "over", "after", "talks", "says", "said", "their", "into", "first", "more", "than"}
_GENERIC = {"talks", "policy", "relations", "affairs", "issues", "issue", "cooperation", "diplomacy", "and"}
STEM = 6  # words of an issue's name are matched by their first letters ('dispute', 'disputed')


@dataclass(frozen=True)
class SimilarIssue:
    name: str
    entries: int  # how many of the neighbours carry it
    neighbours: int


def _keys(registry: Registry, draft: EntryDraft) -> set[str]:
    refs = [(COUNTRY, r.name) for r in draft.countries] + [(ISSUE, r.name) for r in draft.issues]
    refs += [(OFFICIAL, o.name.name) for o in draft.officials]
    found = (registry.find(kind, name) for kind, name in refs)
    return {entity.key for entity in found if entity is not None}


def _words(text: str) -> set[str]:
    return {w for w in _TITLE_WORD.findall(text.lower()) if w not in _COMMON}


def _head(name: str) -> str | None:
    """The noun a topic's name ends in, its first letters ('Border dispute': 'disput')."""
    words = [w for w in re.findall(r"[a-z]{4,}", name.lower()) if w not in _GENERIC]
    return words[-1][:STEM] if words else None


def _touches(registry: Registry, key: str, text: str) -> bool:
    """The text uses the head word of the issue's name or of an alias ('dispute', 'disputed')."""
    entity = registry.entities[key]
    heads = {_head(name) for name in (entity.name, *entity.aliases)} - {None}
    return bool(heads & {w[:STEM] for w in re.findall(r"[a-z]{4,}", text.lower())})


def similar_issues(
    registry: Registry, named: set[str], title: str, drafts: list[EntryDraft], skip_path: str | None, text: str = ""
) -> list[SimilarIssue]:
    """Issues of the NEIGHBOURS entries most like one that names the entity keys `named` under
    `title` (see the module's docstring), the best supported first."""
    words = _words(title)
    scored = []
    for draft in drafts:
        if draft.path == skip_path or not draft.issues:
            continue
        keys = _keys(registry, draft)
        score = sum(WEIGHTS[key.split(":", 1)[0]] for key in keys & named) + len(words & _words(draft.title))
        if score >= MIN_SCORE:
            scored.append((score, draft.published.isoformat() if draft.published else "", draft.path, keys))
    scored.sort(reverse=True)
    closest = scored[:NEIGHBOURS]
    total = sum(score for score, *_ in closest)
    support: Counter = Counter()
    carriers: Counter = Counter()
    for score, _, _, keys in closest:
        for key in keys:
            if key.startswith(ISSUE.name + ":"):
                support[key] += score
                carriers[key] += 1
    chosen = [
        key
        for key in support
        if carriers[key] >= MIN_CARRIERS and support[key] >= MIN_SUPPORT * total and _touches(registry, key, text)
    ]
    chosen.sort(key=lambda key: (-support[key], registry.entities[key].name))
    return [SimilarIssue(registry.entities[key].name, carriers[key], len(closest)) for key in chosen]
