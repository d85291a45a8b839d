"""Diagnostics: one problem at one place, printed gcc style so editors and tools can jump to it."""

from __future__ import annotations

import json
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # an explanation (`briefing check --explain`), never a problem


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in a content file; line and column are 1-based."""

    path: str
    line: int
    column: int
    severity: str
    message: str

    def gcc(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def github(self) -> str:
        level = {ERROR: "error", WARNING: "warning"}.get(self.severity, "notice")
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line},col={self.column}::{message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


# Messages quote what editors wrote, and paths are theirs: control characters are shown
# escaped, so a newline or a terminal escape cannot split a report line or fake a diagnostic.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(32), 127, *range(0x80, 0xA0))}
_ESCAPES.update({9: "\\t", 10: "\\n", 13: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def error(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path.translate(_ESCAPES), line, column, ERROR, message.translate(_ESCAPES))


def warning(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path.translate(_ESCAPES), line, column, WARNING, message.translate(_ESCAPES))


def note(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path.translate(_ESCAPES), line, column, NOTE, message.translate(_ESCAPES))


def has_errors(diagnostics) -> bool:
    return any(d.severity == ERROR for d in diagnostics)


def format_report(diagnostics, *, github: bool = False, as_json: bool = False) -> str:
    """All diagnostics, sorted and deduplicated, as the text a terminal or a tool reads."""
    ordered = sorted(set(diagnostics))
    if as_json:
        return json.dumps([d.as_dict() for d in ordered], ensure_ascii=False, indent=1)
    lines = [d.gcc() for d in ordered]
    if github:
        lines += [d.github() for d in ordered]
    return "\n".join(lines)
