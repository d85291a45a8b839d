"""The check's cache files (see check.py, check_split.py): each a stamp of this code, read first, then
its contents; a damaged or foreign one is ignored (the check is only slower)."""

from __future__ import annotations

import copyreg
import logging
import multiprocessing
import pickle
from pathlib import Path

from ..safety import write_atomically
from .cache import domain_salt
from .model import Kind

log = logging.getLogger(__name__)

# A kind is pickled by its name in the model (COUNTRY...), so that it unpickles as the model's
# own object, not a copy: kinds are compared with `is` (the registry file holds entities).
copyreg.pickle(Kind, lambda kind: kind.name.upper())

FORMAT = 5  # 5: kept drafts pickled one by one, with their Definitions, dates and own diagnostics
INDEX, DRAFTS, SHARD = "check-index", "check-drafts", "check-drafts-1"  # SHARD: see check_split.py
REGISTRY = "check-registry"  # the registry as built, with what it was built from (check_reuse.py)


class CheckStore:
    """The check's two cache files; a damaged or foreign one is ignored (only slower)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._loaded: dict = {}
        self.writers: list = []  # forked processes writing a file, joined by join_writers()

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

    def save_index(self, key: str, read: tuple, fronts: dict, parse: dict, rest: tuple, carried: dict):
        """`read`: (when this check began, signatures, stats); `carried`: 'overlay', the drafts
        of entries changed since the drafts file was written (a small edit does not write it
        again), 'events' and 'registry', what check_reuse.py keeps of those (or None)."""
        started, sigs, stats = read
        index = {"key": key, "started": started, "sigs": sigs, "stats": stats, "fronts": fronts}
        self._save(INDEX, {**index, "parse": parse, "rest": rest, **carried})

    def save_aside(self, name: str, value: dict, first=None):
        """Write a file from a forked process (it inherits `value` as it is now: nothing is
        copied, and this process may go on changing it), after running `first()` there; a
        writer that fails leaves the old file, only slower."""
        if self.folder is not None:
            writer = multiprocessing.get_context("fork").Process(target=self._save_after, args=(name, value, first))
            writer.start()
            self.writers.append(writer)

    def _save_after(self, name: str, value: dict, first):
        if first is not None:
            first()
        self._save(name, value)

    def join_writers(self):
        for writer in self.writers:
            writer.join()
        self.writers.clear()

    def load_drafts(self) -> dict | None:
        """The drafts file, over the far half's share of the split cold check that wrote it
        (check_split.py); an entry in both is the drafts file's. Entries are checked against
        the files' signatures when used, so a share older than the drafts file is only slower."""
        drafts, shard = self.load(DRAFTS), self.load(SHARD)
        if shard is None or not isinstance(shard.get("entries"), dict):
            return drafts
        if drafts is None:
            return {"entries": shard["entries"], "profiles": {}}
        return {**drafts, "entries": {**shard["entries"], **drafts["entries"]}}

    def save_shard(self, entries: dict):
        """The far half's share of the drafts (written by the far process itself)."""
        from .check_reuse import as_written

        self._save(SHARD, {"entries": as_written(entries)})

    def save_drafts_aside(self, entries: dict, profiles: dict, whole: bool = True):
        """Write the drafts file from a forked process (it inherits them: nothing is copied),
        returned to be joined (join_writers joins it too); a writer that fails leaves the old
        file, only slower. `whole`: `entries` holds every entry, so a split check's far share
        is dropped."""
        if self.folder is None:
            return None
        if whole:
            self._path(SHARD).unlink(missing_ok=True)
        writer = multiprocessing.get_context("fork").Process(target=self._save_drafts, args=(entries, profiles))
        writer.start()
        self.writers.append(writer)
        return writer

    def _save_drafts(self, entries: dict, profiles: dict):
        """The drafts file, each draft pickled on its own here, in the writer (check_reuse.py)."""
        from .check_reuse import as_written

        self._save(DRAFTS, {"entries": as_written(entries), "profiles": profiles})
