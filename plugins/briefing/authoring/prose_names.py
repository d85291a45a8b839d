"""Which registry entities a text mentions, by canonical name or alias, as whole words.

Countries and officials are proper nouns and match with their capitals; an issue matches
in any case, except its acronyms ("SCO", "G20"), which match as written. Spaces and
hyphens are interchangeable ("rare-earth export controls"), and so are straight and
curly apostrophes. At each place the longest name wins, so "South China Sea" is the issue,
not a mention of China. Two- and three-letter ISO codes count only where they are also a
name in common use (USA, UK, UAE), as in the site's mention links.

An adjective of nationality names its country ("Russian oil": Russia). A country's name
inside a longer proper name is not the country: after a capitalised word ("New Jersey",
"New Mexico"), before a capitalised word that is not an institution or a title ("Georgia
Meloni", "Mexico City", "Indian Ocean"), or as a US state ("Atlanta, Georgia, US").
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
from .demonyms import DEMONYMS
from .prose import Passage
from .prose_people import MODIFIERS, OFFICE_WORDS

_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2013]+")


@dataclass(frozen=True)
class Mention:
    key: str  # the entity's key
    line: int
    written: str  # as the text has it
    block: int = 0  # which passage (0: the first paragraph)
    start: int = 0  # offset in the passage's text
    end: int = 0


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
            bloc = registry.find(COUNTRY, organisation.name)
            for acronym in organisation.prose_acronyms if bloc is not None and bloc.is_bloc else ():
                self._add(acronym, False, bloc.key, alternatives)
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
        found: list[Mention] = []
        if self._regex is None:
            return found
        for index, passage in enumerate(passages):
            for match in self._regex.finditer(passage.text):
                line = passage.line_at(match.start())
                for key in self.keys_for(match.group(0)):
                    found.append(Mention(key, line, match.group(0), index, match.start(), match.end()))
        return found


_DEMONYM = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, DEMONYMS), key=len, reverse=True)) + r")(?![\w-])"
)

# Capitalised words that follow a country or its adjective in the names of its institutions
# ("China Coast Guard", "Indian Army"), so do not make a longer proper name of it.
INSTITUTIONS = {
    "Army", "Navy", "Air", "Coast", "Border", "Embassy", "Ministry", "Government", "Parliament", "Foreign",
    "Prime", "President", "Defence", "Defense", "Commerce", "Trade", "External", "Home", "Finance",
    "Interior", "Central", "National", "Supreme", "High", "Consulate", "Mission", "Council", "Cabinet",
    "Senate", "Congress", "Armed", "Military", "State", "Vice", "Deputy", "Acting", "King", "Queen",
    "Crown", "Secretary", "Minister", "Ambassador", "Chancellor", "Premier", "Commissioner", "Special",
}  # fmt: skip
SENTENCE_WORDS = {
    "The", "In", "On", "At", "For", "From", "With", "And", "But", "By", "To", "As", "After", "Before", "When",
    "While", "Both", "Between", "Across", "Against", "Over", "Under", "Since", "Until", "Including", "Unlike",
    "Like", "Neither", "Either", "Then", "Now", "Meanwhile", "Only", "Even", "Also", "If", "Of", "Where",
    "Why", "How", "That", "This", "Its", "Their", "His", "Her", "Our", "A", "An", "Earlier", "Later",
}  # fmt: skip
_WORD_BEFORE = re.compile(r"([^\W\d_][\w\u2019'\-]*)\s$")
_WORD_AFTER = re.compile(r"^\s([^\W\d_][\w\u2019'\-]*)")
_US_STATE = re.compile(r"^,?\s+(?:U\.S\.|US|USA)\b|^(?:\s+state)")


def demonym_mentions(passages: list[Passage], registry: Registry) -> list[Mention]:
    """'Russian', 'Chinese': a mention of the country (never of a longer name: 'Indian Ocean')."""
    by_code = {e.iso2: e.key for e in registry.of_kind(COUNTRY) if e.iso2}
    found = []
    for index, passage in enumerate(passages):
        for match in _DEMONYM.finditer(passage.text):
            key = by_code.get(DEMONYMS[match.group(1)])
            if key is None or _before_a_longer_name(passage.text, match.end()):
                continue
            line = passage.line_at(match.start())
            found.append(Mention(key, line, match.group(1), index, match.start(), match.end()))
    return found


def _starts_title(text: str, offset: int) -> bool:
    """The capitalised words after `offset` end in a word of office ('External Affairs Minister')."""
    words = re.findall(r"[^\W\d_][\w\u2019'\-]*", text[offset : offset + 80])
    for word in words[:5]:
        if word in OFFICE_WORDS:
            return True
        if not word[0].isupper() and word not in MODIFIERS and word not in ("and", "of"):
            return False
    return False


def _before_a_longer_name(text: str, end: int) -> bool:
    """A capitalised word follows that is neither an institution nor the start of a title."""
    after = _WORD_AFTER.match(text[end:])
    word = after.group(1) if after else ""
    return word[:1].isupper() and word not in INSTITUTIONS and not _starts_title(text, end)


def _after_a_capitalised_word(text: str, start: int) -> bool:
    """'New Jersey': a capitalised word before, that is not a sentence's first word of its
    kind ('In'), a possessive ('Modi's India') or an adjective of nationality."""
    before = _WORD_BEFORE.search(text[:start])
    word = before.group(1) if before else ""
    possessive = word.endswith(("'s", "\u2019s"))
    return word[:1].isupper() and word not in SENTENCE_WORDS and not possessive and word not in DEMONYMS


def inside_longer_name(text: str, start: int, end: int) -> bool:
    """A country's name that is part of a longer proper name ('New Jersey', 'Georgia Meloni')."""
    us_state = _US_STATE.match(text[end:]) or re.search(r"\bstate of\s$", text[:start])
    return bool(us_state) or _after_a_capitalised_word(text, start) or _before_a_longer_name(text, end)


def count_mentions(mentions: list[Mention]) -> dict[str, list[int]]:
    """entity key -> the line of each mention (one per mention, in order)."""
    lines: dict[str, list[int]] = defaultdict(list)
    for mention in mentions:
        lines[mention.key].append(mention.line)
    return dict(lines)
