"""Issue 17 on the bundled site: "all of" a group's values, events and statements narrowed by the
same filters as entries, and one search box, in Chromium at 375 and 1280 px. Expected results
are read from the content files (tests/tools/bundled_content.py), not from the site's code."""

from __future__ import annotations

import re

import pytest
from tools.bundled_content import ENTRIES, STATEMENT_LIST, newest_first, titles
from tools.search_page import open_search, shown_titles, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def tab(chromium, request):
    """A fresh page at the test's viewport (WIDE unless parametrized) that must log no error and
    ask no host but 127.0.0.1."""
    context = chromium.new_context(viewport=getattr(request, "param", WIDE))
    page = context.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") else foreign.append(r.url))
    yield page
    context.close()
    assert errors == [] and foreign == []


def names_all(key: str, values: list[str]):
    return lambda e: set(values) <= set(e[key])


def names_any(key: str, values: list[str]):
    return lambda e: bool(set(values) & set(e[key]))


@pytest.mark.parametrize(
    "group, key, values",
    [
        ("country", "countries", ["India", "China"]),
        ("country", "countries", ["India", "China", "Pakistan"]),
        ("official", "officials", ["Wang Yi", "S. Jaishankar"]),
        ("issue", "issues", ["Border dispute", "BRICS"]),
    ],
)
def test_all_of_a_group_lists_only_the_entries_naming_every_value(served_site, tab, group, key, values):
    open_search(tab, served_site, kind="entry", **{group: values, f"{group}_all": "1"})
    every = newest_first(names_all(key, values))
    assert every  # the bundled content has such entries
    assert shown_titles(tab) == every
    assert tab.inner_text(f"#search-facets .facet-{group} input[value='all'] + span") == "all"
    assert tab.is_checked(f"#search-facets .facet-{group} input[type=radio][value='all']")
    open_search(tab, served_site, kind="entry", **{group: values})  # the same values, "any"
    assert shown_titles(tab) == newest_first(names_any(key, values))
    assert len(newest_first(names_any(key, values))) > len(every)


def test_galwan_with_india_and_china_any_then_all(served_site, tab):
    """The issue's own example: ticking India and China meant India *or* China."""
    galwan = [e for e in ENTRIES if re.search(r"\bgalwan\b", e["text"], re.I)]
    both = {e["title"] for e in galwan if {"India", "China"} <= set(e["countries"])}
    either = {e["title"] for e in galwan if {"India", "China"} & set(e["countries"])}
    open_search(tab, served_site, q="Galwan", kind="entry", country=["India", "China"])
    assert set(shown_titles(tab)) == either
    tab.check("#search-facets .facet-country input[type=radio][value='all']")
    wait_drawn(tab)
    assert tab.url.endswith("/search/?q=Galwan&kind=entry&country=India&country=China&country_all=1")
    assert set(shown_titles(tab)) == both
    assert tab.locator("#search-active .active-group").all_inner_texts() == ["Type:", "Countries, all of:"]


def statements_drawn(tab) -> list[tuple[str, str]]:
    """(date, speaker) of every statement drawn, in order."""
    rows = tab.eval_on_selector_all(
        ".result-statement",
        "items => items.map(i => [i.querySelector('time').getAttribute('datetime'),"
        " i.querySelector('.result-title a').textContent.split(': ')[0]])",
    )
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "params, keep",
    [
        ({"official": "S. Jaishankar"}, lambda s: s["by"] == "S. Jaishankar" or "S. Jaishankar" in s["on"]),
        ({"issue": "Rare earth export controls"}, lambda s: "Rare earth export controls" in s["on"]),
        (
            {"issue": "Border dispute", "year": "2020"},
            lambda s: "Border dispute" in s["on"] and s["date"][:4] == "2020",
        ),
    ],
    ids=["official", "issue", "issue-and-year"],
)
def test_statements_are_narrowed_by_the_same_filters_newest_first(served_site, tab, params, keep):
    open_search(tab, served_site, kind="statement", **params)
    shown_titles(tab)
    drawn = statements_drawn(tab)
    expected = [(s["date"], s["by"]) for s in STATEMENT_LIST if keep(s)]
    assert expected  # the bundled content has such statements
    assert sorted(drawn) == sorted(expected)
    assert [d for d, _ in drawn] == sorted((d for d, _ in expected), reverse=True)
    assert tab.locator(".result").count() == len(expected)  # statements only


@pytest.mark.parametrize("tab", [PHONE, WIDE], ids=["phone", "wide"], indirect=True)
def test_one_box_holds_the_query_on_the_search_page(served_site, tab):
    tab.goto(f"{served_site}/issues/")
    tab.fill("#site-search-q", "magnets")
    tab.press("#site-search-q", "Enter")
    tab.wait_for_url(f"{served_site}/search/?q=magnets")
    wait_drawn(tab)
    boxes = tab.locator("input[type=search]")
    assert boxes.evaluate_all("boxes => boxes.map(b => [b.id, b.value])") == [["search-q", "magnets"]]
    assert boxes.first.is_visible()
    assert set(shown_titles(tab, "entry")) == titles(lambda e: re.search(r"\bmagnets?\b", e["text"], re.I))
    tab.fill("#search-q", "Galwan")
    tab.press("#search-q", "Enter")
    wait_drawn(tab)
    assert tab.url.endswith("/search/?q=Galwan")
    assert boxes.evaluate_all("boxes => boxes.map(b => b.value)") == ["Galwan"]
    tab.go_back()
    wait_drawn(tab)
    assert boxes.evaluate_all("boxes => boxes.map(b => b.value)") == ["magnets"]
