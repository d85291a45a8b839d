"""Diagnostics: one problem at one place, printed gcc style so editors and tools can jump to it."""

from __future__ import annotations

import json
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


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
        level = "error" if self.severity == ERROR else "warning"
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


def error(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, ERROR, message)


def warning(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, WARNING, message)


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
