"""The search page's state module (themes/briefing/static/js/search-state.js) run in Node: the
URL round trip with any/all and `shown`, the facet counts' arithmetic, the ranking signals and
the period a query names. Pure functions, so each case is a call and its exact answer."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from tools.sites import ROOT

MODULE = ROOT / "themes" / "briefing" / "static" / "js" / "search-state.js"


def call(expression: str):
    """The JSON value of `expression`, evaluated in Node with the module imported as `s`."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make test needs it for axe-core too)")
    script = f"import * as s from {json.dumps(MODULE.as_uri())};\nconsole.log(JSON.stringify({expression}));"
    command = [node, "--input-type=module", "-e", script]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_url_holds_any_or_all_per_group_and_how_many_are_shown():
    url = "?q=border&country=India&country=China&country_all=1&issue=Trade&year=2025&sort=date&shown=40"
    state = call(f"s.parseState({json.dumps(url)})")
    assert state == {
        "q": "border",
        "sort": "date",
        "filters": {"kind": [], "country": ["India", "China"], "official": [], "issue": ["Trade"], "year": ["2025"]},
        "all": {"country": True, "official": False, "issue": False},
        "shown": 40,
    }
    assert call(f"s.stateQuery(s.parseState({json.dumps(url)}))") == (
        "?q=border&country=India&country=China&country_all=1&issue=Trade&year=2025&sort=date&shown=40"
    )


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("?country=India&country=India&country=+China+", "?country=India&country=China"),  # repeats, spaces
        ("?shown=20", ""),  # the first page is the default
        ("?shown=7", ""),  # fewer than a page: a page
        ("?shown=abc&country_all=yes", ""),  # only 1 switches "all" on
        ("?shown=999999", "?shown=2000"),  # bounded
        ("?year_all=1&kind_all=1", ""),  # years and kinds have no "all": a record has one of each
        ("?sort=date", ""),  # without words, browsing is newest first anyway
    ],
)
def test_odd_urls_become_canonical(url, canonical):
    assert call(f"s.stateQuery(s.parseState({json.dumps(url)}))") == canonical


def test_pagefind_filters_follow_each_groups_mode():
    state = "s.parseState('?country=India&country=China&country_all=1&official=Wang+Yi&year=2025')"
    assert call(f"s.pagefindFilters({state})") == {
        "country": {"all": ["India", "China"]},
        "official": {"any": ["Wang Yi"]},
        "year": {"any": ["2025"]},
    }
    assert call(f"s.pagefindFilters({state}, 'country')") == {
        "official": {"any": ["Wang Yi"]},
        "year": {"any": ["2025"]},
    }


@pytest.mark.parametrize(
    "url, value, expected",
    [
        ("?year=2025", "China", 4),  # nothing ticked in the group: the results naming it
        ("?country=India", "China", 10 + 7 - 4),  # any: India's 10, plus China's 7, less the 4 naming both
        ("?country=India", "India", 10),  # ticked: how many of the results name it
        ("?country=India&country_all=1", "China", 4),  # all: only those naming both
    ],
)
def test_a_facet_count_is_what_ticking_the_value_would_give(url, value, expected):
    main = {"India": 10, "China": 4}  # counts within the current results
    other = {"India": 10, "China": 7}  # counts with the group's own values lifted
    got = call(f"s.facetCount(s.parseState({json.dumps(url)}), 'country', {json.dumps(value)}, 10, {main}, {other})")
    assert got == expected


@pytest.mark.parametrize(
    "locations, words, expected",
    [
        ([4, 5, 6], 3, 1.0),  # the phrase itself
        ([4, 5, 40], 3, 0.5),  # two of three words together
        ([4, 20, 40], 3, 0.0),  # scattered
        ([4, 5, 6], 1, 0.0),  # one word: no phrase to speak of
        ([9, 7, 8, 8], 3, 1.0),  # order and repeats do not matter
    ],
)
def test_nearness_rewards_query_words_in_a_row(locations, words, expected):
    assert call(f"s.nearness({locations}, {words})") == expected


def test_relevance_order_weighs_title_phrase_and_period():
    results = (
        "[{id: 'body', score: 10, words: [1, 30, 60]},"
        " {id: 'title', score: 8, words: [1, 30, 60]},"
        " {id: 'phrase', score: 6, words: [1, 2, 3]},"
        " {id: 'dated', score: 4, words: [1, 30, 60]}]"
    )
    signals = "{words: 3, titleShare: new Map([['title', 1]]), inPeriod: new Set(['dated'])}"
    order = call(f"s.mergeResults([{results}], false, {signals}).map((r) => r.id)")
    # title 8 x 3 = 24; phrase 6 x 2 = 12; dated 4 x 3 = 12 (phrase first: the earlier result); body 10
    assert order == ["title", "phrase", "dated", "body"]
    by_date = call("s.mergeResults([[{id: 'a', score: 1}], [{id: 'b', score: 9}]], true).map((r) => r.id)")
    assert by_date == ["a", "b"]  # newest first: searches concatenated, scores ignored


@pytest.mark.parametrize(
    "query, period",
    [
        ("India China border talks October 2024", {"month": "2024-10"}),
        ("talks oct 2024", {"month": "2024-10"}),
        ("sanctions 2022", {"year": "2022"}),
        ("21 October 2024", {"month": "2024-10"}),
        ("border talks", None),
        ("G20 summit", None),
        ("3000 troops", None),  # not a year of the site (1800-2200)
    ],
)
def test_the_period_a_query_names(query, period):
    assert call(f"s.queryPeriod({json.dumps(query)})") == period


def test_query_words_are_distinct_and_without_punctuation():
    assert call("s.queryWords('Rare-earth, rare EARTH magnets!')") == ["rare", "earth", "magnets"]


def test_excerpts_become_text_pieces_without_the_browse_word():
    pieces = call("s.excerptPieces('a &lt;b&gt; <mark>rare</mark> earth zqxjbrowse', 'zqxjbrowse')")
    assert pieces == [
        {"text": "a <b> ", "marked": False},
        {"text": "rare", "marked": True},
        {"text": " earth ", "marked": False},
    ]
