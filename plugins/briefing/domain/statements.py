"""One statement, many reports: the same speaker, date and words (normalised) in two entries
are one statement, anchored as events are (events.py)."""

from __future__ import annotations

from .events import _anchor, _oldest_first, normalise
from .model import Entry, Statement


def merge_statements(published: list[Entry], drafts: list[Entry], slugs) -> list[Statement]:
    """Every published statement once (newest first): the same speaker, date and words
    (normalised) in two entries are one statement listing both."""
    by_key: dict[tuple[str, str, str], Statement] = {}
    taken: set[str] = set()
    for entry in _oldest_first(published):
        kept = []
        for said in entry.said:
            key = (said.by, said.date.iso(), normalise(said.said))
            statement = by_key.setdefault(key, said)
            if not statement.reports or statement.reports[-1] is not entry:  # entries come in order
                statement.reports.append(entry)
            if statement not in kept:
                kept.append(statement)
        entry.statements = tuple(kept)
    statements = list(by_key.values())
    for statement in sorted(statements, key=lambda s: (s.date.iso(), s.by, normalise(s.said))):
        base = f"{statement.date.iso()}-{slugs(statement.by)}-{statement.slug}"
        statement.anchor = _anchor("statement", base, normalise(statement.said), taken)
    for draft in drafts:
        for said in draft.said:
            said.reports = [draft]
            base = f"{said.date.iso()}-{slugs(said.by)}-{said.slug}"
            said.anchor = _anchor("statement", base, normalise(said.said), set(taken))
        draft.statements = draft.said
    return sorted(statements, key=lambda s: (tuple(-n for n in s.date.sort_key()), s.anchor))
