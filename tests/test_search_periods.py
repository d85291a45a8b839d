"""Search bundles with a ceiling: a year with more than `search_bundle_max_records` records is
split into bundles of whole months (calendar halves, thirds, quarters, ...), named by their
months, listed with their months in the search page's manifest; the rest of the index is as
before. Unit tests of the grouping, then a real build with a low ceiling."""

from __future__ import annotations

import json
import re

import pytest
from tools.search_page import bundle_inodes, rewritten_bundles
from tools.sites import entry, read, tree_bytes

from briefing.domain.config import BriefingConfig
from briefing.domain.site import load_site
from briefing.search.periods import Period, group_periods, split_year
from briefing.search.records import site_bundles

# The records of 2016 in the 100,000-entry reference corpus, by month (15,898: Pagefind's
# service peaked at 3.1 GiB indexing them in one bundle).
MONTHS_2016 = [1366, 1325, 1303, 1254, 1312, 1297, 1318, 1346, 1318, 1368, 1337, 1354]
REFERENCE_2016 = dict(enumerate(MONTHS_2016, start=1))


def test_the_ceiling_is_a_setting_with_a_measured_default():
    assert BriefingConfig().search_bundle_max_records == 9000
    assert BriefingConfig.from_settings({"search_bundle_max_records": 0}).search_bundle_max_records == 0


@pytest.mark.parametrize(
    "maximum, parts",
    [
        (16000, [(1, 12)]),  # within the ceiling: whole
        (9000, [(1, 6), (7, 12)]),  # halves: 7,857 and 8,041
        (8000, [(1, 4), (5, 8), (9, 12)]),  # a half is over 8,000: thirds
        (5000, [(1, 3), (4, 6), (7, 9), (10, 12)]),
        (3000, [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)]),
        (2000, [(m, m) for m in range(1, 13)]),
        (1000, [(m, m) for m in range(1, 13)]),  # a month over the ceiling is not split
    ],
)
def test_a_big_year_is_cut_into_the_fewest_calendar_parts_within_the_ceiling(maximum, parts):
    assert split_year(REFERENCE_2016, 500, maximum) == parts


def test_empty_parts_are_dropped_and_small_ones_join_a_neighbour():
    growing = {1: 3000, 2: 3000, 3: 3000, 4: 200}  # the current year, in April: 9,200
    assert split_year(growing, 500, 9100) == [(1, 6)]  # quarters; April-June (200) joins January-March
    assert split_year(growing, 500, 6000) == [(1, 2), (3, 4)]  # two-month parts; the empty ones dropped
    assert split_year(growing, 500, 5000) == [(1, 1), (2, 2), (3, 4)]  # April's 200 join March
    assert split_year({1: 300, 5: 2000, 9: 2000}, 500, 2200) == [(1, 8), (9, 12)]  # thirds; Jan-Apr joins May-Aug
    assert split_year({3: 2000, 12: 100}, 500, 1500) == [(3, 12)]  # December's 100 join March


def test_names_and_months_of_periods():
    assert [Period((2016,)).name, Period((2014, 2016)).name] == ["2016", "2014-2016"]
    half = Period((2016,), (7, 12))
    assert (half.name, Period((2016,), (3, 3)).name) == ("2016-07-12", "2016-03")
    assert half.month_labels() == ("2016-12", "2016-11", "2016-10", "2016-09", "2016-08", "2016-07")
    assert Period((2016,)).month_labels() == ()
    # A record dated to the year alone (month 0) sorts above the year's dated ones: the newest part holds it.
    assert [half.holds(2016, m) for m in (0, 6, 7, 12)] == [True, False, True, True]
    assert [Period((2016,), (1, 6)).holds(2016, m) for m in (0, 1, 6, 7)] == [False, True, True, False]
    assert not half.holds(2015, 8)


def test_split_years_stand_alone_and_the_years_between_are_grouped():
    months = {(2013, 5): 200, (2014, 6): 250}  # small years: grouped
    months |= {(2015, m): 1000 for m in range(1, 13)} | {(2015, 0): 7}  # 12,007: split in halves
    months |= {(2016, 1): 300, (2017, 2): 600}  # after the split year: grouped among themselves
    periods = group_periods(months, 500, 9000)
    assert [(p.name, p.years, p.months) for p in periods] == [
        ("2013-2014", (2013, 2014), None),
        ("2015-01-06", (2015,), (1, 6)),
        ("2015-07-12", (2015,), (7, 12)),
        ("2016-2017", (2016, 2017), None),
    ]
    assert [p.years for p in group_periods(months, 500, 0)] == [(2013, 2014, 2015), (2016, 2017)]  # no ceiling
    del months[2017, 2]
    assert group_periods(months, 500, 9000)[-1].name == "2016"  # 300 records, alone: no part of 2015 takes it


def test_a_year_whose_parts_are_too_small_stays_whole():
    months = {(2024, 1): 5, (2024, 2): 5, (2025, 1): 4}
    assert [p.name for p in group_periods(months, 500, 6)] == ["2024-2025"]


LOW_CEILING = {"search_bundle_records": 1, "search_bundle_max_records": 2}
SPLIT_FILES = {
    "content/briefings/2023/a.md": entry("Talks in Jakarta", "2023-09-05", countries="[Indonesia]"),
    "content/briefings/2024/jan.md": entry("January talks", "2024-01-10", countries="[India]"),
    "content/briefings/2024/mar.md": entry(
        "March talks",
        "2024-03-05",
        countries="[India]",
        events="\n  - {date: 2024, what: A year of border talks.}",
    ),
    "content/briefings/2024/apr.md": entry("April talks", "2024-04-02", countries="[China]"),
    "content/briefings/2024/oct.md": entry("October talks", "2024-10-21", countries="[India, China]"),
}


def manifest_of(output) -> dict:
    return json.loads(re.search(r"data-manifest='([^']*)'", read(output / "search" / "index.html")).group(1))


def page_count(output, name: str) -> int:
    return json.loads(read(output / "pagefind" / name / "pagefind-entry.json"))["languages"]["en"]["page_count"]


@pytest.mark.slow
def test_a_build_splits_a_year_over_the_ceiling_into_month_bundles(site):
    built = site(SPLIT_FILES, env={"BRIEFING_CACHE": "off"}, BRIEFING=LOW_CEILING)
    assert built.ok, built.stderr
    bundles = manifest_of(built.output)["bundles"]
    # 2024 holds 4 entries and an event dated to the year alone: quarters hold at most 2 (Jan-Mar 2,
    # Apr-Jun 1, Oct-Dec 1 and the year's event, which sorts above them); Jul-Sep is empty.
    assert [(b["name"], b["years"], b.get("months")) for b in bundles] == [
        ("2024-10-12", ["2024"], ["2024-12", "2024-11", "2024-10"]),
        ("2024-04-06", ["2024"], ["2024-06", "2024-05", "2024-04"]),
        ("2024-01-03", ["2024"], ["2024-03", "2024-02", "2024-01"]),
        ("2023", ["2023"], None),
        ("pages", [], None),
    ]
    assert sorted(p.name for p in (built.output / "pagefind").iterdir()) == sorted(b["name"] for b in bundles)
    assert [page_count(built.output, b["name"]) for b in bundles[:4]] == [2, 1, 2, 1]
    model, _ = load_site(built.root / "content", BriefingConfig.from_settings(LOW_CEILING))
    records = {b.name: [(r["url"], r["sort"]["order"]) for r in b.records] for b in site_bundles(model, 1, None, 2)}
    assert records["2024-10-12"] == [
        ("/events/2024/#event-2024-a-year-of-border-talks", "d000000"),
        ("/briefings/2024/october-talks/", "d000001"),
    ]
    assert records["2024-04-06"] == [("/briefings/2024/april-talks/", "d000000")]
    assert records["2024-01-03"] == [
        ("/briefings/2024/march-talks/", "d000000"),
        ("/briefings/2024/january-talks/", "d000001"),
    ]


@pytest.mark.slow
def test_an_edit_in_a_split_year_reindexes_its_months_only(site):
    first = site(SPLIT_FILES, BRIEFING=LOW_CEILING)
    assert first.ok, first.stderr
    output = first.root / "output"
    inodes = bundle_inodes(output)
    path = first.root / "content/briefings/2024/apr.md"
    path.write_text(read(path).replace("Body text.", "Body text, revised."), encoding="utf-8")
    second = first.rebuild(BRIEFING=LOW_CEILING)
    assert second.ok, second.stderr
    assert rewritten_bundles(output, inodes) == {"2024-04-06"}
    full = first.rebuild(output="full", env={"BRIEFING_CACHE": "off"}, BRIEFING=LOW_CEILING)
    assert full.ok, full.stderr
    assert tree_bytes(output / "pagefind") == tree_bytes(first.root / "full" / "pagefind")
