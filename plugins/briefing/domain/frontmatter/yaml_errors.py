"""YAML syntax errors in the words of the mistake that causes them, with the fix.

libyaml says "mapping values are not allowed in this context" for `title: EU and US: a deal`
and "found character that cannot start any token" for a tab; an editor needs to hear "a
': ' inside a value: put the value in double quotes". Each message names the usual cause
and the fix, at the place the mistake is (an unclosed quote: where it opens).
"""

from __future__ import annotations

import json
import re

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):[ \t]+(.*?)\s*$")
_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?=[^\s])")


def _line(front: str, number: int) -> str:
    lines = front.split("\n")
    return lines[number] if 0 <= number < len(lines) else ""


def _quoted(line: str) -> str:
    """`key: "the value"` for a line `key: the value` (the fix to show the editor)."""
    match = _KEY_LINE.match(line)
    if not match:
        return json.dumps(line.strip(), ensure_ascii=False)
    return f"{match.group(2).strip()}: {json.dumps(match.group(3), ensure_ascii=False)}"


def _glued_key(exc, front: str) -> re.Match | None:
    """`title:Talks` on the line above the error: a key without a space after its colon."""
    mark = exc.problem_mark
    if mark is None or "mapping values are not allowed" not in (exc.problem or ""):
        return None
    if ": " in _line(front, mark.line)[: mark.column]:
        return None
    return _KEY_WITHOUT_SPACE.match(_line(front, mark.line - 1))


def yaml_error_mark(exc, front: str) -> tuple[int, int] | None:
    """(0-based line, column) in the front matter where the mistake is."""
    problem, context = exc.problem or "", exc.context or ""
    opener = "end of stream" in problem and "quoted scalar" in context
    if (opener or "did not find expected ','" in problem) and exc.context_mark is not None:
        return exc.context_mark.line, exc.context_mark.column
    glued = _glued_key(exc, front)
    if glued:
        return exc.problem_mark.line - 1, glued.end() - 1
    mark = exc.problem_mark or exc.context_mark
    return (mark.line, mark.column) if mark is not None else None


def yaml_error_message(exc, front: str) -> str:
    """'invalid YAML: <the usual cause>: <the fix>' for a libyaml or PyYAML error."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    line = _line(front, mark.line) if mark is not None else ""
    if "tab" in problem or (mark is not None and line[mark.column : mark.column + 1] == "\t"):
        return "invalid YAML: a tab character: indent with spaces, never tabs"
    if "cannot start any token" in problem and mark is not None:
        character = line[mark.column : mark.column + 1]
        fix = _quoted(line)
        return f"invalid YAML: a value cannot start with '{character}': put the value in double quotes: {fix}"
    if "mapping values are not allowed" in problem and mark is not None:
        if ": " in line[: mark.column]:
            fix = _quoted(line)
            return f"invalid YAML: a ': ' inside a value: put the value in double quotes: {fix}"
        if _glued_key(exc, front):
            return "invalid YAML: a key needs a space after its colon (title: A, not title:A)"
        return "invalid YAML: this line is indented more than the key above it: line up the keys"
    if "end of stream" in problem and "quoted scalar" in context:
        return "invalid YAML: a quote opened here is never closed: end the value with the same quote mark"
    if "did not find expected ','" in problem:
        opened, closing = ("[", "]") if "]" in problem else ("{", "}")
        return (
            f"invalid YAML: a '{opened}' opened here is not closed: end it with '{closing}', "
            f"and put a value holding ',' or ': ' in double quotes"
        )
    if "did not find expected key" in problem and re.search(r"""^\s*[^:#]+:\s*(["']).*?\1\s*\S""", line):
        return "invalid YAML: text after a closing quote: put the whole value in quotes, or none of it"
    if "did not find expected" in problem or "expected <block end>" in problem:
        return (
            "invalid YAML: this line does not line up with the lines above: "
            "indent it like the others of its list or mapping"
        )
    return (
        f"invalid YAML: {problem or context or type(exc).__name__}; look for a ': ' or '#' inside a value "
        f"(put it in double quotes), a missing ']' or '}}', or uneven indentation"
    )
