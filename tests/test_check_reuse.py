"""What a full check reuses of the last one (domain/check_reuse.py): kept drafts are read only
when they must be resolved again or counted, and the events' diagnostics are kept while the
records they read are the same. After every edit, Checker.check asserts that the cached check
says what a check without cache and the build's own assembly say."""

from __future__ import annotations

import hashlib

import pytest
from test_check_cache import BORDER, BORDER_AGAIN, EVENT, TALKS, _with
from test_check_cache import checker as checker
from tools.sites import entry

import briefing.domain.check as check
import briefing.domain.check_site as check_site

A, B = "content/briefings/2025/a.md", "content/briefings/2025/b.md"
NEAR = (
    f"{B}:{{line}}:5: warning: this event looks like the one at {A}:6:5 (same date, 'India', 'China'); "
    "write the same text to merge them"
)


@pytest.fixture
def events_made(checker, monkeypatch) -> list:
    """One item per time the events' check runs (a Checker.check runs it once without cache)."""
    made: list = []
    real = check_site.event_problems
    monkeypatch.setattr(check_site, "event_problems", lambda *args: made.append(1) or real(*args))
    return made


def _near_duplicates(checker):
    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-12", countries="[India, China]"), _events(BORDER)))
    again = _events(BORDER_AGAIN)
    checker.write("briefings/2025/b.md", _with(entry("B", "2025-06-12", countries="[India, China]"), again))
    assert checker.check("full") == [NEAR.format(line=6)]


def _events(what: str) -> str:
    return "events:\n" + EVENT.format(what=what)


def test_a_front_matter_edit_that_touches_no_event_keeps_the_events_diagnostics(checker, events_made):
    _near_duplicates(checker)
    events_made.clear()
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, Japan]"))
    assert checker.check("full") == [NEAR.format(line=6)]
    assert len(events_made) == 1  # the check without cache only
    checker.write(
        "briefings/2025/trade.md",
        entry("Trade", "2025-06-13", countries="[India]", issues="[Tariffs]", summary="Tariffs."),
    )
    assert checker.check("full") == [NEAR.format(line=6)]
    assert len(events_made) == 2
    checker.write("briefings/2025/trade.md", entry("Trade", "2025-06-13", countries="[India]"))
    assert checker.check("full") == [NEAR.format(line=6)]  # an issue no longer given: another registry
    assert len(events_made) == 4


def test_an_event_report_moved_within_its_entry_is_checked_again(checker, events_made):
    _near_duplicates(checker)
    events_made.clear()
    moved = _with(entry("B", "2025-06-12", countries="[India, China]", issues="[Tariffs]"), _events(BORDER_AGAIN))
    checker.write("briefings/2025/b.md", moved)
    assert checker.check("full") == [NEAR.format(line=7)]
    assert len(events_made) == 2  # the cached check made them again


def test_an_edit_of_an_entrys_date_or_slug_or_a_deletion_checks_the_events_again(checker, events_made):
    _near_duplicates(checker)
    again = _events(BORDER_AGAIN)
    later = _with(entry("B", "2025-06-15", countries="[India, China]"), again)
    checker.write("briefings/2025/b.md", later)  # b is now newer: still b's report is the later one
    assert checker.check("full") == [NEAR.format(line=6)]
    checker.write("briefings/2025/a.md", _with(entry("A", "2025-06-20", countries="[India, China]"), _events(BORDER)))
    assert checker.check("full") == [
        f"{B}:6:5: warning: this event looks like the one at {A}:6:5 (same date, 'India', 'China'); "
        "write the same text to merge them"
    ]
    checker.write("briefings/2025/b.md", _with(entry("B", "2025-06-15", countries="[India, China]", slug="a"), again))
    lines = checker.check("full")
    assert any("both have the address" in line for line in lines)
    checker.delete("briefings/2025/a.md")
    assert checker.check("full") == []


def test_an_entry_made_a_draft_leaves_the_published_events(checker, events_made):
    _near_duplicates(checker)
    draft = _with(entry("B", "2025-06-12", countries="[India, China]", status="draft"), _events(BORDER_AGAIN))
    checker.write("briefings/2025/b.md", draft)
    assert NEAR.format(line=7) not in checker.check("full")


def test_an_alias_added_to_a_profile_reaches_a_kept_entry_and_its_removal_too(checker):
    checker.write(
        "briefings/2025/mr.md", entry("Mr Wang speaks", "2025-06-15", countries="[China]", officials="[Mr W]")
    )
    unknown = [
        "content/briefings/2025/mr.md:5:13: error: unknown official 'Mr W': give their country once, "
        "as {name: Mr W, country: ...}, or add a profile in content/officials/"
    ]
    assert checker.check("full") == unknown
    profile = checker.root / "content" / "officials" / "wang-yi.md"
    plain = profile.read_text(encoding="utf-8")
    profile.write_text(plain.replace("country: China\n", "country: China\naliases: [Mr W]\n"), encoding="utf-8")
    assert checker.check("full") == []
    profile.write_text(plain, encoding="utf-8")
    assert checker.check("full") == unknown


def test_a_name_made_ambiguous_by_a_new_profile_reaches_kept_entries(checker):
    checker.check("full")
    checker.write(
        "officials/wang-yee.md", "---\nname: Wang Yee\ncountry: China\naliases: [Wang Yi]\n---\nA namesake.\n"
    )
    assert checker.check("full") == [
        "content/officials/wang-yi.md:2:7: error: official 'Wang Yee' already has a profile "
        "(content/officials/wang-yee.md)"
    ]


def test_near_misses_count_the_files_of_kept_drafts_unread(checker):
    for name in ("one", "two"):
        checker.write(
            f"briefings/2025/{name}.md",
            entry(name.title(), "2025-06-15", countries="[China]", officials="[{name: Li Qiang, country: China}]"),
        )
    checker.write(
        "briefings/2025/three.md",
        entry("Three", "2025-06-16", countries="[China]", officials="[{name: Li Qiangg, country: China}]"),
    )
    warned = checker.check("full")
    assert len(warned) == 1 and "(named in 1 file) is very like 'Li Qiang' (named in 2 files" in warned[0]
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India]"))
    assert checker.check("full") == warned


def test_an_unchanged_entrys_own_parse_warning_stays_when_another_entry_changes(checker):
    talks = entry("Border talks", "2025-06-12", "Talks went on.\x07", countries="[India, China]")
    checker.write("briefings/2025/talks.md", talks)
    warned = checker.check("full")
    assert warned == [
        "content/briefings/2025/talks.md:7:15: warning: control character U+0007 in the text is left out "
        "of the page: delete it"
    ]
    trade = entry("Trade", "2025-06-13", countries="[India, China]", issues="[Tariffs]")
    checker.write("briefings/2025/trade.md", trade)
    assert checker.check("full") == warned
    assert checker.resolved == ["content/briefings/2025/trade.md"]
    assert TALKS not in checker.resolved


def test_the_registry_is_kept_while_no_entry_defines_anything_new(checker, monkeypatch):
    built: list = []
    real = check_site.build_registry
    monkeypatch.setattr(check_site, "build_registry", lambda *args: built.append(1) or real(*args))
    checker.check("full")
    built.clear()
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India, Japan]"))
    assert checker.check("full") == []
    assert built == [1]  # the check without cache only
    wang = "[{name: Li Qiang, country: China}]"
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[India]", officials=wang))
    assert checker.check("full") == []
    assert len(built) == 3  # an official given with a country: built again
    trade = entry("Trade", "2025-06-13", countries="[India]", issues="[Tariffs]", officials="[Li Qiang]")
    checker.write("briefings/2025/trade.md", trade)
    assert checker.check("full") == []
    assert len(built) == 4  # kept: an official named without a country defines nothing
    other = "[{name: Li Qiang, country: India}]"
    checker.write("briefings/2025/wang.md", entry("Wang visits", "2025-06-14", countries="[China]", officials=other))
    assert checker.check("full") == [
        "content/briefings/2025/wang.md:5:39: error: official 'Li Qiang' is given country 'India' here but "
        "'China' in content/briefings/2025/talks.md:5:39"
    ]
    assert len(built) == 6


def test_names_that_move_lines_keep_the_registry_unless_their_file_gave_them_first(checker, monkeypatch):
    built: list = []
    real = check_site.build_registry
    monkeypatch.setattr(check_site, "build_registry", lambda *args: built.append(1) or real(*args))
    wang = "[{name: Wang Yi, country: China}]"  # a profile gave him first
    checker.write("briefings/2025/talks.md", entry("Border talks", "2025-06-12", countries="[China]", officials=wang))
    assert checker.check("full") == []
    built.clear()
    for moved in range(1, 3):
        longer = entry("Border talks", "2025-06-12", countries="[China]", summary=f"Talks {moved}.", officials=wang)
        checker.write("briefings/2025/talks.md", longer.replace("summary:", "\n" * moved + "summary:"))
        assert checker.check("full") == []
        assert len(built) == moved  # the check without cache only
    tarifs = entry("Wang visits", "2025-06-14", countries="[China]", issues="[Tarifs]")
    checker.write("briefings/2025/wang.md", tarifs)
    near = checker.check("full")
    assert len(built) == 4 and len(near) == 1 and "first at content/briefings/2025/trade.md:5:10)" in near[0]
    trade = "---\ntitle: Trade\ndate: 2025-06-13\ncountries: [India]\n\nissues: [Tariffs]\n---\n\nBody.\n"
    checker.write("briefings/2025/trade.md", trade)  # Tariffs is first given here: its place moves
    assert checker.check("full") == [near[0].replace("trade.md:5:10)", "trade.md:6:10)")]
    assert len(built) == 6


@pytest.mark.parametrize(
    ("raw", "front"),
    [
        (b"---\na: 1\n--- \t\nbody", b"---\na: 1\n--- \t\n"),
        (b"---\r\na: 1\r\n---\r\nbody", b"---\r\na: 1\r\n---\r\n"),
        (b"---\na\n...\nbody\n---\n", b"---\na\n...\n"),
        (b"---\na\n ---\n----\n---x\n---\nbody", b"---\na\n ---\n----\n---x\n---\n"),
        (b"---\na: 1\n---", b"---\na: 1\n---"),
        (b"---\na: 1\nbody", b"---\na: 1\nbody"),
        (b"title: x\n---\nbody", b"title: x\n---\nbody"),
        (b"---\na\n---x\n...\x0b\r\nbody\n---\n", b"---\na\n---x\n...\x0b\r\n"),
        (b"---\na\n.....\n---\nbody\n...\n", b"---\na\n.....\n---\n"),
        (b"---\n---", b"---\n---"),
        (b"---", b"---"),
    ],
)
def test_the_front_matter_hash_takes_the_bytes_up_to_the_closing_line(raw, front):
    assert check._front_hash(raw) == hashlib.sha1(front).hexdigest()
