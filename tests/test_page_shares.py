"""Issue 19, item 2: the page workers' shares (render._shares). Each share is a run of the page
list, and a subject's pages (an entity's or a relation's main page and its years, which follow
each other) stay in one run, so that one worker builds its timeline, not both."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.build.pages import PageSpec
from briefing.build.render import _shares


class Subject:
    """A stand-in for an EntityView or a Relation: only its identity counts."""


def pages(groups: list[int]) -> list[PageSpec]:
    """For each n in `groups`: one entry page (n == 0), or a subject's n pages (main page, years)."""
    specs = []
    for number, size in enumerate(groups):
        if not size:
            specs.append(PageSpec(f"/briefings/{number}/", "entry.html", "entry"))
            continue
        subject, template, name = Subject(), *(("entity.html", "view") if number % 2 else ("relation.html", "relation"))
        for year in range(size):
            url = f"/subjects/{number}/" + (f"{2025 - year}/" if year else "")
            specs.append(PageSpec(url, template, "country", {name: subject, "year": year or None}))
    return specs


def test_runs_of_pages_keep_a_subject_whole_and_come_last_first():
    specs = pages([0, 0, 3, 0, 0, 2, 0])  # 2 entries, 3 pages of a view, 2 entries, 2 of a relation, 1 entry
    assert len(specs) == 10
    assert _shares(specs, 4) == [(9, 10), (5, 9), (0, 5)]  # runs of 3, each stretched to a subject's end
    assert _shares(specs, 1) == [(0, 10)]
    assert _shares([], 4) == []


@given(st.lists(st.integers(0, 6), max_size=60), st.integers(1, 40))
def test_every_page_is_in_one_run_and_no_subject_is_cut(groups, count):
    specs = pages(groups)
    runs = _shares(specs, count)
    in_order = runs[::-1]
    assert [page for start, stop in in_order for page in range(start, stop)] == list(range(len(specs)))
    assert all(start < stop for start, stop in runs)
    size = -(-len(specs) // count) if specs else 0
    assert all(stop - start <= size + max(groups, default=0) for start, stop in runs)
    assert len(runs) <= count
    for start, _ in runs:  # no run begins on a year page: inside a subject's pages
        assert not specs[start].context.get("year"), (start, runs)
