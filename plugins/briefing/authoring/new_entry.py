"""A new entry file: where it goes and the complete front matter it starts with.

Every key is written out (empty ones with a comment saying what goes there), so an
editor fills in a form rather than remembering the schema; the file passes the check
as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .yaml_text import flow_list, scalar

BODY_PROMPT = "<!-- Write the entry below this line (this note is never shown). Then run: briefing suggest {path} -->"


@dataclass(frozen=True)
class NewEntry:
    """What `briefing new` was asked for, with names already canonical."""

    title: str
    date: dt.date
    slug: str
    countries: tuple[str, ...] = ()
    officials: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    slug_given: bool = False  # --slug: written as `slug:`, so the page has the address the file is named by

    def path(self, content_dir: Path) -> Path:
        """content/briefings/<YYYY>/<slug>.md"""
        return Path(content_dir) / "briefings" / f"{self.date.year:04d}" / f"{self.slug}.md"

    def text(self, shown_path: str) -> str:
        lines = [
            "---",
            f"title: {scalar(self.title)}",
            f"date: {self.date.isoformat()}",
            "summary:    # optional: one or two sentences; by default, the body's first paragraph",
            f"countries: {flow_list(self.countries)}",
            f"officials: {flow_list(self.officials)}",
            f"issues: {flow_list(self.issues)}",
            "events:     # dated facts the entry reports, one item each:",
            "#  - date: 2025-04-04            # YYYY, YYYY-MM or YYYY-MM-DD",
            "#    what: What happened, in one sentence",
            'source:     # {name: Ministry of External Affairs, url: "https://www.mea.gov.in/"}',
            *([f"slug: {self.slug}"] if self.slug_given else []),
            "status: published    # or draft: previewed locally, never published",
            "---",
            "",
            BODY_PROMPT.format(path=shown_path),
            "",
        ]
        return "\n".join(lines)
