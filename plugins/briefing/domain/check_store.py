"""The check's two cache files (see check.py): each a stamp of this code, read first, then
its contents; a damaged or foreign one is ignored (the check is only slower)."""

from __future__ import annotations

import logging
import multiprocessing
import pickle
from pathlib import Path

from ..safety import write_atomically
from .cache import domain_salt

log = logging.getLogger(__name__)

FORMAT = 4
INDEX, DRAFTS = "check-index", "check-drafts"


class CheckStore:
    """The check's two cache files; a damaged or foreign one is ignored (only slower)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._loaded: dict = {}

    def _path(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{name}.pickle"

    def load(self, name: str) -> dict | None:
        """The file's contents, or None when it is missing, damaged or written by other code
        (its stamp, the first of its two pickles, is read before the rest: a cache of an
        older version is never unpickled). Silent: the check prints the same either way."""
        if name in self._loaded:
            return self._loaded[name]
        found = None
        if self.folder is not None and self._path(name).is_file():
            try:
                with open(self._path(name), "rb") as handle:
                    if pickle.load(handle) == (FORMAT, domain_salt()):
                        found = pickle.load(handle)
            except Exception as exc:  # a damaged cache is only slower, never wrong
                log.debug("ignoring the check cache %s: %s", self._path(name), exc)
            found = found if isinstance(found, dict) else None
        self._loaded[name] = found
        return found

    def _save(self, name: str, value: dict):
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)

        def write(handle):
            pickle.dump((FORMAT, domain_salt()), handle, protocol=5)
            pickle.dump(value, handle, protocol=5)

        write_atomically(self._path(name), write)

    def save_index(self, key: str, read: tuple, fronts: dict, parse: dict, rest: tuple, overlay: dict):
        """`read`: (when this check began, signatures, stats); `overlay`: the drafts of entries
        changed since the drafts file was written (a small edit does not write it again)."""
        started, sigs, stats = read
        index = {"key": key, "started": started, "sigs": sigs, "stats": stats, "fronts": fronts}
        self._save(INDEX, {**index, "parse": parse, "rest": rest, "overlay": overlay})

    def save_drafts_aside(self, entries: dict, profiles: dict):
        """Write the drafts file from a forked process (it inherits them: nothing is copied),
        returned to be joined; a writer that fails leaves the old file, only slower."""
        if self.folder is None:
            return None
        value = {"entries": entries, "profiles": profiles}
        writer = multiprocessing.get_context("fork").Process(target=self._save, args=(DRAFTS, value))
        writer.start()
        return writer
