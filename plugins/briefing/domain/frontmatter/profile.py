"""The profile schema: content/<countries|officials|issues>/<slug>.md into a Profile."""

from __future__ import annotations

import re

from .. import diagnostics as diag
from ..model import KIND_BY_NAME, KINDS, Kind, Profile, Role
from .fields import Fields, open_front_matter
from .plain_profile import plain_profile
from .status import read_status

ROLE_KEYS = ("title", "from", "to")
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*", re.ASCII)  # ASCII digits: str.isdigit() takes 'Q٣٤' too
PROFILE_KEYS = {kind.name: kind.profile_keys for kind in KINDS}


def parse_profile(path: str, raw: bytes, kind: Kind) -> tuple[Profile | None, list]:
    """Check one profile file (content/<kind folder>/<slug>.md); None on any error."""
    profile, problems = read_profile(path, raw, kind)
    return (None if diag.has_errors(problems) else profile), problems


def read_profile(path: str, raw: bytes, kind: Kind) -> tuple[Profile | None, list]:
    """Check one profile file: (profile, diagnostics); the profile holds what was read without
    error, and is None only when it has no usable `name` (see read_entry). The usual shape
    with no problem is read without YAML nodes (plain_profile.py)."""
    profile = plain_profile(path, raw, kind)
    if profile is not None:
        return profile, []
    return read_profile_exactly(path, raw, kind)


def read_profile_exactly(path: str, raw: bytes, kind: Kind) -> tuple[Profile | None, list]:
    """read_profile by the YAML nodes, for any file."""
    problems: list = []
    opened = open_front_matter(path, raw, kind.profile_keys, f"a {kind.name} profile", problems)
    if opened is None:
        return None, problems
    f, found, body, body_line = opened
    if "name" not in found:
        problems.append(diag.error(path, 2, 1, "missing required key 'name'"))
        return None, problems
    name = f.attempt(f.name, found["name"][1], "name")
    if name is None:
        return None, problems
    aliases = f.attempt(f.names, found["aliases"][1], "aliases", default=()) if "aliases" in found else ()
    country = iso2 = wikidata = None  # keys the kind does not have were refused above
    roles = ()
    if "country" in found:
        country = f.attempt(f.name, found["country"][1], "country")
    if "iso2" in found:
        iso2 = f.attempt(f.name, found["iso2"][1], "iso2")
    if "wikidata" in found:
        wikidata = f.attempt(f.text, found["wikidata"][1], "wikidata")
        if wikidata and not WIKIDATA_ID.fullmatch(wikidata):
            f.attempt(f.fail, found["wikidata"][1], f"wikidata '{wikidata}' must be an item id such as Q668")
    bloc = False
    if "bloc" in found:
        bloc = f.attempt(f.boolean, found["bloc"][1], "bloc", default=False)
    if "roles" in found:
        roles = tuple(_roles(f, found["roles"][1]))
    status = read_status(f, found["status"][1]) if "status" in found else ()
    return Profile(
        path=path,
        kind=kind,
        name=name,
        aliases=aliases,
        country=country,
        iso2=iso2,
        wikidata=wikidata,
        bloc=bloc,
        roles=roles,
        body=body,
        body_line=body_line,
        status=status,
    ), problems


def _roles(f: Fields, node):
    short = lambda item, what: Role(f.text(item, what))  # noqa: E731  (a title alone)
    return f.short_or_mapping(node, "roles", ROLE_KEYS, "a role", "title", "a role needs 'title'", short, _role)


def _role(f: Fields, found: dict) -> Role | None:
    """A role given as {title, from, to}: it may not end before it starts."""
    title = f.attempt(f.text, found["title"][1], "title")
    start = f.attempt(f.partial_date, found["from"][1], "from") if "from" in found else None
    end = f.attempt(f.partial_date, found["to"][1], "to") if "to" in found else None
    if start and end and end < start:
        f.attempt(f.fail, found["to"][1], f"role '{title}' ends ({end.iso()}) before it starts ({start.iso()})")
    return Role(title, start, end) if title else None


def profile_kind(folder: str) -> Kind | None:
    for kind in KIND_BY_NAME.values():
        if kind.folder == folder:
            return kind
    return None
