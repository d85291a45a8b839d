"""The live preview's open data and calendars: made again from the whole model after a content
edit (after a body edit only when an entry's summary changed: they hold no body), each file
written with write-then-rename where its bytes changed, by a forked worker that inherits the
model.

Outside the preview server an update forks that worker before its pages and waits for it
after them. In the server (`background_data`) the update forks nothing: it leaves the data
files *owed*, and the server starts the worker once the saves pause (LivePreview.when_quiet).
A process forked from the preview and still alive when the next save's update runs costs that
update a copy of every memory page it writes to: 0.2-0.3 s at 10,000 entries (measured on a
country edit, alive or not, alternated). settle() starts an owed worker and waits for it.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from ..safety import worker_pool
from .datafiles import DataSink, open_data

if TYPE_CHECKING:
    from pathlib import Path

_DATA_JOB: dict = {}  # {"live": LiveSite} while a forked worker makes its data files


def _changed_data() -> tuple[list[str], dict[str, str], list[str]]:
    return _DATA_JOB["live"].changed_data()  # (not niced: settle() and the next worker wait for it)


class LiveDataFiles:
    """LiveSite's data files (a mixin: it reads the site, the generator and the output, and
    removes files through LiveSite._remove)."""

    output: Path
    generator: Any  # (LiveSite's: its settings, config)
    _data: dict[str, str]  # each data file's digest, as the last worker recorded it
    _pending: tuple | None  # (ExitStack, Future, Update) of a data worker not yet settled
    owed: object | None  # the update whose data files wait for the saves to pause (background_data)

    def _remove(self, urls) -> list[str]:
        raise NotImplementedError

    def start_owed(self):
        """Fork the worker the last content update owes, if it owes one."""
        if self.owed is not None:
            update, self.owed = self.owed, None
            self._start_data(update)

    def _start_data(self, update):
        """Fork a worker (it inherits the model) that makes the data files; wait_data() records
        what it did in `update` (any earlier worker is waited for first)."""
        self.wait_data()
        stack = ExitStack()
        try:
            pool = stack.enter_context(worker_pool(1))
            _DATA_JOB["live"] = self
            self._pending = (stack, pool.submit(_changed_data), update)
        except BaseException:
            stack.close()
            raise
        finally:
            _DATA_JOB.clear()  # (the worker forked at submit)

    def data_pending(self):
        return self._pending[1] if self._pending is not None else None  # the data worker not yet settled

    def settle(self):
        """The data files as the model makes them: an owed worker started, and waited for."""
        self.start_owed()
        self.wait_data()

    def wait_data(self):
        """Wait for the data worker, if one runs, and record what it wrote in its update."""
        if self._pending is None:
            return
        stack, future, update = self._pending
        self._pending = None
        try:
            result = future.result()
        finally:
            stack.close()
        self._rewrite_data(update, result)

    @property
    def data(self) -> dict[str, str]:
        """Each data file's digest (an owed or running data worker is waited for)."""
        self.settle()
        return self._data

    def changed_data(self) -> tuple[list[str], dict[str, str], list[str]]:
        """The open data and calendars (made from the whole model, as a build makes them): the
        URLs of the files whose bytes changed (each written atomically), every file's digest,
        and the URLs of the files gone."""
        sink = DataSink(self.output, previous=self._data)
        open_data(self.site, self.generator.settings, self.generator.config, sink)
        return sink.changed, sink.digests, sorted(self._data.keys() - sink.digests.keys())

    def _rewrite_data(self, update, data: tuple[list[str], dict[str, str], list[str]]):
        """What changed_data() did, recorded: files gone from the site removed."""
        changed, digests, gone = data
        update.rendered += changed
        update.written += changed + self._remove(gone)
        self._data = digests
        return update
