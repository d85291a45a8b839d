"""A suggestion as YAML to paste: what is proposed as list items, with where the text says
it as comments; what is not proposed (named in passing, rejected, dated after the entry)
as commented-out items, so the output parses as it is and holds only the proposals."""

from __future__ import annotations

from .suggest import LIST_KEYS, CandidateEvent, FoundName, Suggestion
from .yaml_text import flow_mapping, scalar


def _where(lines: tuple[int, ...]) -> str:
    unique = sorted(set(lines))
    return f"line{'s' if len(unique) > 1 else ''} {', '.join(map(str, unique))}"


def _name_line(item: FoundName) -> str:
    count = len(item.lines)
    notes = [f"{count} mention{'s' if count != 1 else ''}, {_where(item.lines)}"] if item.lines else []
    notes += [item.note] if item.note else []
    notes += ["already listed"] if item.listed else []
    value = flow_mapping(item.item) if isinstance(item.item, dict) and item.item else scalar(item.name)
    lead = "  - " if item.proposed or item.listed else "#  - "
    return f"{lead}{value}  # {'; '.join(notes)}"


def _event_lines(event: CandidateEvent) -> list[str]:
    note = f'"{event.written}", {_where(event.lines)}'
    if event.listed:
        note += "; an event on this date is already listed"
    if event.after_entry or event.rejected:
        why = "after the entry's date, so not proposed" if event.after_entry else "rejected: '# suggest: no'"
        return [f"# {why}: {note}", f"#  - date: {event.date.iso()}", f"#    what: {scalar(event.what)}"]
    return [f"  - date: {event.date.iso()}  # {note}", f"    what: {scalar(event.what)}"]


def suggestion_yaml(suggestion: Suggestion, source: str) -> str:
    out = [
        f"# Suggested front matter for {source} (dates resolved against {suggestion.anchor.isoformat()}).",
        "# Paste what fits into the front matter, or run again with --write to add what is missing.",
    ]
    for key, found in suggestion.names.items():
        if not found:
            out.append(f"{key}: []  # the text names no {LIST_KEYS[key].name} the registry knows")
            continue
        out.append(f"{key}:")
        out += [_name_line(item) for item in found]
    if not suggestion.events:
        out.append("events: []  # the text gives no date")
        return "\n".join(out) + "\n"
    out.append("events:")
    for event in suggestion.events:
        out += _event_lines(event)
    return "\n".join(out) + "\n"
