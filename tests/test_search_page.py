"""The search page as an analyst uses it (issue 17), in Chromium at 375 and 1280 px: results
first on a phone with the filters behind a button, any/all within a group, newest-first and
relevance order, Back that returns to the same place, one search box.

The bundled site answers the pinned queries; a small fixture site gives exact any/all sets and
isolates the ranking rules (a title match over a body match, a phrase over scattered words)."""

from __future__ import annotations

import pytest
from tools.search_page import drawn_titles, open_search, search_url, serving, shown_titles, wait_drawn
from tools.sites import entry, run_pelican, write_files

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 800}

FIXTURE = {
    "content/briefings/a.md": entry("Alpha talks", "2025-03-01", body="Leaders met.", countries="[India, China]"),
    "content/briefings/b.md": entry("Bravo visit", "2025-02-01", body="A visit.", countries="[India]"),
    "content/briefings/c.md": entry("Charlie trade", "2024-05-01", body="Trade.", countries="[China, Pakistan]"),
    "content/briefings/d.md": entry("Delta summit", "2024-04-01", body="Summit.", countries="[India, China, Pakistan]"),
    "content/briefings/e.md": entry("Echo note", "2023-01-01", body="A note.", countries="[Nepal]"),
    # a title match against a body match
    "content/briefings/r1.md": entry(
        "Lithium accord signed in Santiago", "2023-06-01", body="The governments signed it.", countries="[Chile]"
    ),
    "content/briefings/r2.md": entry(
        "Mining ministers meet in Santiago",
        "2023-06-02",
        body="Lithium prices, lithium supply and lithium refining were discussed, and lithium again.",
        countries="[Chile]",
    ),
    # an exact phrase against the same words scattered
    "content/briefings/p1.md": entry(
        "Carmakers note", "2023-07-01", body="They discussed rare earth magnets for carmakers.", countries="[Japan]"
    ),
    "content/briefings/p2.md": entry(
        "Motors note",
        "2023-07-02",
        body="A rare mix: earth moving, magnets for motors, rare metals, the earth sciences and magnets.",
        countries="[Japan]",
    ),
}


PAGES = {"India", "China"}  # the country pages: each names its own country


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("search-page"), FIXTURE)
    result = run_pelican(root, env={"BRIEFING_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    with serving(root / "output") as base:
        yield base


@pytest.fixture
def open_tab(chromium):
    """tab(viewport) -> a fresh page that records console errors and requests to other hosts."""
    contexts = []

    def make(viewport):
        context = chromium.new_context(viewport=viewport)
        contexts.append(context)
        tab = context.new_page()
        tab.errors, tab.foreign = [], []
        tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
        tab.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") else tab.foreign.append(r.url))
        return tab

    yield make
    for context in contexts:
        for tab in context.pages:
            assert tab.errors == [] and tab.foreign == []
        context.close()


def box(tab, selector):
    return tab.locator(selector).first.bounding_box()


# --- 1. Phone first ---


@pytest.mark.parametrize("query", ["magnets", "border"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(served_site, open_tab, query):
    tab = open_tab(PHONE)
    open_search(tab, served_site, q=query)
    first = box(tab, ".result")
    assert first["y"] >= 0 and first["y"] + first["height"] <= PHONE["height"], first
    assert not tab.is_visible("#search-facets")  # the filters wait behind their button
    assert tab.is_visible("#search-filters-open")


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_no_scroll_box_inside_the_page(served_site, open_tab, viewport):
    tab = open_tab(viewport)
    open_search(tab, served_site, q="border")
    if viewport is PHONE:
        tab.click("#search-filters-open")
    boxes = tab.evaluate(
        """() => [...document.querySelectorAll('#search *')].filter((e) => {
             const s = getComputedStyle(e);
             return /(auto|scroll)/.test(s.overflowY + s.overflowX) && e.scrollHeight > e.clientHeight + 1
               && e.tagName !== 'DIALOG';
           }).map((e) => e.className || e.tagName)"""
    )
    assert boxes == []


def test_the_filters_button_opens_ticks_and_closes_and_chips_remove(served_site, open_tab):
    tab = open_tab(PHONE)
    open_search(tab, served_site, q="border")
    total = len(shown_titles(tab))
    assert tab.inner_text("#search-filters-open") == "Filters"
    tab.click("#search-filters-open")
    assert tab.evaluate("document.getElementById('search-filters').open")
    assert tab.is_visible("#search-filters #search-facets input[name='country'][value='India']")
    tab.check("#search-facets input[name='country'][value='India']")
    wait_drawn(tab)
    assert tab.url.endswith("/search/?q=border&country=India")
    assert tab.evaluate("document.getElementById('search-filters').open")  # ticking keeps it open
    narrowed = int(tab.inner_text("#search-status").split()[0])
    assert 0 < narrowed < total
    assert tab.inner_text("#search-filters-close") == f"Show {narrowed} results"
    tab.click("#search-filters-close")
    assert not tab.evaluate("document.getElementById('search-filters').open")
    assert tab.evaluate("document.activeElement.id") == "search-filters-open"
    assert len(shown_titles(tab)) == narrowed
    assert tab.inner_text("#search-filters-open") == "Filters (1)"
    chip = tab.locator("#search-active .active-filter")
    assert chip.all_inner_texts() == ["India \N{MULTIPLICATION SIGN}"]
    assert chip.get_attribute("aria-label") == "Remove filter Countries: India"
    assert box(tab, "#search-active")["y"] < box(tab, ".result")["y"]  # the chips sit above the results
    chip.click()
    wait_drawn(tab)
    assert tab.url.endswith("/search/?q=border")
    assert tab.inner_text("#search-filters-open") == "Filters"
    assert not tab.is_visible("#search-active")
    assert len(shown_titles(tab)) == total


def test_the_filters_dialog_works_by_keyboard(served_site, open_tab):
    tab = open_tab(PHONE)
    open_search(tab, served_site, q="border")
    tab.focus("#search-filters-open")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.getElementById('search-filters').open")
    assert tab.evaluate("document.getElementById('search-filters').contains(document.activeElement)")
    tab.focus("#search-facets input[name='year'][value='2025']")
    tab.keyboard.press("Space")
    tab.wait_for_function("() => location.search === '?q=border&year=2025'")
    wait_drawn(tab)
    assert tab.evaluate("document.activeElement.name + '=' + document.activeElement.value") == "year=2025"
    tab.keyboard.press("Escape")
    assert not tab.evaluate("document.getElementById('search-filters').open")
    assert tab.evaluate("document.activeElement.id") == "search-filters-open"


def test_a_wide_screen_keeps_the_filters_beside_the_results(served_site, open_tab):
    tab = open_tab(WIDE)
    open_search(tab, served_site, q="border")
    assert not tab.is_visible("#search-filters-open")
    assert tab.is_visible("#search-aside #search-facets input[name='country'][value='India']")
    assert box(tab, "#search-aside")["x"] + box(tab, "#search-aside")["width"] <= box(tab, ".result")["x"]


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_a_long_list_shows_its_top_8_and_a_show_all_button_in_view(served_site, open_tab, viewport):
    tab = open_tab(viewport)
    open_search(tab, served_site, q="India")
    if viewport is PHONE:
        tab.click("#search-filters-open")
    group = tab.locator("#search-facets .facet-country")
    counts = [int(n) for n in group.locator(".count").all_inner_texts()]
    assert len(counts) == 8 and counts == sorted(counts, reverse=True)
    button = group.locator(".facet-toggle")
    total = int(button.inner_text().removeprefix("Show all "))
    assert total > 8
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    assert (
        tab.evaluate(
            "(b) => document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2).className", button.bounding_box()
        )
        == "facet-toggle"
    )  # not hidden under anything
    button.click()
    assert group.locator("input[type=checkbox]").count() == total
    assert tab.evaluate("document.activeElement.textContent") == "Show fewer"
    every = [int(n) for n in group.locator(".count").all_inner_texts()]
    assert every[:8] == counts and sorted(every, reverse=True)[:8] == counts  # the top 8 came first


# --- 2. Any or all within a group ---


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"country": ["India", "China"]}, {"Alpha talks", "Bravo visit", "Charlie trade", "Delta summit", *PAGES}),
        ({"country": ["India", "China"], "country_all": "1"}, {"Alpha talks", "Delta summit"}),
        ({"country": ["India", "China", "Pakistan"], "country_all": "1"}, {"Delta summit"}),
        ({"country": ["India", "China"], "country_all": "1", "year": "2025"}, {"Alpha talks"}),
        ({"country": ["China", "Pakistan"], "kind": "entry"}, {"Alpha talks", "Charlie trade", "Delta summit"}),
        ({"country": ["China", "Pakistan"], "country_all": "1", "kind": "entry"}, {"Charlie trade", "Delta summit"}),
    ],
)
def test_any_and_all_give_exact_result_sets(fixture_site, open_tab, params, expected):
    tab = open_tab(WIDE)
    open_search(tab, fixture_site, **params)
    assert set(shown_titles(tab)) == expected


def test_the_any_all_switch_is_kept_in_the_url(fixture_site, open_tab):
    tab = open_tab(WIDE)
    open_search(tab, fixture_site, country=["India", "China"])
    assert len(shown_titles(tab)) == 6
    tab.check("#search-facets .facet-country input[type=radio][value='all']")
    wait_drawn(tab)
    assert tab.url.endswith("/search/?country=India&country=China&country_all=1")
    assert set(shown_titles(tab)) == {"Alpha talks", "Delta summit"}
    assert tab.locator("#search-active .active-group").all_inner_texts() == ["Countries, all of:"]
    # Counts follow the mode: ticking Pakistan now would leave only Delta summit.
    label = tab.locator("#search-facets input[name='country'][value='Pakistan']").locator("xpath=..")
    assert label.locator(".count").inner_text() == "1"
    tab.go_back()
    wait_drawn(tab)
    assert tab.is_checked("#search-facets .facet-country input[type=radio][value='any']")
    assert len(shown_titles(tab)) == 6


# --- 3. Order ---


@pytest.mark.parametrize("params", [{"q": "border", "sort": "date"}, {"country": "India"}, {"official": "Wang Yi"}])
def test_newest_first_never_puts_an_undated_record_above_a_dated_one(served_site, open_tab, params):
    tab = open_tab(WIDE)
    open_search(tab, served_site, **params)
    shown_titles(tab)
    rows = tab.eval_on_selector_all(
        ".result", "items => items.map(i => (i.querySelector('time') || {}).getAttribute?.('datetime') || null)"
    )
    dated = [d for d in rows if d]
    assert dated and len(dated) < len(rows)  # both kinds are there
    assert rows[: len(dated)] == dated  # every dated record first ...
    assert dated == sorted(dated, key=timeline_order, reverse=True)  # ... newest first


def timeline_order(iso: str) -> tuple[int, ...]:
    """As timelines sort: a vague date (2025, 2025-08) above the precise dates it spans."""
    parts = [int(part) for part in iso.split("-")]
    return tuple(parts + [13, 32][len(parts) - 1 :])


def test_pages_alone_are_listed_by_name(served_site, open_tab):
    tab = open_tab(WIDE)
    open_search(tab, served_site, kind="official")
    names = shown_titles(tab)
    assert len(names) > 10 and names == sorted(names, key=str.casefold)
    assert tab.inner_text("#search-status") == f"{len(names)} results, by name"


RARE_EARTH_MAGNETS = {  # every record that speaks of rare-earth magnets, read in the files
    "India says it is in touch with Beijing over rare-earth magnet supply",
    "China pauses its wider rare-earth curbs for a year as first Indian firms get magnet licences",
    "China puts seven rare earths and magnets under export licensing",
    "Indian vehicle makers warn that stocks of rare-earth magnets are running low and electric vehicle output could be hit.",
    "Randhir Jaiswal confirms that some Indian companies have received licences to import rare-earth magnets from China.",
    "China's commerce ministry places seven medium and heavy rare-earth elements and related magnets under export "
    "licensing.",
    # the spokesperson's two statements
    "Randhir Jaiswal: Asked about Indian firms' difficulty in getting rare-earth magnets, he said India was in\u2026",
    "Randhir Jaiswal: We confirm that some Indian companies have received licences for importing rare earth\u2026",
}

PINNED = [
    ("India China border talks October 2024", ["India and China agree patrolling arrangement for Depsang and Demchok"]),
    ("rare earth magnets", RARE_EARTH_MAGNETS),
    ("Galwan", ["Deadly Galwan Valley clash breaks decades without combat deaths on the LAC"]),
    ("Kailash", ["Kailash Mansarovar Yatra"]),  # the issue's own page
    ("patrolling agreement", ["India and China agree patrolling arrangement for Depsang and Demchok"]),
    ("tourist visas", ["India resumes tourist visas for Chinese nationals after five years"]),
    ("Yarlung Tsangpo dam", ["India presses China for transparency on planned Yarlung Tsangpo mega-dam"]),
]


@pytest.mark.parametrize("query, first", PINNED, ids=[q for q, _ in PINNED])
def test_pinned_queries_give_their_expected_first_results(served_site, open_tab, query, first):
    """A list: those first, in that order; a set: those first, in either order."""
    tab = open_tab(WIDE)
    open_search(tab, served_site, q=query)
    top = drawn_titles(tab)[: len(first)]
    assert (top if isinstance(first, list) else set(top)) == first, drawn_titles(tab)[:6]


@pytest.mark.parametrize(
    "query, first, second",
    [
        ("lithium", "Lithium accord signed in Santiago", "Mining ministers meet in Santiago"),  # title over body
        ("rare earth magnets", "Carmakers note", "Motors note"),  # the phrase over the words scattered
    ],
)
def test_relevance_ranks_title_over_body_and_phrase_over_scattered(fixture_site, open_tab, query, first, second):
    tab = open_tab(WIDE)
    open_search(tab, fixture_site, q=query)
    assert drawn_titles(tab)[:2] == [first, second]


# --- 7. Events and statements ---


def test_statements_are_results_with_date_speaker_and_anchor(served_site, open_tab):
    tab = open_tab(WIDE)
    open_search(tab, served_site, q="rare earth magnets", kind="statement")
    statements = tab.locator(".result-statement")
    assert statements.count() == 2 == tab.locator(".result").count()
    first = statements.first
    assert first.locator(".result-kind").inner_text() == "STATEMENT"
    assert first.locator("time").get_attribute("datetime") == "2025-06-12"
    assert "Randhir Jaiswal, Official Spokesperson" in first.locator(".meta").inner_text()
    assert first.locator(".excerpt mark").count() > 0
    href = first.locator(".result-title a").get_attribute("href")
    page, anchor = href.split("#")
    assert page.startswith("/briefings/2025/")
    tab.goto(served_site + href)
    assert tab.locator(f"[id='{anchor}']").count() == 1  # the statement's own place on its entry
    labels = {"Events", "Statements", "Entries"}
    open_search(tab, served_site, q="rare earth magnets")
    shown = set(tab.locator("#search-facets .facet-kind .facet-value").all_inner_texts())
    assert labels <= shown


def test_events_link_to_their_permalinks_with_their_date(served_site, open_tab):
    tab = open_tab(WIDE)
    open_search(tab, served_site, q="Galwan", kind="event")
    first = tab.locator(".result-event").first
    assert first.locator(".result-title a").inner_text() == (
        "Twenty Indian soldiers are killed in a clash with Chinese troops in the Galwan Valley."
    )
    assert first.locator("time").get_attribute("datetime") == "2020-06-15"
    assert first.locator(".excerpt").inner_text().startswith("Reported in ")
    href = first.locator(".result-title a").get_attribute("href")
    assert href.startswith("/events/2020/#")
    tab.goto(served_site + href)
    assert tab.locator(f"li.event[id='{href.split('#')[1]}']").count() == 1


# --- 4. Back means back ---


def test_back_after_show_more_restores_the_count_and_the_scroll(served_site, open_tab):
    tab = open_tab(PHONE)
    open_search(tab, served_site, q="India")
    tab.click("#search-more")
    wait_drawn(tab)
    assert tab.locator(".result").count() == 40
    assert tab.url.endswith("/search/?q=India&shown=40")
    target = tab.locator(".result").nth(31)
    target.scroll_into_view_if_needed()
    tab.mouse.wheel(0, 120)
    tab.wait_for_timeout(400)  # the page notes where the reader is as they scroll
    where = tab.evaluate("scrollY")
    href = target.locator(".result-title a").get_attribute("href")
    target.locator(".result-title a").click()
    tab.wait_for_url(f"{served_site}{href}")
    tab.go_back()
    wait_drawn(tab)
    assert tab.locator(".result").count() == 40
    tab.wait_for_function(f"() => Math.abs(scrollY - {where}) <= 2")


def test_a_shared_link_shows_as_many_results_as_its_sender_saw(served_site, open_tab):
    tab = open_tab(WIDE)
    tab.goto(search_url(served_site, q="India", shown="40"))
    wait_drawn(tab)
    assert tab.locator(".result").count() == 40
    assert tab.evaluate("scrollY") == 0
    tab.click("#search-more")
    wait_drawn(tab)
    assert tab.url.endswith("/search/?q=India&shown=60")
    assert tab.locator(".result").count() == 60
