"""What every bench row is made of: one command timed (wall, CPU, peak RSS, by measure.py in
a process of its own), the median of runs, the build command, and the edits the rows make."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PY = sys.executable


def measure(command: list[str], cwd: Path, env: dict | None = None, expect: int = 0) -> dict:
    """Wall, CPU and peak RSS of one command, which must exit with status `expect`."""
    result = subprocess.run(
        [sys.executable, str(BENCH / "measure.py"), *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    data = json.loads(result.stdout)
    if data["returncode"] != expect:
        raise SystemExit(f"benchmark command failed ({data['returncode']}): {' '.join(command)}\n{data['stderr']}")
    return data


def median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "rss_mib")}


def pelican_build(python) -> list[str]:
    """The build command, run in the site's folder (ours or vanilla Pelican's Python)."""
    return [str(python), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"]


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def touch_body(path: Path, mark: str):
    path.write_text(path.read_text(encoding="utf-8") + f"\n{mark}\n", encoding="utf-8")


def change_countries(path: Path, flip: int):
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    extra = '\n  - "Iceland"' if flip % 2 else ""
    lines = head.split("\n")
    at = lines.index(next(line for line in lines if line.startswith("countries:")))
    lines = [line for line in lines if line != '  - "Iceland"']
    if extra:
        lines.insert(at + 1, '  - "Iceland"')
    path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")
