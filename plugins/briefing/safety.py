"""File and process safety: one home for what must hold whatever is on disk or in the process table.

- read_regular_file: a content file is read only if it is a regular file (a symbolic link only
  when it resolves inside the content folder), its size is checked before reading, and at most
  limit + 1 bytes are read. A link to /dev/zero, a FIFO or a 1.5 GB file costs nothing.
- worker_pool, start_tied_process, stop_workers: worker processes and helper programs ask the
  kernel to kill them when the build that started them dies (Linux PR_SET_PDEATHSIG), so none
  outlives a killed build (and writes into its staging folder); an interrupted build stops
  them itself before it removes its staging folder.
- process_running: whether a folder named after a process id still belongs to a live build.
- link_or_copy, write_atomically: reuse a file without rewriting it; replace a file whole.
- safe_relative_path: a path from outside (a URL, a file name Pagefind returns) that cannot
  leave the folder it is joined to.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import multiprocessing
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # imported where a pool is made: `briefing check` starts without it
    from concurrent.futures import ProcessPoolExecutor


class UnsafeFile(Exception):
    """A file that is not read; `reason` says why, for the caller's message."""

    LINK_OUTSIDE = "link-outside"
    LINK_MISSING = "link-missing"
    NOT_REGULAR = "not-regular"
    TOO_LARGE = "too-large"

    def __init__(self, reason: str, detail: str = "", size: int = 0):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.size = reason, detail, size


_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def file_kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "special file")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_regular_file(
    path: Path | str, limit: int, root: Path | str | None = None, looked: os.stat_result | None = None
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UnsafeFile (OSError for the rest).

    lstat first (or `looked`, the lstat the caller has just taken): a symbolic link is
    followed only when it resolves inside `root` (when given); the size is checked before
    reading; the file is opened non-blocking and checked again on the open descriptor (a FIFO
    swapped in meanwhile cannot hang the read); at most limit + 1 bytes are read, so a file
    that grows while it is read is still refused. The first read asks for one byte more than
    the open file holds: one that comes back short at that size is the whole file."""
    target = os.fspath(path)
    info = os.lstat(target) if looked is None else looked
    if stat.S_ISLNK(info.st_mode):
        resolved = os.path.realpath(target)
        if root is not None and not _inside(resolved, os.path.realpath(root)):
            raise UnsafeFile(UnsafeFile.LINK_OUTSIDE, resolved)
        try:
            info = os.stat(resolved)
        except FileNotFoundError:
            raise UnsafeFile(UnsafeFile.LINK_MISSING, resolved) from None
        target = resolved
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(UnsafeFile.NOT_REGULAR, file_kind(info.st_mode))
    if info.st_size > limit:
        raise UnsafeFile(UnsafeFile.TOO_LARGE, size=info.st_size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since the lstat
            raise UnsafeFile(UnsafeFile.NOT_REGULAR, "symbolic link") from None
        raise
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise UnsafeFile(UnsafeFile.NOT_REGULAR, file_kind(opened.st_mode))
        chunks, size = [], 0
        wanted = min(opened.st_size + 1, limit + 1)
        while size <= limit:
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < wanted and size == opened.st_size:
                break
            wanted = min(1 << 20, limit + 1 - size)
    finally:
        os.close(fd)
    if size > limit:
        raise UnsafeFile(UnsafeFile.TOO_LARGE, size=max(size, opened.st_size))
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# --- processes ---

_PR_SET_PDEATHSIG = 1


def _prctl():
    """libc's prctl, looked up once in the parent (a child between fork and exec should call
    as little as possible), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def die_with_parent(parent: int | None = None):
    """In a child: have the kernel send SIGKILL when the parent dies (Linux PR_SET_PDEATHSIG).
    If the parent died before the call, exit at once."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def outlive_parent():
    """In a child of die_with_parent: no longer die with the parent (its work is its own now)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, 0, 0, 0, 0)


def _worker_started(parent: int):
    """A pool worker leaves Ctrl-C to the build (which stops it) and dies with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


@contextlib.contextmanager
def worker_pool(count: int) -> Iterator[ProcessPoolExecutor]:
    """Forked workers (they inherit the site model) that die with the process that forked them.
    What exists when they fork is frozen out of the collector's reach while the pool lives, as
    Python's documentation advises for fork: a worker's collections then never walk (and so never
    copy the pages of) the inherited model, and the parent's walk only what is new. Pools may
    overlap (the preview's search worker holds one while a save forks another): the heap is
    unfrozen when the last one ends."""
    from concurrent.futures import ProcessPoolExecutor

    with (
        frozen_heap(),
        ProcessPoolExecutor(
            max_workers=count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_started,
            initargs=(os.getpid(),),
        ) as pool,
    ):
        yield pool


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """What exists now out of the collector's reach while forked processes share it (see
    worker_pool); unfrozen when the last such stretch ends."""
    with _POOLS_LOCK:
        gc.freeze()
        _POOLS_OPEN[0] += 1
    try:
        yield
    finally:
        with _POOLS_LOCK:
            _POOLS_OPEN[0] -= 1
            if _POOLS_OPEN[0] == 0:
                gc.unfreeze()


_POOLS_LOCK = threading.Lock()
_POOLS_OPEN = [0]  # frozen stretches (worker pools, early bodies) open in this process, in any thread


_TIED: weakref.WeakSet = weakref.WeakSet()  # helper programs started with start_tied_process


def start_tied_process(args: list[str], **options) -> subprocess.Popen:
    """subprocess.Popen of a helper program (Pagefind) that the kernel kills with this process."""
    process = subprocess.Popen(args, preexec_fn=die_with_parent if _PRCTL is not None else None, **options)  # noqa: PLW1509
    _TIED.add(process)
    return process


def stop_workers(wait: float = 1.0):
    """Kill every worker this process forked and every helper program it started, and reap them."""
    children = multiprocessing.active_children()
    for child in children:
        child.kill()
    for process in list(_TIED):
        if process.poll() is None:
            process.kill()
    for child in children:
        child.join(wait)


def process_running(pid: int) -> bool:
    """Whether another process with this id is running (a build still writing its folder).
    This process is never "another": its own leftovers from an earlier run are fair game."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, under another user
        return True
    return True


# --- files ---


def link_or_copy(source: Path | str, target: Path | str):
    """Hard-link `source` at `target` (no bytes rewritten), or copy it where no link can be
    made (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_atomically(path: Path | str, data: bytes | Callable[[BinaryIO], object], mode_from=None):
    """Write `data` (bytes, or a function that writes to the open file) to a temporary file
    beside `path`, then rename it over `path`: a reader, or a process killed half-way, never
    sees half a file. `mode_from` is a file whose permissions the new file takes."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(partial, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
        if mode_from is not None:
            shutil.copymode(mode_from, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")


def safe_relative_path(path: str) -> str:
    """`path` if it is a relative path ('/' separators) that cannot leave the folder it is
    joined to: no leading '/', no '.', '..' or empty part, no backslash or control character.
    ValueError otherwise."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") for part in parts)
        or _CONTROL_CHARACTER.search(path)
    ):
        raise ValueError(f"not a safe relative path: {path!r}")
    return path


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
