"""The preview's builds: a full build that keeps the site in memory, then each save applied
to that model (build/live.py), and the search index refreshed after the pages are served.

A save of content or a template goes through LiveSite.update(); a change to the settings or
the theme's static files, or a save after an update that failed unexpectedly, takes a full
build (which sets up the model again). The search step never delays a page: the first
build skips it, and once an update's pages are written a forked process of low priority
makes the records of the bundles it touched (the edited year's; every bundle after a
front-matter edit) and indexes those whose records changed, while this process serves.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
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

_SAYING = threading.Lock()


def say(line: str):
    """One line to stderr in one write: the watcher, the search worker and the request threads
    print at once, and print()'s separate newline let two of their lines run together."""
    with _SAYING:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def pelican_settings(settings: str, content: Path, output: Path) -> dict:
    from pelican.settings import read_settings

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
    thread waits for requests, takes the preview's lock only to fork (the model as the last
    update left it), then waits for the child. Requests that arrive meanwhile are merged into
    one (their years, or every bundle). Then `done(manifest)` (under the lock) puts the new
    index's files on the search page."""

    def __init__(self, live: LiveSite, done, model, lock):
        generator = live.generator
        self.enabled = search_enabled(generator.config)
        self.config = generator.config  # its search_bundle_* settings size the bundles
        self.index = LiveIndex(live.output, generator.cache_dir)
        self.done, self.model, self.lock = done, model, lock
        self.asked = False
        self.years: set[int] | None = set()  # the years asked for since the last refresh (None: every bundle)
        self.wake = threading.Condition()
        self.busy = False
        if self.enabled:
            threading.Thread(target=self._run, daemon=True).start()

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

    def _run(self):
        while True:
            with self.wake:
                self.wake.wait_for(lambda: self.asked)
                years, self.years, self.asked, self.busy = self.years, set(), False, True
            started = time.monotonic()
            try:
                self._refresh(years)
            except Exception as error:  # one line; the pages are served all the same
                say(f"Search index not refreshed: {error}")
            else:
                took = time.monotonic() - started
                indexed = self.indexed
                what = ", ".join(indexed[:4]) + (f" and {len(indexed) - 4} more" if len(indexed) > 4 else "")
                if indexed:
                    say(f"Search index refreshed in {took:.1f} s: {what}")
            with self.wake:
                self.busy = False
                self.wake.notify_all()

    def _refresh(self, years: set[int] | None):
        self.indexed: list[str] = []
        index = self.index
        with worker_pool(1) as pool:
            with self.lock:  # no update runs: the child inherits the model as the last one left it
                live = self.model()
                if live is None:
                    return
                _SEARCH_JOB.update(site=live.site, config=self.config, years=years, index=index)
                try:
                    job = pool.submit(_refresh_in_child)  # forks now (with fork, a pool starts its workers at once)
                finally:
                    _SEARCH_JOB.clear()
            manifest, self.indexed, index.written, index.entries = job.result()
        gc.freeze()  # the last pool to end unfreezes the heap (safety.worker_pool): the model stays frozen
        self.done(manifest)


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

    def build(self) -> bool:
        with self.lock, self.collector.updating(collector_off=False):
            if self.live is not None:  # its data worker would write into the output being built
                self.live.settle()
            self.live = None  # the last model is garbage from here on
            ok, self.live = full_build(self.content, self.output, self.settings)
            if self.live is not None:
                self.live.prepare()
                self.live.background_data = True  # the data files after the pages, not waited for
                if self.search is None:
                    self.search = SearchWorker(self.live, self._searchable, lambda: self.live, self.lock)
                self.search.index = LiveIndex(self.live.output, self.live.generator.cache_dir)
                self.search.request(None)
        return ok

    def _searchable(self, manifest: dict):
        with self.lock, self.collector.updating(counts=False):  # its render pool unfreezes the heap
            if self.live is not None:
                self.live.set_search(manifest)

    def apply(self, changed: list[str]) -> bool:
        """Bring the served output up to date after `changed` were saved; False if it failed."""
        with self.lock:
            live = self.live
            if live is not None and live.classify(changed) != "full":
                with self.collector.updating():
                    return self._update(live, changed)
        return self.build()

    def release(self):
        """Free what the last update replaced (LiveSite.release), once it is reported."""
        with self.lock:
            self._release()

    def _release(self):  # (the caller holds the lock)
        if self.live is not None:
            self.live.release()

    def _update(self, live: LiveSite, changed: list[str]) -> bool:
        try:
            update = live.update(changed)
        except Exception:  # the model may be half-updated: the next save takes a full build
            traceback.print_exc()
            with contextlib.suppress(Exception):
                live.settle()
            self.live = None
            return False
        report(update.problems)
        if update.ok and self.search is not None and update.how != "templates":
            self.search.request(update.years)
        if live.data_pending() is not None:
            threading.Thread(target=self._settle_when_done, args=(live,), daemon=True).start()
        return update.ok

    def _settle_when_done(self, live: LiveSite):
        """Record the data worker's files once it ends (waited for without the lock: the server
        answers meanwhile), so that its process does not outlive its work."""
        future = live.data_pending()
        if future is not None:
            futures.wait([future])
            self.settle(future)

    def settle(self, future=None):
        """The data files of the last update written and recorded (LiveSite.settle); with
        `future`, only while that worker is the one pending (a later save may have settled it)."""
        with self.lock, self.collector.updating(counts=False):  # closing its pool may unfreeze the heap
            if self.live is not None and (future is None or self.live.data_pending() is future):
                self.live.settle()
