"""The preview's watcher: what it names after each kind of change on disk, by file events
and, where those cannot be had, by comparing snapshots; always what a full snapshot sees."""

from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

import pytest

from briefing.tools import watcher as watching
from briefing.tools.watcher import ChangeWatcher, snapshot


class Running:
    """The watcher's changes, gathered by a thread as the preview's loop would take them."""

    def __init__(self, watcher: ChangeWatcher):
        self.watcher = watcher
        self.stop = threading.Event()
        self.out: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        for item in self.watcher.changes(self.stop):
            self.out.put(item)

    def next(self):
        return self.out.get(timeout=10)

    def nothing_more(self):
        time.sleep(0.8)
        assert self.out.empty(), self.out.get()

    def close(self):
        self.stop.set()
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def tree(tmp_path):
    content = tmp_path / "content"
    (content / "briefings" / "2025").mkdir(parents=True)
    (content / "briefings" / "2025" / "a.md").write_text("a")
    (content / "briefings" / "2025" / "b.md").write_text("b")
    (tmp_path / "outside").mkdir()
    (content / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "pelicanconf.py").write_text("SITENAME = 'x'\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "plugin.py").write_text("x = 1\n")
    return tmp_path


def roots(tree: Path) -> list[str]:
    return [str(tree / "content"), str(tree / "pelicanconf.py")]


def started(tree: Path) -> Running:
    running = Running(ChangeWatcher(roots(tree), tree / "code"))
    ready = tree / "content" / "ready.md"
    ready.write_text("go")
    assert running.next() == ("site", [str(ready)])
    return running


def test_each_kind_of_change_is_named_once_as_a_full_snapshot_sees_it(tree):
    running = started(tree)
    year = tree / "content" / "briefings" / "2025"
    try:
        (year / "a.md").write_text("a, saved")
        assert running.next() == ("site", [str(year / "a.md")])

        fresh = tree / "fresh"
        fresh.mkdir()
        (fresh / "x.md").write_text("x")
        (fresh / "deep").mkdir()
        (fresh / "deep" / "y.md").write_text("y")
        fresh.rename(tree / "content" / "briefings" / "2026")
        moved_in = tree / "content" / "briefings" / "2026"
        assert running.next() == ("site", [str(moved_in / "deep" / "y.md"), str(moved_in / "x.md")])

        moved_in.rename(tree / "content" / "briefings" / "2027")
        moved = tree / "content" / "briefings" / "2027"
        assert running.next() == (
            "site",
            [
                str(moved_in / "deep" / "y.md"),
                str(moved_in / "x.md"),
                str(moved / "deep" / "y.md"),
                str(moved / "x.md"),
            ],
        )

        (year / "b.md").unlink()
        assert running.next() == ("site", [str(year / "b.md")])

        (tree / "outside" / "behind-a-link.md").write_text("not walked by a snapshot")
        (tree / "content" / "__pycache__").mkdir()
        (tree / "content" / "__pycache__" / "m.pyc").write_bytes(b"\0")
        running.nothing_more()

        (tree / "pelicanconf.py").write_text("SITENAME = 'y'\n")
        assert running.next() == ("site", [str(tree / "pelicanconf.py")])
        (tree / "code" / "plugin.py").write_text("x = 22\n")
        assert running.next() == ("code", [str(tree / "code" / "plugin.py")])
        assert running.watcher.seen == snapshot(roots(tree))
    finally:
        running.close()


def test_a_save_before_events_are_watched_and_one_during_an_update_are_both_seen(tree):
    watcher = ChangeWatcher(roots(tree), tree / "code")
    a = tree / "content" / "briefings" / "2025" / "a.md"
    b = tree / "content" / "briefings" / "2025" / "b.md"
    a.write_text("saved while the first build ran")
    stop = threading.Event()
    changes = watcher.changes(stop)
    try:
        assert next(changes) == ("site", [str(a)])
        b.write_text("saved while the preview was busy updating")  # the loop is not waiting now
        time.sleep(0.5)
        assert next(changes) == ("site", [str(b)])
    finally:
        stop.set()
        assert list(changes) == []


def test_without_file_events_it_says_so_once_and_compares_snapshots(tree, monkeypatch, capsys):
    def no_events(*_args, **_kwargs):
        raise OSError("OS file watch limit reached")
        yield

    monkeypatch.setattr("watchfiles.watch", no_events)
    monkeypatch.setattr(watching, "WATCH_INTERVAL", 0.05)
    running = started(tree)
    try:
        os.remove(tree / "content" / "briefings" / "2025" / "a.md")
        assert running.next() == ("site", [str(tree / "content" / "briefings" / "2025" / "a.md")])
    finally:
        running.close()
    assert capsys.readouterr().err == (
        "preview: file events unavailable (OS file watch limit reached); comparing snapshots instead\n"
    )


def test_files_are_named_as_the_roots_are_spelled_relative_ones_included(tree, monkeypatch):
    monkeypatch.chdir(tree)
    running = Running(ChangeWatcher(["content", "pelicanconf.py"], Path("code")))
    try:
        time.sleep(0.5)  # the first look, which compares snapshots, is over
        (tree / "content" / "briefings" / "2025" / "a.md").write_text("a, saved")
        assert running.next() == ("site", ["content/briefings/2025/a.md"])
        assert running.watcher.seen == snapshot(["content", "pelicanconf.py"])
    finally:
        running.close()
