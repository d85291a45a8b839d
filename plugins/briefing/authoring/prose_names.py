"""Which registry entities a text mentions, by canonical name or alias, as whole words.

Countries and officials are proper nouns and match with their capitals; an issue matches
in any case, except its acronyms ("SCO", "G20"), which match as written. Spaces and
hyphens are interchangeable ("rare-earth export controls"), and so are straight and
curly apostrophes. At each place the longest name wins, so "South China Sea" is the issue,
not a mention of China. Two- and three-letter ISO codes count only where they are also a
name in common use (USA, UK, UAE), as in the site's mention links.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..domain.countries import names_in_text
from ..domain.model import COUNTRY, KINDS, Entity
from ..domain.names import name_key
from ..domain.organisations import ORGANISATIONS
from ..domain.registry import Registry
from .prose import Passage

_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2013]+")


@dataclass(frozen=True)
class Mention:
    key: str  # the entity's key
    line: int
    written: str  # as the text has it


def _word_pattern(word: str, ignore_case: bool) -> str:
    escaped = "".join("['\u2019]" if ch in "'\u2019" else re.escape(ch) for ch in word)
    acronym = sum(ch.isupper() for ch in word) > 1 or any(ch.isdigit() for ch in word)
    return f"(?i:{escaped})" if ignore_case and not acronym else escaped


def _name_pattern(name: str, ignore_case: bool) -> str:
    words = [w for w in _WORD_SPLIT.split(name.strip()) if w]
    return r"[\s\-\u2010\u2013]+".join(_word_pattern(w, ignore_case) for w in words)


def searchable_names(entity: Entity) -> list[str]:
    return [n for n in names_in_text(entity) if len(n.strip()) >= 2]


def _spoken(text: str) -> str:
    """A name as matched, whatever its spacing, hyphens, case or accents."""
    return name_key(" ".join(w for w in _WORD_SPLIT.split(text) if w))


class NameFinder:
    """One regular expression over every name in the registry (longest first). A name that
    several entities share (BRICS the organisation and BRICS the issue) is a mention of each."""

    def __init__(self, registry: Registry):
        alternatives: dict[str, int] = {}
        self._owners: dict[str, list[tuple[str, re.Pattern]]] = defaultdict(list)
        for kind in KINDS:
            for entity in registry.of_kind(kind):
                for name in searchable_names(entity):
                    self._add(name, kind.mentions_any_case, entity.key, alternatives)
        for organisation in ORGANISATIONS:  # 'AU' in prose: the African Union, not Australia's code
            entity = registry.find(COUNTRY, organisation.name)
            for acronym in organisation.prose_acronyms if entity is not None and entity.is_bloc else ():
                self._add(acronym, False, entity.key, alternatives)
        ordered = sorted(alternatives, key=lambda pattern: (-alternatives[pattern], pattern))
        body = "|".join(f"(?:{pattern})" for pattern in ordered)
        self._regex = re.compile(rf"(?<![\w@/.])(?:{body})(?![\w])") if ordered else None

    def _add(self, name: str, ignore_case: bool, key: str, alternatives: dict[str, int]):
        pattern = _name_pattern(name, ignore_case=ignore_case)
        if not pattern:
            return
        alternatives[pattern] = max(alternatives.get(pattern, 0), len(name))
        owners = self._owners[_spoken(name)]
        if all(owner != key or p.pattern != pattern for owner, p in owners):
            owners.append((key, re.compile(pattern)))

    def keys_for(self, written: str) -> list[str]:
        """Every entity that `written` (a match) names, in registry order, without repeats."""
        found: list[str] = []
        for key, pattern in self._owners.get(_spoken(written), ()):
            if key not in found and pattern.fullmatch(written):
                found.append(key)
        return found

    def mentions(self, passages: list[Passage]) -> list[Mention]:
        """Every mention, in text order."""
        found = []
        if self._regex is None:
            return found
        for passage in passages:
            for match in self._regex.finditer(passage.text):
                line = passage.line_at(match.start())
                for key in self.keys_for(match.group(0)):
                    found.append(Mention(key, line, match.group(0)))
        return found


def count_mentions(mentions: list[Mention]) -> dict[str, list[int]]:
    """entity key -> the line of each mention (one per mention, in order)."""
    lines: dict[str, list[int]] = defaultdict(list)
    for mention in mentions:
        lines[mention.key].append(mention.line)
    return dict(lines)
