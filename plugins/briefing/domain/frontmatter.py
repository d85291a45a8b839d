"""Split a content file into YAML front matter and body, and check the front matter.

YAML is composed to nodes (never constructed into Python objects), so no tag can run
code, aliases are never expanded, and every value keeps the line and column where the
editor wrote it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

import yaml

from . import diagnostics as diag
from .dates import DateError, parse_datetime, parse_partial_date
from .model import (
    COUNTRY,
    KIND_BY_NAME,
    OFFICIAL,
    EntryDraft,
    EventDraft,
    Kind,
    NameRef,
    OfficialRef,
    Profile,
    Role,
    Source,
)
from .names import MAX_SLUG_LENGTH, did_you_mean, is_slug, slugify

log = logging.getLogger(__name__)

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_NESTING = 32

ENTRY_KEYS = (
    "title", "date", "summary", "countries", "officials", "issues", "events",
    "source", "sources", "slug", "status",
)
OFFICIAL_KEYS = ("name", "country", "role")
EVENT_KEYS = ("date", "what", "issues", "countries")
SOURCE_KEYS = ("name", "url")
ROLE_KEYS = ("title", "from", "to")
PROFILE_KEYS = {
    "country": ("name", "aliases", "iso2", "wikidata", "bloc"),
    "official": ("name", "aliases", "country", "roles"),
    "issue": ("name", "aliases"),
}
STATUSES = ("published", "draft")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL = _TAG + "null"


class FrontMatterError(Exception):
    """Raised inside the readers to stop at a problem already recorded."""


def decode(path: str, raw: bytes, problems: list) -> str | None:
    """UTF-8 text with LF line ends and no BOM, or None (with a diagnostic)."""
    if len(raw) > MAX_FILE_BYTES:
        problems.append(diag.error(
            path, 1, 1, f"file is {len(raw):,} bytes; a content file may be at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        problems.append(diag.error(
            path, line, column, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(diag.error(path, line, 1, "the file contains a NUL character"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(path: str, text: str, problems: list) -> tuple[str, str, int] | None:
    """(front matter, body, 1-based line of the body) or None (with a diagnostic)."""
    if not text.strip():
        problems.append(diag.error(path, 1, 1, "empty file: a content file starts with '---' front matter"))
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(diag.error(
            path, 1, 1, "no front matter: the file must start with a '---' line, then YAML, then '---'"))
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            front = "\n".join(lines[1 : number - 1])
            body = "\n".join(lines[number:])
            return front, body, number + 1
    problems.append(diag.error(
        path, 1, 1, "front matter is not closed: add a '---' line after the YAML"))
    return None


_DEEP_BLOCK = re.compile(r"^[ -]{%d}" % (4 * MAX_NESTING), re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x20]")


def _nesting_too_deep(front: str) -> bool:
    """Refuse absurd nesting before the YAML parser recurses into it."""
    if _DEEP_BLOCK.search(front):
        return True
    if front.count("[") + front.count("{") <= MAX_NESTING:
        return False
    depth = deepest = 0
    for ch in front:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest > MAX_NESTING


def _aliases(front: str) -> list:
    """Alias events (`*name`): a node shared under two keys would report its problems at the
    anchor's line, not the alias's, and nested aliases multiply work, so none is accepted."""
    if "*" not in front:
        return []
    found = []
    try:
        for event in yaml.parse(front, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                found.append(event)
    except yaml.YAMLError:
        pass  # compose() reports the syntax error with its position
    return found


def compose(path: str, front: str, problems: list):
    """The YAML node tree of the front matter (line numbers relative to the file)."""
    if len(front) > MAX_FRONT_MATTER_CHARS:
        problems.append(diag.error(path, 2, 1, "front matter is too long (over 256 KiB)"))
        return None
    if _nesting_too_deep(front):
        problems.append(diag.error(path, 2, 1, f"front matter is nested more than {MAX_NESTING} levels deep"))
        return None
    aliases = _aliases(front)
    if aliases:
        first, more = aliases[0], f" (and {len(aliases) - 1} more)" if len(aliases) > 1 else ""
        problems.append(diag.error(path, first.start_mark.line + 2, first.start_mark.column + 1,
                                   f"YAML alias '*{first.anchor}' is not allowed{more}: write the value out in full"))
        return None
    try:
        node = yaml.compose(front, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(diag.error(path, line, column, f"invalid YAML: {what}"))
        return None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        problems.append(diag.error(path, 2, 1, f"invalid YAML: {exc}"))
        return None
    if node is None:
        problems.append(diag.error(path, 2, 1, "front matter is empty: 'title' and 'date' are required"))
        return None
    if not isinstance(node, yaml.MappingNode):
        _, line, column = _where(node)
        problems.append(diag.error(path, line, column, "front matter must be a mapping of 'key: value' lines"))
        return None
    return node


def _where(node) -> tuple[None, int, int]:
    return None, node.start_mark.line + 2, node.start_mark.column + 1


class Fields:
    """Reads typed values out of YAML nodes, recording a diagnostic for each problem."""

    def __init__(self, path: str, problems: list):
        self.path = path
        self.problems = problems

    def fail(self, node, message: str):
        _, line, column = _where(node)
        self.problems.append(diag.error(self.path, line, column, message))
        raise FrontMatterError(message)

    def warn(self, node, message: str):
        _, line, column = _where(node)
        self.problems.append(diag.warning(self.path, line, column, message))

    def mapping(self, node, allowed, what: str) -> dict:
        """{key: (key node, value node)}; unknown and repeated keys are errors."""
        self.check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value)")
        found = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self._record(key_node, f"{what}: keys must be plain words")
                continue
            key = key_node.value
            if key in found:
                first = found[key][0].start_mark.line + 2
                self._record(key_node, f"duplicate key '{key}' (first given on line {first})")
                continue
            if key not in allowed:
                hint = did_you_mean(key, allowed, cutoff=0.6) or (
                    f" (known keys: {', '.join(allowed)})")
                self._record(key_node, f"unknown key '{key}'{hint}")
                continue
            found[key] = (key_node, value_node)
        return found

    def _record(self, node, message: str):
        _, line, column = _where(node)
        self.problems.append(diag.error(self.path, line, column, message))

    def check_tag(self, node):
        if isinstance(node, yaml.ScalarNode):
            ok = node.tag in _SCALAR_TAGS
        elif isinstance(node, yaml.SequenceNode):
            ok = node.tag == _TAG + "seq"
        else:
            ok = node.tag == _TAG + "map"
        if not ok:
            self.fail(node, f"YAML tag '{node.tag.replace(_TAG, '!!')}' is not allowed here")

    def is_null(self, node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == _NULL

    def text(self, node, what: str, *, required: bool = True) -> str | None:
        if self.is_null(node):
            if required:
                self.fail(node, f"'{what}' is empty")
            return None
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"'{what}' must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}")
        value = " ".join(node.value.split())
        if not value and required:
            self.fail(node, f"'{what}' is empty")
        return value

    def long_text(self, node, what: str) -> str | None:
        if self.is_null(node):
            return None
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"'{what}' must be text")
        return node.value.strip()

    def name(self, node, what: str) -> NameRef:
        value = self.text(node, what)
        _, line, column = _where(node)
        return NameRef(value, line, column)

    def names(self, node, what: str) -> tuple[NameRef, ...]:
        """A list of names; a single name is a list of one."""
        if self.is_null(node):
            return ()
        self.check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return (self.name(node, what),)
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{what}' must be a list of names")
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                self._record(item, f"each item of '{what}' must be a name")
                continue
            try:
                out.append(self.name(item, what))
            except FrontMatterError:
                pass
        return tuple(out)

    def items(self, node, what: str) -> list:
        """The item nodes of a list (a single mapping is a list of one)."""
        if self.is_null(node):
            return []
        self.check_tag(node)
        if isinstance(node, yaml.MappingNode):
            return [node]
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{what}' must be a list")
        return list(node.value)

    def short_or_mapping(self, node, what: str, keys, mapping_name: str, required: str, missing: str):
        """Items of a list that are each a plain value (yields (item, None)) or a mapping
        that must have `required` (yields (item, {key: (key node, value node)}))."""
        for item in self.attempt(self.items, node, what, default=[]):
            if isinstance(item, yaml.ScalarNode):
                yield item, None
                continue
            try:
                found = self.mapping(item, keys, mapping_name)
            except FrontMatterError:
                continue
            if required not in found:
                self._record(item, missing)
                continue
            yield item, found

    def datetime(self, node, what: str) -> tuple[dt.datetime, bool]:
        value = self.text(node, what)
        try:
            return parse_datetime(value), any(c in value for c in "T: ")
        except DateError as exc:
            self.fail(node, f"'{what}': {exc}")

    def boolean(self, node, what: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _TAG + "bool":
            self.fail(node, f"'{what}' must be true or false")
        return node.value.lower() in ("true", "yes", "on", "y")

    def partial_date(self, node, what: str):
        value = self.text(node, what)
        try:
            return parse_partial_date(value)
        except DateError as exc:
            self.fail(node, f"'{what}': {exc}")

    def attempt(self, read, *args, default=None):
        """Run one reader; on a problem (already recorded) give `default` and go on."""
        try:
            return read(*args)
        except FrontMatterError:
            return default


def parse_entry(path: str, raw: bytes) -> tuple[EntryDraft | None, list]:
    """Check one entry file: (draft, diagnostics); the draft is None on any error."""
    problems: list = []
    text = decode(path, raw, problems)
    parts = split(path, text, problems) if text is not None else None
    root = compose(path, parts[0], problems) if parts else None
    if root is None:
        return None, problems
    front, body, body_line = parts
    f = Fields(path, problems)
    try:
        found = f.mapping(root, ENTRY_KEYS, "front matter")
    except FrontMatterError:
        return None, problems
    for required in ("title", "date"):
        if required not in found:
            problems.append(diag.error(path, 1, 1, f"missing required key '{required}'"))

    def value(key):
        return found[key][1] if key in found else None

    title = f.attempt(f.text, value("title"), "title") if "title" in found else None
    published, has_time = f.attempt(f.datetime, value("date"), "date", default=(None, False)) if "date" in found else (None, False)
    summary = f.attempt(f.long_text, value("summary"), "summary") if "summary" in found else None
    if summary is not None:
        summary = " ".join(summary.split())
    countries = f.attempt(f.names, value("countries"), "countries", default=()) if "countries" in found else ()
    issues = f.attempt(f.names, value("issues"), "issues", default=()) if "issues" in found else ()
    officials = tuple(_officials(f, value("officials"))) if "officials" in found else ()
    events = tuple(_events(f, value("events"))) if "events" in found else ()
    sources = _sources(f, found)
    slug = None
    if "slug" in found:
        slug = f.attempt(f.text, value("slug"), "slug")
        if slug is not None and not is_slug(slug):
            f.attempt(f.fail, value("slug"), f"slug '{slug}' must be lowercase letters, digits and single hyphens (e.g. 'india-china-talks'), at most {MAX_SLUG_LENGTH} characters")
            slug = None
    status = "published"
    if "status" in found:
        status = f.attempt(f.text, value("status"), "status")
        if status not in STATUSES:
            f.attempt(f.fail, value("status"), f"status '{status}' must be 'published' or 'draft'{did_you_mean(str(status), STATUSES)}")
    if diag.has_errors(problems):
        return None, problems
    line_of = lambda key: found[key][0].start_mark.line + 2 if key in found else 1  # noqa: E731
    return EntryDraft(
        path=path, title=title, published=published, has_time=has_time, summary=summary,
        countries=countries, officials=officials, issues=issues, events=events,
        sources=sources, slug=slug, status=status, body=body, body_line=body_line,
        date_line=line_of("date"), slug_line=line_of("slug"), title_line=line_of("title"),
        source_hash=hashlib.sha1(raw).hexdigest(), default_slug=slugify(title),
    ), problems


def _officials(f: Fields, node):
    for item, found in f.short_or_mapping(node, "officials", OFFICIAL_KEYS, "an official",
                                          "name", "an official given as a mapping needs 'name'"):
        if found is None:
            name = f.attempt(f.name, item, "officials")
            if name:
                yield OfficialRef(name)
            continue
        name = f.attempt(f.name, found["name"][1], "name")
        country = f.attempt(f.name, found["country"][1], "country") if "country" in found else None
        role = f.attempt(f.text, found["role"][1], "role") if "role" in found else None
        if name:
            yield OfficialRef(name, country, role)


def _events(f: Fields, node):
    for item in f.attempt(f.items, node, "events", default=[]):
        try:
            found = f.mapping(item, EVENT_KEYS, "an event")
        except FrontMatterError:
            continue
        missing = [k for k in ("date", "what") if k not in found]
        if missing:
            f._record(item, f"an event needs {' and '.join(repr(k) for k in missing)}")
            continue
        date = f.attempt(f.partial_date, found["date"][1], "date")
        what = f.attempt(f.text, found["what"][1], "what")
        issues = f.attempt(f.names, found["issues"][1], "issues") if "issues" in found else None
        countries = f.attempt(f.names, found["countries"][1], "countries") if "countries" in found else None
        if date and what:
            _, line, column = _where(item)
            yield EventDraft(date, what, issues, countries, line, column)


def _sources(f: Fields, found) -> tuple[Source, ...]:
    if "source" in found and "sources" in found:
        f._record(found["sources"][0], "give either 'source' or 'sources', not both")
        return ()
    key = "source" if "source" in found else "sources" if "sources" in found else None
    if key is None:
        return ()
    out = []
    for item in f.attempt(f.items, found[key][1], key, default=[]):
        try:
            parts = f.mapping(item, SOURCE_KEYS, "a source")
        except FrontMatterError:
            continue
        if "url" not in parts:
            f._record(item, "a source needs 'url' (and a 'name')")
            continue
        url = f.attempt(f.text, parts["url"][1], "url")
        name = f.attempt(f.text, parts["name"][1], "name") if "name" in parts else None
        if url is None:
            continue
        if _CONTROL.search(url):
            f._record(parts["url"][1], f"source url '{url}' contains spaces or control characters")
            continue
        source = Source(name or url, url)
        if not source.is_web:
            f.warn(parts["url"][1], f"source url '{url}' is not http(s): it is shown as text, not linked")
        out.append(source)
    return tuple(out)


def parse_profile(path: str, raw: bytes, kind: Kind) -> tuple[Profile | None, list]:
    """Check one profile file (content/<kind folder>/<slug>.md)."""
    problems: list = []
    text = decode(path, raw, problems)
    parts = split(path, text, problems) if text is not None else None
    root = compose(path, parts[0], problems) if parts else None
    if root is None:
        return None, problems
    _, body, body_line = parts
    f = Fields(path, problems)
    try:
        found = f.mapping(root, PROFILE_KEYS[kind.name], f"a {kind.name} profile")
    except FrontMatterError:
        return None, problems
    if "name" not in found:
        problems.append(diag.error(path, 2, 1, "missing required key 'name'"))
        return None, problems
    name = f.attempt(f.name, found["name"][1], "name")
    aliases = f.attempt(f.names, found["aliases"][1], "aliases", default=()) if "aliases" in found else ()
    country = iso2 = wikidata = None
    roles = ()
    if kind is OFFICIAL and "country" in found:
        country = f.attempt(f.name, found["country"][1], "country")
    if kind is COUNTRY and "iso2" in found:
        iso2 = f.attempt(f.name, found["iso2"][1], "iso2")
    if kind is COUNTRY and "wikidata" in found:
        wikidata = f.attempt(f.text, found["wikidata"][1], "wikidata")
        if wikidata and not (wikidata[0] == "Q" and wikidata[1:].isdigit()):
            f.attempt(f.fail, found["wikidata"][1], f"wikidata '{wikidata}' must be an item id such as Q668")
    bloc = False
    if kind is COUNTRY and "bloc" in found:
        bloc = f.attempt(f.boolean, found["bloc"][1], "bloc", default=False)
    if kind is OFFICIAL and "roles" in found:
        roles = tuple(_roles(f, found["roles"][1]))
    if diag.has_errors(problems):
        return None, problems
    return Profile(
        path=path, kind=kind, name=name, aliases=aliases, country=country, iso2=iso2,
        wikidata=wikidata, bloc=bloc, roles=roles, body=body, body_line=body_line,
    ), problems


def _roles(f: Fields, node):
    for item, found in f.short_or_mapping(node, "roles", ROLE_KEYS, "a role", "title", "a role needs 'title'"):
        if found is None:
            title = f.attempt(f.text, item, "roles")
            if title:
                yield Role(title)
            continue
        title = f.attempt(f.text, found["title"][1], "title")
        start = f.attempt(f.partial_date, found["from"][1], "from") if "from" in found else None
        end = f.attempt(f.partial_date, found["to"][1], "to") if "to" in found else None
        if start and end and end < start:
            f.attempt(f.fail, found["to"][1], f"role '{title}' ends ({end.iso()}) before it starts ({start.iso()})")
        if title:
            yield Role(title, start, end)


def profile_kind(folder: str) -> Kind | None:
    for kind in KIND_BY_NAME.values():
        if kind.folder == folder:
            return kind
    return None
