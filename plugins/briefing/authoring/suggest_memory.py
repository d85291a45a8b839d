"""What `briefing suggest --write` added to each file, so that a suggestion the editor has
since deleted is not put back: it becomes a `# suggest: no <item>` line instead.

Kept in the build's cache folder (`cache/briefing/suggested.json`), on the editor's machine:
the rejection lines it leads to are in the file, so they travel with it; the memory itself
only has to last from one run of `suggest --write` to the next.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ..safety import write_atomically

log = logging.getLogger(__name__)
FILE_NAME = "suggested.json"


def item_label(item) -> str:
    """A name, a new official's name, or an event's date: how an addition is remembered."""
    if isinstance(item, dict):
        return str(item.get("name") or item.get("date"))
    return str(item)


class SuggestMemory:
    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE_NAME
        self.added: dict[str, list[str]] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.added = {k: [str(v) for v in vs] for k, vs in loaded.items() if isinstance(vs, list)}
        except (OSError, ValueError):
            pass  # no memory yet, or a damaged one: nothing was added before, as far as we know

    def added_before(self, file: str) -> list[str]:
        return list(self.added.get(file, ()))

    def remember(self, file: str, labels: list[str]):
        self.added[file] = sorted(set(labels))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(self.added, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as exc:  # the file is written; only the memory of it is lost
            log.warning("could not keep %s: %s", self.path, exc)
