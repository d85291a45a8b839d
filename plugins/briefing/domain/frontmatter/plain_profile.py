"""The reader for the usual profile, without YAML nodes: `name: "..."`, `country: "..."`,
`aliases:` as `[]` or `  - "name"` items, and `roles:` as `  - title: "..."` items, each value
valid. Composing the nodes was a third of a millisecond a profile (0.3-0.7 s for the 1,968 of
the 10,000-entry corpus, read before any name can be resolved); this reads the same values
from the lines, as plain_entry.py does for entries. Anything else (another key or shape, a
backslash, a value that would give a diagnostic) gives None, and the exact node-based way
reads the file (`tests/test_plain_profile.py` compares both)."""

from __future__ import annotations

import re

from ..limits import MAX_NAMES_PER_LIST
from ..model import Kind, NameRef, Profile, Role
from .plain_entry import NotPlain, folded, quoted, quoted_names, usual_front
from .source import front_matter_span

PLAIN_KEYS = frozenset(("name", "aliases", "country", "roles"))
_TITLE_ITEM = re.compile(r'  - title: "([^"\n]*)"\n')  # a role given by its title alone, on one line
_TITLE_ITEMS = re.compile(r'(?:  - title: "[^"\n]*"\n)*')  # a block of nothing else


def plain_profile(path: str, raw: bytes, kind: Kind) -> Profile | None:
    """The profile of a file whose front matter is of the usual shape (plain_entry.usual_front:
    the fast way refuses any character a body's check would warn about too), or None."""
    usual = usual_front(raw)
    if usual is None:
        return None
    found, body_line = usual
    text = raw.decode("utf-8")
    span = front_matter_span(text)  # (where the body starts, as the exact way splits the text)
    try:
        if isinstance(span, str) or "name" not in found or not found.keys() <= PLAIN_KEYS & set(kind.profile_keys):
            raise NotPlain
        return Profile(
            path=path,
            kind=kind,
            name=_name(found, "name"),
            aliases=_aliases(*found["aliases"]) if "aliases" in found else (),
            country=_name(found, "country") if "country" in found else None,
            roles=_roles(*found["roles"]) if "roles" in found else (),
            body=text[span[2] :],  # (nothing for clean_body to take out: plain_front refuses it all)
            body_line=body_line,
        )
    except NotPlain:
        return None


def _name(found: dict, key: str) -> NameRef:
    """A name given on its key's line, as Fields.name locates it (at its opening quote)."""
    line, value, _ = found[key]
    if value is None:
        raise NotPlain
    return NameRef(folded(quoted(value)), line, len(key) + 3)


def _items(value: str | None, block: str) -> str:
    """The lines of a list key's items: its block, or none for `[]`."""
    if value is not None:
        if value != "[]":
            raise NotPlain
        return ""
    return block


def _aliases(line: int, value: str | None, block: str) -> tuple[NameRef, ...]:
    return quoted_names(_items(value, block), line + 1)


def _roles(line: int, value: str | None, block: str) -> tuple[Role, ...]:
    """Roles given by their titles alone, one `- title: "..."` line each."""
    block = _items(value, block)
    if _TITLE_ITEMS.fullmatch(block) is None:
        raise NotPlain
    titles = _TITLE_ITEM.findall(block)
    if len(titles) > MAX_NAMES_PER_LIST:
        raise NotPlain
    return tuple([Role(folded(title)) for title in titles])
