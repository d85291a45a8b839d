"""The check's cache (domain/check.py) never changes what the check says: after each kind of
edit, a check with the cache of the previous one prints the same lines as a check without a
cache and the same as the build's own assembly (load_site), takes the short way where it can
(replay, bodies) and the whole way where it must, and resolves again only the entries it must."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from test_check_sites import CASES, read_site_fixture
from tools.sites import entry

import briefing.domain.check_site as check_site
from briefing.domain.check import check_content
from briefing.domain.diagnostics import format_report
from briefing.domain.site import load_site

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 1, 1)
EVENT = "  - date: 2025-06-10\n    what: {what}\n"
BORDER = "Chinese and Indian troops clash in the Galwan Valley border area"
BORDER_AGAIN = "Chinese and Indian troops clash again in the Galwan Valley border area"
EVENT_LIST = "events:\n" + EVENT.format(what=BORDER)


class Checker:
    """A content folder in tmp_path, checked with a cache kept between checks."""

    def __init__(self, root: Path):
        self.root = root
        self.cache = root / "cache" / "briefing"
        self.resolved: list[str] = []  # the entries the last cached check resolved (in this process)

    def write(self, name: str, text: str):
        path = self.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def delete(self, name: str):
        (self.root / "content" / name).unlink()

    def check(self, way: str) -> list[str]:
        """The report's lines; asserts the cached check took `way` and said what an uncached one says."""
        self.resolved.clear()
        warm = check_content(Path("content"), self.cache, today=TODAY)
        resolved = sorted(self.resolved)
        cold = check_content(Path("content"), None, today=TODAY)
        built = load_site(Path("content"), render=False, today=TODAY)[1]
        assert format_report(warm.problems) == format_report(cold.problems) == format_report(built)
        assert warm.path == way
        self.resolved[:] = resolved
        return format_report(warm.problems).splitlines()


@pytest.fixture
def checker(tmp_path, monkeypatch) -> Checker:
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    site = Checker(tmp_path)
    resolve = check_site.resolve_record
    monkeypatch.setattr(
        check_site,
        "resolve_record",
        lambda registry, draft, *rest: site.resolved.append(draft.path) or resolve(registry, draft, *rest),
    )
    site.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, China]"))
    site.write("briefings/2025/trade.md", entry("Trade", "2025-06-13", countries="[India]", issues="[Tariffs]"))
    site.write("briefings/2025/wang.md", entry("Wang visits", "2025-06-14", countries="[China]", officials="[Wang Yi]"))
    return site


def test_a_second_check_with_nothing_changed_replays_the_first(checker):
    assert checker.check("full") == []
    assert checker.check("replay") == []


def test_a_body_edit_is_checked_alone_and_its_own_warning_comes_and_goes(checker):
    checker.check("full")
    talks = entry("Border talks", "2025-06-12", "Talks went on.\x07", countries="[India, China]")
    checker.write("briefings/2025/talks.md", talks)
    assert checker.check("bodies") == [
        "content/briefings/2025/talks.md:7:15: warning: control character U+0007 in the text is left out "
        "of the page: delete it"
    ]
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", "Talks.", countries="[India, China]"))
    assert checker.check("bodies") == []


def test_a_body_that_makes_the_file_unreadable_takes_the_whole_way(checker):
    checker.check("full")
    path = checker.root / "content/briefings/2025/talks.md"
    path.write_bytes(path.read_bytes() + b"\xff\xfe broken\n")
    lines = checker.check("full")
    assert len(lines) == 1 and lines[0].startswith("content/briefings/2025/talks.md:") and ": error: " in lines[0]


def test_front_matter_names_are_resolved_again(checker):
    checker.check("full")
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, Chinaa]"))
    assert checker.check("full") == [
        "content/briefings/2025/talks.md:4:20: error: unknown country 'Chinaa' (did you mean 'China'?)"
    ]
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, China]"))
    assert checker.check("full") == []


def test_a_profile_alias_change_reaches_every_entry(checker):
    checker.write("briefings/2025/alias.md", entry("Alias", "2025-06-15", countries="[India]", officials="[Mr Wang]"))
    assert checker.check("full") == [
        "content/briefings/2025/alias.md:5:13: error: unknown official 'Mr Wang': give their country once, "
        "as {name: Mr Wang, country: ...}, or add a profile in content/officials/"
    ]
    profile = checker.root / "content/officials/wang-yi.md"
    text = profile.read_text(encoding="utf-8")
    assert "aliases:" not in text  # the fixture profile has none yet
    profile.write_text(text.replace("name: Wang Yi\n", "name: Wang Yi\naliases: [Mr Wang]\n", 1), encoding="utf-8")
    assert checker.check("full") == []
    assert len(checker.resolved) == 4  # an alias changes the registry: every entry is resolved again
    profile.write_text(text.replace("name: Wang Yi\n", "name: Wang Yee\n", 1), encoding="utf-8")
    renamed = checker.check("full")
    assert renamed[0].startswith("content/briefings/2025/alias.md:5:13: error: unknown official 'Mr Wang'")
    assert "content/briefings/2025/wang.md:5:13: error: unknown official 'Wang Yi' (did you mean 'Wang Yee'?)" in (
        " ".join(renamed)
    )


def test_deleted_and_new_files(checker):
    checker.check("full")
    checker.delete("briefings/2025/trade.md")
    assert checker.check("full") == []
    checker.write("briefings/2025/new.md", entry("New", "2025-06-16"))
    assert checker.check("full") == [
        "content/briefings/2025/new.md:1:1: warning: names no country and no issue: it will appear on no entity page"
    ]
    checker.write("briefings/2025/notes.txt", "not an entry")
    assert checker.check("full")[1] == (
        "content/briefings/2025/notes.txt:1:1: warning: not read: only '.md' files are read; "
        "rename it to 'notes.md' if it is an entry"
    )


def test_a_digest_summary_warning_comes_and_goes(checker):
    checker.check("full")
    checker.write("digests/2025-w30.md", "---\ntitle: A quiet week\n---\n\nLittle happened.\n")
    assert checker.check("full") == [
        "content/digests/2025-w30.md:1:1: warning: no published entries in week 30, 2025: "
        "this summary shows once the period has entries"
    ]
    checker.write("briefings/2025/july.md", entry("July", "2025-07-22", countries="[India]"))
    assert checker.check("full") == []


def test_a_near_miss_event_warning_comes_and_goes(checker):
    events = "events:\n" + EVENT.format(what=BORDER)
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, China]") + "")
    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-12", countries="[India, China]"), events))
    assert checker.check("full") == []
    again = "events:\n" + EVENT.format(what=BORDER_AGAIN)
    checker.write("briefings/2025/b.md", _with(entry("B", "2025-06-12", countries="[India, China]"), again))
    warned = checker.check("full")
    assert warned == [
        "content/briefings/2025/b.md:6:5: warning: this event looks like the one at "
        "content/briefings/2025/a.md:6:5 (same date, 'India', 'China'); write the same text to merge them"
    ]
    assert checker.check("replay") == warned
    checker.write(
        "briefings/2025/b.md", _with(entry("B", "2025-06-12", "Other words.", countries="[India, China]"), again)
    )
    assert checker.check("bodies") == warned
    checker.write("briefings/2025/b.md", _with(entry("B", "2025-06-12", countries="[India, China]"), events))
    assert checker.check("full") == []


def test_a_duplicate_address_comes_and_goes(checker):
    checker.check("full")
    checker.write("briefings/2025/talks-2.md", entry("Border talks", "2025-06-20", countries="[India]"))
    assert checker.check("full") == [
        "content/briefings/2025/talks.md:2:1: error: this entry and content/briefings/2025/talks-2.md both have "
        "the address /briefings/2025/border-talks/: give one a different 'slug'"
    ]
    checker.write("briefings/2025/talks-2.md", entry("Border talks", "2025-06-20", countries="[India]", slug="talks-2"))
    assert checker.check("full") == []


def test_a_new_day_checks_the_whole_way(checker, monkeypatch):
    checker.check("full")
    later = check_content(Path("content"), checker.cache, today=TODAY + dt.timedelta(days=1))
    assert later.path == "full"


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_every_site_fixture_reads_the_same_cold_warm_and_replayed(tmp_path, monkeypatch, fixture):
    files, expected = read_site_fixture(fixture)
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    first = check_content(Path("content"), cache, today=dt.date(2026, 1, 1))
    second = check_content(Path("content"), cache, today=dt.date(2026, 1, 1))
    assert (first.path, second.path) == ("full", "replay")
    assert format_report(first.problems) == format_report(second.problems) == expected


def test_a_damaged_cache_is_ignored(checker):
    checker.check("full")
    for path in checker.cache.iterdir():
        path.write_bytes(b"not a pickle")
    assert checker.check("full") == []
    assert checker.check("replay") == []


def _with(text: str, front: str) -> str:
    """An entry's text with more front-matter lines before its closing ---."""
    head, _, body = text.partition("\n---\n")
    return head + "\n" + front.rstrip("\n") + "\n---\n" + body


def test_files_whose_stat_is_unchanged_are_not_read_and_edits_are_still_seen(checker, monkeypatch):
    import briefing.domain.check as check_module

    monkeypatch.setattr(check_module, "RACY_NS", 0)  # trust every unchanged stat at once
    checker.check("full")
    read = []
    original = check_module.read_content_file
    monkeypatch.setattr(
        check_module, "read_content_file", lambda path, *rest: read.append(Path(path)) or original(path, *rest)
    )
    assert check_content(Path("content"), checker.cache, today=TODAY).path == "replay"
    assert read == []  # neither entries nor profiles: their stats are as the last check saw them
    talks = checker.root / "content/briefings/2025/talks.md"
    before = talks.stat()
    text = talks.read_text(encoding="utf-8")
    talks.write_text(text.replace("Body text.", "Body word."), encoding="utf-8")  # same size
    os.utime(talks, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old modification time
    edited = check_content(Path("content"), checker.cache, today=TODAY)
    assert edited.path == "bodies"
    assert [p for p in read if "briefings" in p.parts] == [Path("content/briefings/2025/talks.md")]
    profile = checker.root / "content/officials/wang-yi.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: Wang Yi\n", "name: Wang Yee\n", 1))
    read.clear()
    renamed = check_content(Path("content"), checker.cache, today=TODAY)
    assert renamed.path == "full" and Path("content/officials/wang-yi.md") in read
    assert "unknown official 'Wang Yi' (did you mean 'Wang Yee'?)" in format_report(renamed.problems)


def test_the_command_prints_the_same_bytes_cold_warm_and_without_cache(checker):
    from tools.cli import briefing

    again = "events:\n" + EVENT.format(what=BORDER_AGAIN)
    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-12", countries="[India, China]"), EVENT_LIST))
    checker.write("briefings/2025/b.md", _with(entry("B", "2025-06-12", countries="[India, Chinaa]"), again))
    for form in ((), ("--format", "json")):
        runs = [briefing("check", *form, cwd=checker.root) for _ in range(2)]
        checker.write(
            "briefings/2025/b.md", _with(entry("B", "2025-06-12", "New words.", countries="[India, Chinaa]"), again)
        )
        runs.append(briefing("check", *form, cwd=checker.root))
        runs.append(briefing("check", "--no-cache", *form, cwd=checker.root))
        assert len({(r.returncode, r.stdout, r.stderr) for r in runs}) == 1
        assert runs[0].returncode == 1 and "unknown country 'Chinaa'" in runs[0].stdout


def test_a_cache_of_other_code_is_ignored_in_silence(checker, capsys):
    import pickle

    checker.check("full")
    for path in checker.cache.iterdir():  # stamped by another version, holding what it cannot load
        path.write_bytes(pickle.dumps(("another", "version")) + b"\x80\x05garbage")
    assert checker.check("full") == []
    assert capsys.readouterr() == ("", "")


def test_a_replay_that_had_to_read_files_again_keeps_their_new_stats(checker, monkeypatch):
    import briefing.domain.check as check_module

    monkeypatch.setattr(check_module, "RACY_NS", 200_000_000)
    checker.check("full")  # the files were written just before it: the next check reads them again
    time.sleep(0.3)
    assert check_content(Path("content"), checker.cache, today=TODAY).path == "replay"
    read = []
    original = check_module.read_content_file
    monkeypatch.setattr(
        check_module, "read_content_file", lambda path, *rest: read.append(Path(path)) or original(path, *rest)
    )
    assert check_content(Path("content"), checker.cache, today=TODAY).path == "replay"
    assert [p for p in read if "briefings" in p.parts] == []  # the second replay trusts the stats


TALKS = "content/briefings/2025/talks.md"


def test_a_front_matter_edit_that_defines_nothing_resolves_that_entry_alone(checker):
    checker.check("full")
    assert len(checker.resolved) == 3
    checker.write("briefings/2025/talks.md", entry("Border talks again", "2025-06-12", countries="[India, China]"))
    assert checker.check("full") == []
    assert checker.resolved == [TALKS]
    moved = "---\ntitle: Trade\ndate: 2025-06-13\n\ncountries: [India, China]\nissues: [Tariffs]\n---\n\nBody text.\n"
    checker.write("briefings/2025/trade.md", moved)  # a blank line moves the issue it gives first
    assert checker.check("full") == []
    assert len(checker.resolved) == 3  # its place is in the registry ('first at ...'): every entry again
    checker.write("briefings/2025/trade.md", moved.replace("[India, China]", "[India]"))
    assert checker.check("full") == []
    assert checker.resolved == ["content/briefings/2025/trade.md"]
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India]", issues="[Water]"))
    assert checker.check("full") == []  # a new issue: the registry changes, so every entry is resolved again
    assert len(checker.resolved) == 3
    checker.write("briefings/2025/wang.md", entry("Wang visits", "2025-06-14", countries="[China]", issues="[Water]"))
    assert checker.check("full") == []  # an issue another file gave first
    assert checker.resolved == ["content/briefings/2025/wang.md"]


def test_a_front_matter_edit_makes_and_unmakes_cross_file_warnings(checker):
    checker.check("full")
    checker.write(
        "briefings/2025/trade.md", entry("Border talks", "2025-06-13", countries="[India]", issues="[Tariffs]")
    )
    duplicate = [
        "content/briefings/2025/trade.md:2:1: error: this entry and content/briefings/2025/talks.md both have "
        "the address /briefings/2025/border-talks/: give one a different 'slug'"
    ]
    assert checker.check("full") == duplicate
    assert checker.resolved == ["content/briefings/2025/trade.md"]
    events = "events:\n" + EVENT.format(what=BORDER)
    checker.write(
        "briefings/2025/talks.md", _with(entry("Border talks", "2025-06-12", countries="[India, China]"), events)
    )
    checker.write(
        "briefings/2025/wang.md",
        _with(
            entry("Wang visits", "2025-06-12", countries="[India, China]"),
            events.replace("troops clash", "troops clash again"),
        ),
    )
    near = (
        "content/briefings/2025/wang.md:6:5: warning: this event looks like the one at "
        f"{TALKS}:6:5 (same date, 'India', 'China'); write the same text to merge them"
    )
    assert checker.check("full") == [*duplicate, near]
    assert checker.resolved == [TALKS, "content/briefings/2025/wang.md"]
    checker.write("briefings/2025/trade.md", entry("Trade", "2025-06-13", countries="[India]", issues="[Tariffs]"))
    assert checker.check("full") == [near]
    checker.write(
        "briefings/2025/wang.md", _with(entry("Wang visits", "2025-06-12", countries="[India, China]"), events)
    )
    assert checker.check("full") == []


def test_a_deleted_entry_takes_its_records_with_it(checker):
    checker.write("briefings/2025/talks-2.md", entry("Border talks", "2025-06-20", countries="[India]"))
    assert len(checker.check("full")) == 1
    checker.delete("briefings/2025/talks-2.md")
    assert checker.check("full") == []
    checker.write("briefings/2025/talks-2.md", entry("Border talks", "2025-06-20", countries="[India]"))
    assert len(checker.check("full")) == 1


def test_a_large_site_shares_the_work_with_a_forked_process_and_says_the_same(checker, monkeypatch):
    import briefing.domain.loader as loader

    monkeypatch.setattr(check_site, "PARALLEL_FROM", 0)  # resolving shared with a forked process
    monkeypatch.setattr(loader, "PARALLEL_FROM", 0)  # parsing too, the profiles parsed meanwhile
    assert checker.check("full") == []
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, Chinaa]"))
    checker.write("briefings/2025/new.md", entry("New", "2025-06-16", officials="[Wang Yi]"))
    assert checker.check("full") == [
        "content/briefings/2025/new.md:1:1: warning: names no country and no issue: it will appear on no entity page",
        "content/briefings/2025/talks.md:4:20: error: unknown country 'Chinaa' (did you mean 'China'?)",
    ]
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, China]"))
    assert checker.check("full") == [
        "content/briefings/2025/new.md:1:1: warning: names no country and no issue: it will appear on no entity page"
    ]


def test_explain_notes_are_kept_with_each_entry_and_follow_its_edits(checker):
    def explained(way: str) -> list[str]:
        checker.resolved.clear()
        warm = check_content(Path("content"), checker.cache, today=TODAY, explain=True)
        built = load_site(Path("content"), render=False, today=TODAY, explain=True)[1]
        assert warm.path == way and format_report(warm.problems) == format_report(built)
        return format_report(warm.problems).splitlines()

    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-12", countries="[India, China]"), EVENT_LIST))
    note = "content/briefings/2025/a.md:6:5: note: this event concerns {} (its entry's: its text names none of them)"
    assert explained("full") == [note.format("India, China")]
    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-12", countries="[India]"), EVENT_LIST))
    assert explained("full") == [note.format("India")]
    assert checker.resolved == ["content/briefings/2025/a.md"]
    assert explained("replay") == [note.format("India")]
    assert checker.check("full") == []  # without --explain: another key, so every entry again, and no notes
    assert len(checker.resolved) == 4
