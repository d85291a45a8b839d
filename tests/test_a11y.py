"""Accessibility in a real browser: axe-core (from node_modules) finds zero violations on
every page type, in light and dark mode, at phone (375 px) and desktop (1280 px) widths;
nothing scrolls sideways on a phone; keyboard focus is always visible; the skip link
works; landmarks and headings are in order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from tools.page_types import PATTERNS, browser_urls, representative_pages
from tools.search_page import SEARCH_FAILED, search_status, wait_drawn
from tools.sites import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
WIDTHS = (375, 1280)

# axe's own result, trimmed to what a failure message needs.
RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
  const nodes = (v) => v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                          why: n.failureSummary || (n.any[0] || {}).message || ''}));
  return {
    rules: [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable].map(v => v.id),
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: nodes(v)})),
    incomplete: r.incomplete.map(v => ({id: v.id, nodes: nodes(v)})),
  };
}"""

# WCAG contrast of SVG chart text (axe leaves text drawn over SVG shapes "incomplete").
SVG_TEXT_CONTRAST = """(selector) => {
  const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const node = document.querySelector(selector);
  let back = node.closest('svg');
  while (back && getComputedStyle(back).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/)) back = back.parentElement;
  const a = lum(parse(getComputedStyle(node).fill));
  const b = lum(parse(getComputedStyle(back || document.body).backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""

OUTLINE = """() => {
  const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          shadow: s.boxShadow, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
          background: getComputedStyle(document.body).backgroundColor};
}"""

LANDMARKS_AND_HEADINGS = """() => {
  const roles = {banner: 'body > header, [role=banner]', main: 'main, [role=main]',
                 contentinfo: 'body > footer, [role=contentinfo]'};
  const count = {};
  for (const [role, sel] of Object.entries(roles)) count[role] = document.querySelectorAll(sel).length;
  const navs = [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label')
    || (n.getAttribute('aria-labelledby') && document.getElementById(n.getAttribute('aria-labelledby'))?.textContent) || '');
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]));
  const firstInMain = document.querySelector('main h1, main h2, main h3, main h4, main h5, main h6');
  return {count, navs, headings, firstInMain: firstInMain && firstInMain.tagName};
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs .venv/bin/npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pages(bundled_site) -> dict[str, str]:
    found = representative_pages(bundled_site)
    assert sorted(found) == sorted(PATTERNS)
    return browser_urls(found)


EMAIL_TYPES = {"digest-email", "digest-month-email"}  # standalone documents: no skip link, header or footer


def site_pages(pages: dict[str, str]) -> dict[str, str]:
    return {page_type: url for page_type, url in pages.items() if page_type not in EMAIL_TYPES}


@pytest.fixture(scope="module")
def tabs(chromium):
    """One browser tab per (color scheme, width), reused by every page type."""
    opened = {}

    def tab_for(scheme: str, width: int):
        if (scheme, width) not in opened:
            context = chromium.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
            opened[(scheme, width)] = context.new_page()
        return opened[(scheme, width)]

    yield tab_for
    for tab in opened.values():
        tab.context.close()


def _contrast_ratio(tab, selector: str) -> float:
    return tab.evaluate(SVG_TEXT_CONTRAST, selector)


@pytest.mark.parametrize("scheme,width", list(itertools.product(SCHEMES, WIDTHS)))
@pytest.mark.parametrize("page_type", list(PATTERNS))
def test_axe_finds_no_violation(tabs, served_site, pages, axe_source, page_type, scheme, width):
    tab = tabs(scheme, width)
    response = tab.goto(served_site + pages[page_type])
    assert response.status == (404 if page_type == "404" else 200)
    tab.evaluate(axe_source)
    result = tab.evaluate(RUN_AXE)
    assert len(result["rules"]) >= 80, "axe ran too few rules: is it the full build?"
    assert result["violations"] == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: {n['target']} {n['html']} -- {n['why']}"
        for v in result["violations"]
        for n in v["nodes"]
    )
    for item in result["incomplete"]:
        for node in item["nodes"]:
            # Only SVG labels (charts, relation maps) may be left for review; their contrast is measured here.
            assert item["id"] == "color-contrast" and node["html"].startswith(("<text", "<tspan")), (item["id"], node)
            assert _contrast_ratio(tab, node["target"]) >= 4.5, node


@pytest.mark.parametrize("scheme,width", list(itertools.product(SCHEMES, WIDTHS)))
def test_search_results_have_no_violation(tabs, served_site, axe_source, scheme, width):
    """The search page once its script has run a query and drawn results and filters."""
    tab = tabs(scheme, width)
    tab.goto(served_site + "/search/?q=border", wait_until="networkidle")
    status = search_status(tab)
    assert not any(word in status.lower() for word in SEARCH_FAILED), status
    assert tab.locator("main li").count() > 0, "no search results drawn"
    tab.evaluate(axe_source)
    result = tab.evaluate(RUN_AXE)
    assert result["violations"] == [], [
        (v["id"], n["target"], n["why"]) for v in result["violations"] for n in v["nodes"]
    ]
    sizes = tab.evaluate("({scroll: document.documentElement.scrollWidth, view: innerWidth})")
    assert sizes["scroll"] <= sizes["view"], sizes


@pytest.mark.parametrize("scheme,width", list(itertools.product(SCHEMES, WIDTHS)))
def test_search_filters_chips_and_dialog_have_no_violation(tabs, served_site, axe_source, scheme, width):
    """Ticked filters (chips above the results, any/all switches) and, on a phone, the open
    filters dialog with its button."""
    tab = tabs(scheme, width)
    tab.goto(served_site + "/search/?q=border&country=India&country=China&country_all=1&year=2025")
    wait_drawn(tab)
    assert tab.locator("#search-active .active-filter").count() == 3
    if width == 375:
        tab.click("#search-filters-open")
        assert tab.evaluate("document.getElementById('search-filters').open")
    try:
        tab.evaluate(axe_source)
        result = tab.evaluate(RUN_AXE)
    finally:
        tab.evaluate("document.getElementById('search-filters').close()")
    assert result["violations"] == [], [
        (v["id"], n["target"], n["why"]) for v in result["violations"] for n in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_color_scheme_really_changes_the_page(tabs, served_site, scheme):
    """Guards the dark-mode runs above: the emulated scheme must reach the CSS."""
    tab = tabs(scheme, 1280)
    tab.goto(served_site + "/")
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(17, 20, 24)")


@pytest.mark.parametrize("page_type", list(PATTERNS))
def test_no_horizontal_scrolling_on_a_phone(tabs, served_site, pages, page_type):
    tab = tabs("light", 375)
    tab.goto(served_site + pages[page_type])
    sizes = tab.evaluate(
        "({scroll: document.documentElement.scrollWidth, view: innerWidth, body: document.body.scrollWidth})"
    )
    assert sizes["scroll"] <= sizes["view"] and sizes["body"] <= sizes["view"], sizes


def _luminance(rgb: str) -> float:
    values = [float(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", ["home", "entry", "country", "digest", "issues-index", "search", "404"])
def test_keyboard_focus_is_always_visible(tabs, served_site, pages, page_type, scheme):
    """The first 25 Tab stops each show a 2px+ outline with 3:1 contrast (WCAG 2.4.7, 1.4.11)."""
    tab = tabs(scheme, 1280)
    tab.goto(served_site + pages[page_type], wait_until="networkidle")
    if page_type == "search":
        search_status(tab)  # the search script lays the page out anew once its index is loaded
    stops = []
    for _ in range(25):
        tab.keyboard.press("Tab")
        focus = tab.evaluate(OUTLINE)
        if focus["tag"] == "BODY":
            break
        stops.append(focus)
        assert focus["visible"], focus
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert _ratio(focus["color"], focus["background"]) >= 3, focus
    assert len(stops) >= 8, "too few focusable elements: is the navigation reachable by keyboard?"


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(tabs, served_site, pages, width):
    tab = tabs("light", width)
    for url in site_pages(pages).values():
        tab.goto(served_site + url)
        tab.keyboard.press("Tab")
        first = tab.evaluate(
            "() => { const e = document.activeElement, r = e.getBoundingClientRect();"
            " return {text: e.textContent, href: e.getAttribute('href'), top: r.top, left: r.left,"
            " bottom: r.bottom, right: r.right}; }"
        )
        assert first["text"] == "Skip to content" and first["href"] == "#main", (url, first)
        assert first["top"] >= 0 and first["left"] >= 0 and first["right"] <= width, (url, first)
        tab.keyboard.press("Enter")
        assert tab.evaluate("document.activeElement.id") == "main", url
        assert tab.evaluate("location.hash") == "#main"


def test_landmarks_and_headings_are_in_order(tabs, served_site, pages):
    tab = tabs("light", 1280)
    for page_type, url in pages.items():
        tab.goto(served_site + url)
        found = tab.evaluate(LANDMARKS_AND_HEADINGS)
        chrome = 0 if page_type in EMAIL_TYPES else 1  # an email has no site header or footer
        assert found["count"] == {"banner": chrome, "main": 1, "contentinfo": chrome}, (page_type, found)
        assert all(found["navs"]), (page_type, "a <nav> without a label", found["navs"])
        assert len(set(found["navs"])) == len(found["navs"]), (page_type, "two <nav> with one label", found["navs"])
        levels = found["headings"]
        assert levels.count(1) == 1, (page_type, levels)
        assert found["firstInMain"] == "H1", (page_type, found)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (page_type, f"h{before} followed by h{after}", levels)


def test_axe_catches_a_page_with_known_problems(chromium, axe_source, tmp_path: Path):
    """The gate can fail: an image without alt text and an unlabelled input are reported."""
    context = chromium.new_context()
    tab = context.new_page()
    tab.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<h1>t</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    tab.evaluate(axe_source)
    found = {v["id"] for v in tab.evaluate(RUN_AXE)["violations"]}
    context.close()
    assert {"image-alt", "label"} <= found
