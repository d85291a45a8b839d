"""Front matter proposed from an entry's text: the entities it mentions and its dated events.

What `briefing suggest` prints and `--write` adds. Names come from the registry (by name,
alias or adjective of nationality) or from a title that introduces a person with their
country ("Russian President Vladimir Putin"), so every name written passes the check; each
comes with how often and on which lines the text names it. A country or person named once,
in passing, after the first paragraph is shown but not proposed. Issues also come from the
entries most like this one. Dates come with the clause they are written in, as a first
draft of the event's `what`. `# suggest: no <name or date>` in the front matter rejects a
suggestion for good.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ..domain.dates import PartialDate
from ..domain.events import looks_alike
from ..domain.model import COUNTRY, ISSUE, OFFICIAL, EntryDraft, Kind
from ..domain.names import name_key
from ..domain.registry import Registry
from .prose import Passage, passages
from .prose_clauses import clause_at, dateline_end, tense_before, tidy_clause
from .prose_dates import find_dates
from .prose_names import Mention, NameFinder, demonym_mentions, inside_longer_name
from .prose_people import TitledPerson, titled_people
from .similar import similar_issues

LIST_KEYS = {"countries": COUNTRY, "officials": OFFICIAL, "issues": ISSUE}
MIN_CLAUSE_WORDS = 4  # a shorter clause ("suspended since 2020") says too little: the sentence is used
NAME_PART_LETTERS = 4  # a given or family name alone ("Putin") counts as a mention from this length


@dataclass(frozen=True)
class FoundName:
    name: str  # canonical
    lines: tuple[int, ...]  # one per mention
    listed: bool  # the front matter already names it
    proposed: bool = True  # --write adds it when it is not listed
    note: str = ""  # where it comes from, or why it is not proposed
    item: str | dict = ""  # what --write adds: the name, or {name, country, role} for someone new

    @property
    def added(self) -> str | dict:
        return self.item or self.name


@dataclass(frozen=True)
class CandidateEvent:
    date: PartialDate
    what: str  # the clause the date is written in
    written: str  # the date as the text has it
    lines: tuple[int, ...]  # every line that gives this date
    listed: bool  # the front matter already has an event on this date
    after_entry: bool  # dated after the entry: shown, not proposed
    rejected: bool = False  # '# suggest: no <date>'


@dataclass
class Suggestion:
    anchor: dt.date  # the entry's date, which dates without a year are resolved against
    names: dict[str, list[FoundName]] = field(default_factory=dict)  # front-matter key -> found
    events: list[CandidateEvent] = field(default_factory=list)

    def additions(self) -> dict:
        """What `--write` adds: names and events found that the front matter lacks."""
        out: dict = {key: [f.added for f in found if f.proposed and not f.listed] for key, found in self.names.items()}
        out["events"] = [
            {"date": e.date.iso(), "what": e.what} for e in self.events if not (e.listed or e.after_entry or e.rejected)
        ]
        return {key: value for key, value in out.items() if value}


@dataclass(frozen=True)
class Context:
    """What a suggestion is made against besides the text."""

    registry: Registry
    anchor: dt.date
    draft: EntryDraft | None = None
    title: str = ""
    drafts: tuple[EntryDraft, ...] = ()  # the site's entries, for issues of entries like this one
    rejected: frozenset[str] = frozenset()  # name keys and ISO dates the editor rejected
    finder: NameFinder | None = None


def _listed_keys(registry: Registry, draft: EntryDraft | None) -> dict[Kind, set[str]]:
    listed: dict[Kind, set[str]] = {COUNTRY: set(), OFFICIAL: set(), ISSUE: set()}
    if draft is None:
        return listed
    refs = {COUNTRY: draft.countries, ISSUE: draft.issues, OFFICIAL: [o.name for o in draft.officials]}
    for kind, names in refs.items():
        for ref in names:
            entity = registry.find(kind, ref.name)
            if entity is not None:
                listed[kind].add(entity.key)
    return listed


def _country_mentions(blocks: list[Passage], context: Context, people, finder: NameFinder) -> list[Mention]:
    """Registry names and adjectives of nationality, less the countries inside longer names
    and inside people's names ('Georgia Meloni')."""
    found = finder.mentions(blocks) + demonym_mentions(blocks, context.registry)
    name_words = {word for person in people for word in person.name.split()}
    kept = []
    for mention in found:
        if context.registry.entities[mention.key].kind is COUNTRY:
            text = blocks[mention.block].text
            whose = any(p.start <= mention.start < p.name_start for p in people if p.block == mention.block)
            in_name = any(p.name_start <= mention.start < p.end for p in people if p.block == mention.block)
            if in_name or mention.written in name_words:
                continue
            if not whose and inside_longer_name(text, mention.start, mention.end):
                continue
        kept.append(mention)
    return kept


def _people(blocks: list[Passage], registry: Registry) -> list[TitledPerson]:
    return [
        replace(person, block=index)
        for index, block in enumerate(blocks)
        for person in titled_people(block.text, registry)
    ]


def _person_lines(blocks: list[Passage], person: TitledPerson) -> tuple[int, ...]:
    """Lines naming a new person: in full, or by one of their names alone ('Putin')."""
    parts = [re.escape(person.name)] + [re.escape(w) for w in person.name.split() if len(w) >= NAME_PART_LETTERS]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
    lines = []
    for block in blocks[person.block :]:
        for match in pattern.finditer(block.text):
            if block is blocks[person.block] and match.start() < person.name_start:
                continue
            lines.append(block.line_at(match.start()))
    return tuple(lines)


def _passing(lines: tuple[int, ...], lead: bool) -> bool:
    return len(lines) < 2 and not lead


def _registry_names(mentions: list[Mention], context: Context, listed, titled: set[str], lead_keys: set[str]):
    by_key: dict[str, list[int]] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, []).append(mention.line)
    names: dict[str, list[FoundName]] = {key: [] for key in LIST_KEYS}
    for key_name, kind in LIST_KEYS.items():
        for key, lines in by_key.items():
            entity = context.registry.entities[key]
            if entity.kind is not kind:
                continue
            lead = key in lead_keys or key in titled or kind is ISSUE
            rejected = name_key(entity.name) in context.rejected
            note = "rejected: '# suggest: no' in the front matter" if rejected else ""
            if not rejected and _passing(tuple(lines), lead):
                note = "named once, in passing: not proposed"
            proposed = not rejected and not _passing(tuple(lines), lead)
            names[key_name].append(FoundName(entity.name, tuple(lines), key in listed[kind], proposed, note))
    return names


def _new_people(blocks, people: list[TitledPerson], context: Context, names: dict[str, list[FoundName]]):
    seen = {f.name for f in names["officials"]}
    for person in people:
        if person.known is not None or person.name in seen or len(person.name.split()) < 2:
            continue
        seen.add(person.name)
        lines = _person_lines(blocks, person)
        rejected = name_key(person.name) in context.rejected
        item = {"name": person.name, "country": person.country.name, "role": person.role} if person.country else {}
        note = f'new: "{person.written}"'
        if person.country is None:
            note += "; the title names no country the site knows: write {name: ..., country: ...} by hand"
        elif rejected:
            note = "rejected: '# suggest: no' in the front matter"
        names["officials"].append(FoundName(person.name, lines, False, bool(item) and not rejected, note, item))


def _similar(context: Context, names: dict[str, list[FoundName]], found_keys: set[str], text: str):
    known = {f.name for f in names["issues"]}
    listed = _listed_keys(context.registry, context.draft)[ISSUE]
    skip = context.draft.path if context.draft else None
    for issue in similar_issues(context.registry, found_keys, context.title, list(context.drafts), skip, text):
        if issue.name in known:
            continue
        entity = context.registry.find(ISSUE, issue.name)
        key = entity.key if entity else ""
        rejected = name_key(issue.name) in context.rejected
        note = f"in {issue.entries} of the {issue.neighbours} entries most like this one"
        names["issues"].append(FoundName(issue.name, (), key in listed, not rejected, note))


def _names(blocks: list[Passage], context: Context) -> dict[str, list[FoundName]]:
    finder = context.finder or NameFinder(context.registry)
    people = _people(blocks, context.registry)
    mentions = _country_mentions(blocks, context, people, finder)
    title_keys = {m.key for m in finder.mentions(passages(context.title))} if context.title else set()
    lead_keys = title_keys | {m.key for m in mentions if m.block == 0}
    titled = {p.known.key for p in people if p.known is not None}
    titled |= {p.country.key for p in people if p.country is not None and p.known is None}  # 'French Prime Minister'
    names = _registry_names(mentions, context, _listed_keys(context.registry, context.draft), titled, lead_keys)
    _new_people(blocks, people, context, names)
    _similar(context, names, {m.key for m in mentions}, " ".join([context.title, *(b.text for b in blocks)]))
    for key, found in names.items():
        names[key] = sorted(found, key=lambda f: (not f.proposed and not f.listed, -len(f.lines), f.lines[:1], f.name))
    return names


def _event_text(block: Passage, offset: int, skip: int) -> tuple[str, str | None]:
    """(the clause holding `offset`, as an event's `what`; the tense of that clause)."""
    sentence_start = block.sentence_start(offset)
    start = max(sentence_start, skip)
    sentence = block.sentence_at(offset)
    sentence = sentence[start - sentence_start :] if start > sentence_start else sentence
    clause, clause_start = clause_at(sentence, offset - start)
    tense = tense_before(clause, offset - start - clause_start)
    if len(clause.split()) < MIN_CLAUSE_WORDS:
        clause = sentence
    return tidy_clause(clause), tense


def _known_events(context: Context) -> dict[PartialDate, list[str]]:
    """The `what` of every event the other entries give, by date: a sentence that looks like
    one of them is proposed in their words, so the two report one event, not near-duplicates."""
    here = context.draft.path if context.draft else None
    known: dict[PartialDate, list[str]] = {}
    for draft in context.drafts:
        if draft.path != here:
            for event in draft.events:
                if event.date is not None:
                    known.setdefault(event.date, []).append(event.what)
    return known


def _events(blocks: list[Passage], context: Context) -> list[CandidateEvent]:
    listed_dates = {e.date for e in context.draft.events} if context.draft else set()
    known_texts = _known_events(context)
    by_date: dict[PartialDate, CandidateEvent] = {}
    for index, block in enumerate(blocks):
        skip = dateline_end(block.text) if index == 0 else 0
        texts: dict[int, tuple[str, str | None]] = {}

        def tense(offset: int, block=block, skip=skip, texts=texts) -> str | None:
            texts[offset] = _event_text(block, offset, skip)
            return texts[offset][1]

        for mention in find_dates(block.text, context.anchor, tense):
            if mention.start < skip:
                continue  # the dateline: when the report was filed, not an event
            line = block.line_at(mention.start)
            known = by_date.get(mention.date)
            if known is not None:
                if line not in known.lines:
                    by_date[mention.date] = CandidateEvent(**{**known.__dict__, "lines": (*known.lines, line)})
                continue
            what = texts[mention.start][0]
            same = [text for text in known_texts.get(mention.date, ()) if looks_alike(text, what)]
            by_date[mention.date] = CandidateEvent(
                mention.date,
                same[0] if same else what,
                mention.written,
                (line,),
                mention.date in listed_dates,
                mention.date.first_day() > context.anchor,
                mention.date.iso() in context.rejected,
            )
    return list(by_date.values())


def suggest(body: str, body_line: int, context: Context) -> Suggestion:
    """Entities and dated events found in `body` (whose first line is `body_line` of its file)."""
    blocks = passages(body, body_line)
    suggestion = Suggestion(context.anchor)
    suggestion.names = _names(blocks, context)
    suggestion.events = _events(blocks, context)
    return suggestion
