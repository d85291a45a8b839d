"""Typed reading of YAML nodes: each reader records a located diagnostic for each problem."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import NoReturn

import yaml

from .. import diagnostics as diag
from ..dates import DateError, parse_datetime, parse_partial_date
from ..limits import MAX_NAMES_PER_LIST
from ..model import NameRef
from ..names import did_you_mean
from .source import read_front_matter

TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL = TAG + "null"
_TEXT_TAGS = _SCALAR_TAGS - {_NULL}
_LIST_WORDS = {  # what a list holds: (in "must be a list ...", in "... at most N")
    "names": (" of names", "lists {n:,} names; a list holds"),
    "items": ("", "has {n:,} items; it may have"),
}


def comma_in_braces(words: str, before: tuple[str, str] | None) -> str:
    """The message for `{name: X, role: Spokesperson, Ministry of External Affairs}`: YAML ends
    the value at the comma and reads the rest as a key of its own."""
    fix = f'{before[0]}: "{before[1]}, {words}"' if before else f'"..., {words}"'
    return f"'{words}' is read as a key: a comma inside {{ }} ends a value; put the value in double quotes: {fix}"


class FrontMatterError(Exception):
    """Raised inside the readers to stop at a problem already recorded."""


def where(node) -> tuple[int, int]:
    """1-based (line, column) of a node in the file (front matter starts on line 2)."""
    return node.start_mark.line + 2, node.start_mark.column + 1


class Fields:
    """Reads typed values out of YAML nodes, recording a diagnostic for each problem."""

    def __init__(self, path: str, problems: list):
        self.path = path
        self.problems = problems

    def fail(self, node, message: str) -> NoReturn:
        line, column = where(node)
        self.problems.append(diag.error(self.path, line, column, message))
        raise FrontMatterError(message)

    def warn(self, node, message: str):
        line, column = where(node)
        self.problems.append(diag.warning(self.path, line, column, message))

    def mapping(self, node, allowed, what: str) -> dict:
        """{key: (key node, value node)}; unknown and repeated keys are errors. A misspelt key
        (`summery`) is an error, and its value is still read as the key it is so like, if that
        key is not given too: the file fails either way, but a country or official given under
        it still counts, so no other file gets a false error (issue 18, item 2)."""
        self.check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value)")
        found: dict[str, tuple] = {}
        meant: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == TAG + "merge":
                self._record(key_node, f"{what}: keys must be plain words")
                continue
            key = key_node.value
            if key in found:
                first = found[key][0].start_mark.line + 2
                self._record(key_node, f"duplicate key '{key}' (first given on line {first})")
                continue
            if key not in allowed:
                self._unknown_key(key_node, value_node, node, allowed, meant)
                continue
            found[key] = (key_node, value_node)
        for key, pair in meant.items():
            found.setdefault(key, pair)
        return found

    def _unknown_key(self, key_node, value_node, mapping_node, allowed, meant: dict):
        key = key_node.value
        if self.is_null(value_node) and mapping_node.flow_style and (" " in key.strip() or "," in key):
            before = self._previous_key(mapping_node, key_node)
            self._record(key_node, comma_in_braces(key, before))
            return
        hint = did_you_mean(key, allowed, cutoff=0.6)
        known = ", ".join(allowed)
        self._record(key_node, f"unknown key '{key}'{hint or f' (known keys: {known})'}")
        if hint:
            meant.setdefault(hint.split("'")[1], (key_node, value_node))

    @staticmethod
    def _previous_key(mapping_node, key_node) -> tuple[str, str] | None:
        """(key, value) of the pair before `key_node`, when both are plain text."""
        pairs = mapping_node.value
        index = next(i for i, (k, _) in enumerate(pairs) if k is key_node)
        if index == 0:
            return None
        key, value = pairs[index - 1]
        plain = isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
        return (key.value, value.value) if plain else None

    def _record(self, node, message: str):
        line, column = where(node)
        self.problems.append(diag.error(self.path, line, column, message))

    def check_tag(self, node):
        if isinstance(node, yaml.ScalarNode):
            ok = node.tag in _SCALAR_TAGS
        elif isinstance(node, yaml.SequenceNode):
            ok = node.tag == TAG + "seq"
        else:
            ok = node.tag == TAG + "map"
        if not ok:
            self.fail(node, f"YAML tag '{node.tag.replace(TAG, '!!')}' is not allowed here")

    def is_null(self, node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == _NULL

    def text(self, node, what: str) -> str:
        if type(node) is yaml.ScalarNode and node.tag in _TEXT_TAGS:  # the usual case, as below
            value = " ".join(node.value.split())
            if value:
                return value
        if self.is_null(node):
            self.fail(node, f"'{what}' is empty")
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            self.fail(
                node, f"'{what}' must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}"
            )
        value = " ".join(node.value.split())
        if not value:
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
        line, column = where(node)
        return NameRef(value, line, column)

    def _list(self, node, what: str, single: type, limit: int, noun: str) -> list:
        """The item nodes of a list, at most `limit`; a `single` node is a list of one."""
        if self.is_null(node):
            return []
        self.check_tag(node)
        if isinstance(node, single):
            return [node]
        kind_of_list, too_many = _LIST_WORDS[noun]
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{what}' must be a list{kind_of_list}")
        if len(node.value) > limit:
            counted = too_many.format(n=len(node.value))
            self.fail(node, f"'{what}' {counted} at most {limit}: keep the main ones, or split the entry")
        return list(node.value)

    def names(self, node, what: str) -> tuple[NameRef, ...]:
        """A list of names; a single name is a list of one."""
        out = []
        for item in self._list(node, what, yaml.ScalarNode, MAX_NAMES_PER_LIST, "names"):
            if not isinstance(item, yaml.ScalarNode):
                self._record(item, f"each item of '{what}' must be a name")
                continue
            with contextlib.suppress(FrontMatterError):
                out.append(self.name(item, what))
        return tuple(out)

    def items(self, node, what: str, limit: int = MAX_NAMES_PER_LIST) -> list:
        """The item nodes of a list (a single mapping is a list of one), at most `limit`."""
        return self._list(node, what, yaml.MappingNode, limit, "items")

    def mappings(self, node, what: str, limit: int, keys, noun: str):
        """(item node, {key: (key node, value node)}) of each item of a list of mappings (events,
        statements, status items); an item that is no mapping is recorded and skipped."""
        for item in self.attempt(self.items, node, what, limit, default=[]):
            try:
                yield item, self.mapping(item, keys, noun)
            except FrontMatterError:
                continue

    def has_keys(self, item, found: dict, required, noun: str) -> bool:
        """Whether a mapping item gives every required key; the missing ones recorded."""
        missing = [k for k in required if k not in found]
        if missing:
            self._record(item, f"{noun} needs {' and '.join(repr(k) for k in missing)}")
        return not missing

    def short_or_mapping(self, node, what: str, keys, mapping_name: str, required: str, missing: str, short, read):
        """The items of a list that are each a plain value, read by `short`, or a mapping that
        must have `required` (else the error `missing`), read by `read(fields, {key: (key node,
        value node)})`; items with a problem (already recorded) are left out."""
        for item in self.attempt(self.items, node, what, default=[]):
            if isinstance(item, yaml.ScalarNode):
                value = self.attempt(short, item, what)
                if value:
                    yield value
                continue
            try:
                found = self.mapping(item, keys, mapping_name)
            except FrontMatterError:
                continue
            if required not in found:
                self._record(item, missing)
                continue
            value = read(self, found)
            if value is not None:
                yield value

    def datetime(self, node, what: str) -> tuple[dt.datetime, bool]:
        value = self.text(node, what)
        try:
            return parse_datetime(value), any(c in value for c in "T: ")
        except DateError as exc:
            self.fail(node, f"'{what}': {exc}")

    def boolean(self, node, what: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != TAG + "bool":
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


def open_front_matter(path: str, raw: bytes, keys, what: str, problems: list, front_only: bool = False):
    """(Fields, {key: (key node, value node)}, body, body line) of a content file whose front
    matter is a mapping of `keys`, or None with the problems recorded (`front_only`: see
    read_front_matter)."""
    parts = read_front_matter(path, raw, problems, front_only)
    if parts is None:
        return None
    root, body, body_line = parts
    fields = Fields(path, problems)
    try:
        return fields, fields.mapping(root, keys, what), body, body_line
    except FrontMatterError:
        return None
