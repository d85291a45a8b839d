"""What changed on disk since the last look: the live preview's watcher.

The content and theme folders are watched by the operating system's file events (inotify,
through watchfiles, which Pelican itself depends on): at 100,000 entries a pass that stats
every file took 0.4 s of the preview's main thread five times a second, and a save waited for
the pass under way. The settings file and the plugin code are a few files, looked at on every
tick. Where file events cannot be had (a watch limit reached, an unusual file system), the
watcher says so in one line and compares whole snapshots, as it did before.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

WATCH_INTERVAL = 0.2  # seconds between looks at the settings file and the plugin code
SETTLE_MS = 50  # a save's events are gathered until this long passes without another
SKIPPED_FOLDER = "__pycache__"

State = dict[str, tuple[int, int]]  # {file: (mtime in ns, size)}


def snapshot(roots) -> State:
    """{file: (mtime, size)} of every file under `roots` (a root may be one file). Walked with
    os.scandir: at 100,000 entries pathlib's rglob took 2-3 s a pass."""
    state: State = {}
    for root in roots:
        path = str(Path(root))
        if os.path.isfile(path):
            found = _stat(path)
            if found is not None:
                state[path] = found
        else:
            _walk(path, state)
    return state


def _walk(folder: str, state: State):
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != SKIPPED_FOLDER:
                    _walk(entry.path, state)
            elif entry.is_file():
                found = entry.stat()
                state[entry.path] = (found.st_mtime_ns, found.st_size)
        except OSError:
            continue


def _stat(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def changed_files(before: State, after: State) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class ChangeWatcher:
    """Yields ("code", files) when plugin code changed and ("site", files) when the site's own
    files did; made before the first build, so that a save during it is not missed."""

    def __init__(self, roots: list[str], code_dir: Path):
        self.trees = [str(Path(r)) for r in roots if os.path.isdir(r)]
        # Events name files by absolute path; snapshots, and so the preview, as the roots are spelled.
        self.spelled = {os.path.realpath(t): t for t in self.trees} | {os.path.abspath(t): t for t in self.trees}
        self.files = [str(Path(r)) for r in roots if not os.path.isdir(r)]
        self.code_dir = code_dir
        self.seen = snapshot(roots)
        self.code = snapshot([code_dir])

    def changes(self, stop: threading.Event) -> Iterator[tuple[str, list[str]]]:
        try:
            yield from self._by_events(stop)
            return
        except (ImportError, OSError, RuntimeError) as error:
            print(f"preview: file events unavailable ({error}); comparing snapshots instead", file=sys.stderr)
        yield from self._by_snapshots(stop)

    def _by_events(self, stop: threading.Event) -> Iterator[tuple[str, list[str]]]:
        from watchfiles import watch

        events = watch(
            *self.trees,
            watch_filter=lambda _change, path: SKIPPED_FOLDER not in Path(path).parts,
            step=SETTLE_MS,
            rust_timeout=int(WATCH_INTERVAL * 1000),
            yield_on_timeout=True,
            stop_event=stop,
        )
        caught_up = False
        for batch in events:
            yield from self._code_and_files()
            # The first tick comes once the events are watched: a full comparison then sees
            # whatever changed between the first snapshot and that moment.
            changed = (
                self._refresh({self._as_seen(path) for _, path in batch} - {None}) if caught_up else self._compare_all()
            )
            caught_up = True
            if changed:
                yield ("site", changed)
            if stop.is_set():
                return

    def _by_snapshots(self, stop: threading.Event) -> Iterator[tuple[str, list[str]]]:
        while not stop.wait(WATCH_INTERVAL):
            yield from self._code_and_files()
            changed = self._compare_all()
            if changed:
                yield ("site", changed)

    def _code_and_files(self) -> Iterator[tuple[str, list[str]]]:
        code = snapshot([self.code_dir])
        if code != self.code:
            changed, self.code = changed_files(self.code, code), code
            yield ("code", changed)
        changed = self._refresh(set(self.files))
        if changed:
            yield ("site", changed)

    def _compare_all(self) -> list[str]:
        now = snapshot(self.trees + self.files)
        changed, self.seen = changed_files(self.seen, now), now
        return changed

    def _refresh(self, paths: set[str]) -> list[str]:
        """Look again at the files or folders events named, as a full snapshot would see them."""
        before: State = {}
        after: State = {}
        for path in paths:
            if path in self.seen or os.path.isfile(path):
                old, new = self.seen.get(path), _stat(path)
                if old is not None:
                    before[path] = old
                if new is not None:
                    after[path] = new
            else:  # a folder: added, moved in, moved away or deleted
                prefix = path + os.sep
                before.update((p, s) for p, s in self.seen.items() if p.startswith(prefix))
                if os.path.isdir(path) and not os.path.islink(path):
                    _walk(path, after)
        changed = changed_files(before, after)
        for path in changed:
            if after.get(path) is None:
                self.seen.pop(path, None)
            else:
                self.seen[path] = after[path]
        return changed

    def _as_seen(self, path: str) -> str | None:
        """An event's file as a snapshot names it, or None if a snapshot does not reach it (a
        linked or skipped folder on the way: events come from inside linked folders too)."""
        for spelled, tree in self.spelled.items():
            if path.startswith(spelled + os.sep):
                seen = tree + path[len(spelled) :]
                folder = os.path.dirname(seen)
                while folder != tree:
                    if os.path.islink(folder) or os.path.basename(folder) == SKIPPED_FOLDER:
                        return None
                    folder = os.path.dirname(folder)
                return seen
        return None
