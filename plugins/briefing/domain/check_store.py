"""The check's cache files (see check.py, check_split.py): each a stamp of this code, read first, then
its contents; a damaged or foreign one is ignored (the check is only slower)."""

from __future__ import annotations

import contextlib
import copyreg
import fcntl
import logging
import multiprocessing
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

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
WRITING = "check-writing.lock"  # held (flock) by a check and the writers it leaves behind
LOCK_WAIT = 60.0  # seconds a check waits for the last one's writers before it goes on without them


class CheckStore:
    """The check's cache files; a damaged or foreign one is ignored (only slower).

    The index and the drafts files (these the costliest to write: pickling every draft) are
    written by `finish`, which the command calls once it has printed its answer: with `detach`,
    by processes that outlive the check (`detached`). Each holds the lock file that the check
    took when it opened the store (an flock, shared by every process forked while it is open),
    and a check waits for it (up to LOCK_WAIT) before it reads the cache: the next check never
    reads a cache its predecessor is still writing (each file is replaced whole in any case:
    write_atomically)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._loaded: dict = {}
        self.writers: list = []  # forked processes writing a file, joined by join_writers()
        self.pending: list = []  # job(detach) of each process told once the check has answered
        self.later: list[Callable[[], None]] = []  # each file written then (_later)
        self._folder_fd: int | None = None  # the folder this check locked: late writes go there only
        self._lock = self._locked() if self.folder is not None else None

    def _locked(self) -> int | None:
        """The lock file, locked once the last check's writers are done (unlocked where the
        file system has no locks; None if it cannot be opened, or after LOCK_WAIT: then the
        drafts files are not written, only slower)."""
        assert self.folder is not None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._folder_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            lock = os.open(WRITING, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644, dir_fd=self._folder_fd)
        except OSError:
            return None
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return lock
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(lock)
                    return None
                time.sleep(0.02)
            except OSError:  # a file system without locks: the check goes on, unlocked
                return lock

    def finish(self, detach: bool = False):
        """Write what waited for the answer, join the writers and let the lock go (the
        detached writer holds it until it is done). With `detach`, one process writes every
        file in turn: forking a 100,000-entry check took 0.06-0.15 s a writer before it exits."""
        for job in self.pending:
            job(detach)
        writes = self.later
        if writes and detach:
            detached(lambda: _each(writes), self.held())
        else:
            for write in writes:
                write()
        # kept, not freed: freeing what the writes hold (the drafts) cost the command 0.1 s at
        # 10,000 entries before it exits; the store holds it until it goes
        self.written, self.pending, self.later = (self.pending, writes), [], []
        self.join_writers()
        for held in self.held():
            os.close(held)
        self._lock = self._folder_fd = None

    def held(self) -> tuple[int, ...]:
        """The descriptors a detached writer keeps: the lock and the locked folder."""
        return tuple(fd for fd in (self._lock, self._folder_fd) if fd is not None)

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

    def _save(self, name: str, value: dict, late: bool = False):
        """Write a cache file whole; `late` (by a writer that may outlive the check): only
        into the folder this check locked, not into one made since (a cache removed while
        its writer ran stays removed)."""
        if self.folder is None or (late and not self._still_locked()):
            return

        def write(handle):
            pickle.dump((FORMAT, domain_salt()), handle, protocol=5)
            pickle.dump(value, handle, protocol=5)

        if late:
            self._write_in_locked_folder(f"{name}.pickle", write)
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._path(name), write)

    def _write_in_locked_folder(self, filename: str, write: Callable):
        """Write a file whole through the locked folder's descriptor: a folder removed between
        the lock's check and the write (`rm -rf cache` and the next check making a new one)
        takes no file, since nothing can be created in a removed folder."""
        folder = self._folder_fd
        partial = f".{filename}.tmp-{os.getpid()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        try:
            with os.fdopen(os.open(partial, flags, 0o666, dir_fd=folder), "wb") as handle:
                write(handle)
            os.replace(partial, filename, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError as exc:  # the folder removed meanwhile: only slower, and silent
            log.debug("not writing %s: %s", filename, exc)
        finally:
            with contextlib.suppress(OSError):  # gone once renamed
                os.unlink(partial, dir_fd=folder)

    def _still_locked(self) -> bool:
        """Whether the lock file this check holds is still the folder's (the folder was not
        removed or replaced since)."""
        assert self.folder is not None
        try:
            return self._lock is not None and os.stat(self.folder / WRITING).st_ino == os.fstat(self._lock).st_ino
        except OSError:
            return False

    def save_index(self, key: str, read: tuple, fronts: dict, parse: dict, rest: tuple, carried: dict):
        """Have `finish` write the index (after the answer, as the drafts: 0.3 s at 100,000
        entries). `read`: (when this check began, signatures, stats); `carried`: 'overlay', the
        drafts of entries changed since the drafts file was written (a small edit does not
        write it again), 'events' and 'registry', what check_reuse.py keeps of those (or None)."""
        started, sigs, stats = read
        index = {"key": key, "started": started, "sigs": sigs, "stats": stats, "fronts": fronts}
        late = self._lock is not None  # with no lock (a writer hung: LOCK_WAIT) written as the check's own file
        self._later(lambda: self._save(INDEX, {**index, "parse": parse, "rest": rest, **carried}, late=late))

    def save_aside(self, name: str, value: dict, first=None):
        """Write a file from a forked process (it inherits `value` as it is now: nothing is
        copied, and this process may go on changing it), after running `first()` there; a
        writer that fails leaves the old file, only slower."""
        if self.folder is not None:
            writer = multiprocessing.get_context("fork").Process(target=self._save_after, args=(name, value, first))
            writer.start()
            self.writers.append(writer)

    def save_later(self, name: str, value: dict, first=None):
        """Have `finish` write a file, after running `first()` there (with `detach`, in the
        writer's copy of this process): a process forked now would take a core from the
        check before it has answered."""
        if self.folder is not None:
            self._later(lambda: self._save_after(name, value, first))

    def _save_after(self, name: str, value: dict, first):
        if first is not None:
            first()
        self._save(name, value, late=True)

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

        self._save(SHARD, {"entries": as_written(entries)}, late=True)

    def save_drafts_later(self, entries: dict | Callable[[], dict], profiles: dict, whole: bool = True):
        """Have `finish` write the drafts file: `entries`, or what the function returns then
        (in this process, or with `detach` in a detached one); a writer that fails leaves the
        old file, only slower. `whole`: `entries` holds every entry, so a split check's far
        share is dropped."""
        if self.folder is None:
            return
        if whole:
            self._path(SHARD).unlink(missing_ok=True)
        self._later(lambda: self._save_drafts(entries() if callable(entries) else entries, profiles))

    def _later(self, write: Callable[[], None]):
        """Have `finish` call `write()`: in this process, or with `detach` in a detached one."""
        self.later.append(write)

    def _save_drafts(self, entries: dict, profiles: dict):
        """The drafts file, each draft pickled on its own here, in the writer (check_reuse.py)."""
        from .check_reuse import as_written

        self._save(DRAFTS, {"entries": as_written(entries), "profiles": profiles}, late=True)


def _each(writes: list[Callable[[], None]]):
    """Every write, whatever the ones before it did: a file not written is only slower."""
    for write in writes:
        try:
            write()
        except Exception as exc:
            log.debug("a check cache file not written: %s", exc)


def detached(job, keep: tuple[int, ...] = ()) -> None:
    """Run `job()` in a process that outlives this one: a grandchild (so that nothing waits
    for it or is killed with this process), on its own (run_alone): a caller reading this
    command's output, on whatever pipe, sees it end now. Errors are silent: a cache file not
    written is only slower."""
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:
        if os.fork() == 0:
            run_alone(job, keep)
    finally:
        os._exit(0)


def run_alone(job, keep: tuple[int, ...] = ()) -> NoReturn:
    """Run `job()`, then end this process, in a session of its own, its standard streams on
    /dev/null and every other inherited descriptor but `keep` (CheckStore.held) closed."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    start = 3
    for kept in sorted(keep):
        os.closerange(start, kept)
        start = kept + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX"))
    try:
        job()
    except BaseException:
        os._exit(1)
    os._exit(0)
