"""The preview's builds: a full build that keeps the site in memory, then each save applied
to that model (build/live.py), and the search index refreshed after the pages are served.

A save of content or a template goes through LiveSite.update(); a change to the settings or
the theme's static files, or a save after an update that failed unexpectedly, takes a full
build (which sets up the model again). The search step never delays a page: the first
build skips it, and a worker thread indexes the bundles an update touched once its pages
are written (the edited year's; every bundle whose records changed after a front-matter edit).
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
import time
import traceback
from pathlib import Path

from ..build.generator import report
from ..build.live import LiveSite
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
    """Indexes search bundles in a thread of its own, newest request first: bundles asked for
    while it works replace older requests for the same bundle. Then `done(manifest)` (under
    the preview's lock) puts the new index's files on the search page."""

    def __init__(self, live: LiveSite, done):
        generator = live.generator
        self.enabled = search_enabled(generator.config)
        self.config = generator.config  # its search_bundle_* settings size the bundles
        self.index = LiveIndex(live.output, generator.cache_dir)
        self.done = done
        self.pending: dict[str, object] = {}
        self.names: list[str] = []
        self.wake = threading.Condition()
        self.busy = False
        if self.enabled:
            threading.Thread(target=self._run, daemon=True).start()

    def request(self, live: LiveSite, years: set[int] | None):
        """Make the records now (cheap, and the model may change next), index them later."""
        if not self.enabled:
            return
        bundles, names = live_bundles(live.site, self.config, years)
        with self.wake:
            self.pending.update((b.name, b) for b in bundles)
            self.names = names
            self.wake.notify()

    def idle(self, timeout: float = 600) -> bool:
        """Wait until nothing is pending (tests, and the bench): True when idle in time."""
        with self.wake:
            return self.wake.wait_for(lambda: not self.pending and not self.busy, timeout)

    def _run(self):
        while True:
            with self.wake:
                self.wake.wait_for(lambda: self.pending)
                bundles, names = list(self.pending.values()), list(self.names)
                self.pending.clear()
                self.busy = True
            started = time.monotonic()
            try:
                manifest, indexed = self.index.refresh(bundles, names)
                self.done(manifest)
            except Exception as error:  # one line; the pages are served all the same
                say(f"Search index not refreshed: {error}")
            else:
                took = time.monotonic() - started
                what = ", ".join(indexed[:4]) + (f" and {len(indexed) - 4} more" if len(indexed) > 4 else "")
                if indexed:
                    say(f"Search index refreshed in {took:.1f} s: {what}")
            with self.wake:
                self.busy = False
                self.wake.notify_all()


class LivePreview:
    """The preview's model and its search worker; apply() answers one batch of saved files."""

    def __init__(self, content: Path, output: Path, settings: str):
        self.content, self.output, self.settings = content, output, settings
        self.live: LiveSite | None = None
        self.search: SearchWorker | None = None
        self.lock = threading.Lock()  # one change to the model and the output at a time

    def build(self) -> bool:
        with self.lock:
            ok, self.live = full_build(self.content, self.output, self.settings)
            if self.live is not None:
                self.search = SearchWorker(self.live, self._searchable) if self.search is None else self.search
                self.search.index = LiveIndex(self.live.output, self.live.generator.cache_dir)
                self.search.request(self.live, None)
        return ok

    def _searchable(self, manifest: dict):
        with self.lock:
            if self.live is not None:
                self.live.set_search(manifest)

    def apply(self, changed: list[str]) -> bool:
        """Bring the served output up to date after `changed` were saved; False if it failed."""
        with self.lock:
            live = self.live
            if live is not None and live.classify(changed) != "full":
                return self._update(live, changed)
        return self.build()

    def _update(self, live: LiveSite, changed: list[str]) -> bool:
        try:
            update = live.update(changed)
        except Exception:  # the model may be half-updated: the next save takes a full build
            traceback.print_exc()
            self.live = None
            return False
        report(update.problems)
        if update.ok and self.search is not None and update.how != "templates":
            self.search.request(live, update.years)
        return update.ok
