"""The split cold check (domain/check_split.py): each process resolves the drafts it parsed,
and the check says what the build says, cold and then warm from the two shares of drafts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import shutil
import time
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest
from test_check_later import spy_resolving
from test_check_sites import CASES, read_site_fixture
from tools.sites import entry

import briefing.domain.check as check
import briefing.domain.check_site as check_site
import briefing.domain.check_split as check_split
from briefing.domain.check_site import EntryRecord
from briefing.domain.diagnostics import format_report
from briefing.domain.site import load_site
from briefing.domain.two_ends import Meeting

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 1, 1)


def site_in(tmp_path, monkeypatch, files: dict[str, str]) -> Path:
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(check, "SPLIT_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return tmp_path / "cache"


def checked(cache: Path | None, way: str = "full") -> str:
    """The cached (or uncached) check's report, asserted equal to the build's."""
    result = check_content_today(cache)
    assert result.path == way
    report = format_report(result.problems)
    assert report == format_report(load_site(Path("content"), render=False, today=TODAY)[1])
    return report


def check_content_today(cache):
    return check.check_content(Path("content"), cache, today=TODAY)


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_every_site_fixture_reads_the_same_split_and_then_warm(tmp_path, monkeypatch, fixture):
    files, expected = read_site_fixture(fixture)
    cache = site_in(tmp_path, monkeypatch, files)
    assert checked(cache) == expected
    assert (cache / "check-drafts.pickle").is_file() and (cache / "check-drafts-1.pickle").is_file()
    assert checked(cache, "replay") == expected
    assert checked(None) == expected


def test_a_front_matter_edit_after_a_split_check_reuses_both_shares(tmp_path, monkeypatch):
    files = {
        f"content/briefings/2025/e{i}.md": entry(f"Entry {i}", f"2025-06-{i + 10}", countries="[India, China]")
        for i in range(6)
    }
    files["content/briefings/2025/e5.md"] = entry(
        "Entry 5",
        "2025-06-15",
        countries="[India]",
        officials="[{name: Ana Ortiz, country: Spain}]",
        issues="[Tariffs]",
    )  # in the far half: the near half's e1 names her, and its Tariffs is the same issue
    files["content/briefings/2025/e1.md"] = entry("Entry 1", "2025-06-11", officials="[Ana Ortiz]", issues="[Tariffs]")
    cache = site_in(tmp_path, monkeypatch, files)
    assert checked(cache) == ""
    resolved = spy_resolving(monkeypatch)
    built: list = []
    build = check_site.build_registry
    monkeypatch.setattr(check_site, "build_registry", lambda *args: built.append(1) or build(*args))
    Path("content/briefings/2025/e0.md").write_text(
        entry("Entry 0", "2025-06-10", countries="[Chinaa]"), encoding="utf-8"
    )
    assert checked(cache).endswith("unknown country 'Chinaa' (did you mean 'China'?)")
    assert resolved == ["content/briefings/2025/e0.md"]  # the others' records, from both shares, are reused
    assert built == []  # and the registry the split check wrote once it had answered
    Path("content/briefings/2025/e5.md").unlink()
    assert "unknown official 'Ana Ortiz'" in checked(cache)


def test_a_far_process_that_dies_leaves_the_check_to_one_core(tmp_path, monkeypatch):
    files, expected = read_site_fixture(FIXTURES / "sites" / "issue-near-miss-blames-the-one-off-spelling.txt")
    cache = site_in(tmp_path, monkeypatch, files)
    monkeypatch.setattr(check_split, "_far_half", lambda connection, *args: os._exit(3))
    assert checked(cache) == expected
    assert not (cache / "check-drafts-1.pickle").exists()
    assert checked(cache, "replay") == expected


def test_a_machine_without_shared_memory_leaves_the_check_to_one_core(tmp_path, monkeypatch):
    files, expected = read_site_fixture(FIXTURES / "sites" / "issue-near-miss-blames-the-one-off-spelling.txt")
    cache = site_in(tmp_path, monkeypatch, files)

    def no_shared_memory(count, chunk):
        raise FileNotFoundError(2, "No such file or directory", "/dev/shm/sem.mp-x")

    monkeypatch.setattr(check_split, "Meeting", no_shared_memory)
    assert checked(cache) == expected
    assert (cache / "check-drafts.pickle").is_file() and not (cache / "check-drafts-1.pickle").exists()


def test_both_halves_keep_each_entry_s_stat_taken_where_it_is_read(tmp_path, monkeypatch):
    """A cold check looks at each file in the process that reads it (not all of them before
    the fork: 0.3 s at 100,000 entries): the index holds every entry's stat, from both
    halves, and the next check trusts them and reads no file."""
    files = {
        f"content/briefings/2025/e{i}.md": entry(f"E{i}", f"2025-06-{i + 10}", countries="[India]") for i in range(6)
    }
    cache = site_in(tmp_path, monkeypatch, files)
    monkeypatch.setattr(check, "RACY_NS", 0)  # trust every unchanged stat at once
    looked_at = far_shares(monkeypatch)
    assert checked(cache) == ""
    assert len(looked_at) == 1 and 0 < looked_at[0] < len(files)  # the far half's share, looked at there
    with open(cache / f"{check.INDEX}.pickle", "rb") as handle:
        pickle.load(handle)  # the stamp
        stats = pickle.load(handle)["stats"]
    for name in files:
        found = os.lstat(name)
        assert stats[name] == (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino), name
    read: list[Path] = []
    original = check.read_content_file
    monkeypatch.setattr(check, "read_content_file", lambda path, *rest: read.append(path) or original(path, *rest))
    assert checked(cache, "replay") == ""
    assert read == []


def far_shares(monkeypatch) -> list[int]:
    """How many stats each far half's report holds: the entries it read, its share."""
    looked_at: list[int] = []
    joined = check_split._joined_report

    def received(parts):
        value = joined(parts)
        looked_at.append(len(value[3]))
        return value

    monkeypatch.setattr(check_split, "_joined_report", received)
    return looked_at


@pytest.mark.parametrize("slow", ["far", "main"])
def test_the_halves_meet_where_the_slower_one_has_got_to(tmp_path, monkeypatch, slow):
    """Each process takes chunks from its end until they meet: one slowed down parses only its
    first share while the other parses the rest, and the check says the same."""
    files = {
        f"content/briefings/2025/e{i:02}.md": entry(f"E{i}", f"2025-06-{i % 28 + 1:02}", countries="[India]")
        for i in range(40)
    }
    cache = site_in(tmp_path, monkeypatch, files)
    monkeypatch.setattr(check_split, "CHUNK", 2)
    main, parse = os.getpid(), check_split._read_and_parse

    def parse_slowly(jobs, *rest):
        if (os.getpid() == main) == (slow == "main"):
            time.sleep(1.5)  # the other process parses the other 38 entries meanwhile, even on a loaded machine
        return parse(jobs, *rest)

    monkeypatch.setattr(check_split, "_read_and_parse", parse_slowly)
    looked_at = far_shares(monkeypatch)
    assert checked(cache) == ""
    assert looked_at == [2 if slow == "far" else 38]
    assert checked(cache, "replay") == ""


def test_the_meeting_gives_every_entry_to_one_process_once():
    """Chunks taken from both ends in any interleaving cover every entry once; each process's
    first share needs no asking, so a site of one or a few entries splits the same way every time."""
    meetings = [Meeting(count, check_split.CHUNK) for count in (1, 2, 5, 600)]
    assert [(m.head, m.tail) for m in meetings] == [(0, 0), (1, 1), (2, 2), (256, 344)]
    meeting = meetings[-1]
    taken = [range(256), range(344, 600)]
    for side in [0, 1, 1, 0, 1, 0, 0, 0, 1]:
        taken.append(meeting.from_tail() if side else meeting.from_head())
    assert sorted(i for chunk in taken for i in chunk) == list(range(600))
    assert [len(chunk) for chunk in taken[2:]] == [88, 0, 0, 0, 0, 0, 0, 0, 0]


def test_what_the_far_half_waits_for_is_pickled_before_its_summary_is(tmp_path, monkeypatch):
    """The far half waits for the profiles once it has sent its summary: the main process has
    them pickled by then, so that wait holds no pickling (0.1 s of the 10k cold check)."""
    files, expected = read_site_fixture(FIXTURES / "sites" / "issue-near-miss-blames-the-one-off-spelling.txt")
    cache = site_in(tmp_path, monkeypatch, files)
    steps = []
    pickler, receive = check_split.ForkingPickler, check_split.Link.receive

    class Pickler:
        @staticmethod
        def dumps(value):
            steps.append(("pickled", type(value[0]).__name__ if isinstance(value, tuple) else value))
            return pickler.dumps(value)

    def received(link):
        steps.append(("received", None))
        return receive(link)

    monkeypatch.setattr(check_split, "ForkingPickler", Pickler)
    monkeypatch.setattr(check_split.Link, "receive", received)
    assert checked(cache) == expected
    assert steps[:3] == [("pickled", "list"), ("received", None), ("received", None)]


@pytest.mark.parametrize(
    ("fixture", "order"),
    [
        ("every-error-of-a-file-in-one-run", ["summary", "near misses", "records", "events"]),
        (
            "issue-near-miss-blames-the-one-off-spelling",
            ["summary", "near misses", "uses", "records", "events", "counts"],
        ),
    ],
)
def test_near_misses_are_found_before_the_far_records_are_received(tmp_path, monkeypatch, fixture, order):
    """The near misses read no record: the main process finds them while the far half may
    still be resolving, and receives its records after, then the far half's share of the
    events' diagnostics; a near miss that asks the far half how many of its files name an
    entity gets its answer after those two (they come first)."""
    files, expected = read_site_fixture(FIXTURES / "sites" / f"{fixture}.txt")
    cache = site_in(tmp_path, monkeypatch, files)
    steps = []
    receive, warnings = check_split.Link.receive, check_split.near_miss_warnings

    def received(link):
        found = receive(link)
        records = isinstance(found, dict) and all(
            isinstance(v, check_split.check_site.EntryRecord) for v in found.values()
        )
        events = isinstance(found, list) and "summary" in steps  # (the far half's report comes first)
        steps.append(
            "events" if events else "summary" if isinstance(found, list) else "records" if records else "counts"
        )
        return found

    def near_misses(registry, drafts, profiles, elsewhere):
        steps.append("near misses")
        return warnings(registry, drafts, profiles, lambda: steps.append("uses") or elsewhere())

    monkeypatch.setattr(check_split.Link, "receive", received)
    monkeypatch.setattr(check_split, "near_miss_warnings", near_misses)
    assert checked(cache) == expected
    assert steps == order


def test_a_whole_drafts_file_drops_the_far_share(tmp_path, monkeypatch):
    files, expected = read_site_fixture(FIXTURES / "sites" / "near-miss-tie-blames-the-newer-file.txt")
    cache = site_in(tmp_path, monkeypatch, files)
    assert checked(cache) == expected
    monkeypatch.setattr(check, "OVERLAY_LIMIT", -1)  # every full check writes the whole drafts file
    name = next(n for n in files if n.startswith("content/briefings/"))
    Path(name).write_text(Path(name).read_text(encoding="utf-8").replace("title: ", "title: Re "), encoding="utf-8")
    checked(cache)
    assert (cache / "check-drafts.pickle").is_file() and not (cache / "check-drafts-1.pickle").exists()


@pytest.mark.parametrize(
    "value",
    [
        EntryRecord(("own",), "a.md", "/briefings/2025/a/", 1.5, dt.date(2025, 6, 1), True, ("india",), ("r",), 7),
        check_split.Definitions("a.md", ("official",), ("issue",), ("event",), ("statement",)),
        check_split.Dated("a.md", dt.datetime(2025, 6, 1, 9), ("c",), ("i",), ("o",), ("e",), ("s",)),
    ],
    ids=["record", "definitions", "dated"],
)
def test_what_crosses_the_pipe_is_pickled_as_a_call_of_its_class(value):
    """Pickled as slots objects are by default (an empty object, then each slot set from a
    dict of them), the far half's records took four times longer to unpickle: each is a call
    of its class with its fields."""
    fields = tuple(getattr(value, f.name) for f in dataclasses.fields(value))
    assert value.__reduce_ex__(5) == (type(value), fields)
    assert pickle.loads(ForkingPickler.dumps(value)) == value


def test_the_plain_definitions_one_half_sends_build_the_registry_their_drafts_build():
    """Officials given a country, issues of the entry, of its events and of its statements:
    what the other half rebuilds from the plain tuples defines what the drafts define, in
    the same order and with the same places (a name with no address is an error at each)."""
    from briefing.domain.check_site import registry_key
    from briefing.domain.frontmatter import read_entry
    from briefing.domain.registry import build_registry

    texts = [
        entry(
            "Talks",
            "2025-06-11",
            countries="[Spain, India]",
            officials="[{name: Ana Ortiz, country: Spain, role: Minister}, Wang Yi]",
            issues="[Tariffs, Fisheries]",
            events="\n  - {date: 2025-06-10, what: Ana Ortiz visits Delhi, issues: [Ocean policy]}",
            statements="\n  - {by: Wang Yi, said: We will talk., on: [Trade talks, '!!']}",
        ),
        entry("More talks", "2025-06-12", countries="[India]", issues="[Fisheries, '--']", officials="[Ana Ortiz]"),
    ]
    drafts = [read_entry(f"content/briefings/{n}.md", text.encode())[0] for n, text in enumerate(texts)]
    sent = check_split._received_definitions(pickle.loads(pickle.dumps(check_split._sent_definitions(drafts))))
    assert [d.path for d in sent] == ["content/briefings/0.md", "content/briefings/1.md"]
    direct, direct_problems = build_registry([], drafts)
    rebuilt, rebuilt_problems = build_registry([], sent)
    assert registry_key((), rebuilt) == registry_key((), direct)
    assert [p.gcc() for p in rebuilt_problems] == [p.gcc() for p in direct_problems]
    assert [p.gcc() for p in direct_problems] == [
        "content/briefings/0.md:10:58: error: issue name '!!' has no letters or digits for its page address",
        "content/briefings/1.md:5:21: error: issue name '--' has no letters or digits for its page address",
    ]
    assert {"ocean-policy", "trade-talks", "tariffs", "fisheries"} <= {e.slug for e in direct.entities.values()}
