"""The reader for the usual entry front matter, without YAML nodes (the check's and the
build's): each line is one of a few shapes (`key: "text"`, `date: 2025-06-12`, `key:` then
`  - "name"` items, events of `date` and `what`, `key: []`, `source: {name: "...", url:
"..."}`) and every value is valid. Composing nodes and checking fields object by object was
most of a cold check's CPU, and two thirds of a build's reading of an entry; this reads the
same values from the lines. Anything else (another shape, a backslash, a value that would
give a diagnostic) gives None, and the exact node-based way reads the file, so the drafts and
diagnostics are those of that way (`tests/test_plain_entry.py` compares both). The profiles'
reader (plain_profile.py) cuts its front matter with the same usual_front."""

from __future__ import annotations

import hashlib
import re

from ..dates import DateError, parse_datetime, parse_partial_date
from ..limits import MAX_EVENTS_PER_ENTRY, MAX_FRONT_MATTER_CHARS, MAX_NAMES_PER_LIST
from ..model import EVENT_SLUG, EntryDraft, EventDraft, NameRef, OfficialRef, Source
from ..names import is_slug, short_slug, slugify
from .source import brackets_too_deep, front_matter_span, plain_front

# a top-level key, its value on the line, and the lines indented under it
_KEY_AND_BLOCK = re.compile(r"([a-z]+):(?: (\S[^\n]*))?\n((?:  [^\n]*\n)*)")
_NAME_ITEM = re.compile(r'  - "([^"\n]*)"\n')  # a quoted item of a block list, its text from column 5
_NAME_ITEMS = re.compile(r'(?:  - "[^"\n]*"\n)*')  # a block of nothing else
_PLAIN_DATE = re.compile(r"\d{4}(?:-\d\d){0,2}\Z")  # YAML reads these as int, str or timestamp: text
_SOURCE = re.compile(r'\{name: "([^"]*)", url: "([^"]*)"\}\Z')
_EVENT, _WHAT = "  - date: ", "    what: "
_NAMES = ("countries", "issues", "officials")
_STATUSES = ("published", "draft")


class NotPlain(Exception):
    """The front matter is not of the usual shape, or a value would give a diagnostic."""


def quoted(value: str) -> str:
    """The text of a double-quoted value with no quote or backslash inside it."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"' or value.count('"') != 2:
        raise NotPlain
    return value[1:-1]


def folded(value: str) -> str:
    """What Fields.text gives for a text: its words joined by single spaces, never empty."""
    text = " ".join(value.split())
    if not text:
        raise NotPlain
    return text


def _scalar(value: str) -> str:
    """A quoted value's text, or a plain date-like value as YAML gives it (int, str, timestamp)."""
    return value if _PLAIN_DATE.match(value) else quoted(value)


def quoted_names(block: str, first: int) -> tuple[NameRef, ...]:
    """Names of a block list (its lines, each ending in a newline) whose first item is on
    file line `first`: every line a quoted item (matched whole, in C)."""
    if _NAME_ITEMS.fullmatch(block) is None:
        raise NotPlain
    names = _NAME_ITEM.findall(block)
    if len(names) > MAX_NAMES_PER_LIST:
        raise NotPlain
    return tuple([NameRef(folded(name), line, 5) for line, name in enumerate(names, first)])


def _events(text: str, first: int) -> tuple[EventDraft, ...]:
    """Events of two lines each, `- date:` then `what:`, the first on file line `first`."""
    block = text[:-1].split("\n")
    if len(block) % 2 or len(block) > 2 * MAX_EVENTS_PER_ENTRY:
        raise NotPlain
    out = []
    for offset in range(0, len(block), 2):
        date_line, what_line = block[offset], block[offset + 1]
        if not date_line.startswith(_EVENT) or not what_line.startswith(_WHAT):
            raise NotPlain
        try:
            date = parse_partial_date(folded(_scalar(date_line[10:])))
        except DateError:
            raise NotPlain from None
        what = folded(quoted(what_line[10:]))
        out.append(EventDraft(date, what, None, None, first + offset, 5, slug=short_slug(what, EVENT_SLUG)))
    return tuple(out)


def _source(value: str) -> tuple[Source, ...]:
    """One `{name, url}` source whose url is a web address with no space or control character."""
    found = _SOURCE.match(value)
    if found is None:
        raise NotPlain
    name, url = folded(found.group(1)), folded(found.group(2))
    source = Source(name, url)
    if " " in url or not source.is_web:
        raise NotPlain
    return (source,)


def key_lines(front: str) -> dict[str, tuple[int, str | None, str]]:
    """{key: (file line, value on its line or None, the indented lines under it, each
    ending in a newline)}: a key line and its block matched at once (in C), not line by line."""
    text = front + "\n"
    found: dict[str, tuple[int, str | None, str]] = {}
    at, line, end = 0, 2, len(text)
    while at < end:
        match = _KEY_AND_BLOCK.match(text, at)
        if match is None:
            raise NotPlain
        key, value, block = match.groups()
        if key in found or (value is None) == (not block):  # a value on the line and under it, or neither
            raise NotPlain
        found[key] = (line, value, block)
        line += 1 + block.count("\n")
        at = match.end()
    return found


def _list(key: str, line: int, value: str | None, block: str) -> tuple:
    """The names or events of a list key: `[]`, or a block list starting on the next line."""
    if value is not None:
        if value != "[]":
            raise NotPlain
        return ()
    if key == "events":
        return _events(block, line + 1)
    names = quoted_names(block, line + 1)
    return tuple([OfficialRef(name) for name in names]) if key == "officials" else names


def _value(found: dict, key: str) -> str | None:
    """The text of a key given on its own line as a double-quoted value, or None if absent."""
    if key not in found:
        return None
    value = found[key][1]
    if value is None:
        raise NotPlain
    return quoted(value)


def _fields(found: dict) -> dict:
    """The draft's values read from the key lines; NotPlain where the exact way is needed."""
    if not found.keys() <= _KEYS or "title" not in found or "date" not in found:
        raise NotPlain
    line, date_text, _ = found["date"]
    if date_text is None:
        raise NotPlain
    date_text = folded(_scalar(date_text))
    try:
        published = parse_datetime(date_text)
    except DateError:
        raise NotPlain from None
    summary = _value(found, "summary")
    slug = _value(found, "slug")
    status = _value(found, "status")
    if slug is not None and not is_slug(slug := folded(slug)):
        raise NotPlain
    if status is not None and (status := folded(status)) not in _STATUSES:
        raise NotPlain
    lists = {key: _list(key, *found[key]) if key in found else () for key in (*_NAMES, "events")}
    source = found.get("source")
    if source is not None and source[1] is None:
        raise NotPlain
    return {
        **lists,
        "title": folded(_value(found, "title") or ""),
        "published": published,
        "has_time": "T" in date_text or ":" in date_text or " " in date_text,
        "summary": None if summary is None else " ".join(summary.split()),
        "sources": () if source is None else _source(source[1]),
        "slug": slug,
        "status": status or "published",
        "date_line": line,
        "slug_line": found["slug"][0] if "slug" in found else 1,
        "title_line": found["title"][0],
    }


_KEYS = frozenset(("title", "date", "summary", "slug", "status", "source", *_NAMES, "events"))


def usual_front(raw: bytes) -> tuple[dict[str, tuple[int, str | None, str]], int] | None:
    """(key_lines of the front matter, the body's line) of a file the fast way clears
    (source.plain_front: valid UTF-8 with no refused character) whose front matter is short
    enough, has no backslash, is not nested too deep and has only key lines and their
    indented blocks; else None. Only brackets are counted here (as source.nesting_too_deep
    counts them): every line either reader takes starts with a key or with at most four
    spaces or dashes, so a block nested too deep is refused by the readers themselves (the
    search for one was 5 us of an entry's 90)."""
    plain = plain_front(raw)
    if plain is None:
        return None
    front, body_line = plain
    if len(front) > MAX_FRONT_MATTER_CHARS or "\\" in front or brackets_too_deep(front):
        return None
    try:
        return key_lines(front), body_line
    except NotPlain:
        return None


def plain_entry(path: str, raw: bytes, front_only: bool = True) -> EntryDraft | None:
    """The draft of an entry file whose front matter is of the usual shape (usual_front) and
    has no problem, or None; `front_only` (the check): its body and `source_hash` empty."""
    usual = usual_front(raw)
    if usual is None:
        return None
    found, body_line = usual
    try:
        values = _fields(found)
    except NotPlain:
        return None
    body = source_hash = ""
    if not front_only:  # the body as the exact way splits it (nothing for clean_body to take out)
        text = raw.decode("utf-8")
        span = front_matter_span(text)
        if isinstance(span, str):
            return None
        body, source_hash = text[span[2] :], hashlib.sha1(raw).hexdigest()
    return EntryDraft(
        path=path,
        body=body,
        body_line=body_line,
        source_hash=source_hash,
        default_slug=slugify(values["title"]),
        **values,
    )
