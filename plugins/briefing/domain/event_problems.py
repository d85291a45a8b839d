"""The events' diagnostics alone, as `briefing check` needs them: the merge of events.py run
on sketches that hold only what its diagnostics read (an event's first text and the entities
its reports concern, in order), without the entries, sources, anchors and sorting that only
pages read. It is the costliest cross-file check, and it runs on one core after both halves
of a cold check have resolved (check_split.py): at 10,000 entries the full merge took
0.19-0.22 s of it, the sketches take 0.12-0.15 s."""

from __future__ import annotations

from .events import Merging, event_key, merged_by_text, near_duplicates
from .model import Entry, EventReport


class Sketch:
    """An event as its diagnostics read it: the first report's text, and every country and
    official its reports concern, each once, in the order first seen (as events._join keeps them)."""

    __slots__ = ("countries", "officials", "what")

    def __init__(self, what: str):
        self.what = what
        self.countries: dict[str, None] = {}
        self.officials: dict[str, None] = {}


class _Sketches(Merging[Sketch]):
    """The merge of events.py, making sketches: the same keys, ids and errors (each report's
    key asked once, so not kept)."""

    key_of = staticmethod(event_key)

    def new_event(self, report: EventReport) -> Sketch:
        return Sketch(report.what)

    def join(self, event: Sketch, entry: Entry, report: EventReport):
        event.countries.update(dict.fromkeys(report.countries))
        event.officials.update(dict.fromkeys(report.officials))


def event_problems(published: list, drafts: list, names) -> list:
    """events.merged_events' diagnostics: merged by text, then each `same_as` looked up, the
    near-duplicates found, then each draft's own."""
    merger = _Sketches()
    for entry in merged_by_text(published, merger):
        for report in entry.reports:
            if report.same_as is not None:
                merger.held(report)
    problems = merger.problems + near_duplicates(merger, names)[2]
    for draft in drafts:
        problems += _draft_problems(draft, merger)
    return problems


def _draft_problems(draft, published: _Sketches) -> list:
    """events._draft_events' diagnostics: a draft's reports merged apart from the published
    ones (a report of a published event's text joins it and cannot be wrong), with their ids."""
    own = _Sketches(published.by_id)
    for report in draft.reports:
        if report.same_as is not None:
            own.held(report)
        elif event_key(report) not in published.by_key:
            own.add(draft, report)
    return [p for p in own.problems if p.path == draft.path]
