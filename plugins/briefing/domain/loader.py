"""Find, read and parse every content file, in parallel when the site is large."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from ..safety import worker_pool
from .cache import BuildCache, body_key
from .content_files import DIGEST_FOLDER, read_content_file, shown_path, working_directory
from .frontmatter import parse_relation_profile, profile_kind, read_entry, read_profile
from .frontmatter.editorial import read_digest_summary, read_site_page

if TYPE_CHECKING:
    from .markdown import RenderedBody  # markdown-it is imported when bodies are rendered: the check never does

PARALLEL_FROM = 300  # below this many files a process pool costs more than it saves


def display_paths(paths: list[Path]) -> list[str]:
    """Paths as editors see them: relative to the working directory when inside it."""
    cwd = working_directory()
    return [shown_path(path, cwd) for path in paths]


def _parse_entry_chunk(chunk):
    return [read_entry(shown, raw) for shown, raw in chunk]


def _read_and_parse_chunk(chunk):
    """Read and parse in the worker (a build without a cache needs no file's hash in the parent)."""
    return [_read_and_parse(path, shown_path(path, cwd), root) for path, cwd, root in chunk]


def _read_and_parse(path: Path, shown: str, root: Path | None):
    problems: list = []
    raw = read_content_file(path, shown, root, problems)
    return (None, problems) if raw is None else read_entry(shown, raw)


def worker_count(requested: int, jobs: int) -> int:
    if requested:
        return requested
    if jobs < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(items: list, count: int) -> list[list]:
    size = max(1, -(-len(items) // count))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _pool(workers: int) -> AbstractContextManager[ProcessPoolExecutor]:
    return worker_pool(workers)


def parse_entries(
    paths: list[Path],
    workers: int = 0,
    cache: BuildCache | None = None,
    root: Path | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> list:
    """[(EntryDraft | None, diagnostics)] in the order of `paths` (drafts of files with errors
    hold what was read: see read_entry); unchanged files come from the cache, the rest are
    parsed (in parallel when there are many). Links are followed only into `root` (the
    content folder). `meanwhile()` runs in this process while workers parse, or first."""
    if cache is None and worker_count(workers, len(paths)) > 1:  # no hash wanted: the workers read
        return _parse_in_workers(paths, worker_count(workers, len(paths)), root, meanwhile)
    meanwhile()
    results: list = [None] * len(paths)
    misses = []
    for index, (path, shown) in enumerate(zip(paths, display_paths(paths), strict=True)):
        problems: list = []
        raw = read_content_file(path, shown, root, problems)
        if raw is None:
            results[index] = (None, problems)
            continue
        key = (shown, hashlib.sha1(raw).hexdigest())
        hit = cache.draft(key) if cache else None
        if hit is not None:
            results[index] = hit
        else:
            misses.append((index, key, shown, raw))
    count = worker_count(workers, len(misses))
    jobs = [(shown, raw) for _, _, shown, raw in misses]
    if count == 1:
        parsed = [read_entry(shown, raw) for shown, raw in jobs]
    else:
        with _pool(count) as pool:
            parsed = [r for chunk in pool.map(_parse_entry_chunk, _chunks(jobs, count * 4)) for r in chunk]
    for (index, key, _, _), result in zip(misses, parsed, strict=True):
        results[index] = result
        if cache:
            cache.keep_draft(key, result)
    return results


def _parse_in_workers(paths: list[Path], count: int, root: Path | None, meanwhile: Callable[[], None]) -> list:
    """parse_entries without a cache: each worker reads and parses its share of the files, so
    the parent neither reads nor hashes them nor sends their bytes (serial work before the
    pool could start, with one core idle), and runs `meanwhile` while they do."""
    cwd = working_directory()
    jobs = [(path, cwd, root) for path in paths]
    with _pool(count) as pool:
        parsed = pool.map(_read_and_parse_chunk, _chunks(jobs, count * 4))
        meanwhile()
        return [r for chunk in parsed for r in chunk]


def _read_each(paths: list[Path], root: Path | None, read) -> list:
    """[(parsed file | None, diagnostics)]: `read(path, shown, raw)` for each file that could be read."""
    out: list = []
    for path, shown in zip(paths, display_paths(paths), strict=True):
        problems: list = []
        raw = read_content_file(path, shown, root, problems)
        out.append((None, problems) if raw is None else read(path, shown, raw))
    return out


def _read_profile(path: Path, shown: str, raw: bytes):
    kind = profile_kind(path.parent.name)
    return parse_relation_profile(shown, raw) if kind is None else read_profile(shown, raw, kind)  # None: relations/


def parse_profiles(paths: list[Path], root: Path | None = None) -> list:
    """[(Profile | RelationProfile | None, diagnostics)] for the profile folders."""
    return _read_each(paths, root, _read_profile)


def _read_editorial(path: Path, shown: str, raw: bytes):
    return (read_digest_summary if path.parent.name == DIGEST_FOLDER else read_site_page)(shown, raw)


def parse_editorial(paths: list[Path], root: Path | None = None) -> list:
    """[(DigestSummary | SitePage | None, diagnostics)] for content/digests/ and content/pages/."""
    return _read_each(paths, root, _read_editorial)


_RENDER_JOBS: list = []  # filled before forking the pool, so workers inherit the bodies


def _render_chunk(bounds):
    from .markdown import render_markdown

    start, stop, plain_text = bounds
    return [render_markdown(body, mentions, plain_text) for body, mentions in _RENDER_JOBS[start:stop]]


def render_bodies(
    jobs: list, workers: int = 0, cache: BuildCache | None = None, plain_text: bool = True
) -> list[RenderedBody]:
    """Render (markdown source, mention targets) pairs, in order; cached ones are reused. Without
    `plain_text` (no search, no cache) the bodies' text is not made (see render_markdown)."""
    from .markdown import render_markdown

    plain_text = plain_text or cache is not None  # a kept body serves a later build with search
    keys = [body_key(source, mentions) for source, mentions in jobs] if cache else []
    results: list = [cache.body(key) for key in keys] if cache else [None] * len(jobs)
    todo = [i for i, found in enumerate(results) if found is None]
    count = worker_count(workers, len(todo))
    if count == 1:
        rendered = [render_markdown(source, mentions, plain_text) for source, mentions in (jobs[i] for i in todo)]
    else:
        _RENDER_JOBS[:] = [jobs[i] for i in todo]
        try:
            size = max(1, -(-len(todo) // (count * 4)))
            bounds = [(i, min(i + size, len(todo)), plain_text) for i in range(0, len(todo), size)]
            with _pool(count) as pool:
                rendered = [r for chunk in pool.map(_render_chunk, bounds) for r in chunk]
        finally:
            _RENDER_JOBS.clear()
    for index, body in zip(todo, rendered, strict=True):
        results[index] = body
        if cache:
            cache.keep_body(keys[index], body)
    return results
