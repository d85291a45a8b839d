"""The preview's builds: a full build that keeps the site in memory, then each save applied
to that model (build/live.py), and the search index refreshed after the pages are served.

A save of content or a template goes through LiveSite.update(); a change to the settings or
the theme's static files, or a save after an update that failed unexpectedly, takes a full
build (which sets up the model again). The search step never delays a page: the first
build skips it, and once the saves pause a forked process of low priority makes the records
of the bundles they touched (the edited year's; every bundle after a front-matter edit) and
indexes those whose records changed, while this process serves. The data files wait for the
same pause (build/live_data.py): a forked process alive while a save's update runs slows
that update by 0.2-0.3 s at 10,000 entries, the copying of every memory page it writes to.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import io
import os
import threading
import time
import traceback
from concurrent import futures
from pathlib import Path

from ..build.collector import FrozenModel
from ..build.generator import report
from ..build.live import LiveSite
from ..safety import worker_pool
from ..search.index import LiveIndex, live_bundles, search_enabled
from .file_server import say

QUIET_BEFORE_FORKING = 2.0  # seconds without a save before the search index and the data files are made


def pelican_settings(settings: str, content: Path, output: Path) -> dict:
    """The settings as the file now says. Python checks a module's bytecode against its source
    by size and whole seconds, so a settings file saved twice in one second at the same length
    would be read from the first save's bytecode: that bytecode is dropped first."""
    from pelican.settings import read_settings

    with contextlib.suppress(OSError, ValueError):  # none, or a folder Python cannot write either
        os.unlink(importlib.util.cache_from_source(os.path.abspath(settings)))
    return read_settings(settings, override={"PATH": str(content.resolve()), "OUTPUT_PATH": str(output.resolve())})


def full_build(content: Path, output: Path, settings: str, live: bool = True) -> tuple[bool, LiveSite | None]:
    """One build as `pelican content -s settings -o output` does it, in this process; with
    `live`, it keeps the model for later saves and leaves the search index to SearchWorker."""
    from pelican import Pelican

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's "Processed 0 articles" says nothing here
            pelican = Pelican(pelican_settings(settings, content, output))
            if live:
                pelican.briefing_options = {"live": True, "defer_search": True}
            pelican.run()
    except SystemExit as exc:  # the build refused the content (diagnostics already printed)
        return exc.code in (0, None), None
    except Exception:  # a template or settings error: show it, keep serving the last good site
        traceback.print_exc()
        return False, None
    state = getattr(pelican, "briefing_state", {}).get("live")
    return True, LiveSite(state, output) if isinstance(state, dict) else None


class SearchWorker:
    """Indexes search bundles after the pages are written, in a forked process of low priority
    (it inherits the model: no record is made in this process, which serves the pages): a
    thread waits for requests, then for the saves to pause (`when_quiet` runs its fork under
    the preview's lock: the model as the last update left it), then for the child. Requests
    that arrive until the fork are merged into one (their years, or every bundle). Then
    `done(manifest)` (under the lock) puts the new index's files on the search page."""

    def __init__(self, live: LiveSite, done, model, when_quiet):
        generator = live.generator
        self.enabled = search_enabled(generator.config)
        self.config = generator.config  # its search_bundle_* settings size the bundles
        self.index = LiveIndex(live.output, generator.cache_dir)
        self.done, self.model, self.when_quiet = done, model, when_quiet
        self.asked = False
        self.years: set[int] | None = set()  # the years asked for since the last refresh (None: every bundle)
        self.wake = threading.Condition()
        self.busy = False
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        if self.enabled:
            self.thread.start()

    def request(self, years: set[int] | None):
        """Index the bundles holding `years` (None: every bundle whose records changed) once
        the update that asked is over; nothing is made now."""
        if not self.enabled:
            return
        with self.wake:
            self.years = None if years is None or self.years is None else self.years | years
            self.asked = True
            self.wake.notify()

    def idle(self, timeout: float = 600) -> bool:
        """Wait until nothing is pending (tests, and the bench): True when idle in time."""
        with self.wake:
            return self.wake.wait_for(lambda: not self.asked and not self.busy, timeout)

    def stop(self):
        """End the thread once a refresh it runs is over (LivePreview.close)."""
        with self.wake:
            self.stopped = True
            self.wake.notify_all()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self):
        while True:
            with self.wake:
                self.wake.wait_for(lambda: self.asked or self.stopped)
                if self.stopped:
                    return
                self.busy = True
            try:
                self._refresh()
            except Exception as error:  # one line; the pages are served all the same
                say(f"Search index not refreshed: {error}")
            else:
                took = time.monotonic() - self.started
                indexed = self.indexed
                what = ", ".join(indexed[:4]) + (f" and {len(indexed) - 4} more" if len(indexed) > 4 else "")
                if indexed:
                    say(f"Search index refreshed in {took:.1f} s: {what}")
            with self.wake:
                self.busy = False
                self.wake.notify_all()

    def _refresh(self):
        self.indexed: list[str] = []
        self.started = time.monotonic()  # (from the fork, when there is one: _fork)
        index = self.index
        with worker_pool(1) as pool:
            job = self.when_quiet(lambda: self._fork(pool))
            if job is None:
                return
            manifest, self.indexed, index.written, index.entries = job.result()
        gc.freeze()  # the last pool to end unfreezes the heap (safety.worker_pool): the model stays frozen
        self.done(manifest)

    def _fork(self, pool):
        """The child, forked under the preview's lock (no update runs: it inherits the model as
        the last one left it), for the years asked for until now."""
        with self.wake:
            years, self.years, self.asked = self.years, set(), False
        live = self.model()
        if live is None:
            return None
        self.started = time.monotonic()
        _SEARCH_JOB.update(site=live.site, config=self.config, years=years, index=self.index)
        try:
            return pool.submit(_refresh_in_child)  # forks now (with fork, a pool starts its workers at once)
        finally:
            _SEARCH_JOB.clear()


_SEARCH_JOB: dict = {}  # what a forked search refresh inherits: the site, the years, the index


def _refresh_in_child() -> tuple[dict, list[str], dict, dict]:
    """In the forked worker, at low priority: the bundles' records made from the inherited
    model, those that changed indexed (Pagefind) and swapped in; (manifest, names indexed,
    and the index's state for the parent)."""
    os.nice(10)
    job = _SEARCH_JOB
    index: LiveIndex = job["index"]
    bundles, names = live_bundles(job["site"], job["config"], job["years"])
    manifest, indexed = index.refresh(bundles, names)
    return manifest, indexed, index.written, index.entries


class LivePreview:
    """The preview's model and its search worker; apply() answers one batch of saved files."""

    def __init__(self, content: Path, output: Path, settings: str):
        self.content, self.output, self.settings = content, output, settings
        self.live: LiveSite | None = None
        self.search: SearchWorker | None = None
        self.lock = threading.Lock()  # one change to the model and the output at a time
        self.collector = FrozenModel(self.lock, release=self._release)  # the model frozen between saves
        self.quiet = QUIET_BEFORE_FORKING
        self.updated = 0.0  # time.monotonic() when the last save's update ended
        self._data_thread: threading.Thread | None = None  # starts the data workers updates owe

    def build(self) -> bool:
        with self.lock, self.collector.updating(collector_off=False):
            if self.live is not None:  # its data worker would write into the output being built
                self.live.owed = None
                self.live.wait_data()
            self.live = None  # the last model is garbage from here on
            ok, self.live = full_build(self.content, self.output, self.settings)
            if self.live is not None:
                self.live.prepare()
                self.live.background_data = True  # updates owe their data files: made once the saves pause
                if self.search is None:
                    self.search = SearchWorker(self.live, self._searchable, lambda: self.live, self.when_quiet)
                self.search.index = LiveIndex(self.live.output, self.live.generator.cache_dir)
                self.search.request(None)
        return ok

    def close(self):
        """End what the preview runs beside its saves (the collector's timer, the data worker
        and its thread, the search thread) and drop the model: a preview inside a program that
        goes on, as the tests' are, must not collect or fork in the middle of what comes next."""
        with self.lock:
            self.collector.stop()
            live, self.live = self.live, None
            if live is not None:
                live.owed = None
                live.wait_data()
            data_thread = self._data_thread
        if data_thread is not None:
            data_thread.join()  # (it finds no model and ends)
        if self.search is not None:
            self.search.stop()

    def _searchable(self, manifest: dict):
        with self.lock, self.collector.updating(counts=False):  # its render pool unfreezes the heap
            if self.live is not None:
                self.live.set_search(manifest)

    def apply(self, changed: list[str]) -> bool:
        """Bring the served output up to date after `changed` were saved; False if it failed."""
        with self.lock:
            live = self.live
            if live is not None and live.classify(changed) != "full":
                with self.collector.updating(collects=False):  # collected after its report: release()
                    ok = self._update(live, changed)
                self.updated = time.monotonic()
                return ok
        return self.build()

    def when_quiet(self, work):
        """work() under the lock once no save has been applied for `quiet` seconds (its result)."""
        while True:
            with self.lock:
                left = self.updated + self.quiet - time.monotonic()
                if left <= 0:
                    return work()
            time.sleep(left)

    def release(self):
        """Free what the last update replaced (LiveSite.release), once it is reported; collect
        when it was the last of too many saves without a quiet moment (FrozenModel)."""
        with self.lock:
            self._release()
            self.collector.collect_if_due()

    def _release(self):  # (the caller holds the lock)
        if self.live is not None:
            self.live.release()

    def _update(self, live: LiveSite, changed: list[str]) -> bool:
        try:
            update = live.update(changed)
        except Exception:  # the model may be half-updated: the next save takes a full build
            traceback.print_exc()
            with contextlib.suppress(Exception):
                live.wait_data()
            self.live = None
            return False
        report(update.problems)
        if update.ok and self.search is not None and update.how != "templates":
            self.search.request(update.years)
        if live.owed is not None and self._data_thread is None:
            self._data_thread = threading.Thread(target=self._make_data, daemon=True)
            self._data_thread.start()
        return update.ok

    def _make_data(self):
        """Start the data worker an update owes once the saves pause, and record its files when
        it ends (waited for without the lock: the server answers meanwhile); again while
        updates owe one."""
        try:
            while True:
                future = self.when_quiet(self._start_owed)
                if future is None:
                    return
                futures.wait([future])
                self.settle(future)
        except BaseException:  # (printed by threading) the next update that owes one starts a thread
            with self.lock:
                self._data_thread = None
            raise

    def _start_owed(self):  # (under the lock)
        live = self.live
        if live is None or live.owed is None:
            self._data_thread = None  # (an update that owes one after this starts a thread again)
            return None
        live.start_owed()
        return live.data_pending()

    def settle(self, future=None):
        """The data files as the model makes them, written and recorded (LiveSite.settle); with
        `future`, that worker's files recorded while it is the one pending (a later save may
        have recorded them)."""
        with self.lock, self.collector.updating(counts=False):  # closing its pool may unfreeze the heap
            if self.live is not None and future is None:
                self.live.settle()
            elif self.live is not None and self.live.data_pending() is future:
                self.live.wait_data()
