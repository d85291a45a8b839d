"""The `events:` and `statements:` schemas of an entry, and the `{name, url}` source shape
that entries, events and statements share."""

from __future__ import annotations

import re

from ..limits import MAX_EVENTS_PER_ENTRY, MAX_STATEMENTS_PER_ENTRY
from ..model import EVENT_SLUG, STATEMENT_SLUG, EventDraft, Source, StatementDraft
from ..names import is_slug, short_slug
from .fields import Fields, FrontMatterError, where

EVENT_KEYS = ("date", "what", "countries", "officials", "issues", "source", "id", "same_as", "scheduled")
STATEMENT_KEYS = ("by", "said", "date", "on", "source", "paraphrase")
SOURCE_KEYS = ("name", "url")

_CONTROL = re.compile(r"[\x00-\x20]")


def read_source(f: Fields, item) -> Source | None:
    """One `{name, url}` mapping; None (with a diagnostic) when it is unusable."""
    try:
        parts = f.mapping(item, SOURCE_KEYS, "a source")
    except FrontMatterError:
        return None
    if "url" not in parts:
        f._record(item, "a source needs 'url' (and a 'name')")
        return None
    url = f.attempt(f.text, parts["url"][1], "url")
    name = f.attempt(f.text, parts["name"][1], "name") if "name" in parts else None
    if url is None:
        return None
    if _CONTROL.search(url):
        f._record(parts["url"][1], f"source url '{url}' contains spaces or control characters")
        return None
    source = Source(name or url, url)
    if not source.is_web:
        f.warn(parts["url"][1], f"source url '{url}' is not http(s): it is shown as text, not linked")
    return source


def read_events(f: Fields, node):
    """EventDrafts of an entry's `events:`, each problem recorded at its line."""
    for item, found in f.mappings(node, "events", MAX_EVENTS_PER_ENTRY, EVENT_KEYS, "an event"):
        line, column = where(item)
        if "same_as" in found:
            for key, (key_node, _) in found.items():
                if key != "same_as":
                    f._record(
                        key_node,
                        f"an event given as 'same_as' takes no '{key}': "
                        "its date and text are those of the event with that id",
                    )
            same_as = f.attempt(_event_id, f, found["same_as"][1], "same_as")
            if same_as is not None and len(found) == 1:
                yield EventDraft(None, "", None, None, line, column, same_as=same_as)
            continue
        if not f.has_keys(item, found, ("date", "what"), "an event"):
            continue
        date = f.attempt(f.partial_date, found["date"][1], "date")
        what = f.attempt(f.text, found["what"][1], "what")
        lists = {
            key: f.attempt(f.names, found[key][1], key, default=()) if key in found else None
            for key in ("countries", "officials", "issues")
        }
        source = read_source(f, found["source"][1]) if "source" in found else None
        event_id = f.attempt(_event_id, f, found["id"][1], "id") if "id" in found else None
        scheduled = (
            f.attempt(f.boolean, found["scheduled"][1], "scheduled", default=False) if "scheduled" in found else False
        )
        if date and what:
            yield EventDraft(
                date,
                what,
                lists["issues"],
                lists["countries"],
                line,
                column,
                officials=lists["officials"],
                source=source,
                id=event_id,
                slug=short_slug(what, EVENT_SLUG),
                scheduled=scheduled,
            )


def _event_id(f: Fields, node, what: str):
    ref = f.name(node, what)
    if not is_slug(ref.name):
        f.fail(
            node,
            f"event id '{ref.name}' must be lowercase letters, digits and single hyphens "
            "(e.g. 'galwan-clash-2020-06-15')",
        )
    return ref


def read_statements(f: Fields, node):
    """StatementDrafts of an entry's `statements:`."""
    for item, found in f.mappings(node, "statements", MAX_STATEMENTS_PER_ENTRY, STATEMENT_KEYS, "a statement"):
        if not f.has_keys(item, found, ("by", "said"), "a statement"):
            continue
        by = f.attempt(f.name, found["by"][1], "by")
        said = f.attempt(f.text, found["said"][1], "said")
        date = f.attempt(f.partial_date, found["date"][1], "date") if "date" in found else None
        on = f.attempt(f.names, found["on"][1], "on", default=()) if "on" in found else None
        source = read_source(f, found["source"][1]) if "source" in found else None
        paraphrase = (
            f.attempt(f.boolean, found["paraphrase"][1], "paraphrase", default=False)
            if "paraphrase" in found
            else False
        )
        if by and said:
            line, column = where(item)
            yield StatementDraft(by, said, date, on, source, paraphrase, line, column, short_slug(said, STATEMENT_SLUG))
