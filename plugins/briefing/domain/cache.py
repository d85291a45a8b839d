"""The build cache: parsed entries and rendered bodies from earlier builds, by content hash.

A rebuild re-reads every file (a hash is cheap) but re-parses and re-renders only what
changed. The cache is our own plain data, stamped with a salt made of this code and the
versions of the libraries it uses: any change to either starts it afresh.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from ..safety import write_atomically

log = logging.getLogger(__name__)

LIBRARIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "nh3",
    "PyYAML",
    "python-slugify",
    "pycountry",
    "rapidfuzz",
    "pelican",
    "Jinja2",
)
FORMAT = 2


def tree_hash(*roots: Path, extra: str = "") -> str:
    """A hash of every file under `roots` (names and bytes), the libraries' versions and `extra`."""
    digest = hashlib.sha1(f"{FORMAT}|{sys.version}|{extra}".encode())
    versions = _installed_versions()
    for library in LIBRARIES:
        digest.update(f"{library}={versions.get(_dist_key(library), 'none')}".encode())
    for root in roots:
        files = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        )
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _installed_versions() -> dict[str, str]:
    """{distribution: version} from the names of the `*.dist-info` (and `*.egg-info`)
    folders on sys.path, the first one of each name winning, as importlib.metadata finds
    them: the same versions without importing it (60 ms of every check's start-up)."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            for suffix in (".dist-info", ".egg-info"):
                if name.endswith(suffix):
                    dist, _, version = name[: -len(suffix)].partition("-")
                    found.setdefault(_dist_key(dist), version)
    return found


def _dist_key(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def cache_folder(cache_path: str | Path | None = None) -> Path:
    """The build cache's folder: briefing/ under Pelican's CACHE_PATH ("cache" by default),
    where the build and `briefing check` both keep it."""
    return Path(cache_path or "cache") / "briefing"


@functools.lru_cache(maxsize=1)
def domain_salt() -> str:
    """What parsed entries and rendered bodies depend on: the domain code and its libraries."""
    return tree_hash(Path(__file__).resolve().parent)


class BuildCache:
    """Two tables that survive between builds: drafts by (path, file hash), bodies by key. Each
    is a file of its own, and the bodies are read only when first asked for: `briefing check`
    renders nothing and never reads them."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.salt = domain_salt()
        self.drafts: dict[tuple[str, str], tuple] = self._load("drafts") or {}
        self._bodies: dict[str, object] | None = None if self.folder else {}
        self._used_drafts: set = set()
        self._used_bodies: set = set()
        self._drafts_changed = False
        self._bodies_changed = False

    def _path(self, table: str) -> Path | None:
        return self.folder / f"content-{table}.pickle" if self.folder else None

    def _load(self, table: str):
        path = self._path(table)
        if path is None or not path.is_file():
            return None
        try:
            with open(path, "rb") as handle:
                salt, found = pickle.load(handle)
        except Exception as exc:  # a damaged cache is only slower, never wrong
            log.warning("ignoring the build cache %s: %s", path, exc)
            return None
        return found if salt == self.salt else None

    @property
    def bodies(self) -> dict[str, object]:
        if self._bodies is None:
            self._bodies = self._load("bodies") or {}
        return self._bodies

    @bodies.setter
    def bodies(self, value: dict[str, object]):
        self._bodies = value

    def draft(self, key):
        found = self.drafts.get(key)
        if found is not None:
            self._used_drafts.add(key)
        return found

    def keep_draft(self, key, value):
        self.drafts[key] = value
        self._used_drafts.add(key)
        self._drafts_changed = True

    def body(self, key: str):
        found = self.bodies.get(key)
        if found is not None:
            self._used_bodies.add(key)
        return found

    def keep_body(self, key: str, value):
        self.bodies[key] = value
        self._used_bodies.add(key)
        self._bodies_changed = True

    def save(self):
        """Write the tables back, keeping only what this build used (so the cache never grows);
        the bodies only when this run looked at them."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "content.pickle").unlink(missing_ok=True)  # the one-file cache of before
        if self._drafts_changed or len(self.drafts) != len(self._used_drafts):
            self.drafts = {k: v for k, v in self.drafts.items() if k in self._used_drafts}
            self._write("drafts", self.drafts)
        if self._bodies is not None and (self._bodies_changed or len(self._bodies) != len(self._used_bodies)):
            self._bodies = {k: v for k, v in self._bodies.items() if k in self._used_bodies}
            self._write("bodies", self._bodies)
        self._drafts_changed = self._bodies_changed = False

    def _write(self, table: str, value):
        path = self._path(table)
        assert path is not None  # only called with a folder
        tables = (self.salt, value)
        write_atomically(path, lambda handle: pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL))


@functools.lru_cache(maxsize=65536)
def _target_bytes(target) -> bytes:
    return repr(target).encode()  # made once per entity, not once per body that names it


def body_key(source: str, mentions) -> str:
    """The cache key of a body rendered with these mention targets (the source's length first:
    no body can pass for another one followed by targets)."""
    digest = hashlib.sha1(b"%d:" % len(source) + source.encode("utf-8", "surrogatepass"))
    for target in mentions:
        digest.update(b"\0" + _target_bytes(target))
    return digest.hexdigest()
