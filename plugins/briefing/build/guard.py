"""How a build ends when it cannot finish: one clear line, its workers stopped, its staging
folder removed, the previous output as it was.

- SIGINT (Ctrl-C) and SIGTERM end the build with status 130 and 143 (128 + the signal), as
  shells expect; Pelican would report "Keyboard interrupt received" and exit 0.
- A write that fails (a full disk, a read-only output folder) ends it with status 1 and one
  line, not Pelican's CRITICAL traceback.

Workers die with the build even when it is killed outright (safety.worker_pool).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from pathlib import Path

from ..safety import stop_workers

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class BuildGuard:
    """Installed for one build (Pelican's `initialized` signal), removed when it ends."""

    def __init__(self, staging: Path, final: Path):
        self.staging, self.final = Path(staging), Path(final)
        self.pid = os.getpid()
        self.previous: dict = {}

    def install(self) -> BuildGuard:
        if threading.current_thread() is threading.main_thread():  # signal handlers live there
            self.previous = {number: signal.signal(number, self._interrupted) for number in SIGNALS}
        return self

    def restore(self):
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        self.previous = {}

    def guarded(self, run):
        """Pelican's run(), with every failed write made one line and the handlers removed after."""

        def run_guarded():
            try:
                return run()
            except OSError as error:
                self.fail(error)
            finally:
                self.restore()

        return run_guarded

    def _clean_up(self):
        stop_workers()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _interrupted(self, number, frame):
        if os.getpid() != self.pid:  # a forked worker before it reset its handlers: never clean up
            os._exit(128 + number)
        self._clean_up()
        name = signal.Signals(number).name
        print(
            f"Build interrupted ({name}): stopped and cleaned up; "
            f"the previous site in {self.final.name}/ is as it was.",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.flush()
        os._exit(128 + number)

    def fail(self, error: OSError):
        """One line for a write that failed, then exit status 1."""
        self._clean_up()
        where = str(error.filename or self.final)
        if where.startswith(str(self.staging)):
            where = str(self.final) + where[len(str(self.staging)) :]
        shown = os.path.relpath(where) if not os.path.relpath(where).startswith("..") else where
        print(
            f"Build failed: {error.strerror or error} ({shown}); the previous site in {self.final.name}/ is as it was.",
            file=sys.stderr,
            flush=True,
        )
        raise SystemExit(1)
