"""Render and write every page, split across worker processes on large sites.

The workers are forked after the site model and the Jinja environment exist, so they
inherit both and receive only a share number; each writes its own pages.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap, Counter

from jinja2 import TemplateNotFound

from ..safety import worker_pool, write_atomically
from .output import PageWriter
from .pages import CHRONICLES

PARALLEL_FROM = 500  # pages; below this a pool costs more than it saves
SHARES_PER_WORKER = 16  # runs of pages per worker, the last taken first (see _shares)
FRAGMENT_RUNS_PER_WORKER = 4  # parts of the shared fragments per worker (see render_fragments)

_JOB: dict = {}  # {"job": (env, specs, reuse, root, side_job)} only while a pool runs: forked workers inherit it


# A template's literal references: {% extends/include/import/from "name" %}
_REFERENCES = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(["'])([^"'\n]+)\1""")


def compile_templates(env, specs):
    """Compile every template the pages use, the partials code renders and every template
    those name, before forking: each worker inherits them compiled (`_ready_in_worker` then
    flattens their globals and makes the cache a dict) instead of compiling the bases and
    partials again itself, on its first page."""
    from .templating import FRAGMENTS

    todo, seen = sorted({s.template for s in specs} | set(FRAGMENTS)), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            env.get_template(name)
            source = env.loader.get_source(env, name)[0]
        except TemplateNotFound:  # an `ignore missing` include: compiled, or not, as it renders
            continue
        todo.extend(match[2] for match in _REFERENCES.finditer(source))


def _ready_in_worker(env):
    """Jinja's per-render costs cut in a forked worker, which ends with its pool: each compiled
    template's globals as one dict (Jinja copies them into the context of every render, and
    copying its ChainMap over env.globals took 40 µs a render against 2 µs for a dict, 5% of a
    build's CPU), and the template cache a dict (Jinja's LRUCache takes a lock and moves the name
    in a deque at every look-up: 2-3 µs a `get_template`, of which a 10,000-entry build makes
    about 100,000, against 0.45 µs). Only in a worker: the parent's templates must go on seeing
    env.globals change (the preview installs a new site's helpers there), and its cache stay
    bounded."""
    if env.cache is None:
        return
    for template in env.cache.values():
        if isinstance(template.globals, ChainMap):
            template.globals = dict(template.globals)
    env.cache = dict(env.cache.items())


def _subject(spec):
    """The entity's or relation's view a page shows, if it is one of its pages (see CHRONICLES)."""
    name = CHRONICLES.get(spec.template)
    return spec.context.get(name) if name else None


def _shares(specs: list, count: int) -> list[tuple[int, int]]:
    """`specs` cut into about `count` runs (start, stop), last run first. A run never cuts
    between two pages of one subject (its main page and its years follow each other): a
    worker that renders one builds its timeline, so a subject dealt to both had it built
    twice. Last first: the page list begins with the entries, the cheapest pages, which then
    fill the pool's end."""
    size = -(-len(specs) // count)
    runs, start = [], 0
    while start < len(specs):
        stop = min(start + size, len(specs))
        while stop < len(specs) and (shown := _subject(specs[stop])) is not None and shown is _subject(specs[stop - 1]):
            stop += 1
        runs.append((start, stop))
        start = stop
    return runs[::-1]


def _render_share(env, specs, reuse, root: str) -> dict[str, str]:
    writer = PageWriter(root)
    for spec, previous in zip(specs, reuse, strict=True):
        if previous is not None:
            writer.link(spec.url, previous, spec.kind)
            continue
        template = env.get_template(spec.template)
        writer.write(spec.url, template.render(page_url=spec.url, **spec.context), spec.kind)
    return writer.written


def _fragments_in_worker(task: tuple[int, int]) -> tuple[dict, ...]:
    index, count = task
    fragments, jobs = _JOB["fragments"]
    _ready_in_worker(fragments.env)
    return fragments.render_all(jobs[index::count])


def render_fragments(env, specs, count: int):
    """Render the fragments many pages share (cards, timeline lines, events, feed entries) in a
    pool of their own, each once, and keep them here before the page workers fork: rendered by
    each page worker instead, a fragment whose pages fall to both was rendered twice."""
    from .templating import shared_fragments

    fragments = shared_fragments(env)
    _JOB["fragments"] = (fragments, fragments.jobs(specs))
    runs = count * FRAGMENT_RUNS_PER_WORKER  # each part is sent and absorbed while the next ones
    try:  # render: with one part per worker, this process took them all once both had finished
        with worker_pool(count) as pool:
            for part in pool.map(_fragments_in_worker, [(i, runs) for i in range(runs)]):
                fragments.absorb(part)
    finally:
        _JOB.clear()


def _render_in_worker(task: tuple[int, int] | None):
    env, specs, reuse, root, side_job = _JOB["job"]
    _ready_in_worker(env)
    if task is None:  # the side job (open data), run by whichever worker is free first
        return side_job()
    start, stop = task
    return _render_share(env, specs[start:stop], reuse[start:stop], root)


def render_pages(
    env, specs: list, root: str, workers: int = 0, reuse: list | None = None, side_job=None
) -> tuple[dict[str, str], object]:
    """({url: kind} of every page written, what `side_job()` returned); duplicate URLs are
    refused before anything is written. `reuse[i]`, when not None, is an unchanged file of the
    previous output to link for specs[i]. `side_job()` (open data) runs in the same pool as the
    pages (a worker takes it while the other renders), or after them."""
    repeated = [url for url, n in Counter(s.url for s in specs).items() if n > 1]
    if repeated:
        raise ValueError(f"two pages want the same address: {', '.join(sorted(repeated)[:5])}")
    reuse = reuse or [None] * len(specs)
    to_render = sum(1 for r in reuse if r is None)
    count = workers or (min(os.cpu_count() or 1, 8) if to_render >= PARALLEL_FROM else 1)
    if count == 1:
        written = _render_share(env, specs, reuse, root)
        return written, side_job() if side_job else None
    compile_templates(env, specs)
    shared = to_render == len(specs)  # a full build; a rebuild's few pages need few fragments
    if shared:
        render_fragments(env, specs, count)
    _JOB["job"] = (env, specs, reuse, root, side_job)
    tasks = ([None] if side_job else []) + _shares(specs, count * SHARES_PER_WORKER)
    try:
        with worker_pool(count) as pool:
            parts = list(pool.map(_render_in_worker, tasks))
        side = parts.pop(0) if side_job else None
        written = {url: kind for part in parts for url, kind in part.items()}
        return {url: written[url] for url in (s.url for s in specs)}, side
    finally:
        _JOB.clear()
        if shared:  # their memory back, for the search step
            from .templating import shared_fragments

            shared_fragments(env).forget()


def _write_changed(env, specs, root: str) -> list[str]:
    """Render each page and write it (write-then-rename) where its bytes differ from the file there."""
    writer = PageWriter(root)
    written = []
    for spec in specs:
        data = env.get_template(spec.template).render(page_url=spec.url, **spec.context).encode("utf-8")
        path = writer.path_for(spec.url)
        try:
            with open(path, "rb") as handle:
                if handle.read() == data:
                    continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, data)
        written.append(spec.url)
    return written


def _write_changed_in_worker(share: tuple[int, int]) -> list[str]:
    start, stop = share
    env, specs, root = _JOB["job"]
    _ready_in_worker(env)
    return _write_changed(env, specs[start:stop], root)


def render_in_place(env, specs: list, root, workers: int = 0) -> list[str]:
    """The live preview's writer: pages rendered into an output folder that is being served,
    each written atomically, only where it changed; the URLs written, in the order of `specs`."""
    root = str(root)
    count = workers or (min(os.cpu_count() or 1, 8) if len(specs) >= PARALLEL_FROM else 1)
    if count == 1:
        return _write_changed(env, specs, root)
    compile_templates(env, specs)
    _JOB["job"] = (env, specs, root)
    try:
        with worker_pool(count) as pool:
            parts = pool.map(_write_changed_in_worker, _shares(specs, count * SHARES_PER_WORKER))
            written = {url for part in parts for url in part}
        return [s.url for s in specs if s.url in written]
    finally:
        _JOB.clear()
