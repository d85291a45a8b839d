"""Incremental rebuilds: after each kind of edit, the rebuilt output is byte-identical to a
full build of the edited content, and pages the edit cannot affect are reused, not rewritten."""

from __future__ import annotations

import shutil

import pytest
from tools.sites import ROOT, build_in_process, entry, read, tree_bytes, write_files

pytestmark = pytest.mark.slow

COUNTRIES = ["India", "China", "Japan", "France", "Brazil"]
ISSUES = ["Trade", "Border dispute", "Energy security"]


# Events and statements of some India-China entries: one event reported three times (twice in
# the same words, once by `same_as`), one event of China alone, one statement.
REPORTS = {
    0: {
        "events": "\n  - {date: 2025-01-01, what: India and China agree to talk, id: talks-2025-01-01}",
        "statements": "\n  - {by: Wang Yi, said: We will talk., on: [Trade]}",
    },
    10: {"events": "\n  - {date: 2025-01-01, what: India and China agree to talk.}"},
    15: {"events": "\n  - same_as: talks-2025-01-01"},
    20: {"events": "\n  - {date: 2025-02-02, what: Beijing protests, countries: [China]}"},
}
RELATION = "---\ncountries: [India, China]\nstatus:\n  - {date: 2024-10, state: easing}\n---\nNeighbours.\n"


def base_files() -> dict[str, str]:
    files = {
        "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\nForeign minister.\n",
        "content/issues/trade.md": "---\nname: Trade\nstatus: [{date: 2025-01, state: stable}]\n---\nTrade policy.\n",
        "content/relations/china--india.md": RELATION,
        "content/digests/2025-06.md": "---\ntitle: A June of talks\nhighlights: [Talks.]\n---\nJune.\n",
        "content/pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
    }
    for i in range(24):
        countries = f"[{COUNTRIES[i % 5]}, {COUNTRIES[(i + 1) % 5]}]"
        files[f"content/briefings/e{i:02d}.md"] = entry(
            f"Entry number {i}",
            f"2025-0{1 + i % 6}-{1 + i:02d}",
            body=f"{COUNTRIES[i % 5]} said something.\n\nMore {i}.",
            countries=countries,
            issues=f"[{ISSUES[i % 3]}]",
            officials="[Wang Yi]" if i % 4 == 0 else "[]",
            **REPORTS.get(i, {}),
        )
    return files


def _replace(root, path: str, old: str, new: str):
    path = root / path
    text = read(path)
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_event_text(root):  # e10's report no longer merges with e00's
    _replace(root, "content/briefings/e10.md", "agree to talk.}", "agree to talk soon}")


def drop_same_as(root):
    _replace(root, "content/briefings/e15.md", "\n  - same_as: talks-2025-01-01", " []")


def edit_statement(root):
    _replace(root, "content/briefings/e00.md", "We will talk.", "We will talk soon.")


def edit_status(root):
    _replace(root, "content/issues/trade.md", "state: stable}", "state: stable}, {date: 2025-06, state: easing}")


def edit_relation_profile(root):
    _replace(root, "content/relations/china--india.md", "state: easing}", "state: easing, note: Talks resume.}")


def edit_body(root):
    path = root / "content/briefings/e05.md"
    path.write_text(read(path).replace("More 5.", "More 5, edited."), encoding="utf-8")


def edit_title(root):
    path = root / "content/briefings/e06.md"
    path.write_text(read(path).replace("Entry number 6", "Entry number six"), encoding="utf-8")


def edit_date(root):  # to another month: its month's pages, digests and timelines change
    _replace(root, "content/briefings/e11.md", "date: 2025-06-12", "date: 2025-03-12")


def add_official(root):
    _replace(root, "content/briefings/e13.md", "officials: []", "officials: [Wang Yi]")


def change_issues(root):
    _replace(root, "content/briefings/e14.md", "issues: [Energy security]", "issues: [Energy security, Trade]")


def rename_profile(root):  # the old name kept as an alias: every page naming him changes
    _replace(root, "content/officials/wang-yi.md", "name: Wang Yi\n", "name: Wang Yi Jr\naliases: [Wang Yi]\n")


def add_entity(root):  # Kenya had no page
    _replace(root, "content/briefings/e07.md", "countries: [Japan, France]", "countries: [Japan, France, Kenya]")


def remove_entity(root):
    _replace(root, "content/briefings/e08.md", "countries: [France, Brazil]", "countries: [France]")


def delete_entry(root):
    (root / "content/briefings/e09.md").unlink()


def add_entry(root):
    write_files(
        root,
        {"content/briefings/new.md": entry("A new entry", "2025-06-30", countries="[India, Japan]", issues="[Trade]")},
    )


def add_draft(root):  # the site's first draft: robots.txt now keeps crawlers out of /drafts/
    write_files(
        root, {"content/briefings/draft.md": entry("A draft", "2025-06-29", countries="[India]", status="draft")}
    )


def edit_profile(root):
    path = root / "content/officials/wang-yi.md"
    path.write_text(read(path).replace("Foreign minister.", "Foreign minister of China."), encoding="utf-8")


def edit_official_role(root):  # his page's roles; his line wherever he is named with his role
    _replace(root, "content/officials/wang-yi.md", "country: China\n", "country: China\nroles: [Foreign minister]\n")


def add_issue_alias(root):  # its page's "Also known as" (no body names the alias)
    _replace(root, "content/issues/trade.md", "name: Trade\n", "name: Trade\naliases: [Commerce]\n")


def change_speaker(root):  # to an official the entry introduces: the statement moves to his page
    _replace(
        root,
        "content/briefings/e00.md",
        "officials: [Wang Yi]",
        "officials: [Wang Yi, {name: Sun Weidong, country: China}]",
    )
    _replace(root, "content/briefings/e00.md", "{by: Wang Yi,", "{by: Sun Weidong,")


def change_statement_issues(root):  # the pages of both issues; its feeds' categories, its JSON-LD
    _replace(root, "content/briefings/e00.md", "on: [Trade]", "on: [Border dispute]")


def add_event(root):  # in June: the June digest names it; the home page's brief only counts it
    _replace(
        root,
        "content/briefings/e05.md",
        "officials: []",
        "officials: []\nevents:\n  - {date: 2025-06-02, what: Delhi hosts talks}",
    )


def move_event(root):  # from China's timeline to India's
    _replace(
        root,
        "content/briefings/e20.md",
        "what: Beijing protests, countries: [China]",
        "what: Beijing protests, countries: [India]",
    )


def edit_template(root):
    path = root / "theme/templates/partials/card.html"
    path.write_text(read(path).replace('<p class="summary">', '<p class="summary card-summary">'), encoding="utf-8")


def edit_digest_summary(root):  # the June digest and the home page's brief
    _replace(root, "content/digests/2025-06.md", "A June of talks", "A June of more talks")


def add_week_summary(root):  # the latest week's summary now opens the home page
    write_files(root, {"content/digests/2025-w26.md": "---\ntitle: Talks go on\n---\nThe week.\n"})


def edit_about_page(root):  # its title is in every page's footer
    _replace(root, "content/pages/about.md", "About us", "About this desk")


def delete_about_page(root):
    (root / "content/pages/about.md").unlink()


EDITS = [
    edit_body,
    edit_title,
    edit_date,
    add_entity,
    add_official,
    change_issues,
    remove_entity,
    delete_entry,
    add_entry,
    add_draft,
    edit_profile,
    rename_profile,
    edit_template,
    edit_event_text,
    drop_same_as,
    edit_statement,
    edit_status,
    edit_relation_profile,
    edit_official_role,
    add_issue_alias,
    change_speaker,
    change_statement_issues,
    add_event,
    move_event,
    edit_digest_summary,
    add_week_summary,
    edit_about_page,
    delete_about_page,
]


def make_site(root):
    write_files(root, base_files())
    shutil.copytree(ROOT / "themes" / "briefing", root / "theme")
    return root


def build(root, output="output", env=None, **settings):
    result = build_in_process(root, output=output, env=env, THEME=str(root / "theme"), **settings)
    assert result.ok, result.stderr
    return result


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_rebuild_equals_full_build(tmp_path, edit):
    root = make_site(tmp_path)
    build(root)
    edit(root)
    build(root)
    build(root, output="full", env={"BRIEFING_CACHE": "off"})
    assert tree_bytes(root / "output") == tree_bytes(root / "full")


def test_setting_change_rebuilds_every_page(tmp_path):
    root = make_site(tmp_path)
    build(root)
    build(root, SITENAME="Renamed Desk")
    build(root, output="full", env={"BRIEFING_CACHE": "off"}, SITENAME="Renamed Desk")
    assert tree_bytes(root / "output") == tree_bytes(root / "full")
    assert "Renamed Desk" in read(root / "output/briefings/2025/entry-number-3/index.html")


def test_unaffected_pages_are_reused_and_affected_ones_rewritten(tmp_path):
    root = make_site(tmp_path)
    build(root)
    output = root / "output"
    before = {p: p.stat().st_ino for p in output.rglob("*.html")}
    edit_body(root)  # entry 5's second paragraph: its card (title, summary, names) is unchanged
    build(root)
    rewritten = {p.relative_to(output).as_posix() for p, inode in before.items() if p.stat().st_ino != inode}
    # every other page is linked (the search page names the search bundle, re-indexed with the body)
    assert rewritten == {"briefings/2025/entry-number-5/index.html", "search/index.html"}
    assert "More 5, edited." in read(output / "briefings/2025/entry-number-5/index.html")
    edit_title(root)  # entry 6 names China, Japan and Trade: its card changes on every page listing it
    build(root)
    rewritten = {
        p.relative_to(output).as_posix() for p, inode in before.items() if not p.exists() or p.stat().st_ino != inode
    }
    assert {"briefings/2025/entry-number-6/index.html", "countries/japan/index.html"} <= rewritten
    assert "countries/brazil/index.html" not in rewritten and "issues/border-dispute/index.html" not in rewritten


def test_a_template_edit_rewrites_the_pages_that_show_it(tmp_path):
    """A partial that code renders (a card) counts for the pages whose templates call it; a
    template every page extends, for every page."""
    root = make_site(tmp_path)
    build(root)
    home, entry = root / "output/index.html", root / "output/briefings/2025/entry-number-20/index.html"
    inodes = home.stat().st_ino, entry.stat().st_ino
    edit_template(root)  # partials/card.html: the home page shows cards, an entry's page none
    build(root)
    assert (home.stat().st_ino != inodes[0], entry.stat().st_ino) == (True, inodes[1])
    _replace(root, "theme/templates/base.html", "</body>", "<!-- every page -->\n</body>")
    build(root)
    assert entry.stat().st_ino != inodes[1]
    assert "<!-- every page -->" in read(entry)


def test_every_partial_that_code_renders_is_known_with_its_globals():
    """TemplateDigests counts a partial for a page whose templates name a global that renders
    it: a new partial or global in SharedFragments must be added to FRAGMENT_GLOBALS."""
    import inspect
    import re

    from briefing.build.templating import FRAGMENT_GLOBALS, SharedFragments

    rendered = set(re.findall(r'"(partials/[^"]+)"', inspect.getsource(SharedFragments)))
    assert rendered == set(FRAGMENT_GLOBALS)
    helpers = set(SharedFragments(None, None, None).template_globals()) - {"entity_link"}
    assert helpers == {name for names in FRAGMENT_GLOBALS.values() for name in names}
