"""Atomic output: the build writes into a staging folder beside the output and swaps it in
only when everything succeeded, so a failed or killed build leaves the old site as it was."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..safety import exchange_paths, link_or_copy, process_running, safe_relative_path


def staging_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"


def leftovers(output: Path) -> list[Path]:
    """Staging (and old-output) folders of builds that failed or were killed. A folder whose
    build is still running is not a leftover: a second build at the same time leaves it alone."""
    found = []
    for pattern in (f".{output.name}.staging-*", f".{output.name}.old-*"):
        for path in output.parent.glob(pattern):
            pid = path.name.rsplit("-", 1)[1]
            if path.is_dir() and not (pid.isdigit() and process_running(int(pid))):
                found.append(path)
    return sorted(found)


def clean_leftovers(output: Path):
    for path in leftovers(output):
        shutil.rmtree(path, ignore_errors=True)


def publish(staging: Path, output: Path):
    """Put the finished staging folder where the output was, then drop the old output."""
    if not output.exists():
        os.replace(staging, output)
        return
    if exchange_paths(staging, output):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)


_WRITE_SIZE = 1 << 20


def in_blocks(parts: Iterable, size: int) -> Iterator[list]:
    """The parts (text or bytes) in lists of at least `size` characters or bytes, each ending at
    the first part that fills it, the last with the rest (empty when there are no parts)."""
    block: list = []
    filled = 0
    for part in parts:
        block.append(part)
        filled += len(part)
        if filled >= size:
            yield block
            block, filled = [], 0
    yield block


def _write_all(handle: int, data: bytes):
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _make_folder(folder: str):
    """`os.makedirs(folder, exist_ok=True)` in one system call where the parent is there, as it
    is for nearly every page: makedirs asks whether the parent exists first (a stat for each
    of 33,000 page folders: about 0.1 s of a build at 10,000 entries)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)  # what open(path, "wb") asks for


class PageWriter:
    """Writes pages by URL into the output folder, never outside it, never twice."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)
        self.written: dict[str, str] = {}  # url -> kind, for the build summary
        self._folders: set[str] = set()

    def path_for(self, url: str) -> str:
        """The file for a URL: `/a/b/` -> a/b/index.html. Refuses any URL that could leave root."""
        relative = url[1:] + ("index.html" if url.endswith("/") else "")
        try:
            if not url.startswith("/"):
                raise ValueError(url)
            return os.path.join(self.root, safe_relative_path(relative))
        except ValueError:
            raise ValueError(f"refusing to write outside the output folder: {url!r}") from None

    def _target(self, url: str) -> str:
        if url in self.written:
            raise ValueError(f"two pages want the same address: {url}")
        target = self.path_for(url)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            _make_folder(folder)
            self._folders.add(folder)
        return target

    def link(self, url: str, previous: str, kind: str = "page"):
        """Reuse an unchanged page of the previous output (a hard link: no bytes rewritten)."""
        link_or_copy(previous, self._target(url))
        self.written[url] = kind

    def write_bytes(self, url: str, data: bytes, kind: str = "page"):
        """A file written as given (CSV and iCalendar end their lines with CRLF), by the
        system calls themselves: a Python file object (a FileIO and its buffer) for each of
        37,000 files cost more than their writes on tmpfs."""
        handle = os.open(self._target(url), _NEW_FILE, 0o666)
        try:
            _write_all(handle, data)
        finally:
            os.close(handle)
        self.written[url] = kind

    def write_parts(self, url: str, parts: Iterable[bytes], kind: str = "page"):
        """A file written from its parts as they come (a large one is never whole in memory),
        in writes of about a mebibyte."""
        handle = os.open(self._target(url), _NEW_FILE, 0o666)
        try:
            for block in in_blocks(parts, _WRITE_SIZE):
                _write_all(handle, b"".join(block))
        finally:
            os.close(handle)
        self.written[url] = kind

    def write(self, url: str, text: str, kind: str = "page"):
        """A page as UTF-8, its lines as given (encoded here: cheaper than a text-mode file)."""
        self.write_bytes(url, text.encode("utf-8"), kind)
