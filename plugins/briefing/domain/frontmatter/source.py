"""Source of a content file: bytes to text, text to front matter and body, front matter to
YAML nodes. YAML is composed to nodes (never constructed into Python objects), so no tag can
run code, aliases are never expanded, and every value keeps the line and column where the
editor wrote it."""

from __future__ import annotations

import re
import unicodedata

import yaml

from .. import diagnostics as diag
from ..limits import MAX_FILE_BYTES, MAX_FRONT_MATTER_CHARS, MAX_NESTING
from .yaml_errors import yaml_error_mark, yaml_error_message

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader where PyYAML has it: 9x faster
_PLAIN_TAGS: dict[str, str] = {}  # a plain scalar's implicit tag, by its text (dates and list items repeat)


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader, less its resolver's per-node overhead (a fifth of composing):
    no path resolver is registered, so descending and ascending do nothing, and a plain
    scalar's tag depends on its text alone, so it is looked up once per text."""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG
        if not implicit[0]:  # quoted: a string
            return self.DEFAULT_SCALAR_TAG
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) >= 10_000:
                _PLAIN_TAGS.clear()
            _PLAIN_TAGS[value] = tag
        return tag


NO_FRONT_MATTER, NOT_CLOSED = "no front matter", "not closed"

# What no page or feed can carry (XML 1.0 forbids C0 controls but tab and newline; HTML forbids
# C1 and DEL) and what YAML reads as a line break (U+0085, U+2028, U+2029: they would shift
# every later line number) or refuses (U+FFFE, U+FFFF). CR is already a newline here.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_BODY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _line_column(text: str, index: int, first_line: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + first_line, index - start + 1


_UNICODE_NAME = unicodedata.name


def _character(ch: str) -> str:
    """'control character U+0001', 'invisible character U+2028 (LINE SEPARATOR)'."""
    if unicodedata.category(ch) == "Cc":
        return f"control character U+{ord(ch):04X}"
    return f"invisible character U+{ord(ch):04X} ({_UNICODE_NAME(ch, 'NONCHARACTER')})"


def invisible_character(text: str) -> str | None:
    """'control character U+007F' for the first character of `text` that front matter refuses,
    or None: for tools that write front matter (`briefing new`)."""
    found = _CONTROL.search(text)
    return _character(found.group()) if found else None


def _more(count: int) -> str:
    return f" (and {count - 1} more)" if count > 1 else ""


def control_characters(path: str, front: str, problems: list) -> bool:
    """An error at the first control character of the front matter (YAML's own message has no
    line and miscounts U+2028); True if there was one."""
    found = _CONTROL.search(front)
    if found is None:
        return False
    count = len(_CONTROL.findall(front))
    line, column = _line_column(front, found.start(), 2)
    problems.append(
        diag.error(
            path,
            line,
            column,
            f"{_character(found.group())} in the front matter{_more(count)}: delete it "
            "(it cannot appear in a page or feed; an invisible one came with pasted text)",
        )
    )
    return True


def clean_body(path: str, body: str, body_line: int, problems: list) -> str:
    """The body without control characters (a warning at the first): pages and feeds cannot carry them."""
    found = _BODY_CONTROL.search(body)
    if found is None:
        return body
    count = len(_BODY_CONTROL.findall(body))
    line, column = _line_column(body, found.start(), body_line)
    problems.append(
        diag.warning(
            path,
            line,
            column,
            f"{_character(found.group())} in the text{_more(count)} is left out of the page: delete it",
        )
    )
    return _BODY_CONTROL.sub("", body)


def _error_at(path: str, node, message: str):
    """An error where a YAML node (or event) starts, on the file's lines (the YAML starts on line 2)."""
    return diag.error(path, node.start_mark.line + 2, node.start_mark.column + 1, message)


def _escaped_controls(path: str, root, problems: list):
    """Control characters written as escapes ("\\x01", "\\0") inside double-quoted values."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            found = _CONTROL.search(node.value) if node.style == '"' else None
            if found:
                message = f"{_character(found.group())} (written as an escape) in a quoted key or value: delete it"
                problems.append(_error_at(path, node, message))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def decode(path: str, raw: bytes, problems: list) -> str | None:
    """UTF-8 text with LF line ends and no BOM, or None (with a diagnostic)."""
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            diag.error(
                path,
                1,
                1,
                f"file is {len(raw):,} bytes; a content file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            )
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        problems.append(
            diag.error(path, line, column, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(diag.error(path, line, 1, "the file contains a NUL character"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def front_matter_span(text: str) -> tuple[int, int, int] | str:
    """Where the front matter of LF text is: (offset of its YAML, offset of the closing '---'
    or '...' line, offset of the body), or NO_FRONT_MATTER or NOT_CLOSED."""
    first_end = text.find("\n") + 1 or len(text)
    if text[:first_end].rstrip() != "---":
        return NO_FRONT_MATTER
    offset = first_end
    while offset < len(text):
        line_end = text.find("\n", offset) + 1 or len(text)
        if text[offset:line_end].rstrip() in ("---", "..."):
            return first_end, offset, line_end
        offset = line_end
    return NOT_CLOSED


_FENCE_PROBLEMS = {
    NO_FRONT_MATTER: "no front matter: the file must start with a '---' line, then YAML, then '---'",
    NOT_CLOSED: "front matter is not closed: add a '---' line after the YAML",
}


def split(path: str, text: str, problems: list) -> tuple[str, str, int] | None:
    """(front matter, body, 1-based line of the body) or None (with a diagnostic)."""
    if not text.strip():
        problems.append(diag.error(path, 1, 1, "empty file: a content file starts with '---' front matter"))
        return None
    span = front_matter_span(text)
    if isinstance(span, str):
        problems.append(diag.error(path, 1, 1, _FENCE_PROBLEMS[span]))
        return None
    start, end, body = span
    return text[start:end].removesuffix("\n"), text[body:], text.count("\n", 0, end) + 2


_DEEP_BLOCK = re.compile(rf"^[ -]{{{4 * MAX_NESTING}}}", re.MULTILINE)


def nesting_too_deep(front: str) -> bool:
    """Refuse absurd nesting before the YAML parser recurses into it."""
    return _DEEP_BLOCK.search(front) is not None or brackets_too_deep(front)


def brackets_too_deep(front: str) -> bool:
    """Whether brackets or braces nest deeper than MAX_NESTING (quoted or not: the YAML
    parser is not asked)."""
    if front.count("[") + front.count("{") <= MAX_NESTING:
        return False
    depth = 0
    for ch in front:
        if ch in "[{":
            depth += 1
            if depth > MAX_NESTING:  # no need to read further (each reader of a file asks)
                return True
        elif ch in "]}":
            depth = max(0, depth - 1)
    return False


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


def compose(path: str, front: str, problems: list, clean: bool = False):
    """The YAML node tree of the front matter (line numbers relative to the file); `clean`:
    the front matter is known to hold no character _CONTROL refuses (plain_front)."""
    if len(front) > MAX_FRONT_MATTER_CHARS:
        problems.append(diag.error(path, 2, 1, "front matter is too long (over 256 KiB)"))
        return None
    if not clean and control_characters(path, front, problems):
        return None
    if nesting_too_deep(front):
        problems.append(diag.error(path, 2, 1, f"front matter is nested more than {MAX_NESTING} levels deep"))
        return None
    aliases = _aliases(front)
    if aliases:
        first, more = aliases[0], f" (and {len(aliases) - 1} more)" if len(aliases) > 1 else ""
        problems.append(
            _error_at(path, first, f"YAML alias '*{first.anchor}' is not allowed{more}: write the value out in full")
        )
        return None
    try:
        node = yaml.compose(front, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = yaml_error_mark(exc, front)
        line, column = (mark[0] + 2, mark[1] + 1) if mark else (2, 1)
        problems.append(diag.error(path, line, column, yaml_error_message(exc, front)))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: located by its position
        line, column = _line_column(front, max(0, exc.position), 2)
        problems.append(diag.error(path, line, column, f"invalid YAML: character U+{exc.character:04X} is not allowed"))
        return None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        problems.append(diag.error(path, 2, 1, f"invalid YAML: {exc}"))
        return None
    if node is None:
        problems.append(diag.error(path, 2, 1, "front matter is empty: 'title' and 'date' are required"))
        return None
    before = len(problems)
    if "\\" in front:  # escapes need a backslash; raw control characters were refused above
        _escaped_controls(path, node, problems)
    if len(problems) > before:
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            diag.error(
                path,
                node.start_mark.line + 2,
                node.start_mark.column + 1,
                "front matter must be a mapping of 'key: value' lines",
            )
        )
        return None
    return node


_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n" + bytes(range(0x80, 0x100))  # and UTF-8's bytes
# What _CONTROL refuses beyond ASCII, and U+FEFF, in UTF-8: C1 controls, U+2028 and U+2029,
# U+FFFE and U+FFFF, U+FEFF. Each expression starts with a literal, which the regular
# expression engine looks for before it tries a match (one expression of the five, with no
# common first byte, tried a match at every byte: 18 us a file against 2 us).
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_SEPARATOR_UTF8 = re.compile(rb"\xe2\x80[\xa8\xa9]")
_SPECIAL_UTF8 = re.compile(rb"\xef(?:\xbf[\xbe\xbf]|\xbb\xbf)")


def _refused_utf8(raw: bytes) -> bool:
    """Whether valid UTF-8 `raw` holds a character _CONTROL refuses, or U+FEFF."""
    return (
        (b"\xc2" in raw and _C1_UTF8.search(raw) is not None)
        or _SEPARATOR_UTF8.search(raw) is not None
        or (b"\xef" in raw and _SPECIAL_UTF8.search(raw) is not None)
    )


def _closing_fence(raw: bytes) -> int | None:
    """The offset of the line closing the front matter of `raw` (which starts with a '---'
    line): the first line after it that starts '---' or '...', when nothing but spaces and
    tabs follow on it; None when that line has more (str.rstrip might close the front
    matter there, on U+00A0, or further down) or there is none."""
    found = raw.find(b"\n---", 3)
    dots = raw.find(b"\n...", 3, len(raw) if found < 0 else found)
    found = dots if dots >= 0 else found
    if found < 0:
        return None
    start = found + 1
    end = raw.find(b"\n", start)
    if raw[start + 3 : len(raw) if end < 0 else end].strip(b" \t"):
        return None
    return start


def plain_front(raw: bytes) -> tuple[str, int] | None:
    """(front matter, 1-based body line) of a file the exact path would split the same way and
    find nothing wrong with but its YAML: valid UTF-8 without BOM, CR or NUL, a first line
    '---', no control or invisible character _CONTROL refuses anywhere (nor U+FEFF). None for
    any other file: the exact path reads it (the check's fast way, about 50 us an entry less,
    with the same diagnostics: nothing it accepts could have given one before the YAML)."""
    if len(raw) > MAX_FILE_BYTES or not raw.startswith(b"---\n"):
        return None
    if raw.translate(None, _PRINTABLE):  # an ASCII control character, CR or NUL anywhere
        return None
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _refused_utf8(raw):
            return None
    closing = _closing_fence(raw)
    if closing is None:
        return None
    return raw[4:closing].decode("utf-8").removesuffix("\n"), raw.count(b"\n", 0, closing) + 2


def read_front_matter(path: str, raw: bytes, problems: list, front_only: bool = False):
    """(root mapping node, body, 1-based body line), or None with the problems recorded. With
    `front_only` (the check: it reads no body) the body may be given as "" (its warnings are
    still recorded)."""
    plain = plain_front(raw) if front_only else None
    if plain is not None:
        root = compose(path, plain[0], problems, clean=True)
        return None if root is None else (root, "", plain[1])
    text = decode(path, raw, problems)
    parts = split(path, text, problems) if text is not None else None
    if parts is None:
        return None
    front, body, body_line = parts
    root = compose(path, front, problems)
    if root is None:
        return None
    return root, clean_body(path, body, body_line, problems), body_line
