"""Warnings each entry gets on its own, once its names are resolved (the build and the check)."""

from __future__ import annotations

import datetime as dt

from . import diagnostics as diag
from .limits import RELATION_COUNTRIES
from .model import Entry

SUMMARY_LIMIT = 300


def entry_warnings(entries: list[Entry], drafts, today: dt.date, kept: dict | None = None) -> list:
    """Warnings about one entry at a time: a future date, no names, too many countries for
    relation pages, a long summary, reports dated after the entry. `kept` (the preview's, from
    one assembly to the next) holds each entry's warnings with what they were made from: an
    entry of the same draft (its summary too) and countries has the same ones on the same day."""
    if kept is None:
        return [found for entry, draft in zip(entries, drafts, strict=True) for found in _warnings(entry, draft, today)]
    out: list = []
    made_now: dict = {}
    for entry, draft in zip(entries, drafts, strict=True):
        made = kept.get(entry.path)
        if made is None or made[:3] != (draft, entry.countries, today):
            made = (draft, entry.countries, today, _warnings(entry, draft, today))
        made_now[entry.path] = made
        out += made[3]
    kept.clear()  # (this assembly's entries alone: an entry deleted leaves nothing behind)
    kept.update(made_now)
    return out


def _warnings(entry: Entry, draft, today: dt.date) -> list:
    """One entry's warnings (entry_warnings)."""
    out = []
    if entry.date > today:
        out.append(diag.warning(entry.path, draft.date_line, 7, f"dated in the future ({entry.date.isoformat()})"))
    if not draft.countries and not draft.issues:
        out.append(diag.warning(entry.path, 1, 1, "names no country and no issue: it will appear on no entity page"))
    if len(entry.countries) > RELATION_COUNTRIES:
        first_left_out = draft.countries[min(RELATION_COUNTRIES, len(draft.countries) - 1)]
        out.append(
            diag.warning(
                entry.path,
                first_left_out.line,
                first_left_out.column,
                f"names {len(entry.countries)} countries; relation pages pair only the first "
                f"{RELATION_COUNTRIES}: list the main actors first",
            )
        )
    if len(entry.summary) > SUMMARY_LIMIT:
        out.append(
            diag.warning(entry.path, 1, 1, f"summary is {len(entry.summary)} characters; keep it under {SUMMARY_LIMIT}")
        )
    for noun, reports in (("event", draft.events), ("statement", draft.statements)):
        out += [
            diag.warning(
                entry.path,
                report.line,
                report.column,
                f"{noun} dated {report.date.iso()}, after the entry ({entry.date.isoformat()})"
                + (": add 'scheduled: true' if it is planned" if noun == "event" else ""),
            )
            for report in reports
            if report.date is not None
            and report.date.first_day() > entry.date
            and not getattr(report, "scheduled", False)  # a planned event: upcoming, not a mistake
        ]
    return out
