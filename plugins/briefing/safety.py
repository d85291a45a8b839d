"""File and process safety: one home for what must hold whatever is on disk or in the process table.

- read_regular_file: a content file is read only if it is a regular file (a symbolic link only
  when it resolves inside the content folder), its size is checked before reading, and at most
  limit + 1 bytes are read. A link to /dev/zero, a FIFO or a 1.5 GB file costs nothing.
- die_with_parent: a worker process asks the kernel to kill it when the build that forked it
  dies, so no worker outlives a killed build (and writes into its staging folder).
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import stat
import sys
from pathlib import Path


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


def read_regular_file(path: Path | str, limit: int, root: Path | str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UnsafeFile (OSError for the rest).

    lstat first: a symbolic link is followed only when it resolves inside `root` (when given);
    the size is checked before reading; the file is opened non-blocking and checked again on
    the open descriptor (a FIFO swapped in meanwhile cannot hang the read); at most limit + 1
    bytes are read, so a file that grows while it is read is still refused."""
    target = os.fspath(path)
    info = os.lstat(target)
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
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise UnsafeFile(UnsafeFile.TOO_LARGE, size=max(size, opened.st_size))
    return b"".join(chunks)


# --- processes ---

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None):
    """In a forked worker: have the kernel send SIGKILL when the parent dies (Linux
    PR_SET_PDEATHSIG). If the parent died before the call, exit at once."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
