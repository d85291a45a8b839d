"""The published entries' bodies rendered while the site is derived (a build without a cache
on two cores).

After the registry, the main process resolves names, merges events, warns and derives the
site (2-3 s at 10,000 entries) with the other core idle, and the Markdown pool used to start
only then. A published entry's mention targets are known once it is resolved (every entity it
names has a page), so a forked process starts on those bodies at once, from the tail of the
list (two_ends.Meeting), resolving each entry it takes in its own copy of the registry (the
same code on the same names: the same targets). Once the site is derived a second one renders
the other bodies (drafts, profiles, digest summaries, pages), then takes published bodies from
the head until the two meet. The main process renders none itself: a build in which it
rendered its share ran with about 6% more CPU (docs/PERFORMANCE-LOG.md). Each child sends what
it rendered once, at its end, so nothing crosses a pipe while the main process derives, and
streams it: neither end holds the whole pickle.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from ..safety import frozen_heap
from .loader import worker_count
from .two_ends import Link, Lost, Meeting, send_streamed

CHUNK = 48  # bodies taken at a time: about 0.1 s of rendering, the most either child waits for the other


class EarlyBodies:
    """Published bodies shared out from both ends by two forked processes, the first started now."""

    def __init__(self, paths: list[str], make_job: Callable[[int], tuple], plain_text: bool):
        from .markdown import render_markdown  # imported before forking: each child has it

        self.render = render_markdown
        self.at = {path: at for at, path in enumerate(paths)}
        self.make_job, self.plain_text = make_job, plain_text  # the first child's (body, targets) of each
        self.jobs: list[tuple] = []  # the main process's, once it has resolved the entries (expect)
        self.others: list[tuple] = []  # what the second child renders first (set by finish)
        self.meeting = Meeting(len(paths), CHUNK)
        self._heap = contextlib.ExitStack()
        self._heap.enter_context(frozen_heap())  # neither child's collector walks (so copies) the model
        try:
            self.far = Link(_from_tail, self)
        except BaseException:
            self._heap.close()
            raise

    def expect(self, paths: list[str], jobs: list[tuple]) -> bool:
        """Take the main process's jobs for the published entries `paths`: the second child
        renders them, and finish compares each body's job with them. False when the entries are
        not those the first child was started on."""
        if list(self.at) != paths:
            return False
        self.jobs = jobs
        return True

    def finish(self, entries: list[tuple[str, tuple]], others: list[tuple]) -> tuple[list, list] | None:
        """(the RenderedBody of each (path, job) of `entries`, of each job of `others`), in order,
        or None when a child was lost (the caller renders them its own way). An entry's job that
        is not the one started for its path is rendered by the second child, with `others`."""
        found = [(self.at.get(path), job) for path, job in entries]
        shared = [at if at is not None and self.jobs[at] == job else None for at, job in found]
        self.others = [job for (_, job), at in zip(entries, shared, strict=True) if at is None] + list(others)
        try:
            second = Link(_from_head, self)
            try:
                rendered, near = second.receive_streamed()
            finally:
                second.close()
            far = self.far.receive_streamed()
        except (Lost, OSError):  # a child died, or none could be forked
            return None
        finally:
            self.stop()
        bodies = near + far
        extra = iter(rendered)
        made = [bodies[at] if at is not None else next(extra) for at in shared]
        return made, list(extra)

    def stop(self):
        """End the far child (its work is done or unwanted) and unfreeze the heap."""
        self.far.kill()
        self._heap.close()

    def _rendered(self, jobs: Iterable[tuple]) -> list:
        return [self.render(body, targets, self.plain_text) for body, targets in jobs]


def _from_head(connection, early: EarlyBodies):
    """The second child: the other bodies, then published ones from the head."""
    near = []
    taken = range(early.meeting.head)
    rendered = early._rendered(early.others)
    while taken:
        near += early._rendered(early.jobs[taken.start : taken.stop])
        taken = early.meeting.from_head()
    send_streamed(connection, (rendered, near))


def _from_tail(connection, early: EarlyBodies):
    """The first child: published bodies from the tail."""
    chunks = []
    taken = range(early.meeting.tail, len(early.at))
    while taken:
        chunks.append(early._rendered(map(early.make_job, taken)))
        taken = early.meeting.from_tail()
    far = [body for chunk in reversed(chunks) for body in chunk]
    send_streamed(connection, far)


def start_early(
    paths: list[str], make_job: Callable[[int], tuple], workers: int, plain_text: bool
) -> EarlyBodies | None:
    """EarlyBodies of the published entries `paths` (`make_job(i)`: the (body, targets) of the
    i-th) on a build that would render them on two workers; None otherwise (the Markdown pool
    renders them)."""
    if worker_count(workers, len(paths)) != 2 or len(paths) < 2 * CHUNK:
        return None
    try:
        return EarlyBodies(paths, make_job, plain_text)
    except OSError:  # no shared memory for the meeting (no /dev/shm), or no process to fork
        return None
