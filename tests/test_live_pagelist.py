"""The preview's page list after a front-matter edit: an entity's or a relation's pages are
listed again from the dates the last page list read of it (its newest entry, its year pages)
when the edit did not touch it (build/candidates.kept_chronicles, pages.known_chronicles), and
counted again when it did. Each case: the page list equals one made afresh from the new model,
and the output equals a clean full build. Entities' main pages hold two items here, so that
the test site has year pages; on such a site, every edit of test_incremental.EDITS renders
exactly the pages that change (a year page only for what it shows: build/year_digest.py)."""

from __future__ import annotations

import pytest
from test_incremental import EDITS, _replace, add_entity
from test_live import (
    Live,
    differing,
    full_build,
    make_site,
    move_to_another_year,
    move_within_the_month,
    page_url,
    remove_kenya,
    stale_pages,
)
from tools.sites import tree_bytes

from briefing.build import live as live_module
from briefing.build import pages as pages_module
from briefing.domain import periods

pytestmark = pytest.mark.slow


def move_back_a_year(root):  # after move_to_another_year: 2024's year pages go
    _replace(root, "content/briefings/e11.md", "date: 2024-11-12", "date: 2025-06-12")


def move_past_the_newest(root):  # after move_to_another_year: the build date (the newest entry's) moves
    _replace(root, "content/briefings/e11.md", "date: 2024-11-12", "date: 2025-07-30")


@pytest.fixture
def counted(monkeypatch):
    """The main page URLs of the subjects whose dates the page list counted (not kept)."""
    monkeypatch.setattr(periods, "MAIN_PAGE_ITEMS", 2)
    seen: list[str] = []
    count = pages_module.chronicle_dates

    def counting(subject):
        seen.append(subject.page_url)
        return count(subject)

    monkeypatch.setattr(pages_module, "chronicle_dates", counting)
    return seen


def listed(specs) -> list[tuple]:
    return [(s.url, s.template, s.kind, s.lastmod, s.public, s.context.get("year")) for s in specs]


def assert_page_list_is_fresh(model):
    """The kept page list is the one the current model gives, date for date, and its entities'
    and relations' pages show the current model's subjects."""
    fresh = model.generator.page_specs()
    assert listed(model.specs) == listed(fresh)
    views, relations = model.site.views, {r.slug: r for r in model.site.relations}
    for spec in model.specs:
        if "view" in spec.context and spec.template == "entity.html":
            assert spec.context["view"] is views[spec.context["view"].entity.key]
        if spec.template == "relation.html":
            assert spec.context["relation"] is relations[spec.context["relation"].slug]


# (edits before, the edit, a page it must add or remove, subjects counted again among others)
CASES = {
    "entity gains its first entry": ((), add_entity, "/countries/kenya/", {"/countries/kenya/", "/countries/japan/"}),
    "entity loses its last entry": ((add_entity,), remove_kenya, "/countries/kenya/", {"/countries/japan/"}),
    "a year page appears": ((), move_to_another_year, "/countries/japan/2024/", {"/countries/japan/"}),
    "a year page goes": ((move_to_another_year,), move_back_a_year, "/countries/japan/2024/", {"/countries/japan/"}),
    "a digest week gains an entry": ((), move_within_the_month, "/digests/2025-w23/", {"/countries/china/"}),
}


def saved_against_full_builds(tmp_path, counted: list, earlier, edit):
    """After the `earlier` saves, save `edit`: (the model, the subjects counted on that save),
    its output checked against two clean full builds (written exactly what they differ in)."""
    root = make_site(tmp_path)
    live = Live(root)
    for step in earlier:
        live.save(step)
    before = full_build(root, "full-before")
    del counted[:]
    change = live.save(edit)
    again = list(counted)
    after = full_build(root, "full-after")
    model = live.preview.live
    assert stale_pages(model) == []
    expected = differing(before, after)
    assert set(change["written"]) == expected
    assert set(change["rendered"]) == expected - {page_url(p) for p in before.keys() - after.keys()}
    assert tree_bytes(root / "output") == after
    return model, again, expected


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_page_list_counts_again_only_the_subjects_an_edit_touches(tmp_path, counted, case):
    earlier, edit, page, touched = CASES[case]
    model, again, written = saved_against_full_builds(tmp_path, counted, earlier, edit)
    assert model.last.how == "site"
    assert 0 < model.last.looked < len(model.specs)
    assert page in written
    assert_page_list_is_fresh(model)
    assert touched <= set(again)
    assert "/countries/brazil/" not in again  # named by neither entry edited
    assert 0 < len(again) < len(model.site.views) + len(model.site.relations)


def test_the_build_date_moving_counts_every_subject_again(tmp_path, counted):
    model, again, _ = saved_against_full_builds(tmp_path, counted, (move_to_another_year,), move_past_the_newest)
    assert model.last.looked == len(model.specs)  # the build date moved: every page
    subjects = [*model.site.views.values(), *model.site.relations]
    assert sorted(again) == sorted(s.page_url for s in subjects)
    assert_page_list_is_fresh(model)


def move_two_to_last_year(root):  # year pages of 2024 for China, India, Japan, their issues and pairs
    _replace(root, "content/briefings/e16.md", "date: 2025-05-17", "date: 2024-11-17")
    _replace(root, "content/briefings/e17.md", "date: 2025-06-18", "date: 2024-10-18")


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_an_edit_renders_exactly_the_pages_that_change_with_year_pages(tmp_path, counted, edit):
    """The dependency map where timelines have pages of their years: a page of one year is
    rendered again only when what it shows changed (build/year_digest.py), not for what only
    its subject's main page shows (a new partner on its map, a new name "Appears with")."""
    model, _, _ = saved_against_full_builds(tmp_path, counted, (move_two_to_last_year,), edit)
    assert len([s for s in model.specs if s.context.get("year")]) >= 6


def edit_an_older_body(root):  # e16 (China, Japan, Border dispute, Wang Yi), in 2024 after move_two_to_last_year
    _replace(root, "content/briefings/e16.md", "More 16.", "More 16, edited.")


def edit_an_older_title(root):  # idem: its line on the 2024 pages, not on the main pages
    _replace(root, "content/briefings/e16.md", "Entry number 16", "Entry number sixteen")


MAIN_PAGES = {"/countries/china/", "/countries/japan/", "/issues/border-dispute/", "/officials/wang-yi/"}


@pytest.mark.parametrize("edit", [edit_an_older_body, edit_an_older_title], ids=["body", "title"])
def test_an_edit_to_an_older_year_leaves_the_main_pages_as_they_were(tmp_path, counted, monkeypatch, edit):
    """An entity's main page holds its newest years' items alone (year_digest.main_page), so
    an edit to an entry of an older year renders the pages of that year, not the main pages of
    the entities it names: a body edit does not even look at them (their closures do not hold
    the file), and a title edit, which looks at them, does not render them."""
    looked: list[str] = []
    fingerprint = live_module.fingerprints_and_inputs

    def looking(specs, *args):
        looked.extend(s.url for s in specs)
        return fingerprint(specs, *args)

    monkeypatch.setattr(live_module, "fingerprints_and_inputs", looking)
    model, _, written = saved_against_full_builds(tmp_path, counted, (move_two_to_last_year,), edit)
    assert {"/countries/china/2024/", "/countries/japan/2024/", "/issues/border-dispute/2024/"} <= set(looked)
    assert MAIN_PAGES.isdisjoint(model.last.rendered) and MAIN_PAGES.isdisjoint(written)
    if edit is edit_an_older_body:
        assert model.last.how == "body" and MAIN_PAGES.isdisjoint(looked)
    else:
        assert "/countries/china/2024/" in written
