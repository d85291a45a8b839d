"""A profile rename in the preview (build/candidates.py): the pages looked at are those that
can show the name (an entry naming the renamed entity is not dirty for that alone, nor its
views and digests: only the pages that show the name, whose closures hold its token, and
the pages that show a body linking it), and none is missed: for each place a name shows,
the pages written are exactly those a full build changes, and none is left stale."""

from __future__ import annotations

import pytest
from test_incremental import _replace, rename_profile
from test_live import Live, assert_candidates_hold_the_change, make_site
from tools.sites import write_files

from briefing.build import live as live_module

pytestmark = pytest.mark.slow


def _aliased(root, path: str, name: str):
    """Rename the profile at `path` from `name`, the old name kept as an alias."""
    _replace(root, path, f"name: {name}\n", f"name: {name} Renamed\naliases: [{name}]\n")


def add_speaker(root):  # Li Qiang is named only as a statement's speaker
    write_files(root, {"content/officials/li-qiang.md": "---\nname: Li Qiang\ncountry: China\n---\nPremier.\n"})
    _replace(
        root,
        "content/briefings/e03.md",
        "officials: []",
        "officials: []\nstatements:\n  - {by: Li Qiang, said: Trade must grow., on: [Trade]}",
    )


def rename_speaker(root):
    _aliased(root, "content/officials/li-qiang.md", "Li Qiang")


def add_participant(root):  # Su Ge is named only among an event's participants
    write_files(root, {"content/officials/su-ge.md": "---\nname: Su Ge\ncountry: China\n---\nEnvoy.\n"})
    _replace(root, "content/briefings/e20.md", "countries: [China]}", "countries: [China], officials: [Su Ge]}")


def rename_participant(root):
    _aliased(root, "content/officials/su-ge.md", "Su Ge")


def add_mentioned(root):  # e07 names Fang Wei; its body mentions him by an alias only (a link)
    profile = "---\nname: Fang Wei\naliases: [Minister Fang]\ncountry: Japan\n---\nMinister.\n"
    write_files(root, {"content/officials/fang-wei.md": profile})
    _replace(root, "content/briefings/e07.md", "officials: []", "officials: [Fang Wei]")
    _replace(root, "content/briefings/e07.md", "More 7.", "More 7, said Minister Fang.")


def rename_mentioned(root):
    _replace(
        root,
        "content/officials/fang-wei.md",
        "name: Fang Wei\naliases: [Minister Fang]\n",
        "name: Fang Wei Renamed\naliases: [Minister Fang, Fang Wei]\n",
    )


def add_country_profile(root):
    write_files(root, {"content/countries/japan.md": "---\nname: Japan\niso2: JP\n---\nAn island nation.\n"})


def rename_country(root):
    _aliased(root, "content/countries/japan.md", "Japan")


WANG_YI = {
    "/briefings/2025/entry-number-4/",  # an entry naming him: its chips
    "/officials/wang-yi/",  # his page moves
    "/officials/wang-yi-jr/",
    "/relations/china--india/",  # among the relation's officials
    "/digests/2025-05/email.html",  # among the names of a digest's email
    "/countries/brazil/",  # his name in "Appears with"
    "/briefings/2025/entry-number-0/",  # his statement's caption
}

# (edits before the first full build, the rename, pages its written files must include)
RENAMES = {
    "an official named on entries, a relation, emails, Appears with": ((), rename_profile, WANG_YI),
    "an official named only in a statement": (
        (add_speaker,),
        rename_speaker,
        {"/briefings/2025/entry-number-3/", "/officials/li-qiang-renamed/"},
    ),
    "an official named only among an event's participants": (
        (add_participant,),
        rename_participant,
        {"/events/2025/", "/officials/su-ge-renamed/"},
    ),
    "an official mentioned only by an alias in a body": (
        (add_mentioned,),
        rename_mentioned,
        {"/briefings/2025/entry-number-7/", "/officials/fang-wei-renamed/"},
    ),
    "a country's profile name": (
        (add_country_profile,),
        rename_country,
        {"/countries/japan/", "/briefings/2025/entry-number-2/", "/countries/", "/issues/trade/"},
    ),
}


@pytest.mark.parametrize("case", RENAMES, ids=list(RENAMES))
def test_a_rename_writes_every_page_that_shows_the_name(tmp_path, case):
    assert_candidates_hold_the_change(tmp_path, *RENAMES[case])


def test_a_rename_looks_only_at_pages_that_show_the_name(tmp_path, monkeypatch):
    """Entries naming Wang Yi are not dirty for that alone: the timelines listing them (no
    names) and their digests' plain-text emails are not looked at."""
    root = make_site(tmp_path)
    live = Live(root)
    chosen, choose = [], live_module.candidates

    def candidates(*args):
        found = choose(*args)
        chosen.extend(args[3][i].url for i in found[0])
        return found

    monkeypatch.setattr(live_module, "candidates", candidates)
    live.save(rename_profile)
    rendered = set(live.preview.live.last.rendered)
    assert {"/briefings/2025/entry-number-4/", "/countries/brazil/", "/relations/china--india/"} <= rendered
    assert rendered & set(live.preview.live.prints) <= set(chosen)
    # a plain-text email (no names) of a week whose entry names him, a relation listing that
    # entry without him, an entry whose related lines list it
    for url in ["/digests/2025-w19/email.txt", "/relations/brazil--india/", "/briefings/2025/entry-number-13/"]:
        assert url not in chosen
    assert len(chosen) < 80  # it was 102 of the site's pages when his entries were dirty
