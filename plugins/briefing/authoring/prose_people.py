"""People introduced with a title ("Russian President Vladimir Putin", "EU Trade Commissioner
Maroš Šefčovič", "Thai acting Prime Minister Phumtham Wechayachai"), with the country and
the role that the title gives.

A title ends in a word of office (Minister, President, Commissioner, spokesperson ...), may
begin with more capitalised words ("Commerce and Industry Minister") and with "acting",
"deputy" and the like; before it may stand what says whose office it is: an adjective of
nationality ("Russian"), a country's name or its possessive ("Timor-Leste", "India's"), or
an organisation's name or acronym ("EU"). The name is the capitalised words after the title
(initials and particles such as "von der" included). Wire copy introduces a person once in
full; after that the family or given name alone ("Putin", "Anwar") counts as a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.model import COUNTRY, OFFICIAL, Entity
from ..domain.registry import Registry
from .demonyms import DEMONYMS

OFFICE_WORDS = {
    "Minister", "Secretary", "President", "Premier", "Chancellor", "Commissioner", "Ambassador", "Adviser",
    "Advisor", "Representative", "King", "Queen", "Emir", "Sultan", "Governor", "Chairman", "Chairwoman",
    "Chair", "Spokesperson", "Spokesman", "Spokeswoman", "Envoy", "Secretary-General", "Director-General",
    "Leader", "Speaker", "Senator", "Mayor", "Prince", "Princess", "Councillor", "Counsellor",
}  # fmt: skip
LOWERCASE_OFFICES = {"spokesperson", "spokesman", "spokeswoman", "envoy", "ambassador", "minister", "president"}
MODIFIERS = {"acting", "Acting", "deputy", "Deputy", "Vice", "vice", "interim", "Interim", "caretaker", "former"}
JOINERS = {"and", "of", "for", "&"}
PARTICLES = {"von", "der", "van", "de", "del", "da", "di", "bin", "binti", "al", "el", "le", "la", "dos", "ben"}
MAX_NAME_WORDS = 4
# Portfolios that follow "of"/"for" in a title ("Secretary of State", "Minister of External Affairs").
PORTFOLIOS = {
    "State", "Defence", "Defense", "Finance", "Commerce", "Trade", "Health", "Interior", "Justice", "Energy",
    "Agriculture", "Education", "Labour", "Labor", "Treasury", "Industry", "Culture", "Tourism", "Transport",
    "Environment", "Affairs", "Home", "Security", "Economy",
}  # fmt: skip
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]\.(?=\s)|[^\W\d_][\w\u2019'\-]*|\S")  # U.S., S., words


@dataclass(frozen=True)
class TitledPerson:
    name: str
    role: str  # as the title gives it: "Prime Minister", "Acting Prime Minister"
    country: Entity | None  # None: the title names no country the registry knows
    known: Entity | None  # the official the registry already has by this name
    written: str  # "Russian President Vladimir Putin"
    start: int
    end: int
    name_start: int
    block: int = 0  # the passage it is in, once a suggestion places it


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_words(tokens: list[re.Match], index: int) -> int:
    """How many tokens from `index` make a name (0 if none)."""
    count = named = 0
    while index + count < len(tokens) and named < MAX_NAME_WORDS:
        word = tokens[index + count].group(0)
        if word in PARTICLES and named:  # 'von der Leyen': particles count if a name follows them
            after = index + count
            while after < len(tokens) and tokens[after].group(0) in PARTICLES:
                after += 1
            if after < len(tokens) and _is_capitalised(tokens[after].group(0)):
                count = after - index
                continue
            break
        if not (_is_capitalised(word) and word[0].isalpha()) or word.rstrip(".") in OFFICE_WORDS:
            break
        count += 1
        named += 1
        if word.endswith(("'s", "\u2019s")):
            break
    while count and tokens[index + count - 1].group(0) in PARTICLES:
        count -= 1
    return count


def _whose(registry: Registry, words: list[str]) -> tuple[Entity | None, int]:
    """The country (or organisation) named by the words just before a title, and how many
    of those words name it."""
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        phrase = " ".join(words[-size:])
        bare = re.sub(r"['\u2019]s$", "", phrase)
        if size == 1 and phrase in DEMONYMS:
            found = next((e for e in registry.of_kind(COUNTRY) if e.iso2 == DEMONYMS[phrase]), None)
            return found, 1
        found = registry.find(COUNTRY, bare)
        if found is not None and (_is_capitalised(bare) and (len(bare) > 3 or bare.isupper())):
            return found, size
    return None, 0


def _title_start(tokens: list[re.Match], head: int, floor: int) -> int:
    """The first token of the title that ends at `head` (not before `floor`, the end of the
    name before it: 'Donald Trump and European Commission President')."""
    start = head
    while start > floor:
        word = tokens[start - 1].group(0)
        joined = word in JOINERS and start - 2 >= floor and _is_capitalised(tokens[start - 2][0])
        titled = _is_capitalised(word) and word.isalpha() and word not in DEMONYMS
        if not (word in MODIFIERS or joined or titled):
            break
        start -= 1
    return start


def _portfolio(tokens: list[re.Match], index: int) -> int:
    """How many tokens from `index` continue a title with its portfolio ('of External Affairs')."""
    if index >= len(tokens) or tokens[index].group(0) not in ("of", "for"):
        return 0
    for size in (2, 1):
        words = [t.group(0) for t in tokens[index + 1 : index + 1 + size]]
        if len(words) == size and words[-1] in PORTFOLIOS and all(_is_capitalised(w) for w in words):
            return 1 + size
    return 0


def _is_office(word: str) -> bool:
    return word in OFFICE_WORDS or word in LOWERCASE_OFFICES


def _role(words: list[str]) -> str:
    role = " ".join(words)
    return role[:1].upper() + role[1:]


def titled_people(text: str, registry: Registry) -> list[TitledPerson]:
    """Every person introduced with a title in `text`, in order."""
    tokens = _tokens(text)
    found = []
    floor = 0
    for head, token in enumerate(tokens):
        if not _is_office(token.group(0)) or head + 1 >= len(tokens):
            continue
        first_name = head + 1 + _portfolio(tokens, head + 1)
        size = _name_words(tokens, first_name)
        if size == 0:
            continue
        start = _title_start(tokens, head, floor)
        floor = first_name + size
        before = [t.group(0) for t in tokens[max(0, start - 3) : start]]
        title_words = [t.group(0) for t in tokens[start:first_name]]
        country, used = _whose(registry, before)
        if country is None:  # the title's first words may name the country ("EU Trade Commissioner")
            country, used = _whose(registry, title_words[:1])
            title_words = title_words[used:]
            used = 0
        words = [t.group(0) for t in tokens[first_name : first_name + size]]
        name = re.sub(r"['\u2019]s$", "", " ".join(words))
        first = tokens[start - used] if used else tokens[start]
        found.append(
            TitledPerson(
                name=name,
                role=_role(title_words),
                country=country,
                known=registry.find(OFFICIAL, name),
                written=text[first.start() : tokens[first_name + size - 1].end()],
                start=first.start(),
                end=tokens[first_name + size - 1].end(),
                name_start=tokens[first_name].start(),
            )
        )
    return found
