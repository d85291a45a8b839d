"""A progress line for builds that run longer than a few seconds on a terminal.

Logs and CI output stay one summary line: nothing is drawn unless stderr is a terminal.
The line counts the files in the staging folder, so it is right however many worker
processes write pages. It appears only once pages are being written: every content
diagnostic has been printed by then, so no error line is ever drawn over.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time

SHOW_AFTER = 3.0  # seconds; a shorter build prints only its summary
INTERVAL = 0.5

# Held while a line is drawn. The build forks worker processes while this thread may be
# drawing; forks wait for the lock, so no worker starts with the stream's lock held.
_DRAWING = threading.Lock()
os.register_at_fork(before=_DRAWING.acquire, after_in_parent=_DRAWING.release, after_in_child=_DRAWING.release)


def count_files(folder: str) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def progress_line(elapsed: float, files: int) -> str:
    return f"Building... {elapsed:.0f} s, {files:,} files written"


class BuildProgress:
    """Redraws one terminal line with the build's elapsed time and files written so far."""

    def __init__(self, folder: str, stream=None, after: float = SHOW_AFTER, clock=time.monotonic):
        self.folder, self.stream, self.after, self.clock = folder, stream or sys.stderr, after, clock
        self.started = clock()
        self.drawn = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def wanted(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def tick(self):
        elapsed = self.clock() - self.started
        files = count_files(self.folder) if elapsed >= self.after else 0
        if files:
            with _DRAWING:
                self.stream.write("\r\x1b[K" + progress_line(elapsed, files))
                self.stream.flush()
            self.drawn = True

    def start(self) -> BuildProgress:
        if self.wanted:
            self._thread = threading.Thread(target=self._run, name="build-progress", daemon=True)
            self._thread.start()
            atexit.register(self.stop)  # a failed build must not leave a half-drawn line
        return self

    def _run(self):
        while not self._stop.wait(INTERVAL):
            self.tick()

    def stop(self):
        """Stop drawing and clear the line, so the summary (or an error) starts on a clean line."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
