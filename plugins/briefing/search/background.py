"""The search step beside the pages: a full build that keeps no model writes its search index
from a forked process while its own workers render the pages.

The page workers keep both cores busy only part of the time (they wait on the main process's
serial parts); the index's workers fill the rest. The child runs at the lowest priority (nice
19): the pages' processes get a core whenever they want one, and are not cut into short turns
with the index's, which cost both more CPU (their caches refilled at each turn): at 10,000
entries the build took 0.91 of the time (median of 17 alternated pairs; PERFORMANCE-LOG). The
child is forked before any thread or worker exists, so it inherits the assembled site
(copy-on-write) and nothing half-held; it dies with the build (stopped with the other workers
on any failure or signal) and hands back the search page's manifest through a pipe. Only the
search page waits for it: it is rendered last.
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import signal
import sys
import traceback

from ..memory import map_large_blocks
from ..safety import die_with_parent
from .index import FAILED, write_search_index


def _run(site, output_path, config, parent: int, sender):
    """In the child: write the index; send ("done" or "failed", the manifest, seconds, what it
    would have printed). What it says goes back to the build, which prints it: the child's own
    stderr may be a copy of a redirected one (a build run in-process) that nobody reads."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's: it stops this child
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    os.nice(19)  # the pages first: this child and its workers take what cores they leave (above)
    gc.freeze()  # the inherited model is never walked by this process's collections (no page copied)
    map_large_blocks()  # a bundle's big buffers go back to the system when freed (memory.py)
    timings: dict[str, float] = {}
    said = io.StringIO()
    status, manifest = "failed", None
    try:
        with contextlib.redirect_stderr(said):
            manifest = write_search_index(site, output_path, config, None, timings)
        status = "done"
    except SystemExit:  # write_search_index has said why
        pass
    except BaseException:  # a bug: its traceback, and the build fails
        said.write(traceback.format_exc())
    sender.send((status, manifest, timings.get("search", 0.0), said.getvalue()))
    sender.close()


class BackgroundIndex:
    """write_search_index() in a forked child, started now; result() waits for it."""

    def __init__(self, site, output_path, config):
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_run, args=(site, output_path, config, os.getpid(), sender), name="search-index"
        )  # not a daemon: it forks the workers that write the bundles (it dies with the build all the same)
        self.process.start()
        sender.close()

    def result(self, timings: dict | None = None) -> dict:
        """The search page's manifest; a failed child ends the build (exit 1) as the search step
        in the main process would: the previous output stays as it was."""
        try:
            status, manifest, seconds, said = self.receiver.recv()
        except (EOFError, OSError):  # killed without a word (out of memory, a signal)
            status, manifest, seconds, said = "failed", None, 0.0, ""
        self.process.join()
        self.receiver.close()
        sys.stderr.write(said)
        if status != "done" or self.process.exitcode != 0:
            if not said:
                print(f"error: search index: its process ended (exit code {self.process.exitcode})", file=sys.stderr)
                print(FAILED, file=sys.stderr)
            raise SystemExit(1)
        if timings is not None:
            timings["search"] = seconds
        return manifest

    def stop(self):
        """The build failed elsewhere: no index is needed (its services die with this child)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()
