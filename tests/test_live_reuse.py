"""What the preview keeps between assemblies of the site (domain/resolutions.py): an entry's
resolution is reused only while the entities its names find, and their fields, are as they
were. An edit that changes what an unchanged entry's names or texts resolve to (a rename, an
alias its event's text now holds, the alias taken away again, an official it names no longer
introduced) resolves it again: the output equals a clean full build, and a name that became
unknown is reported."""

from __future__ import annotations

import pytest
from test_incremental import _replace, edit_title, rename_profile
from test_live import Live, differing, full_build, make_site, stale_pages
from tools.sites import read, tree_bytes

pytestmark = pytest.mark.slow


def test_a_front_matter_edit_resolves_only_the_saved_entry(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    live.save(edit_title)
    model = live.preview.live
    assert model.resolutions.reused == 23  # of 24 entries: all but the saved one
    assert stale_pages(model) == []
    assert tree_bytes(root / "output") == full_build(root, "full")


def add_talk_alias(root):  # e10's event, "India and China agree to talk.", now names Border dispute
    (root / "content/issues/border-dispute.md").write_text("---\nname: Border dispute\naliases: [talk]\n---\nBorder.\n")


def remove_talk_alias(root):
    _replace(root, "content/issues/border-dispute.md", "aliases: [talk]\n", "")


def test_an_alias_an_unchanged_entry_now_names_resolves_it_again(tmp_path):
    """e10's draft is the one parsed before; its event's issues change with the registry."""
    root = make_site(tmp_path)
    live = Live(root)
    live.save(edit_title)  # every resolution kept from here on
    before = full_build(root, "full-before")
    change = live.save(add_talk_alias)
    after = full_build(root, "full-after")
    assert live.preview.live.resolutions.reused == 16  # the 8 entries on Border dispute resolved again, e10 with them
    assert "India and China agree to talk" in read(root / "full-after/issues/border-dispute/index.html")
    assert set(change["written"]) == differing(before, after)
    assert tree_bytes(root / "output") == after
    live.save(remove_talk_alias)
    assert live.preview.live.resolutions.reused == 16
    assert stale_pages(live.preview.live) == []
    assert tree_bytes(root / "output") == full_build(root, "full-again")


def test_a_rename_resolves_again_only_the_entries_naming_the_entity(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    before = full_build(root, "full-before")
    change = live.save(rename_profile)
    after = full_build(root, "full-after")
    assert live.preview.live.resolutions.reused == 18  # the 6 entries naming Wang Yi (e00 quotes him) resolved again
    assert "Wang Yi Jr" in read(root / "output/briefings/2025/entry-number-0/index.html")
    assert set(change["written"]) == differing(before, after)
    assert stale_pages(live.preview.live) == []
    assert tree_bytes(root / "output") == after


def introduce_official(root):  # e13 gives her country, e14 names her
    _replace(root, "content/briefings/e13.md", "officials: []", "officials: [{name: Ana Costa, country: Brazil}]")
    _replace(root, "content/briefings/e14.md", "officials: []", "officials: [Ana Costa]")


def test_a_name_no_longer_introduced_is_reported_on_the_unchanged_entry(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    live.save(introduce_official)
    assert "Ana Costa" in read(root / "output/briefings/2025/entry-number-14/index.html")
    path = root / "content/briefings/e13.md"
    path.write_text(read(path).replace("[{name: Ana Costa, country: Brazil}]", "[]"), encoding="utf-8")
    assert not live._run(live.preview.apply, [str(path)])
    assert "content/briefings/e14.md:" in live.stderr and "unknown official 'Ana Costa'" in live.stderr
    assert "Ana Costa" in read(root / "output/briefings/2025/entry-number-14/index.html")  # the last good site
