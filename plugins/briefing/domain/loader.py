"""Find, read and parse every content file, in parallel when the site is large."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import diagnostics as diag
from .frontmatter import parse_entry, parse_profile, profile_kind
from .markdown import RenderedBody, render_markdown

PARALLEL_FROM = 300  # below this many files a process pool costs more than it saves


def display_paths(paths: list[Path]) -> list[str]:
    """Paths as editors see them: relative to the working directory when inside it."""
    cwd = os.path.realpath(os.getcwd()) + os.sep
    shown = []
    for path in paths:
        full = os.path.abspath(path)
        if not full.startswith(cwd):
            full = os.path.realpath(path)
        shown.append(full[len(cwd):].replace(os.sep, "/") if full.startswith(cwd) else path.as_posix())
    return shown


def find_content(content_dir: Path) -> tuple[list[Path], list[Path]]:
    """Entry files (briefings/**/*.md) and profile files, each sorted by path."""
    entries = sorted((content_dir / "briefings").rglob("*.md")) if (content_dir / "briefings").is_dir() else []
    profiles = []
    for folder in ("countries", "officials", "issues"):
        if (content_dir / folder).is_dir():
            profiles += sorted((content_dir / folder).glob("*.md"))
    entries = [p for p in entries if not any(part.startswith(".") for part in p.relative_to(content_dir).parts)]
    return entries, profiles


def _read(path: Path, shown: str, problems: list) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.append(diag.error(shown, 1, 1, f"cannot read the file: {exc.strerror}"))
        return None


def _parse_entry_file(item):
    path, shown = item
    problems: list = []
    raw = _read(path, shown, problems)
    if raw is None:
        return None, problems
    return parse_entry(shown, raw)


def _parse_entry_chunk(chunk):
    return [_parse_entry_file(item) for item in chunk]


def worker_count(requested: int, jobs: int) -> int:
    if requested:
        return requested
    if jobs < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(items: list, count: int) -> list[list]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def parse_entries(paths: list[Path], workers: int = 0) -> list:
    """[(EntryDraft | None, diagnostics)] in the order of `paths`."""
    items = list(zip(paths, display_paths(paths)))
    count = worker_count(workers, len(items))
    if count == 1:
        return [_parse_entry_file(item) for item in items]
    with _pool(count) as pool:
        results = pool.map(_parse_entry_chunk, _chunks(items, count * 4))
        return [r for chunk in results for r in chunk]


def parse_profiles(paths: list[Path]) -> list:
    out = []
    for path, shown in zip(paths, display_paths(paths)):
        problems: list = []
        raw = _read(path, shown, problems)
        kind = profile_kind(path.parent.name)
        out.append((None, problems) if raw is None else parse_profile(shown, raw, kind))
    return out


_RENDER_JOBS: list = []  # set before forking the pool, so workers inherit the bodies


def _render_chunk(bounds):
    start, stop = bounds
    return [render_markdown(body, mentions) for body, mentions in _RENDER_JOBS[start:stop]]


def render_bodies(jobs: list, workers: int = 0) -> list[RenderedBody]:
    """Render (markdown source, mention targets) pairs, in order."""
    global _RENDER_JOBS
    count = worker_count(workers, len(jobs))
    if count == 1:
        return [render_markdown(body, mentions) for body, mentions in jobs]
    _RENDER_JOBS = jobs
    try:
        size = max(1, -(-len(jobs) // (count * 4)))
        bounds = [(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]
        with _pool(count) as pool:
            return [r for chunk in pool.map(_render_chunk, bounds) for r in chunk]
    finally:
        _RENDER_JOBS = []
