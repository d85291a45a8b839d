"""The build cache: parsed entries and rendered bodies from earlier builds, by content hash.

A rebuild re-reads every file (a hash is cheap) but re-parses and re-renders only what
changed. The cache is our own plain data, stamped with a salt made of this code and the
versions of the libraries it uses: any change to either starts it afresh.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import sys
from importlib import metadata
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
FORMAT = 1


def tree_hash(*roots: Path, extra: str = "") -> str:
    """A hash of every file under `roots` (names and bytes), the libraries' versions and `extra`."""
    digest = hashlib.sha1(f"{FORMAT}|{sys.version}|{extra}".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
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


def cache_folder(cache_path: str | Path | None = None) -> Path:
    """The build cache's folder: briefing/ under Pelican's CACHE_PATH ("cache" by default),
    where the build and `briefing check` both keep it."""
    return Path(cache_path or "cache") / "briefing"


@functools.lru_cache(maxsize=1)
def domain_salt() -> str:
    """What parsed entries and rendered bodies depend on: the domain code and its libraries."""
    return tree_hash(Path(__file__).resolve().parent)


class BuildCache:
    """Two tables that survive between builds: drafts by (path, file hash), bodies by key."""

    def __init__(self, folder: Path | None):
        self.path = Path(folder) / "content.pickle" if folder else None
        self.salt = domain_salt()
        self.drafts: dict[tuple[str, str], tuple] = {}
        self.bodies: dict[str, object] = {}
        self._used_drafts: set = set()
        self._used_bodies: set = set()
        self._changed = False
        self._bodies_consulted = False  # `briefing check` renders nothing: keep the bodies then
        self._load()

    def _load(self):
        if self.path is None or not self.path.is_file():
            return
        try:
            with open(self.path, "rb") as handle:
                salt, drafts, bodies = pickle.load(handle)
        except Exception as exc:  # a damaged cache is only slower, never wrong
            log.warning("ignoring the build cache %s: %s", self.path, exc)
            return
        if salt == self.salt:
            self.drafts, self.bodies = drafts, bodies

    def draft(self, key):
        found = self.drafts.get(key)
        if found is not None:
            self._used_drafts.add(key)
        return found

    def keep_draft(self, key, value):
        self.drafts[key] = value
        self._used_drafts.add(key)
        self._changed = True

    def body(self, key: str):
        self._bodies_consulted = True
        found = self.bodies.get(key)
        if found is not None:
            self._used_bodies.add(key)
        return found

    def keep_body(self, key: str, value):
        self.bodies[key] = value
        self._used_bodies.add(key)
        self._changed = True

    def save(self):
        """Write the tables back, keeping only what this build used (so the cache never grows)."""
        if self.path is None:
            return
        if self._bodies_consulted:
            self.bodies = {k: v for k, v in self.bodies.items() if k in self._used_bodies}
        unused = len(self.drafts) - len(self._used_drafts)
        if not self._changed and not unused and not self._bodies_consulted:
            return
        drafts = {k: v for k, v in self.drafts.items() if k in self._used_drafts}
        bodies = self.bodies
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tables = (self.salt, drafts, bodies)
        write_atomically(self.path, lambda handle: pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL))


def body_key(source: str, mentions) -> str:
    return hashlib.sha1(repr((source, tuple(mentions))).encode()).hexdigest()
