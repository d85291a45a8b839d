"""The search page in real headless Chromium, on the bundled site served on 127.0.0.1.

Expected result sets are derived from the content files themselves (front matter read with
PyYAML, independently of the site's own code), and pinned where a reader would check them
by hand. Every test also asserts that the browser asked no host but 127.0.0.1."""

from __future__ import annotations

import re

import pytest
import yaml
from tools.bundled_content import ENTRIES, EVENTS, mentions_rare_earth, newest_first, titles
from tools.search_page import drawn_titles, facet_count, open_search, shown_titles, wait_drawn
from tools.sites import ROOT

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.browser]


@pytest.fixture
def site(served_site, page):
    yield served_site
    assert page.foreign_requests == []
    assert page.console_errors == []


RARE_EARTH_INDIA_2025 = {
    "China pauses its wider rare-earth curbs for a year as first Indian firms get magnet licences",
    "India says it is in touch with Beijing over rare-earth magnet supply",
    "Jaishankar makes first China visit since 2019 for SCO foreign ministers' meeting",
    "Sun Weidong in New Delhi as India and China push on flights and visas",
    "Modi and Xi meet in Tianjin, call India and China partners not rivals",
    "Wang Yi in New Delhi agrees border mechanisms, trade and flight steps",
}


def test_one_url_finds_the_rare_earth_entries_of_2025_that_name_india(site, page):
    expected = titles(lambda e: mentions_rare_earth(e) and "India" in e["countries"] and e["date"].year == 2025)
    assert expected == RARE_EARTH_INDIA_2025  # checked by reading the six files
    open_search(page, site, q="rare earth", country="India", year="2025", kind="entry")
    assert set(shown_titles(page)) == expected
    assert page.inner_text("#search-status") == "6 results for “rare earth”"
    assert page.is_checked("#search-facets input[name='country'][value='India']")
    assert page.is_checked("#search-facets input[name='year'][value='2025']")
    assert page.input_value("#search-q") == "rare earth"
    first = page.locator(".result").first
    assert [m.lower() for m in first.locator(".excerpt mark").all_inner_texts()][:1] in (
        ["rare-earth"],
        ["rare"],
        ["earth"],
    )
    assert first.locator(".chip a", has_text="India").get_attribute("href") == "/countries/india/"


def test_two_clicks_from_a_query_narrow_to_india_and_2025(site, page):
    open_search(page, site, q="rare earth")
    everything = set(shown_titles(page))
    assert everything >= titles(lambda e: mentions_rare_earth(e) and e["date"].year == 2025)
    page.check("#search-facets input[name='country'][value='India']")
    wait_drawn(page)
    page.check("#search-facets input[name='year'][value='2025']")
    wait_drawn(page)
    assert page.url.endswith("/search/?q=rare+earth&country=India&year=2025")
    assert set(shown_titles(page, "entry")) == RARE_EARTH_INDIA_2025  # and the events and statements


@pytest.mark.parametrize(
    "group, value, key",
    [
        ("country", "Pakistan", "countries"),
        ("official", "Wang Yi", "officials"),
        ("issue", "Border dispute", "issues"),
    ],
)
def test_each_facet_narrows_browsing_to_the_entries_naming_it(site, page, group, value, key):
    open_search(page, site, kind="entry", **{group: value})
    expected = newest_first(lambda e: value in e[key])
    assert expected
    assert shown_titles(page) == expected  # browsing without a query: newest first


def test_year_facet_narrows_to_that_year(site, page):
    open_search(page, site, kind="entry", year="2022")
    assert shown_titles(page) == newest_first(lambda e: e["date"].year == 2022)


def test_values_of_one_group_are_ored_and_groups_are_anded(site, page):
    open_search(page, site, country=["Pakistan", "Bangladesh"])
    either = titles(lambda e: {"Pakistan", "Bangladesh"} & set(e["countries"]))
    assert set(shown_titles(page, "entry")) == either
    assert set(shown_titles(page, "country")) == {"Pakistan", "Bangladesh"}  # their two country pages
    open_search(page, site, country=["India", "Russia"], year="2024", kind="entry")
    assert set(shown_titles(page)) == titles(
        lambda e: {"India", "Russia"} & set(e["countries"]) and e["date"].year == 2024
    )


def test_facet_counts_say_what_ticking_a_value_gives(site, page):
    open_search(page, site, country="India", year="2025", kind="entry")
    in_2025 = [e for e in ENTRIES if e["date"].year == 2025]
    india_2025 = [e for e in in_2025 if "India" in e["countries"]]
    # Countries (any): ticking China gives the 2025 entries naming India or China.
    assert facet_count(page, "country", "China") == sum(bool({"India", "China"} & set(e["countries"])) for e in in_2025)
    assert facet_count(page, "country", "India") == len(india_2025)  # ticked: the results naming it
    # Other groups narrow the current results (AND) ...
    assert facet_count(page, "issue", "Border dispute") == sum("Border dispute" in e["issues"] for e in india_2025)
    # ... and years, one per entry, add theirs: 2025 or 2024, naming India.
    assert facet_count(page, "year", "2024") == len(india_2025) + sum(
        e["date"].year == 2024 and "India" in e["countries"] for e in ENTRIES
    )


@pytest.mark.parametrize("mode", ["any", "all"])
def test_every_count_shown_is_what_ticking_gives(site, page, mode):
    """Tick each of the first values shown: the page then lists exactly that many results."""
    params = {"q": "border", "country": "China", **({"country_all": "1"} if mode == "all" else {})}
    open_search(page, site, **params)
    values = page.eval_on_selector_all(
        "#search-facets input[name='country']:not(:checked)", "boxes => boxes.slice(0, 4).map(b => b.value)"
    )
    assert len(values) == 4
    for value in values:
        open_search(page, site, **params)
        expected = facet_count(page, "country", value)
        page.check(f"#search-facets input[name='country'][value='{value}']")
        wait_drawn(page)
        assert len(shown_titles(page)) == expected, (mode, value)


def test_empty_query_without_filters_invites_a_search(site, page):
    open_search(page, site)
    assert page.locator(".result").count() == 0
    assert page.inner_text("#search-status").startswith("Type words to search")
    assert facet_count(page, "kind", "entry") == len(ENTRIES)
    assert facet_count(page, "kind", "event") == len(EVENTS)  # each event once, however many entries report it
    page.check("#search-facets input[name='kind'][value='entry']")
    wait_drawn(page)
    assert facet_count(page, "year", "2025") == sum(e["date"].year == 2025 for e in ENTRIES)


def test_no_results_state(site, page):
    open_search(page, site, q="zanzibar", country="India")
    assert page.locator(".result").count() == 0
    assert page.inner_text("#search-status") == (
        "No results for “zanzibar” with these filters. Try fewer or other words, or remove a filter."
    )
    page.click("button.clear-filters")
    wait_drawn(page)
    assert page.url.endswith("/search/?q=zanzibar")


def test_back_button_restores_the_previous_search(site, page):
    open_search(page, site, country="Pakistan", kind="entry")
    first = shown_titles(page)
    page.check("#search-facets input[name='country'][value='India']")
    wait_drawn(page)
    assert page.url.endswith("/search/?kind=entry&country=Pakistan&country=India")
    assert len(shown_titles(page)) > len(first)
    page.go_back()
    wait_drawn(page)
    assert page.url.endswith("/search/?kind=entry&country=Pakistan")
    assert shown_titles(page) == first
    assert not page.is_checked("#search-facets input[name='country'][value='India']")
    page.go_forward()
    wait_drawn(page)
    assert page.is_checked("#search-facets input[name='country'][value='India']")


def test_header_search_box_lands_on_results_and_is_the_only_box(site, page):
    page.goto(f"{site}/countries/india/")
    page.fill("#site-search-q", "rare earth")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(f"{site}/search/?q=rare+earth")
    wait_drawn(page)
    shown = set(shown_titles(page))
    assert shown >= RARE_EARTH_INDIA_2025
    assert "China puts seven rare earths and magnets under export licensing" in shown
    # One box on the search page, holding the query: the header's is not there.
    assert page.locator("input[type=search]").count() == 1
    assert page.locator("#site-search-q").count() == 0
    assert page.input_value("#search-q") == "rare earth"
    page.fill("#search-q", "Galwan")
    page.press("#search-q", "Enter")
    wait_drawn(page)
    assert page.url.endswith("/search/?q=Galwan")
    assert page.locator("input[type=search]").evaluate_all("boxes => boxes.map(b => b.value)") == ["Galwan"]


def test_entity_page_links_to_its_entries_in_search(site, page):
    page.goto(f"{site}/countries/pakistan/")
    link = page.locator("a", has_text="Search the entries naming Pakistan")
    assert link.get_attribute("href") == "/search/?country=Pakistan&kind=entry"
    link.click()
    page.wait_for_url(re.compile(r".*/search/.*"))
    wait_drawn(page)
    assert page.url.endswith("/search/?kind=entry&country=Pakistan")  # the page's own order of keys
    assert shown_titles(page) == newest_first(lambda e: "Pakistan" in e["countries"])


def test_keyboard_ticks_a_facet_and_keeps_focus(site, page):
    open_search(page, site, kind="entry")
    box = "#search-facets input[name='year'][value='2021']"
    page.focus(box)
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search === '?kind=entry&year=2021'")
    wait_drawn(page)
    assert page.evaluate("() => document.activeElement.name + '=' + document.activeElement.value") == "year=2021"
    assert shown_titles(page) == newest_first(lambda e: e["date"].year == 2021)
    page.focus("#search-q")
    page.keyboard.type("border")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search === '?q=border&kind=entry&year=2021'")
    wait_drawn(page)
    assert set(shown_titles(page)) == titles(
        lambda e: e["date"].year == 2021 and re.search(r"\bborder", e["text"], re.I)
    )


def test_a_query_can_be_ordered_newest_first(site, page):
    open_search(page, site, q="border", kind="entry")
    assert page.input_value("#search-sort") == ""  # a query: best match first
    best = shown_titles(page)
    page.select_option("#search-sort", "date")
    page.wait_for_function("() => location.search === '?q=border&kind=entry&sort=date'")
    wait_drawn(page)
    newest = newest_first(lambda e: re.search(r"\bborder", e["text"], re.I))
    assert shown_titles(page) == newest
    assert set(best) == set(newest) and best != newest


def test_many_results_come_twenty_at_a_time(site, page):
    open_search(page, site, kind="entry")
    assert page.locator(".result").count() == 20
    assert drawn_titles(page) == newest_first(lambda e: True)[:20]
    assert shown_titles(page) == newest_first(lambda e: True)
    assert "zqxj" not in page.inner_text("main")  # the index's browse word is never shown


def test_entity_pages_are_results_and_the_kind_facet_separates_them(site, page):
    open_search(page, site, q="Jaishankar")
    shown = shown_titles(page)
    assert "S. Jaishankar" in shown
    official = page.locator(".result-official", has=page.locator(".result-title a", has_text="S. Jaishankar"))
    assert official.locator(".result-kind").inner_text() == "OFFICIAL"  # drawn upper-case by the CSS
    assert official.locator(".result-title a").get_attribute("href") == "/officials/s-jaishankar/"
    profiles = {
        yaml.safe_load(p.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-\n"))["name"]
        for folder in ("countries", "officials", "issues")
        for p in (ROOT / "content" / folder).glob("*.md")
        if "jaishankar" in p.read_text(encoding="utf-8").lower()
    }
    assert profiles == {"S. Jaishankar", "Han Zheng"}  # both officials
    assert set(shown_titles(page, "entry")) == titles(lambda e: re.search(r"jaishankar", e["text"], re.I))
    assert set(shown_titles(page, "official")) == profiles
    page.check("#search-facets input[name='kind'][value='official']")
    wait_drawn(page)
    assert set(shown_titles(page)) == {"S. Jaishankar", "Han Zheng"}  # officials only (both profiles above)
    assert "zqxj" not in page.inner_text("main")


def test_magnets_finds_entries_and_the_dated_events_at_their_permalinks(site, page):
    open_search(page, site, q="magnets")
    events = {text for (day, words), text in EVENTS.items() if {"magnet", "magnets"} & set(words.split())}
    assert events  # the bundled content reports events about magnets
    assert set(shown_titles(page, "event")) == events
    assert set(shown_titles(page, "entry")) == titles(lambda e: re.search(r"\bmagnets?\b", e["text"], re.I))
    for link in page.locator(".result-event .result-title a").all():
        assert re.fullmatch(r"/events/\d{4}/#event-[a-z0-9-]+", link.get_attribute("href"))
    anchor = page.locator(".result-event .result-title a").first.get_attribute("href")
    page.goto(site + anchor)
    assert page.locator(f"li.event[id='{anchor.split('#')[1]}']").count() == 1


def test_dark_mode(served_site, chromium):
    context = chromium.new_context(color_scheme="dark")
    tab = context.new_page()
    try:
        tab.goto(f"{served_site}/search/?q=rare+earth")
        wait_drawn(tab)
        background = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
        card = tab.evaluate("() => getComputedStyle(document.querySelector('.result')).backgroundColor")
        mark = tab.evaluate("() => getComputedStyle(document.querySelector('.result mark')).backgroundColor")
        assert background == "rgb(17, 20, 24)" and card == "rgb(26, 31, 37)" and mark == "rgb(92, 74, 0)"
    finally:
        context.close()


def test_without_javascript_the_page_says_so_and_links_the_indexes(served_site, chromium):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{served_site}/search/?q=rare+earth")
        note = tab.locator("#search .note")
        assert note.is_visible()
        assert "needs JavaScript" in note.inner_text()
        links = note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert links == ["/countries/", "/officials/", "/issues/", "/digests/"]
        assert not tab.is_visible("#search-form") and not tab.is_visible("#search-layout")
    finally:
        context.close()
