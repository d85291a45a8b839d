"""Python's garbage collector during a build: collected less often, as a batch job would be.

A build makes millions of small objects that live until it ends (the parsed files, the model,
every page's context). With the default thresholds the collector walks that whole heap again
and again: 2,289 collections and 3 s of the main process's CPU at 10,000 entries. With
these, 28 collections; the forked workers inherit the setting. The thresholds are restored
when the build ends (the preview builds in a process that lives on).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading

from ..memory import give_back_freed_memory

BUILD_THRESHOLDS = (50_000, 20, 20)  # Python's defaults: (700, 10, 10)


def with_fewer_collections(run):
    """`run` with the build's thresholds, the previous ones back after it returns or fails."""

    @functools.wraps(run)
    def run_with_fewer_collections(*args, **kwargs):
        previous = gc.get_threshold()
        gc.set_threshold(*BUILD_THRESHOLDS)
        try:
            return run(*args, **kwargs)
        finally:
            gc.set_threshold(*previous)

    return run_with_fewer_collections


QUIET_BEFORE_COLLECTING = 20.0  # seconds without a save before the preview collects its garbage
MOST_UPDATES_UNCOLLECTED = 10  # then the update itself collects: memory stays bounded without a pause


class FrozenModel:
    """The preview's collector: its model frozen between saves, the garbage collected when idle.

    A build leaves a model of a few million objects (1.7-2.1 million tracked at 10,000
    entries); a collection of the oldest generation walks them all (1.6-2.0 s), and one came
    every few saves. Instead an update runs without the collector and ends with gc.freeze():
    what it made moves to the permanent generation, which no later collection walks. The
    replaced models wait there (each hangs from cycles of the Jinja modules and helpers made
    for it, so reference counts do not free it: about 50 MB a save at 10,000 entries) until
    the preview has had no save for QUIET_BEFORE_COLLECTING seconds; then one full collection
    (unfreeze, collect, freeze) runs in a timer thread under the preview's lock. A save that
    comes during it waits for it (hence a long quiet: a save 20-22 s after the last one is rarer
    than 5-7 s); after MOST_UPDATES_UNCOLLECTED updates without a quiet moment the last one's
    pages are written and reported ("Rebuilt") first, then it collects (collect_if_due: 2-4 s
    at 10,000 entries that the editor waited for before the line). (A pool of forked workers
    unfreezes the heap as the last one ends, safety.worker_pool: whatever runs one outside an
    update, the search worker, freezes again after it.)
    """

    def __init__(
        self, lock, quiet: float = QUIET_BEFORE_COLLECTING, most: int = MOST_UPDATES_UNCOLLECTED, release=None
    ):
        self.lock, self.quiet, self.most = lock, quiet, most
        self.release = release or (lambda: None)  # drops what the last update kept of the model it replaced
        self.pending = 0  # updates since the last collection
        self.timer: threading.Timer | None = None

    @contextlib.contextmanager
    def updating(self, collector_off: bool = True, counts: bool = True, collects: bool = True):
        """Run an update (or, with the collector on, a build: its passing garbage is large) and
        freeze what it leaves; `counts` False for one that replaces no model (the search page's
        new bundle names); `collects` False when the caller collects once it has reported the
        update (collect_if_due). The caller holds the preview's lock."""
        self.stop()  # (a new timer starts as it ends)
        enabled = gc.isenabled()
        if collector_off:
            gc.disable()
        try:
            yield
        finally:
            self.pending += counts
            if collects and self.pending >= self.most:
                self.collect()
            else:
                gc.freeze()
            if enabled:
                gc.enable()
            self.timer = threading.Timer(self.quiet, self._when_quiet)
            self.timer.daemon = True
            self.timer.start()

    def stop(self):
        """No collection when quiet from now on (the caller holds the lock)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def collect_if_due(self):
        """The collection an update left for after its report (the caller holds the lock)."""
        if self.pending >= self.most:
            self.collect()

    def _when_quiet(self):
        with self.lock:  # not if an update came meanwhile (it started a timer of its own) or stop()
            if self.timer is threading.current_thread() and self.pending:
                self.collect()

    def collect(self):
        """One full collection of everything the previews froze; the rest frozen again. The
        model the last update replaced is dropped first, else it would wait for the next one."""
        self.release()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.pending = 0
        give_back_freed_memory()
