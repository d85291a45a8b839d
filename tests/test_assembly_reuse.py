"""What an assembly after an edit keeps from the previous site (domain/site.py, registry.py):
an entry's rendered body while its source and mention targets are as they were, and the
typo look-ups of the near-miss warnings while a kind's names are as they were. Each test
assembles the edited content twice, once with the previous site and once from nothing, and
asserts the two agree (bodies, summaries, warnings) and that the reuse happened."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from tools.sites import entry, read, write_files

from briefing.domain import names
from briefing.domain import site as site_module
from briefing.domain.config import BriefingConfig
from briefing.domain.resolutions import Resolutions
from briefing.domain.site import assemble_site
from briefing.domain.sources import read_sources, reread

TODAY = dt.date(2026, 1, 1)
FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\n",
    "content/issues/trade.md": "---\nname: Trade\n---\nTrade policy.\n",
    "content/briefings/a.md": entry(
        "India talks", "2025-06-01", body="India and China talk about something.", countries="[India, China]"
    ),
    "content/briefings/b.md": entry(
        "Trade talks", "2025-06-02", body="Talks on something again.", issues="[Trade]", officials="[Wang Yi]"
    ),
    "content/briefings/c.md": entry(
        "Summarised", "2025-06-03", body="First paragraph here.\n\nSecond.", summary="An editor's summary."
    ),
    "content/briefings/d.md": entry(
        "Draft", "2025-06-04", body="A draft on India.", status="draft", countries="[India]"
    ),
}


def _replace(root, name: str, old: str, new: str):
    path = root / "content" / name
    text = read(path)
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _assemble(root, previous=None, resolutions=None):
    site, problems = assemble_site(
        read_sources(root / "content", 1, None),
        BriefingConfig(),
        today=TODAY,
        previous=previous,
        resolutions=resolutions,
    )
    assert site is not None, problems
    return site, problems


def _bodies(site) -> dict[str, tuple[str, str, str]]:
    return {e.path.rsplit("/", 1)[-1]: (e.html, e.text, e.summary) for e in [*site.entries, *site.drafts]}


@pytest.fixture
def rendered(monkeypatch):
    """The sources render_bodies was asked to render for entries (not profiles or digests)."""
    asked: list[str] = []
    real = site_module.render_bodies

    def spy(jobs, *args, **kwargs):
        asked.extend(source.strip() for source, _ in jobs if "Trade policy." not in source)
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(site_module, "render_bodies", spy)
    return asked


BODY_EDITS = {
    # (edit, the entries' sources rendered again)
    "a title": (lambda r: _replace(r, "briefings/a.md", "title: India talks", "title: India meets"), []),
    "a body with its front matter": (
        lambda r: _replace(
            r, "briefings/b.md", "officials: [Wang Yi]\n---\n\nTalks", "officials: []\n---\n\nMore talks"
        ),
        ["More talks on something again."],
    ),
    "a summary taken away (the first paragraph is the summary again)": (
        lambda r: _replace(r, "briefings/c.md", "summary: An editor's summary.", ""),
        [],
    ),
    "an alias that makes two bodies link it": (
        lambda r: write_files(
            r, {"content/issues/trade.md": "---\nname: Trade\naliases: [something]\n---\nTrade policy.\n"}
        ),
        ["Talks on something again."],  # (a names India and China, not Trade: its links are as they were)
    ),
    "a country that loses its page (the draft's India mention no longer links)": (
        lambda r: [
            _replace(r, "briefings/a.md", "countries: [India, China]", "countries: [China]"),
            _replace(r, "briefings/d.md", "countries: [India]", "countries: []"),
        ],
        ["India and China talk about something.", "A draft on India."],
    ),
}


@pytest.mark.parametrize("resolved", [False, True], ids=["resolved afresh", "resolutions kept"])
@pytest.mark.parametrize("edit", BODY_EDITS, ids=list(BODY_EDITS))
def test_a_body_is_taken_from_the_previous_site_only_while_its_source_and_links_are_as_they_were(
    tmp_path, edit, resolved, rendered, monkeypatch
):
    """As the preview assembles (its entries' resolutions kept: Resolutions) or not. With them,
    a published entry whose names and targets are as they were takes its kept body without its
    mention targets being made again."""
    targets_made: list[str] = []
    real = site_module.mention_targets
    monkeypatch.setattr(site_module, "mention_targets", lambda e, *a: targets_made.append(e.path[-4:]) or real(e, *a))
    write_files(tmp_path, FILES)
    content = tmp_path / "content"
    sources = read_sources(content, 1, None)
    resolutions = Resolutions() if resolved else None
    before = assemble_site(sources, BriefingConfig(), today=TODAY, resolutions=resolutions)[0]
    files = {path: path.read_bytes() for path in content.rglob("*.md")}
    change, again = BODY_EDITS[edit]
    change(tmp_path)
    saved = [path for path in content.rglob("*.md") if files.get(path) != path.read_bytes()]
    rendered.clear()
    targets_made.clear()  # (the other files' drafts are the very objects read before, as in the preview)
    kept, _ = assemble_site(
        reread(sources, saved), BriefingConfig(), today=TODAY, previous=before, resolutions=resolutions
    )
    assert sorted(rendered) == sorted(again)
    made = sorted(targets_made)
    fresh, _ = _assemble(tmp_path)
    assert _bodies(kept) == _bodies(fresh)
    # with kept resolutions: the draft (d.md), and the entries the edit resolved again or whose targets changed
    assert made == (TARGETS_MADE[edit] if resolved else ["a.md", "b.md", "d.md"])  # (c.md names nothing)


TARGETS_MADE = {
    "a title": ["a.md", "d.md"],
    "a body with its front matter": ["b.md", "d.md"],
    "a summary taken away (the first paragraph is the summary again)": ["d.md"],  # (c.md names nothing)
    "an alias that makes two bodies link it": ["b.md", "d.md"],  # (Trade's target changed: b names it)
    "a country that loses its page (the draft's India mention no longer links)": ["a.md", "d.md"],
}


def test_a_summary_taken_away_shows_the_first_paragraph(tmp_path):
    write_files(tmp_path, FILES)
    before, _ = _assemble(tmp_path)
    BODY_EDITS["a summary taken away (the first paragraph is the summary again)"][0](tmp_path)
    kept, _ = _assemble(tmp_path, previous=before)
    assert _bodies(kept)["c.md"][2] == "First paragraph here."


@pytest.fixture
def typo_looks(monkeypatch):
    """The names the typo index was asked about."""
    asked: list[str] = []
    real = names.TypoIndex.near

    def spy(self, name, exclude=None):
        asked.append(name)
        return real(self, name, exclude)

    monkeypatch.setattr(names.TypoIndex, "near", spy)
    return asked


def _near_misses(problems) -> list[str]:
    """The near-miss warnings as printed, paths from the site's folder."""
    return [
        re.sub(r"/\S*/test_near_miss_warnings_appear0/", "", f"{p.path}:{p.line}:{p.column}: warning: {p.message}")
        for p in problems
        if "a typo?" in p.message
    ]


def test_near_miss_warnings_appear_and_go_as_a_full_build_says_and_look_only_when_names_change(tmp_path, typo_looks):
    write_files(tmp_path, FILES)
    before, problems = _assemble(tmp_path)
    assert _near_misses(problems) == []
    _replace(tmp_path, "briefings/a.md", "title: India talks", "title: India meets")
    typo_looks.clear()
    kept, problems = _assemble(tmp_path, previous=before)
    assert (typo_looks, _near_misses(problems)) == ([], [])  # no official's or issue's name changed
    _replace(
        tmp_path,
        "briefings/c.md",
        "title: Summarised",
        "officials: [{name: Wang Yee, country: China}]\ntitle: Summarised",
    )
    typo_looks.clear()
    typo, problems = _assemble(tmp_path, previous=kept)
    assert sorted(typo_looks) == ["Wang Yee", "Wang Yi"]  # the officials' names changed, the issues' did not
    expected = [
        "content/briefings/c.md:2:20: warning: official 'Wang Yee' (named in 1 file) is very like 'Wang Yi' "
        "(named in 2 files, first at content/officials/wang-yi.md:2:7): a typo? "
        "(different spellings make different official pages)"
    ]
    assert _near_misses(problems) == _near_misses(_assemble(tmp_path)[1]) == expected
    _replace(tmp_path, "briefings/c.md", "officials: [{name: Wang Yee, country: China}]\n", "")
    _, problems = _assemble(tmp_path, previous=typo)
    assert _near_misses(problems) == _near_misses(_assemble(tmp_path)[1]) == []


def test_an_event_an_older_entry_joins_by_its_id_lists_its_entries_oldest_first(tmp_path):
    """Only events a `same_as` report joined are sorted again after merging; the others get
    their reports in order (entries are merged oldest first)."""
    write_files(
        tmp_path,
        {
            "content/briefings/x.md": entry("Old", "2025-01-20", countries="[India]", events="\n  - same_as: talks"),
            "content/briefings/y.md": entry(
                "Id",
                "2025-02-01",
                countries="[India]",
                events="\n  - {date: 2025-01-15, what: Talks happen., id: talks}",
            ),
            "content/briefings/z.md": entry(
                "New", "2025-03-01", countries="[India]", events="\n  - {date: 2025-01-15, what: Talks happen.}"
            ),
        },
    )
    site, _ = _assemble(tmp_path)
    (event,) = site.events
    assert [e.title for e in event.reports] == ["Old", "Id", "New"]


def test_a_body_rendered_without_its_plain_text_is_not_kept_for_an_assembly_that_wants_it(tmp_path, rendered):
    """A build with no search and no cache makes no plain text (only search reads it): an
    assembly after it that wants the text renders every body again, then keeps them."""
    write_files(tmp_path, FILES)
    config = BriefingConfig()
    before, _ = assemble_site(read_sources(tmp_path / "content", 1, None), config, today=TODAY, plain_text=False)
    assert before is not None and {e.text for e in before.entries} == {""}
    rendered.clear()
    kept, _ = _assemble(tmp_path, previous=before)
    assert len(rendered) == 4 and "" not in {e.text for e in [*kept.entries, *kept.drafts]}
    fresh, _ = _assemble(tmp_path)
    assert _bodies(kept) == _bodies(fresh)
    rendered.clear()
    _assemble(tmp_path, previous=kept)
    assert rendered == []


def _targets(site) -> dict:
    return dict(site.registry.link_targets)


def test_an_entitys_link_target_is_the_previous_sites_object_while_it_is_equal(tmp_path):
    """A kept body is found by comparing its mention targets with the previous site's: equal
    targets are the very objects, so the comparison is by identity; a changed one is new."""
    write_files(tmp_path, FILES)
    before, _ = _assemble(tmp_path)
    _replace(tmp_path, "briefings/a.md", "title: India talks", "title: India meets")
    kept, _ = _assemble(tmp_path, previous=before)
    old, now = _targets(before), _targets(kept)
    assert sorted(now) == ["country:china", "country:india", "issue:trade", "official:wang-yi"]
    assert all(now[key] is old[key] for key in now)
    assert kept.registry.kept_targets == {}  # (read while rendering the bodies, then let go)
    BODY_EDITS["an alias that makes two bodies link it"][0](tmp_path)
    aliased, _ = _assemble(tmp_path, previous=kept)
    again = _targets(aliased)
    assert again["issue:trade"] is not now["issue:trade"]
    assert again["issue:trade"] == _targets(_assemble(tmp_path)[0])["issue:trade"]
    assert again["issue:trade"].names == ("Trade", "something")
    assert sorted(key for key in again if again[key] is now[key]) == [
        "country:china",
        "country:india",
        "official:wang-yi",
    ]


def test_an_entrys_own_warnings_are_kept_while_its_draft_names_summary_and_day_are_as_they_were(tmp_path, monkeypatch):
    """The preview's assemblies keep each entry's own warnings (entry_warnings.py) with what they
    were made from; after each edit they are the warnings a fresh assembly gives, and only the
    entries whose draft, countries or summary changed, or all on another day, are looked at."""
    from briefing.domain import entry_warnings as warnings_module

    looked: list[str] = []
    real = warnings_module._warnings
    monkeypatch.setattr(
        warnings_module, "_warnings", lambda e, d, today: looked.append(e.path[-4:]) or real(e, d, today)
    )
    write_files(tmp_path, FILES)
    resolutions = Resolutions()

    def assemble(today, previous=None):
        looked.clear()
        sources = read_sources(tmp_path / "content", 1, None)
        site, problems = assemble_site(
            sources, BriefingConfig(), today=today, previous=previous, resolutions=resolutions
        )
        seen = sorted(looked)
        fresh = assemble_site(read_sources(tmp_path / "content", 1, None), BriefingConfig(), today=today)[1]
        own = [str(p) for p in problems if "summary is" in p.message or "in the future" in p.message]
        assert own == [str(p) for p in fresh if "summary is" in p.message or "in the future" in p.message]
        return site, seen, [p.message for p in problems if "summary is" in p.message or "future" in p.message]

    day = dt.date(2025, 6, 2)
    site, looked_at, said = assemble(day)
    assert (looked_at, said) == (
        ["a.md", "b.md", "c.md", "d.md"],
        ["dated in the future (2025-06-03)", "dated in the future (2025-06-04)"],
    )
    _replace(tmp_path, "briefings/c.md", "summary: An editor's summary.", "summary: " + "Long. " * 60)
    site, looked_at, said = assemble(day, site)
    assert looked_at == ["c.md"] and "summary is 359 characters; keep it under 300" in said
    _replace(tmp_path, "briefings/a.md", "countries: [India, China]", "countries: [China]")
    site, looked_at, said = assemble(day, site)
    assert looked_at == ["a.md"] and len(said) == 3
    site, looked_at, said = assemble(dt.date(2025, 6, 3), site)  # the next day: c is no longer ahead of it
    assert looked_at == ["a.md", "b.md", "c.md", "d.md"]
    assert said == ["summary is 359 characters; keep it under 300", "dated in the future (2025-06-04)"]
    (entry,) = [e for e in site.entries if e.path.endswith("a.md")]  # its draft as it was, its names resolved anew
    draft = next(found[0] for path, found in resolutions.kept.items() if path.endswith("a.md"))
    twin = copy.copy(entry)
    twin.countries = tuple(f"country-{n}" for n in range(9))
    looked.clear()
    found = warnings_module.entry_warnings([twin], [draft], dt.date(2025, 6, 3), resolutions.warnings)
    assert looked == ["a.md"] and "names 9 countries" in found[0].message


def test_a_kept_body_is_taken_by_its_names_only_while_none_of_their_link_targets_changed(tmp_path, monkeypatch):
    """A published entry naming the very keys its kept body named takes that body whole, its
    targets not made again, unless one of those entities' link targets is not the previous
    assembly's object: then its targets are made and compared (site._kept_bodies)."""
    from briefing.domain.mentions import MentionTarget

    targets_made: list[str] = []
    real = site_module.mention_targets
    monkeypatch.setattr(site_module, "mention_targets", lambda e, *a: targets_made.append(e.path[-4:]) or real(e, *a))
    write_files(tmp_path, FILES)
    sources, resolutions = read_sources(tmp_path / "content", 1, None), Resolutions()
    before = assemble_site(sources, BriefingConfig(), today=TODAY, resolutions=resolutions)[0]
    before.registry.link_targets["country:india"] = MentionTarget("/elsewhere/", ("India",))  # as if it changed
    targets_made.clear()
    again = assemble_site(sources, BriefingConfig(), today=TODAY, previous=before, resolutions=resolutions)[0]
    assert sorted(targets_made) == ["a.md", "d.md"]  # a names India (and the draft d always has its targets made)
    bodies, kept = again.bodies, before.bodies
    by_name = {path[-4:]: path for path in bodies}
    assert bodies[by_name["b.md"]] is kept[by_name["b.md"]] and bodies[by_name["c.md"]] is kept[by_name["c.md"]]
    assert bodies[by_name["a.md"]] is not kept[by_name["a.md"]]
    assert bodies[by_name["a.md"]][3] is kept[by_name["a.md"]][3]  # (its targets equal: the same rendered body)
