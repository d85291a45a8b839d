"""The search index writer: Pagefind bundles for /search/, part of every build.

Records come straight from the site model (records.py), in bundles of whole years (or of
whole months, for a year too big for one Pagefind service) plus the entity pages, written to
/pagefind/<bundle>/. The build hands the search page a manifest (each bundle's name, years,
months if it holds part of a year, metadata file and cache tag) so that the page can ask for every
file it needs at once, before any script runs. With the build cache on, each bundle is kept
under the cache folder by the hash of its records: a bundle whose records are unchanged is
linked from there, so an edit re-indexes one bundle, not the whole site. Fresh or reused, a
bundle has the same bytes: we write its index ourselves in Pagefind's format
(bundle_writer.py), one bundle per forked worker, and take Pagefind's script and WebAssembly
from Pagefind. Any failure stops the build: a site whose search silently lacks entries is
worse than no new site.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from ..domain.cache import tree_hash
from ..domain.config import BriefingConfig
from ..memory import give_back_freed_memory
from ..safety import exchange_paths, link_or_copy, process_running, worker_pool
from .records import BROWSE_WORD, Bundle, BundlePlan, bundle_names, planned_bundles, site_bundles
from .service import INDEX_CHUNK, VERSION, BundleFormatError, PagefindError, pagefind_assets, pagefind_binary
from .words import WordRules

FAILED = "Build failed: the search index could not be written; the previous output is unchanged."
FORMAT = 6  # bump when records or bundle post-processing change: cached bundles are then rebuilt


def search_enabled(config) -> bool:
    """BRIEFING["search"] and the environment (BRIEFING_SEARCH=off, for quick previews) agree."""
    return config.search and os.environ.get("BRIEFING_SEARCH", "").strip().lower() not in ("off", "0", "false", "no")


@functools.cache
def _writer_digest() -> str:
    """The code that makes a bundle's bytes (its records, the writer, their JSON) and the
    libraries that encode and gzip them: a bundle kept by other code is never taken for this
    code's, which would write the same contents in other bytes (as when libdeflate's gzip took
    zlib's place under the same FORMAT)."""
    import deflate
    import orjson

    search = Path(__file__).resolve().parent
    return tree_hash(search, search.parent / "compact_json.py", extra=f"{deflate.__version__} {orjson.__version__}")


def bundle_key(bundle: Bundle) -> str:
    text = f"pagefind {VERSION} format {FORMAT} chunk {INDEX_CHUNK} writer {_writer_digest()} {bundle.digest}"
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def _link_tree(source: Path, destination: Path):
    """Hard-link (or copy, across file systems) a finished bundle into the output."""
    for folder, _, files in os.walk(source):
        target = destination / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            link_or_copy(Path(folder) / name, target / name)


@functools.cache
def _word_rules() -> WordRules:
    """One per process: the pieces of text it has worked out are kept for the next bundle."""
    return WordRules()


def _index(bundle: Bundle, folder: Path, binary: Path):
    """Index one bundle and write its files into the new folder `folder`."""
    from .bundle_writer import write_bundle  # (numpy's import, 0.08 s: only for a build that indexes)

    files = write_bundle(bundle.records, INDEX_CHUNK, _word_rules(), VERSION)
    assets = pagefind_assets(binary)
    files.update(assets)
    # For hosts that serve precompressed siblings (see build/compress.py); Pagefind's other files are gzip already.
    files["pagefind.js.gz"] = _gzipped_script(assets["pagefind.js"])
    shutil.rmtree(folder, ignore_errors=True)
    folders = {os.path.dirname(relative) for relative in files}
    for name in sorted(folders, key=len):  # (the bundle's own folder first: "" is the shortest)
        os.makedirs(folder / name, exist_ok=True)
    for relative, data in files.items():  # some 2,000 files a bundle: one write each, no look-ups
        descriptor = os.open(folder / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)


@functools.cache
def _gzipped_script(script: bytes) -> bytes:
    return gzip.compress(script, compresslevel=9, mtime=0)


class BundleStore:
    """Finished bundles under the cache folder, one per (bundle name, records hash)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, bundle: Bundle) -> Path:
        return self.folder(bundle.name, bundle_key(bundle))

    def folder(self, name: str, key: str) -> Path:
        return self.root / f"{name}-{key}"

    def has(self, bundle: Bundle) -> bool:
        return (self.path(bundle) / "pagefind-entry.json").is_file()

    def build(self, bundle: Bundle, binary: Path):
        """Index into a private folder, then rename it into place (atomic; concurrent builds agree)."""
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".partial-{os.getpid()}-{bundle.name}"
        try:
            _index(bundle, partial, binary)
            try:
                os.rename(partial, self.path(bundle))
            except OSError:  # another build finished the same bundle first: same bytes
                if not self.has(bundle):
                    raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    def prune(self, keep: dict[str, str]):
        """Drop every bundle but those just used ({name: key}; years regroup as a site grows),
        and other builds' abandoned partials."""
        kept = {self.folder(name, key).name for name, key in keep.items()}
        for path in self.root.glob("*"):
            partial = path.name.startswith(".partial-")
            if (partial and not _running(path.name.split("-")[1])) or (not partial and path.name not in kept):
                shutil.rmtree(path, ignore_errors=True)


def _running(pid: str) -> bool:
    return pid.isdigit() and process_running(int(pid))


_JOB: dict = {}  # what _run_plan needs, set before the workers fork (they inherit it)


def _run_plan(number: int) -> tuple[str, str, bool]:
    """Make one bundle's records, index them unless the store has them, and let them go (their
    memory back to the system: see memory.py): (its name, its key, whether it was indexed)."""
    plan, target, binary, store = _JOB["plans"][number], _JOB["target"], _JOB["binary"], _JOB["store"]
    bundle = plan.bundle()
    key = bundle_key(bundle)
    fresh = store is None or not store.has(bundle)
    if store is None:
        _index(bundle, target / bundle.name, binary)
    elif fresh:
        store.build(bundle, binary)
    del bundle
    give_back_freed_memory()
    return plan.name, key, fresh


def build_search_index(
    site,
    output_path,
    *,
    cache_dir: Path | None = None,
    workers: int = 0,
    minimum: int = BriefingConfig.search_bundle_records,
    maximum: int = BriefingConfig.search_bundle_max_records,
):
    """Write /pagefind/ into `output_path`; return (manifest for the search page,
    {bundle name: "indexed" | "reused"})."""
    plans = planned_bundles(site, minimum, maximum=maximum)
    target = Path(output_path) / "pagefind"
    target.mkdir(parents=True, exist_ok=True)
    store = BundleStore(Path(cache_dir) / "search") if cache_dir else None
    binary = pagefind_binary()
    pagefind_assets(binary)  # once, before the workers fork: they inherit it
    count = workers or min(os.cpu_count() or 1, 4)
    count = max(1, min(count, len(plans)))
    _JOB.update(plans=plans, target=target, binary=binary, store=store)
    order = sorted(range(len(plans)), key=lambda n: -plans[n].size)  # the longest first: even shares
    try:
        if count == 1:
            done = [_run_plan(n) for n in order]
        else:
            with worker_pool(count) as pool:
                done = list(pool.map(_run_plan, order))
    finally:
        _JOB.clear()
    keys = {name: key for name, key, _ in done}  # bundle name -> its key
    indexed = {name for name, _, fresh in done if fresh}
    if store is not None:
        for plan in plans:
            _link_tree(store.folder(plan.name, keys[plan.name]), target / plan.name)
        store.prune(keys)
    manifest = {
        "version": VERSION,
        "browse": BROWSE_WORD,
        "bundles": [_manifest_entry(plan, keys[plan.name], target / plan.name) for plan in plans],
    }
    return manifest, {p.name: "indexed" if p.name in indexed else "reused" for p in plans}


def _manifest_entry(bundle: Bundle | BundlePlan, tag: str, folder: Path) -> dict:
    """What the search page needs to know of a bundle before loading it."""
    try:
        language = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["en"]
    except (OSError, ValueError, KeyError) as error:
        raise BundleFormatError(f"{folder.name}/pagefind-entry.json: unreadable ({error})") from error
    entry = {
        "name": bundle.name,
        "years": list(bundle.years),
        "pages": bundle.pages,
        "meta": language["hash"],
        "tag": tag,  # Pagefind's metaCacheTag: a stable URL for its entry file
    }
    if bundle.months:  # part of a split year: the search page confines newest-first lists by month
        entry["months"] = list(bundle.months)
    return entry


def write_search_index(site, output_path, config, cache_dir: Path | None, timings: dict | None = None):
    """The build's search step: the manifest for the search page, or None when switched off.
    Any failure ends the build with a clear message and exit code 1, before the new output
    replaces the old."""
    if not search_enabled(config):
        return None
    started = time.monotonic()
    try:
        manifest, _ = build_search_index(
            site,
            output_path,
            cache_dir=cache_dir,
            workers=config.workers,
            minimum=config.search_bundle_records,
            maximum=config.search_bundle_max_records,
        )
    except (PagefindError, BundleFormatError, OSError) as error:
        print(f"error: search index: {error}", file=sys.stderr)
        print(FAILED, file=sys.stderr)
        raise SystemExit(1) from None
    if timings is not None:
        timings["search"] = time.monotonic() - started
    return manifest


class LiveIndex:
    """The preview's search index: bundles swapped one by one into an output folder that is
    being served (each folder renamed into place). Only bundles whose records changed since
    they were written are indexed again; the manifest for the search page keeps the entries
    of the others."""

    def __init__(self, output_path: Path, cache_dir: Path | None):
        self.target = Path(output_path) / "pagefind"
        self.store = BundleStore(Path(cache_dir) / "search") if cache_dir else None
        self.written: dict[str, str] = {}  # bundle name -> key of the bundle in the output
        self.entries: dict[str, dict] = {}  # bundle name -> its manifest entry

    def refresh(self, bundles: list[Bundle], names: list[str]) -> tuple[dict, list[str]]:
        """Write each of `bundles` that changed, remove bundles not in `names`: (the manifest
        for the search page, the names indexed)."""
        binary = pagefind_binary()
        self.target.mkdir(parents=True, exist_ok=True)
        indexed = []
        for bundle in bundles:
            key = bundle_key(bundle)
            final = self.target / bundle.name
            if self.written.get(bundle.name) != key or not final.is_dir():
                fresh = self.target / f".{bundle.name}.new-{os.getpid()}"
                shutil.rmtree(fresh, ignore_errors=True)
                if self.store is None:
                    _index(bundle, fresh, binary)
                else:
                    if not self.store.has(bundle):
                        self.store.build(bundle, binary)
                    _link_tree(self.store.path(bundle), fresh)
                _swap(fresh, final)
                self.written[bundle.name] = key
                indexed.append(bundle.name)
            self.entries[bundle.name] = _manifest_entry(bundle, key, final)
            bundle.drop_texts()  # (every bundle's records are here: one bundle's texts at a time)
        for stale in set(self.written) - set(names):
            shutil.rmtree(self.target / stale, ignore_errors=True)
            self.written.pop(stale, None)
            self.entries.pop(stale, None)
        bundles_listed = [self.entries[name] for name in names if name in self.entries]
        return {"version": VERSION, "browse": BROWSE_WORD, "bundles": bundles_listed}, indexed


def _swap(fresh: Path, final: Path):
    if not final.exists():
        os.rename(fresh, final)
    elif exchange_paths(fresh, final):
        shutil.rmtree(fresh, ignore_errors=True)
    else:  # no renameat2: a moment without the folder, never a half-written one
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.rename(final, old)
        os.rename(fresh, final)
        shutil.rmtree(old, ignore_errors=True)


def live_bundles(site, config, years: set[int] | None) -> tuple[list[Bundle], list[str]]:
    """The bundles to refresh after an edit (those holding `years`, or all), and every bundle's
    name, sized by the BRIEFING settings in `config`."""
    minimum, maximum = config.search_bundle_records, config.search_bundle_max_records
    return site_bundles(site, minimum, years, maximum), bundle_names(site, minimum, maximum)
