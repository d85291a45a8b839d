"""Issue 16 in Chromium at phone size (375 px), on the bundled site: the home page's first
screen briefs (site name, the latest digest's headline, the first status lines), chart values
are readable without hover (drawn at full size, the newest in view first), the period index
jumps to its month, and the new pages print whole."""

from __future__ import annotations

import pytest
from test_print import assert_prints_well, printed

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}  # a small phone's first screen


@pytest.fixture(scope="module")
def phone(chromium):
    context = chromium.new_context(viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


def in_first_screen(tab, selector: str) -> bool:
    return tab.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }",
        selector,
    )


def test_the_home_pages_first_screen_holds_the_digest_headline_and_the_first_status_lines(phone, served_site):
    phone.goto(served_site + "/")
    assert in_first_screen(phone, ".site-name")
    assert in_first_screen(phone, "#brief-heading")
    assert phone.inner_text("#brief-heading") == "China pauses its wider rare-earth curbs for a year"
    assert in_first_screen(phone, "#standing-heading")
    assert in_first_screen(phone, ".standings li:first-child")


def test_chart_values_are_written_at_full_size_newest_first_in_view(phone, served_site):
    phone.goto(served_site + "/countries/india/")
    chart = phone.evaluate(
        """() => {
        const scroller = document.querySelector('.chart-scroll'), svg = scroller.querySelector('svg');
        const box = scroller.getBoundingClientRect();
        const values = [...svg.querySelectorAll('text.value')];
        const newest = values[values.length - 1].getBoundingClientRect();
        return {drawn: svg.getBoundingClientRect().width, width: Number(svg.getAttribute('width')),
                scrolls: scroller.scrollWidth > scroller.clientWidth,
                fonts: values.map(v => v.getBoundingClientRect().height),
                newestInView: newest.left >= box.left && newest.right <= box.right,
                axisInView: [...svg.querySelectorAll('text.axis-value')].every(t => t.getBoundingClientRect().right <= box.right)};
    }"""
    )
    assert chart["drawn"] == chart["width"]  # one SVG unit per pixel: never shrunk to fit
    assert chart["scrolls"]  # wider than a phone: it scrolls sideways ...
    assert chart["newestInView"] and chart["axisInView"]  # ... starting at the newest periods and their scale
    assert min(chart["fonts"]) >= 10  # every total is written out, legible without hover
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"]  # the page itself does not scroll sideways


def test_the_period_index_jumps_to_its_month(phone, served_site):
    phone.goto(served_site + "/relations/china--india/")
    phone.click("nav.periods a[href='#2025-06']")
    assert phone.evaluate("location.hash") == "#2025-06"
    assert in_first_screen(phone, "h4[id='2025-06']")


@pytest.fixture(scope="module")
def printer(chromium):
    from test_print import PRINT_WIDTH

    context = chromium.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    tab = context.new_page()
    tab.emulate_media(media="print")
    yield tab
    context.close()


@pytest.mark.parametrize(
    "url", ["/relations/china--india/", "/relations/china--india/2024/", "/digests/2025-10/", "/about/", "/"]
)
def test_new_pages_print_whole(served_site, printer, url):
    facts = printed(printer, served_site + url)
    assert_prints_well(facts)
