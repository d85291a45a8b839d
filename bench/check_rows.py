"""The `briefing check` rows: with its cache warm (the pre-commit hook), and cold.

A check answers first and leaves processes behind that write its cache (check_store.py: they
hold the cache's lock until they are done; after a cold check at 100,000 entries, about 4 s).
Each timed check here starts once they are done, as a check a few seconds after another
would: otherwise the first warm row measured the wait for the cold check's writers (3.8 of
5.67 s at 100,000 entries, bench/RESULTS.md), and a cold run shared the cores with the writers
of the run before it."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from measuring import PY, change_countries, measure, median, touch_body

CHECK = [PY, "-m", "briefing", "check", "content"]
WRITERS_LOCK = Path("cache") / "briefing" / "check-writing.lock"  # check_store.WRITING in cache_folder()


def after_check_writers(site: Path):
    """Return once no process of an earlier check holds the lock of `site`'s check cache."""
    try:
        lock = os.open(site / WRITERS_LOCK, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
    finally:
        os.close(lock)


def timed_check(site: Path) -> dict:
    after_check_writers(site)
    return measure(CHECK, site)


def bench_check(site: Path, entries: list[Path], repeat: int) -> dict:
    """`briefing check` with its cache warm (the pre-commit hook): nothing changed, one body
    edited, one entry's front matter changed (each edit a new one, so no run replays)."""
    n = len(entries)
    moved = entries[n // 3 + n // 10]  # not the entry the rebuild rows changed: each first edit is a change
    timed_check(site)  # the check keeps its own cache: the first run after a build fills it
    edits = {
        "briefing check": lambda i: None,
        "briefing check, one body edited": lambda i: touch_body(entries[n // 2], f"Checked {i}."),
        "briefing check, one entry's front matter changed": lambda i: change_countries(moved, i + 1),
    }
    rows = {}
    for label, edit in edits.items():
        runs = []
        for i in range(repeat):
            edit(i)
            runs.append(timed_check(site))
        rows[label] = {**median(runs), "pages": 0}
    return rows


def check_cold_row(site: Path, repeat: int) -> dict:
    """`briefing check` with no cache, each run once the one before has written its own."""
    runs = []
    for _ in range(repeat):
        after_check_writers(site)
        shutil.rmtree(site / "cache", ignore_errors=True)
        runs.append(measure(CHECK, site))
    return {"briefing check, cold": {**median(runs), "pages": 0}}
