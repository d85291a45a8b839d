"""A year split into bundles of months searches exactly as the same year whole, in real
Chromium: the bundled content built twice, every year its own bundle, once with 2025 (77
records) whole and once with a ceiling of 40 records, which cuts 2025 into quarters. Newest
first, the same URL on both sites draws the same results in the same order, the same status
line and the same filter counts; by best match, the same results and counts. A small site checks the newest part of a split year, which also holds the
records dated to the year alone."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_search_periods import LOW_CEILING, SPLIT_FILES
from tools.search_page import open_search, serving, shown_titles
from tools.sites import ROOT, build_in_process, read, write_files

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

WHOLE = {"search_bundle_records": 1, "search_bundle_max_records": 0}
SPLIT = {"search_bundle_records": 1, "search_bundle_max_records": 40}


def bundle_names(output) -> list[str]:
    manifest = re.search(r"data-manifest='([^']*)'", read(output / "search" / "index.html")).group(1)
    return [bundle["name"] for bundle in json.loads(manifest)["bundles"]]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """Base URLs of the bundled content built with 2025 whole, and with 2025 split."""
    root = tmp_path_factory.mktemp("split")
    shutil.copytree(ROOT / "content", root / "content")
    env = {"BRIEFING_CACHE": "off"}
    whole = build_in_process(root, output="whole", env=env, BRIEFING=WHOLE)
    split = build_in_process(root, output="split", env=env, BRIEFING=SPLIT)
    assert whole.ok and split.ok, whole.stderr + split.stderr
    assert [n for n in bundle_names(whole.output) if n.startswith("2025")] == ["2025"]
    assert [n for n in bundle_names(split.output) if n.startswith("2025")] == [
        "2025-10-12",
        "2025-07-09",
        "2025-04-06",
        "2025-01-03",
    ]
    with serving(whole.output) as whole_url, serving(split.output) as split_url:
        yield whole_url, split_url


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def drawn(tab, base, **params) -> tuple[list[str], str, str]:
    """Every result's title in order, the status line and the filter counts, for one URL."""
    open_search(tab, base, **params)
    titles = shown_titles(tab)
    return titles, tab.inner_text("#search-status"), tab.inner_text("#search-facets")


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "entry"},  # browsing newest first, across every bundle and the split year
        {"year": "2025"},  # the split year alone: its four parts, newest first
        {"year": ["2024", "2025"], "country": "India"},
        {"q": "India", "sort": "date"},
        {"q": "rare earth", "sort": "date", "year": "2025"},
        {"q": "Wang Yi", "sort": "date", "shown": "60"},
    ],
)
def test_a_split_year_searches_exactly_as_the_whole_year(two_sites, tab, params):
    whole_url, split_url = two_sites
    whole = drawn(tab, whole_url, **params)
    split = drawn(tab, split_url, **params)
    assert len(whole[0]) > 1
    assert split == whole


@pytest.mark.parametrize(
    "params", [{"q": "border talks"}, {"q": "rare earth magnets"}, {"q": "Wang Yi", "year": "2025"}]
)
def test_best_match_finds_the_same_results_with_the_same_counts(two_sites, tab, params):
    """The same results, status line and filter counts. Not always in the same order: Pagefind
    weighs a word by its rarity within each bundle (docs/DESIGN.md, "Search index")."""
    whole_url, split_url = two_sites
    whole = drawn(tab, whole_url, **params)
    split = drawn(tab, split_url, **params)
    assert len(whole[0]) > 1
    assert (sorted(split[0]), split[1:]) == (sorted(whole[0]), whole[1:])


def test_the_newest_part_of_a_split_year_holds_the_records_dated_to_the_year(tmp_path, tab):
    """2024 in quarters: Oct-Dec also holds an event dated "2024"; browsing the year lists
    it first, once, as the whole year does."""
    root = write_files(tmp_path, SPLIT_FILES)
    whole = build_in_process(root, output="whole", env={"BRIEFING_CACHE": "off"}, BRIEFING=WHOLE)
    split = build_in_process(root, output="split", env={"BRIEFING_CACHE": "off"}, BRIEFING=LOW_CEILING)
    assert whole.ok and split.ok, whole.stderr + split.stderr
    assert bundle_names(split.output)[:3] == ["2024-10-12", "2024-04-06", "2024-01-03"]
    expected = ["A year of border talks.", "October talks", "April talks", "March talks", "January talks"]
    for params in ({"year": "2024"}, {"q": "talks", "sort": "date"}, {"kind": ["entry", "event"]}):
        with serving(whole.output) as whole_url, serving(split.output) as split_url:
            whole_titles = drawn(tab, whole_url, **params)
            assert drawn(tab, split_url, **params) == whole_titles
        assert whole_titles[0][:5] == expected
