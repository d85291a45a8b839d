"""The build's progress line: drawn on a terminal once a build has run a few seconds and is
writing pages, cleared before the summary, and never drawn into logs or CI output."""

from __future__ import annotations

import io
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from tools.sites import entry, run_pelican, settings_file, write_files

from briefing.build.progress import BuildProgress, count_files, progress_line


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def folder_with(tmp_path, files: int):
    for i in range(files):
        (tmp_path / f"page-{i}.html").write_text("x", encoding="utf-8")
    return str(tmp_path)


def test_line_shows_elapsed_seconds_and_files_written():
    assert progress_line(12.4, 10234) == "Building... 12 s, 10,234 files written"


def test_nothing_drawn_in_the_first_seconds(tmp_path):
    clock, screen = Clock(), Terminal()
    progress = BuildProgress(folder_with(tmp_path, 3), stream=screen, clock=clock)
    clock.now += 2.9
    progress.tick()
    assert screen.getvalue() == ""


def test_drawn_after_three_seconds_and_cleared_at_the_end(tmp_path):
    clock, screen = Clock(), Terminal()
    progress = BuildProgress(folder_with(tmp_path, 3), stream=screen, clock=clock)
    clock.now += 3.0
    progress.tick()
    clock.now += 1.0
    progress.tick()
    progress.stop()
    assert screen.getvalue() == (
        "\r\x1b[KBuilding... 3 s, 3 files written\r\x1b[KBuilding... 4 s, 3 files written\r\x1b[K"
    )


def test_nothing_drawn_before_the_first_page_so_diagnostics_stay_clean(tmp_path):
    clock, screen = Clock(), Terminal()
    progress = BuildProgress(str(tmp_path / "not-yet"), stream=screen, clock=clock)
    clock.now += 10
    progress.tick()
    progress.stop()
    assert screen.getvalue() == ""


def test_not_a_terminal_starts_nothing(tmp_path):
    log = io.StringIO()
    progress = BuildProgress(folder_with(tmp_path, 3), stream=log, after=0).start()
    time.sleep(0.7)
    progress.stop()
    assert (progress.wanted, progress._thread, log.getvalue()) == (False, None, "")


@pytest.mark.slow
def test_a_long_build_on_a_terminal_shows_progress_then_the_summary(tmp_path):
    """A real build on a pseudo-terminal, held stopped for 3.5 s once its staging folder holds
    a file, so it runs longer than a few seconds however fast the machine is, and the first
    tick after the pause has files to count (waiting for the folder alone lost the race to
    the build's end in a fresh clone: the search step makes its folder before any file)."""
    root = write_files(
        tmp_path,
        {
            f"content/briefings/e{i:03d}.md": entry(
                f"Entry {i}", f"2024-01-{1 + i % 28:02d}", countries="[India, China]"
            )
            for i in range(1000)  # writing goes on after the pause: the tick comes before the build's end
        },
    )
    settings_file(root)
    controller, terminal = pty.openpty()
    env = {**os.environ, "BRIEFING_CACHE": "off"}
    build = subprocess.Popen(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        start_new_session=True,
        env=env,
    )
    os.close(terminal)
    screen = bytearray()

    def read_screen():
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=read_screen, daemon=True)
    reader.start()
    staging = root / f".output.staging-{build.pid}"
    try:
        while not count_files(str(staging)):  # a file, as the line counts them
            time.sleep(0.002)
            assert build.poll() is None, "the build ended before writing"
        os.killpg(build.pid, signal.SIGSTOP)
        time.sleep(3.5)
        os.killpg(build.pid, signal.SIGCONT)
        assert build.wait(timeout=300) == 0
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    reader.join(timeout=10)
    os.close(controller)
    text = screen.decode("utf-8", "replace")
    assert "\r\x1b[KBuilding... " in text, text
    drawn = text.split("\r\x1b[KBuilding... ", 1)[1].split(" s, ", 1)[0]
    assert int(drawn) >= 3
    # The line is cleared before the summary, which starts on a clean line of its own.
    assert "files written\r\x1b[KBuilt " in text
    last_line = text.rstrip("\r\n").split("\n")[-1]
    visible = last_line.rsplit("\r", 1)[-1].replace("\x1b[K", "")  # what the terminal shows once redrawn
    summary = re.fullmatch(r"Built \d+ files \(.*1000 entry.*\); 0 warning\(s\); (\d+\.\d) s", visible)
    assert summary and float(summary[1]) >= 3.5, visible


def test_a_build_into_a_log_has_no_progress_line(site):
    result = site({"content/briefings/a.md": entry("One", "2025-01-01", countries="India")})
    assert result.ok, result.stderr
    assert "\r" not in result.stderr and "Building..." not in result.stderr


def test_the_builds_last_line_is_our_summary_not_pelicans(tmp_path):
    """Issue 18, item 10: `make html` ends with our summary, never "Done: Processed 0 articles"."""
    root = write_files(tmp_path, {"content/briefings/a.md": entry("One", "2025-01-01", countries="India")})
    result = run_pelican(root)  # a real `pelican` process, as `make html` runs it
    assert result.returncode == 0, result.stderr
    assert "Processed" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert re.fullmatch(r"Built \d+ files \(.*1 entry.*\); 0 warning\(s\); \d+\.\d s", result.stderr.splitlines()[-1])
