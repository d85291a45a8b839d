"""Front matter proposed from an entry's text: the entities it mentions and its dated events.

What `briefing suggest` prints. Names come from the registry only (so every suggestion
passes the check), each with how often and on which lines the text mentions it; dates
come with the sentence they are written in, as a first draft of the event's `what`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain.dates import PartialDate
from ..domain.events import looks_alike
from ..domain.model import COUNTRY, ISSUE, OFFICIAL, EntryDraft, Kind
from ..domain.registry import Registry
from .prose import passages
from .prose_dates import find_dates
from .prose_names import NameFinder, count_mentions
from .yaml_text import scalar

LIST_KEYS = {"countries": COUNTRY, "officials": OFFICIAL, "issues": ISSUE}


@dataclass(frozen=True)
class FoundName:
    name: str  # canonical
    lines: tuple[int, ...]  # one per mention
    listed: bool  # the front matter already names it


@dataclass(frozen=True)
class CandidateEvent:
    date: PartialDate
    what: str  # the sentence the date is written in
    written: str  # the date as the text has it
    lines: tuple[int, ...]  # every line that gives this date
    listed: bool  # the front matter already has an event on this date
    after_entry: bool  # dated after the entry: shown, not proposed


@dataclass
class Suggestion:
    anchor: dt.date  # the entry's date, which dates without a year are resolved against
    names: dict[str, list[FoundName]] = field(default_factory=dict)  # front-matter key -> found
    events: list[CandidateEvent] = field(default_factory=list)

    def additions(self) -> dict:
        """What `--write` adds: names and events found that the front matter lacks."""
        out: dict = {key: [f.name for f in found if not f.listed] for key, found in self.names.items()}
        out["events"] = [
            {"date": e.date.iso(), "what": e.what} for e in self.events if not e.listed and not e.after_entry
        ]
        return {key: value for key, value in out.items() if value}


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


def suggest(
    body: str,
    body_line: int,
    registry: Registry,
    anchor: dt.date,
    draft: EntryDraft | None = None,
    finder: NameFinder | None = None,
    known_events: dict[PartialDate, list[str]] | None = None,
) -> Suggestion:
    """Entities and dated events found in `body` (whose first line is `body_line` of its file).
    A sentence that looks like an event other entries give on that date (`known_events`) is
    proposed in their words, so that the two are one event rather than a near-duplicate."""
    blocks = passages(body, body_line)
    finder = finder or NameFinder(registry)
    found_lines = count_mentions(finder.mentions(blocks))
    listed = _listed_keys(registry, draft)
    suggestion = Suggestion(anchor)
    for key_name, kind in LIST_KEYS.items():
        found = [
            FoundName(registry.entities[k].name, tuple(lines), k in listed[kind])
            for k, lines in found_lines.items()
            if registry.entities[k].kind is kind
        ]
        suggestion.names[key_name] = sorted(found, key=lambda f: (-len(f.lines), f.lines[0], f.name))
    listed_dates = {e.date for e in draft.events} if draft else set()
    by_date: dict[PartialDate, CandidateEvent] = {}
    for block in blocks:
        for mention in find_dates(block.text, anchor):
            line = block.line_at(mention.start)
            known = by_date.get(mention.date)
            if known is not None:
                if line not in known.lines:
                    by_date[mention.date] = CandidateEvent(**{**known.__dict__, "lines": (*known.lines, line)})
                continue
            sentence = block.sentence_at(mention.start)
            same = [w for w in (known_events or {}).get(mention.date, ()) if looks_alike(w, sentence)]
            by_date[mention.date] = CandidateEvent(
                mention.date,
                same[0] if same else sentence,
                mention.written,
                (line,),
                mention.date in listed_dates,
                mention.date.first_day() > anchor,
            )
    suggestion.events = list(by_date.values())
    return suggestion


def known_event_texts(drafts) -> dict[PartialDate, list[str]]:
    """The `what` of every event of these entries, by date (in path order)."""
    out: dict[PartialDate, list[str]] = {}
    for draft in drafts:
        for event in draft.events:
            if event.date is not None:
                out.setdefault(event.date, []).append(event.what)
    return out


def _where(lines: tuple[int, ...]) -> str:
    unique = sorted(set(lines))
    return f"line{'s' if len(unique) > 1 else ''} {', '.join(map(str, unique))}"


def suggestion_yaml(suggestion: Suggestion, source: str) -> str:
    """The suggestion as YAML to paste: notes are comments, so the text parses as it is."""
    out = [
        f"# Suggested front matter for {source} (dates resolved against {suggestion.anchor.isoformat()}).",
        "# Paste what fits into the front matter, or run again with --write to add what is missing.",
    ]
    for key, found in suggestion.names.items():
        if not found:
            out.append(f"{key}: []  # the text names no {LIST_KEYS[key].name} the registry knows")
            continue
        out.append(f"{key}:")
        for item in found:
            count = len(item.lines)
            note = f"{count} mention{'s' if count > 1 else ''}, {_where(item.lines)}"
            out.append(f"  - {scalar(item.name)}  # {note}{'; already listed' if item.listed else ''}")
    if not suggestion.events:
        out.append("events: []  # the text gives no date")
        return "\n".join(out) + "\n"
    out.append("events:")
    for event in suggestion.events:
        note = f'"{event.written}", {_where(event.lines)}'
        if event.listed:
            note += "; an event on this date is already listed"
        lead = "#" if event.after_entry else " "
        if event.after_entry:
            out.append(f"# after the entry's date, so not proposed: {note}")
            note = ""
        out.append(f"{lead} - date: {event.date.iso()}" + (f"  # {note}" if note else ""))
        out.append(f"{lead}   what: {scalar(event.what)}")
    return "\n".join(out) + "\n"
