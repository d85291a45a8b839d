"""The drafts files written after the check has answered (CheckStore.finish, check_store.detached):
the command answers first, its writers outlive it, the next check waits for them and finds
the files whole, and a writer that fails or is left behind leaves no file, never half a file."""

from __future__ import annotations

import ctypes
import datetime as dt
import fcntl
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest
from tools.sites import entry

import briefing.domain.check as check
import briefing.domain.check_reuse as check_reuse
import briefing.domain.check_site as check_site
import briefing.domain.check_store as check_store
from briefing.domain.diagnostics import format_report
from briefing.domain.site import load_site

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 1, 1)
DRAFTS = ("check-drafts.pickle", "check-drafts-1.pickle")


@pytest.fixture(autouse=True)
def no_far_process_left():
    """A test that fails between a split check and its write_cache() leaves the far process
    waiting for its order: ended here, so that the next test's wait for its own writers does
    not wait for it forever (one failure was a hung run)."""
    yield
    for child in multiprocessing.active_children():
        child.join(timeout=20)
        if child.is_alive():
            child.kill()
            child.join()


def site_in(tmp_path, monkeypatch, split: bool) -> Path:
    """Six entries, two of them naming Ana Ortiz (given a country in e5); `split`: a cold
    check on two processes (check_split.py), else on one."""
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    files = {f"e{i}.md": entry(f"Entry {i}", f"2025-06-{i + 10}", countries="[India, China]") for i in range(6)}
    files["e5.md"] = entry(
        "Entry 5", "2025-06-15", countries="[India]", officials="[{name: Ana Ortiz, country: Spain}]"
    )
    files["e1.md"] = entry("Entry 1", "2025-06-11", officials="[Ana Ortiz]", issues="[Tariffs]")
    for name, text in files.items():
        write(tmp_path / "content" / "briefings" / "2025" / name, text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(check, "SPLIT_FROM", 1 if split else 10_000)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return tmp_path / "cache"


def write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built_report() -> str:
    return format_report(load_site(Path("content"), render=False, today=TODAY)[1])


def spy_resolving(monkeypatch) -> list[str]:
    resolved: list[str] = []
    resolve = check_site.resolve_record
    monkeypatch.setattr(
        check_site,
        "resolve_record",
        lambda registry, draft, *rest: resolved.append(draft.path) or resolve(registry, draft, *rest),
    )
    return resolved


@pytest.mark.parametrize("split", [True, False], ids=["split", "one-core"])
def test_the_drafts_are_written_after_the_answer_and_the_next_check_waits_for_them(tmp_path, monkeypatch, split):
    cache = site_in(tmp_path, monkeypatch, split)
    first = check.check_content(Path("content"), cache, today=TODAY, later=True)
    assert (first.path, format_report(first.problems)) == ("full", built_report())
    assert not any((cache / name).exists() for name in ("check-index.pickle", *DRAFTS))  # nothing before the answer
    first.write_cache()  # detached writers: this returns before they are done
    resolved = spy_resolving(monkeypatch)
    write(Path("content/briefings/2025/e0.md"), entry("Entry 0", "2025-06-10", countries="[Chinaa]"))
    second = check.check_content(Path("content"), cache, today=TODAY)  # waits for the writers' lock
    assert format_report(second.problems) == built_report()
    assert format_report(second.problems).endswith("unknown country 'Chinaa' (did you mean 'China'?)")
    assert resolved == ["content/briefings/2025/e0.md"]  # every other entry's record, from the files written
    assert (cache / "check-drafts.pickle").is_file()
    assert (cache / "check-drafts-1.pickle").is_file() == split


def test_the_check_does_not_wait_for_the_far_half_to_write_its_share(tmp_path, monkeypatch):
    """The far process writes on its own once the check has answered: in a session of its
    own, no longer killed with the check, its streams closed (a caller reading the command's
    output sees it end with the command). Its writing here waits for a go the test gives only
    after write_cache() has returned: a check that waited for it would find the share written."""
    cache = site_in(tmp_path, monkeypatch, split=True)
    go, seen = tmp_path / "go", tmp_path / "seen"
    save_shard = check_store.CheckStore.save_shard

    def when_told(store, entries):  # in the far process
        deadline = time.monotonic() + 20
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        dies_with_parent = ctypes.c_int(-1)
        ctypes.CDLL(None).prctl(2, ctypes.byref(dies_with_parent), 0, 0, 0)  # PR_GET_PDEATHSIG
        streams = {os.readlink(f"/proc/self/fd/{fd}") for fd in (0, 1, 2)}
        seen.write_text(f"{dies_with_parent.value} {os.getsid(0) == os.getpid()} {sorted(streams)}")
        save_shard(store, entries)

    monkeypatch.setattr(check_store.CheckStore, "save_shard", when_told)
    first = check.check_content(Path("content"), cache, today=TODAY, later=True)
    first.write_cache()
    assert not (cache / "check-drafts-1.pickle").exists() and not seen.exists()
    go.touch()
    for child in multiprocessing.active_children():
        child.join()
    assert seen.read_text() == "0 True ['/dev/null']"
    assert (cache / "check-drafts-1.pickle").is_file()
    resolved = spy_resolving(monkeypatch)
    assert check.check_content(Path("content"), cache, today=TODAY).path == "replay"
    write(Path("content/briefings/2025/e4.md"), entry("Entry 4", "2025-06-14", countries="[China]"))
    assert format_report(check.check_content(Path("content"), cache, today=TODAY).problems) == built_report()
    assert resolved == ["content/briefings/2025/e4.md"]  # the far half's drafts, from its share


@pytest.mark.parametrize("split", [True, False], ids=["split", "one-core"])
def test_a_writer_that_fails_leaves_no_drafts_file_and_the_next_check_says_the_same(tmp_path, monkeypatch, split):
    cache = site_in(tmp_path, monkeypatch, split)

    written = check_reuse.as_written

    def half(entries):  # the file breaks off half-way: a value that cannot be pickled after the drafts
        return {**written(entries), "zzz": lambda: None}

    monkeypatch.setattr(check_reuse, "as_written", half)
    first = check.check_content(Path("content"), cache, today=TODAY, later=True)
    first.write_cache()
    monkeypatch.setattr(check_reuse, "as_written", written)
    second = check.check_content(Path("content"), cache, today=TODAY)
    assert not [p.name for p in cache.iterdir() if ".tmp-" in p.name]
    assert format_report(second.problems) == format_report(first.problems) == built_report()
    assert second.path == "replay"  # the index, by a writer of its own
    assert not any((cache / name).exists() for name in DRAFTS)


def test_a_writer_whose_cache_was_removed_writes_nothing(tmp_path, monkeypatch):
    cache = site_in(tmp_path, monkeypatch, split=True)
    monkeypatch.setattr(check_store, "detached", lambda job, keep=(): job())  # run here, to be waited for
    first = check.check_content(Path("content"), cache, today=TODAY, later=True)
    remove(cache)  # as `rm -rf cache` while the writers wait or run
    write_and_wait(first)
    assert not cache.exists()
    first = check.check_content(Path("content"), cache, today=TODAY, later=True)
    remove(cache)
    cache.mkdir()  # a new cache folder, as the next check makes, before the late writers write
    (cache / "check-writing.lock").touch()
    write_and_wait(first)
    assert sorted(p.name for p in cache.iterdir()) == ["check-writing.lock"]


def remove(cache: Path):
    """`rm -rf cache`, again if the check's registry writer (still running) made a file in it
    meanwhile: the folder must go, whatever the writer does."""
    for _ in range(100):
        shutil.rmtree(cache, ignore_errors=True)
        if not cache.exists():
            return
        time.sleep(0.01)
    raise AssertionError(f"{cache} could not be removed")


def write_and_wait(checked):
    """write_cache(), then wait for the far process: it writes its share on its own."""
    checked.write_cache()
    for child in multiprocessing.active_children():
        child.join()


def test_a_late_write_goes_only_into_the_folder_the_check_locked(tmp_path, monkeypatch):
    """The folder removed and made again between the writer's look at the lock and its write
    (the window that left a stray file under load): the write goes through the locked
    folder's descriptor, so the new folder gets nothing; into the locked folder it lands."""
    cache = tmp_path / "cache"
    store = check_store.CheckStore(cache)
    store._save("check-registry", {"kept": 1}, late=True)
    assert store.load("check-registry") == {"kept": 1}
    looked = store._still_locked

    def replaced_after_the_look() -> bool:
        answer = looked()
        shutil.rmtree(cache)
        cache.mkdir()
        return answer

    monkeypatch.setattr(store, "_still_locked", replaced_after_the_look)
    store._save("check-registry", {"kept": 2}, late=True)
    assert list(cache.iterdir()) == []
    store.finish()


def test_a_check_that_cannot_take_the_lock_answers_the_same_without_drafts(tmp_path, monkeypatch):
    cache = site_in(tmp_path, monkeypatch, split=True)
    cache.mkdir(parents=True)
    held = os.open(cache / "check-writing.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)  # a writer that never ends
    monkeypatch.setattr(check_store, "LOCK_WAIT", 0.2)
    try:
        result = check.check_content(Path("content"), cache, today=TODAY)
    finally:
        os.close(held)
    assert (result.path, format_report(result.problems)) == ("full", built_report())
    assert not any((cache / name).exists() for name in DRAFTS)
    assert check.check_content(Path("content"), cache, today=TODAY).path == "replay"
