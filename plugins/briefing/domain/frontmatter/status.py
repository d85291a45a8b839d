"""`status:` lists (issue and relation profiles) and the relation profile schema
(content/relations/<slug-a>--<slug-b>.md)."""

from __future__ import annotations

from .. import diagnostics as diag
from ..limits import MAX_STATUS_ITEMS
from ..model import STATES, RelationProfile, StatusPoint
from ..names import did_you_mean
from .fields import Fields, FrontMatterError, where
from .source import read_front_matter

STATUS_KEYS = ("date", "state", "note")
RELATION_KEYS = ("countries", "aliases", "status")


def read_status(f: Fields, node) -> tuple[StatusPoint, ...]:
    """Dated states, oldest first; each problem recorded at its line."""
    points: list[StatusPoint] = []
    for item, found in f.mappings(node, "status", MAX_STATUS_ITEMS, STATUS_KEYS, "a status item"):
        if not f.has_keys(item, found, ("date", "state"), "a status item"):
            continue
        point = f.attempt(_point, f, found)
        if point is None:
            continue
        if points and point.date < points[-1].date:
            f._record(
                found["date"][1],
                f"status items go oldest first: {point.date.iso()} comes after {points[-1].date.iso()}",
            )
            continue
        points.append(point)
    return tuple(points)


def _point(f: Fields, found) -> StatusPoint:
    date = f.partial_date(found["date"][1], "date")
    if not date.month:
        f.fail(found["date"][1], f"status date '{date.iso()}' needs a month at least: write YYYY-MM-DD or YYYY-MM")
    state = f.text(found["state"][1], "state")
    if state not in STATES:
        f.fail(
            found["state"][1],
            f"unknown state '{state}'{did_you_mean(state, STATES, cutoff=0.5)}: use one of {', '.join(STATES)}",
        )
    note = " ".join((f.long_text(found["note"][1], "note") or "").split()) if "note" in found else ""
    return StatusPoint(date, state, note or None)


def parse_relation_profile(path: str, raw: bytes) -> tuple[RelationProfile | None, list]:
    """Check one relation profile's front matter (its names are resolved with the registry)."""
    problems: list = []
    parts = read_front_matter(path, raw, problems)
    if parts is None:
        return None, problems
    root, body, body_line = parts
    f = Fields(path, problems)
    try:
        found = f.mapping(root, RELATION_KEYS, "a relation profile")
    except FrontMatterError:
        return None, problems
    if "countries" not in found:
        problems.append(diag.error(path, 1, 1, "missing required key 'countries' (the pair, e.g. [China, India])"))
        return None, problems
    countries = f.attempt(f.names, found["countries"][1], "countries")
    line, column = where(found["countries"][1])
    if countries is not None and len(countries) != 2:
        problems.append(
            diag.error(path, line, column, f"a relation profile names exactly two countries, not {len(countries)}")
        )
    aliases = f.attempt(f.names, found["aliases"][1], "aliases", default=()) if "aliases" in found else ()
    status = read_status(f, found["status"][1]) if "status" in found else ()
    if diag.has_errors(problems):
        return None, problems
    return RelationProfile(path, countries, line, column, aliases, status, body, body_line), problems
