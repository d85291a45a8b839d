"""`briefing check`: every content file checked, at the cost of what changed since the last check.

The check is the pre-commit hook, so it runs on every commit, and most commits change
nothing or one entry's body. Its cache (`cache/briefing/check-*.pickle`) holds two files
(three after a cold check of a large site: check_split.py), each a stamp of this code (read
first) and then its contents:

- the index: each entry's and profile's signature (the hash of its bytes) and stat, an
  entry's hash of its front matter's bytes, the diagnostics its own parse gave, and every other diagnostic of the last
  full check (`rest`: names, registry, near misses, events, duplicate addresses...) under a
  key of all that `rest` depends on besides the entries' front matter (the code, today's
  date, --explain, the list of entry files, the profiles' and editorial files' hashes, the
  stray files); and the drafts of the few entries changed since the drafts file was written;
- the drafts: each entry's front matter as read (its draft without the body) and its
  resolution (check_site.EntryRecord) under the key of the registry it was resolved
  against, and each profile's and editorial file's parse result, by signature (written by
  a forked process while the cross-file checks run).

A check stats every entry (an unchanged stat keeps its signature unread, as git's index
does), hashes the others and compares: nothing changed replays the index; entries whose
front matter reads as before (only bodies changed) are parsed again alone and their own
diagnostics replace the old ones (names, events and every cross-file check read front matter
only); anything else builds the registry from every cached draft, parses only the changed
files, resolves only the entries whose front matter or registry changed, and runs the
cross-file checks on the records (check_site.py). Every way prints the same lines in the
same order as a check without cache and as the build's own assemble_site:
`tests/test_check_cache.py` compares them after each kind of edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from ..safety import worker_pool
from . import diagnostics as diag
from .cache import domain_salt
from .check_store import FORMAT, INDEX, CheckStore
from .content_files import ContentFiles, find_content, read_content_file, shown_path, working_directory

# The parser, the registry and the check's assembly are imported where a check needs them: a
# check that replays its cache starts without them (a fifth of its time).

RACY_NS = 2_000_000_000  # a file modified this close before a check is hashed again by the next
PROFILE_WEIGHT = 40  # a profile or editorial file takes about 40% of an entry's parsing time
OVERLAY_LIMIT = 200  # entries changed since the drafts file was written, kept in the index instead
SPLIT_FROM = 2_000  # entries to parse, none cached, from which a cold check splits (check_split.py)


@dataclass
class CheckResult:
    """The diagnostics, sorted, and the files found (None when the folder is missing); `path`
    says which way the check went: 'replay', 'bodies' or 'full' (for tests and timings)."""

    problems: list
    files: ContentFiles | None
    path: str = "full"
    write_cache: Callable[[], None] = lambda: None


def check_content(
    content_dir,
    cache_dir: Path | None = None,
    *,
    explain: bool = False,
    today: dt.date | None = None,
    later: bool = False,
) -> CheckResult:
    """Check every file under `content_dir`; with `cache_dir`, reuse and update the check's
    cache. With `later` (the command), the drafts files are written only when the caller,
    having printed the answer, calls the result's `write_cache()`, by processes that outlive
    this one (check_store.detached); else before this returns."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        return CheckResult([diag.error(str(content_dir), 1, 1, "content folder not found")], None)
    store = CheckStore(cache_dir)
    try:
        result = _check(content_dir, store, explain, today or dt.date.today())
    finally:
        if not later:
            store.finish()
    if later:
        result.write_cache = lambda: store.finish(detach=True)
    return result


def _check(content_dir: Path, store: CheckStore, explain: bool, today: dt.date) -> CheckResult:
    files = find_content(content_dir)
    index = store.load(INDEX)
    started = time.time_ns()
    shown = _shown(files.entry_texts)
    sigs, stats, changed, hashed = _read_entries(files, shown, index)
    others, hashed_others = _file_sigs(files, index, (sigs, stats))
    key = _context_key(files, shown, others, explain, today)
    early: dict = {}  # entries _body_edits parsed, for _full_check
    if index is not None and index["key"] == key:
        found = _body_edits(index, changed, early) if changed else {}
        if found is not None:
            parse = {**index["parse"], **found}
            if hashed or hashed_others:  # new stats (or a later start) to keep: the next check reads fewer files
                carried = {name: index.get(name) for name in ("overlay", "events", "registry")}
                store.save_index(key, (started, sigs, stats), index["fronts"], parse, index["rest"], carried)
            return CheckResult(_combine(index["rest"], parse), files, "bodies" if changed else "replay")
    return _full_check(store, files, shown, (started, sigs, stats), changed, others, key, explain, today, early)


def _shown(paths: Sequence[Path | str]) -> list[str]:
    """shown_path of each path; a relative path without '.' or '..' parts is its own shown
    path when the working directory's path holds no link (0.5 s less at 100,000 entries)."""
    cwd = working_directory()
    plain = os.sep == "/" and os.getcwd() + os.sep == cwd
    out = []
    for path in paths:
        text = str(path)
        if plain and not text.startswith(("/", ".")) and "/." not in text and "//" not in text:
            out.append(text)
        else:
            out.append(shown_path(path, cwd))
    return out


def _combine(rest, parse: dict) -> list:
    return sorted(set(rest).union(*parse.values()))


def _signature(raw: bytes | None, problems: list) -> str:
    """The hash of a file's bytes, or for a file that cannot be read, its reasons."""
    if raw is None:
        return "unreadable:" + "|".join(p.gcc() for p in problems)
    return hashlib.sha1(raw).hexdigest()


def _lstat(path: Path | str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _stat(found: os.stat_result | None) -> tuple | None:
    """What tells that a regular file is as it was without reading it (as git's index does):
    size, change and modification times and inode, of its lstat; None for anything else (a
    link is read)."""
    if found is None or not S_ISREG(found.st_mode):
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _read_entries(files: ContentFiles, shown: list[str], index: dict | None) -> tuple[dict, dict, dict, int]:
    """({shown path: signature}, {shown path: stat}, {shown path: (bytes or None, read
    problems)} for each entry whose signature differs from the last check's, how many files
    were read); the profile and editorial files' signatures and stats are in the first two
    as well (see _file_sigs). With no index every entry is changed and none is read yet
    (None in place of its bytes: _full_check reads it, and sets its signature and stat)."""
    old_sigs = index["sigs"] if index else {}
    sigs: dict = {}
    stats: dict = {}
    changed: dict = {}
    hashed = 0
    if index is None:  # cold: every file is looked at and read where it is parsed (by two processes: check_split.py)
        changed = dict.fromkeys(shown)
        return sigs, stats, changed, len(changed)
    for name, raw, problems in _read_changed(files.entry_texts, shown, files.root, index, (sigs, stats)):
        hashed += 1
        if old_sigs.get(name) != sigs[name]:
            changed[name] = (raw, problems)
    return sigs, stats, changed, hashed


def _read_changed(
    paths: Sequence[Path | str], shown: list[str], root: Path, index: dict | None, into: tuple[dict, dict]
):
    """(shown path, bytes or None, read problems) of each file read, its signature and stat
    put `into` (signatures, stats). A file whose stat is as the last check saw it keeps its
    signature unread, unless it was modified less than RACY_NS before that check began (it
    could have changed again within the same tick)."""
    sigs, stats = into
    old_sigs, old_stats = (index["sigs"], index["stats"]) if index else ({}, {})
    trusted_before = index["started"] - RACY_NS if index else 0
    for path, name in zip(paths, shown, strict=True):
        looked = _lstat(path)
        stat = stats[name] = _stat(looked)
        if stat is not None and old_stats.get(name) == stat and stat[1] < trusted_before and name in old_sigs:
            sigs[name] = old_sigs[name]
            continue
        problems: list = []
        raw = read_content_file(path, name, root, problems, looked)
        sigs[name] = _signature(raw, problems)
        yield name, raw, problems


def read_entry_file(path: Path | str, name: str, root: Path, into: tuple[dict, dict]) -> tuple:
    """(bytes or None, read problems) of an entry, its signature and stat put `into`
    (signatures, stats); the stat is taken before the read (as _read_changed does), unless
    it was taken already."""
    sigs, stats = into
    looked = None
    if name not in stats:
        looked = _lstat(path)
        stats[name] = _stat(looked)
    problems: list = []
    raw = read_content_file(path, name, root, problems, looked)
    sigs[name] = _signature(raw, problems)
    return raw, problems


def _file_sigs(files: ContentFiles, index: dict | None, into: tuple[dict, dict]) -> tuple[dict, int]:
    """({path: (shown path, signature)} of the profile and editorial files, how many were
    read): each read only when its stat changed, as entries are."""
    paths = [*files.profiles, *files.editorial]
    shown = _shown(paths)
    hashed = sum(1 for _ in _read_changed(paths, shown, files.root, index, into))
    return {path: (name, into[0][name]) for path, name in zip(paths, shown, strict=True)}, hashed


def _context_key(files: ContentFiles, shown: list[str], others: dict, explain: bool, today: dt.date) -> str:
    """What every diagnostic but the entries' own depends on, besides their front matter."""
    parts = (
        FORMAT,
        domain_salt(),
        today.isoformat(),
        explain,
        tuple(shown),
        tuple(others.values()),
        tuple(p.gcc() for p in files.strays),
    )
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _front_matter(draft):
    """What of a draft the rest of the check reads: all but the body (and the bytes' hash)."""
    if draft is None or (not draft.body and not draft.source_hash):
        return draft
    return dataclasses.replace(draft, body="", source_hash="")


def _parse(name: str, raw: bytes | None, problems: list) -> tuple:
    """(front matter of the draft or None, the file's own diagnostics, the front matter's hash)."""
    if raw is None:
        return None, problems, ""
    from .frontmatter import read_entry

    draft, found = read_entry(name, raw, front_only=True)
    return _front_matter(draft), found, "" if draft is None else _front_hash(raw)


def _front_hash(raw: bytes) -> str:
    """The hash of a file's bytes up to the end of its front matter's closing line: equal
    hashes are equal drafts but for the body (the parser's own split, on text, never ends
    later than this one on bytes; where they differ this one takes more, which is only
    slower). A file with no closing line is hashed whole."""
    first_end = raw.find(b"\n") + 1
    end = None
    if first_end and raw[:first_end].rstrip() == b"---":
        end = _closing_line_end(raw, first_end - 1)
    return hashlib.sha1(raw if end is None else raw[:end]).hexdigest()


def _closing_line_end(raw: bytes, newline: int) -> int | None:
    """Where the first line after the newline at `newline` that is '---' or '...' once
    trailing white space (as bytes.rstrip strips it) is gone ends, its newline included;
    found by literal searches (a multiline regular expression tries every byte)."""
    while True:
        dashes = raw.find(b"\n---", newline)
        dots = raw.find(b"\n...", newline, len(raw) if dashes < 0 else dashes)
        found = dots if dots >= 0 else dashes
        if found < 0:
            return None
        line_end = raw.find(b"\n", found + 1)
        if not raw[found + 4 : len(raw) if line_end < 0 else line_end].strip(b" \t\r\x0b\x0c"):
            return len(raw) if line_end < 0 else line_end + 1
        newline = found + 1


_JOBS: list = []  # (shown path, bytes) to parse: set before forking, so workers inherit them


def _parse_range(bounds: tuple[int, int]) -> list:
    return [_parse(name, raw, []) for name, raw in _JOBS[bounds[0] : bounds[1]]]


def _parse_all(changed: dict, meanwhile=lambda: None, weight: int = 0) -> tuple[dict, Any]:
    """({shown path: (front matter, diagnostics, hash)} for the changed entries, what
    `meanwhile()` returned); when there are many, a forked worker parses a share while this
    process runs `meanwhile` (worth `weight` entries: the profiles) and parses the rest (only
    the worker's drafts, without bodies, come back through the pipe)."""
    readable = [(name, raw) for name, (raw, _) in changed.items() if raw is not None]
    out = {name: (None, problems, "") for name, (raw, problems) in changed.items() if raw is None}
    from .loader import worker_count

    count = worker_count(0, len(readable))
    _JOBS[:] = readable
    try:
        if count > 1:
            first = min(len(readable), -(-(len(readable) + weight) // count))
            size = max(1, -(-(len(readable) - first) // (count - 1)))
            shares = [(0, first)] + [(i, min(i + size, len(readable))) for i in range(first, len(readable), size)]
            with worker_pool(count - 1) as pool:
                futures = [pool.submit(_parse_range, share) for share in shares[:-1]]
                aside = meanwhile()
                last = _parse_range(shares[-1])
                parsed = [r for future in futures for r in future.result()] + last
        else:
            aside = meanwhile()
            parsed = _parse_range((0, len(readable)))
    finally:
        _JOBS.clear()
    out.update(zip((name for name, _ in readable), parsed, strict=True))
    return out, aside


def _body_edits(index: dict, changed: dict, early: dict) -> dict | None:
    """{shown path: its diagnostics} when every changed entry's front matter reads as it did
    in the last full check (only bodies changed), else None. Front matter is compared by the
    hash of its bytes (_front_hash): equal hashes are equal drafts (a differing hash of equal
    drafts, such as an edited comment, only takes the longer way). Each parse result goes
    into `early`, so that the longer way does not parse it again."""
    found = {}
    for name, (raw, problems) in changed.items():
        _, own, front = early[name] = _parse(name, raw, problems)
        if not front or index["fronts"].get(name) != front:
            return None
        found[name] = tuple(own)
    return found


def _full_check(store, files, shown, read, changed, others, key, explain, today, early=None) -> CheckResult:
    """The check's assembly (check_site.py, check_reuse.py) on every entry's front matter,
    cached ones reused and cached resolutions too while the registry's inputs are unchanged;
    entries' parse diagnostics kept apart so a body edit can replace them. `early`: the parse
    results _body_edits already made."""
    from . import check_reuse as reuse

    _, sigs, stats = read
    stored = store.load_drafts() or {"entries": {}, "profiles": {}}
    index = store.load(INDEX) or {}
    kept = {**stored["entries"], **index.get("overlay", {})}
    todo = {n: changed.get(n) for n in shown if n in changed or kept.get(n, ("",))[reuse.SIG] != sigs[n]}
    paths = dict(zip(shown, files.entry_texts, strict=True))
    fresh = sum(1 for p, (_, sig) in others.items() if stored["profiles"].get(p, ("",))[0] != sig)
    profiles_job = (lambda: reuse.profiles_of(files, others, stored["profiles"]), PROFILE_WEIGHT * fresh // 100)
    if not kept and len(todo) >= SPLIT_FROM and (os.cpu_count() or 1) > 1:  # cold: see check_split.py
        from .check_split import split_check

        done = split_check(store, files, (todo, paths, sigs, stats), profiles_job[0], (today, explain, others))
        if done is not None:
            rest, parse, fronts, carried = done
            store.save_index(key, read, fronts, parse, tuple(rest), {"overlay": {}, **carried})
            return CheckResult(_combine(rest, parse), files, "full")
    for name in todo:
        if todo[name] is None:  # not read yet (cold), or unchanged since the last check but its draft not kept
            todo[name] = read_entry_file(paths[name], name, files.root, (sigs, stats))
    early = {n: found for n, found in (early or {}).items() if n in todo}
    parsed, (profiles, profile_cache) = _parse_all({n: todo[n] for n in todo if n not in early}, *profiles_job)
    parsed.update(early)
    kept_now: dict = {}

    def keep(records: dict, events):
        """Once every entry is resolved: what the next check reuses, in the index (a few
        entries) or in the drafts file, written once the check has answered (CheckStore.finish)."""
        stores = {}
        for n in shown:
            under, record = records.get(n, ("", None))
            if n in parsed:
                stores[n] = reuse.kept_entry(sigs[n], parsed[n][2], parsed[n][0], parsed[n][1], under, record)
            else:
                old = kept[n]
                stores[n] = old if old[reuse.RESOLVED_UNDER] == under else (*old[:3], under, record, *old[5:])
        overlay = {n: stores[n] for n in shown if not reuse.same_kept(stored["entries"].get(n), stores[n])}
        if len(overlay) > OVERLAY_LIMIT or profile_cache != stored["profiles"]:
            store.save_drafts_later(stores, profile_cache)
            overlay = {}
        kept_now["overlay"], kept_now["events"] = overlay, events

    context = (store, (index.get("events"), index.get("registry")), explain, today, others)
    rest, held = reuse.assemble(files, shown, parsed, kept, profiles, context, keep)
    own = {n: parsed[n][1] if n in parsed else kept[n][reuse.OWN] for n in shown}
    parse = {n: tuple(own[n]) for n in shown if own[n]}
    fronts = {n: parsed[n][2] if n in parsed else kept[n][reuse.FRONT] for n in shown}
    carried = {"overlay": kept_now["overlay"], "events": kept_now["events"].saved, "registry": held}
    store.save_index(key, read, fronts, parse, tuple(rest), carried)
    return CheckResult(_combine(rest, parse), files, "full")
