"""The model a build leaves in the cache for the next `make html`: the derived site, every page's
spec, fingerprint and closures (what the live preview keeps in memory), and the state of every
content file it was built from, so the next build can tell a body edit from any other change.

One file per output folder, `cache/briefing/model-<key>.pickle`: a small header (the salt, the
output folder it describes, each content file's state), then the model. A quick rebuild
(rebuild.py) leaves that file as it is and writes what it changed beside it, in an overlay, so a
body edit never pays for pickling the whole site again; the next full build replaces both.
While a quick rebuild writes into the output, a `.dirty` marker says the model may not describe
it: a build that finds the marker (the last one was killed) takes the full path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import hashlib
import logging
import os
import pickle
import secrets
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..domain.content_files import FLAT_FOLDERS, ContentFiles, find_content, is_editor_litter
from ..domain.frontmatter.source import decode, front_matter_span
from ..safety import write_atomically

log = logging.getLogger(__name__)

FORMAT = 1
RACY_NS = 1_000_000_000  # a file changed this close to a snapshot is hashed again, never trusted by its stat
DUMP_STACK = 512 * 1024 * 1024  # pickling recurses along chains of linked views: a thread with room for it


def stat_key(found: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is as it was without reading it: size, inode and both change times
    (ctime too: a tool that restores an old mtime cannot restore it)."""
    return (found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)


def file_state(raw: bytes, entry: bool) -> tuple[str, str | None]:
    """(hash of the bytes, hash of the front matter as the parser splits it): an entry whose
    front matter hash is unchanged had only its body edited."""
    whole = hashlib.sha1(raw).hexdigest()
    if not entry:
        return whole, None
    text = decode("", raw, [])
    span = front_matter_span(text) if text is not None else None
    if text is None or not isinstance(span, tuple):
        return whole, None  # no front matter to compare: any change to it is not a body edit
    return whole, hashlib.sha1(text[: span[2]].encode("utf-8")).hexdigest()


def read_state(path: Path | str, entry: bool, since_ns: int) -> tuple[tuple | None, bytes | None]:
    """((stat key or None when it is too fresh to trust, whole hash, front hash), the bytes);
    (None, None) for a file that cannot be read or is a link (the build decides what links may do)."""
    try:
        before = os.lstat(path)
        if not stat.S_ISREG(before.st_mode):
            return None, None
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None, None
    trusted = stat_key(before) if before.st_ctime_ns < since_ns - RACY_NS else None
    return (trusted, *file_state(raw, entry)), raw


def listing(files: ContentFiles) -> tuple:
    """The content folder's files and strays: any difference is not a body edit."""
    return (
        tuple(map(str, files.entries)),
        tuple(map(str, files.profiles)),
        tuple(map(str, files.editorial)),
        tuple(files.strays),
    )


def flat_file_hashes(root: Path) -> dict[str, str]:
    """The hash of every file in the profile, digest and page folders, taken before a build reads
    them (they carry no hash of their own, as entries do): a file whose hash is the same after
    the build was built as it is."""
    hashes = {}
    for folder in FLAT_FOLDERS:
        try:
            found = os.scandir(Path(root) / folder)
        except OSError:
            continue
        with found:
            for item in found:
                try:
                    with open(item.path, "rb") as handle:
                        hashes[item.path] = hashlib.sha1(handle.read()).hexdigest()
                except OSError:
                    continue
    return hashes


def content_states(files: ContentFiles, parsed: dict[str, str], started_ns: int) -> dict[str, tuple | None]:
    """Each content file's state after a full build that started at `started_ns`. A file counts
    only when its bytes are those the build read (`parsed`: path -> hash: an entry's source hash,
    the others' flat_file_hashes); any other is None (the next build takes the full path)."""
    states: dict[str, tuple | None] = {}
    entries = set(map(str, files.entries))
    for path in (*files.entries, *files.profiles, *files.editorial):
        name = str(path)
        state, _ = read_state(name, name in entries, started_ns)
        states[name] = state if state is not None and parsed.get(name) == state[1] else None
    return states


def folder_states(root: Path, since_ns: int) -> dict[str, tuple | None]:
    """The stat key of every folder the content listing walks (None when too fresh to trust):
    a file added, removed or renamed changes its folder's, so while they are all as they were
    the listing is too, and need not be made again (find_content)."""
    states: dict[str, tuple | None] = {}
    for folder, dirs, _ in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not is_editor_litter(d)]
        try:
            found = os.stat(folder)
        except OSError:
            return {}
        states[folder] = stat_key(found) if found.st_ctime_ns < since_ns - RACY_NS else None
    return states


def same_folders(folders: dict[str, tuple | None]) -> bool:
    if not folders:
        return False
    for folder, old in folders.items():
        try:
            if old is None or stat_key(os.stat(folder)) != old:
                return False
        except OSError:
            return False
    return True


@dataclass
class Changes:
    """What changed in the content folder since the model was saved."""

    bodies: dict[Path, bytes] = field(default_factory=dict)  # entries whose body alone changed: their bytes
    states: dict[str, tuple] = field(default_factory=dict)  # the new state of each file read again


def content_changes(root: Path, header: Header, now_ns: int) -> Changes | None:
    """The entries whose body alone changed, or None when anything else did (a file added,
    removed or unknown, a front matter, a profile, a page)."""
    if not same_folders(header.folders) and listing(find_content(root)) != header.listing:
        return None
    entries = set(header.listing[0])
    changes = Changes()
    for name, old in header.states.items():
        if old is None:
            return None
        try:
            if old[0] is not None and stat_key(os.lstat(name)) == old[0]:
                continue
        except OSError:
            return None
        state, raw = read_state(name, name in entries, now_ns)
        if state is None or raw is None:
            return None
        if state[1] == old[1]:
            changes.states[name] = state  # touched, not changed
            continue
        if name not in entries or state[2] is None or state[2] != old[2]:
            return None
        changes.bodies[Path(name)] = raw
        changes.states[name] = state
    return changes


@dataclass
class Header:
    """What a build must find as it was to take the quick path, read before the model itself."""

    salt: str
    output: tuple | None  # the output folder it describes: (device, inode, ctime)
    fresh_until: dt.date | None  # the first day a stored "dated in the future" warning may be out of date
    listing: tuple
    states: dict[str, tuple | None]
    folders: dict[str, tuple | None]  # the content folders' stat keys: the listing is as it was while they are
    problems: list  # the build's diagnostics, printed again by a quick rebuild
    parse_problems: dict[str, list]  # those each entry's parse gave, by its shown path
    token: str = field(default_factory=lambda: secrets.token_hex(8))


def folder_identity(folder: Path) -> tuple | None:
    """The output folder as a build left it: another build's folder (swapped in) has another inode
    and ctime; None when it is gone."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_ctime_ns)


class ModelStore:
    """The model of one output folder in the cache folder: save, load, overlay, dirty marker."""

    def __init__(self, cache_dir: Path, output: Path):
        key = hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:16]
        self.base = Path(cache_dir) / f"model-{key}.pickle"
        self.overlay = self.base.with_suffix(".overlay")
        self.dirty = self.base.with_suffix(".dirty")
        self.texts = self.base.with_suffix(".texts")
        self._handle: BinaryIO | None = None
        self.overlay_found: dict | None = None

    def new_overlay(self, header: Header) -> dict:
        """What quick rebuilds change, to apply over the saved model (rebuild.apply_overlay)."""
        return {
            "token": header.token,
            "entries": {},  # shown path -> (source hash, html, text, summary)
            "pages": {},  # page index -> (fingerprint, closures)
            "data": None,  # the open data's digests, when a summary changed them
            "search": None,  # the search manifest, when bundles were indexed again
            "states": {},
            "problems": header.problems,
            "parse_problems": header.parse_problems,
            "output": header.output,
        }

    @contextlib.contextmanager
    def locked(self):
        """One writer of this output folder and its model at a time: a quick rebuild, or a full
        build publishing its folder and keeping its model (a second one waits)."""
        self.base.parent.mkdir(parents=True, exist_ok=True)
        with open(self.base.with_suffix(".lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def forget(self):
        """Before the output changes under a full build: no model may describe it."""
        for path in (self.base, self.overlay, self.dirty, self.texts):
            path.unlink(missing_ok=True)

    def save(self, header: Header, payload: dict, texts: dict[str, str]) -> bool:
        """Header and model in one file (written then renamed), the entries' plain texts (only
        the search step reads them) in another; False, with a log line, when the model cannot
        be pickled (the next build is then a full one, never a wrong one)."""
        self.base.parent.mkdir(parents=True, exist_ok=True)
        failed: list[BaseException] = []

        def dump(handle):
            pickle.dump((FORMAT, header), handle, protocol=5)
            pickle.dump(payload, handle, protocol=5)

        def run():
            try:
                write_atomically(self.texts, lambda handle: pickle.dump((header.token, texts), handle, protocol=5))
                write_atomically(self.base, dump)
            except Exception as error:  # never a traceback: the cache is only an optimisation
                failed.append(error)

        limit = sys.getrecursionlimit()
        try:
            size = threading.stack_size(DUMP_STACK)
            sys.setrecursionlimit(1_000_000)
            try:
                worker = threading.Thread(target=run, name="save-model")
                worker.start()
                worker.join()
            finally:
                threading.stack_size(size)
                sys.setrecursionlimit(limit)
        except (RuntimeError, ValueError, MemoryError) as error:  # no thread of that size here
            failed.append(error)
        self.overlay.unlink(missing_ok=True)
        self.dirty.unlink(missing_ok=True)
        if failed:
            log.warning("the build's model was not kept in the cache: %s", failed[0])
        return not failed

    def header(self) -> Header | None:
        """The saved header with the overlay applied; None when there is none, it is damaged or of
        another format, or a quick rebuild was stopped half-way (the dirty marker)."""
        if self.dirty.exists():
            return None
        try:
            handle = self._handle = open(self.base, "rb")  # noqa: SIM115 (kept open: the model follows the header)
            found, header = pickle.load(handle)
        except Exception:  # absent, truncated or of another version: a full build
            self.close()
            return None
        if found != FORMAT or not isinstance(header, Header):
            self.close()
            return None
        overlay = self._overlay(header.token)
        if overlay is False:
            self.close()
            return None
        if overlay:
            header.states.update(overlay["states"])
            header.output = overlay["output"]
            header.problems, header.parse_problems = overlay["problems"], overlay["parse_problems"]
        self.overlay_found = overlay
        return header

    def _overlay(self, token: str) -> dict | bool | None:
        """The overlay of this model: None when there is none, False when there is one that cannot
        be read or belongs to another model (what it changed in the output is then unknown)."""
        try:
            with open(self.overlay, "rb") as handle:
                found = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:
            return False
        return found if isinstance(found, dict) and found.get("token") == token else False

    def payload(self) -> tuple[dict, dict | None] | None:
        """(the model, the overlay or None) after header(); None when the model is damaged."""
        if self._handle is None:
            return None
        gc.disable()  # a big graph of new objects: the collector would walk it again and again
        try:
            found = pickle.load(self._handle), self.overlay_found
        except Exception as error:
            log.warning("ignoring the build's saved model %s: %s", self.base, error)
            return None
        finally:
            gc.freeze()  # and after: it lives as long as the process, so it is never walked at all
            gc.enable()
            self.close()
        return found

    def load_texts(self, token: str) -> dict[str, str] | None:
        """The entries' plain texts as the last full build saved them (None: damaged or absent)."""
        try:
            with open(self.texts, "rb") as handle:
                found, texts = pickle.load(handle)
        except Exception:
            return None
        return texts if found == token else None

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def begin_update(self):
        """Before a quick rebuild writes into the output."""
        self.dirty.parent.mkdir(parents=True, exist_ok=True)
        self.dirty.touch()

    def end_update(self, overlay: dict):
        """After it: what it changed, beside the model; then the marker goes."""
        write_atomically(self.overlay, lambda handle: pickle.dump(overlay, handle, protocol=5))
        self.dirty.unlink(missing_ok=True)
