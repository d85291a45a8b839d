"""The timeline chart: entries per month (per quarter over spans longer than 36 months), drawn
as inline SVG with no script, well-formed, with <title>, <desc> and a text alternative."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import pytest
from tools.sites import entry, read

from briefing.build.chart import BASELINE, MONTHLY_UP_TO, entries_chart


@dataclass
class Dated:
    date: dt.date


def chart_of(*days: str):
    return entries_chart([Dated(dt.date.fromisoformat(d)) for d in days], "India")


def test_no_entries_no_chart():
    assert entries_chart([], "India") is None


def test_monthly_bars_include_empty_months():
    chart = chart_of("2025-01-31", "2025-03-01", "2025-03-31", "2025-04-15")
    assert [(b.label, b.count) for b in chart.bars] == [
        ("January 2025", 1),
        ("February 2025", 0),
        ("March 2025", 2),
        ("April 2025", 1),
    ]
    assert [b.height for b in chart.bars] == [46.0, 0.0, 92.0, 46.0]  # the busiest bar is BASELINE - 8 tall
    assert all(b.y + b.height == BASELINE for b in chart.bars)
    assert chart.title == "Entries naming India per month"
    assert chart.description == "4 entries from January 2025 to April 2025; the busiest month was March 2025 with 2."
    assert chart.unit == "month"


def test_thirty_six_months_are_monthly_thirty_seven_quarterly():
    assert MONTHLY_UP_TO == 36
    monthly = chart_of("2023-01-05", "2025-12-20")
    assert (monthly.unit, len(monthly.bars)) == ("month", 36)
    quarterly = chart_of("2023-01-05", "2026-01-20")
    assert (quarterly.unit, len(quarterly.bars)) == ("quarter", 13)
    assert (quarterly.bars[0].label, quarterly.bars[-1].label) == ("Q1 2023", "Q1 2026")
    assert [b.count for b in quarterly.bars] == [1] + [0] * 11 + [1]


def test_ten_years_are_quarterly_longer_spans_yearly():
    """Issue 14, item 6: entries dated 1000 and 9998 drew 35,993 bars; dates now run 1800-2200
    and spans over ten years are drawn per year, so a chart has at most 401 bars."""
    assert (chart_of("2015-01-01", "2024-12-31").unit, len(chart_of("2015-01-01", "2024-12-31").bars)) == (
        "quarter",
        40,
    )
    yearly = chart_of("2015-01-01", "2025-01-01", "2025-06-30")
    assert (yearly.unit, [(b.label, b.count) for b in yearly.bars][-2:]) == ("year", [("2024", 0), ("2025", 2)])
    assert len(yearly.bars) == 11 and yearly.title == "Entries naming India per year"
    widest = chart_of("1800-01-01", "2200-12-31")
    assert (len(widest.bars), widest.bars[0].label, widest.bars[-1].label) == (401, "1800", "2200")


def test_quarters_start_at_the_first_entry_quarter():
    chart = chart_of("2020-05-01", "2020-06-30", "2025-07-01")
    assert (chart.bars[0].label, chart.bars[0].count, chart.bars[-1].label, len(chart.bars)) == (
        "Q2 2020",
        2,
        "Q3 2025",
        22,
    )


def test_single_month_says_so_in_words():
    chart = chart_of("2025-06-12")
    assert chart.description == "1 entry in June 2025."
    assert chart.caption == "Entries per month: 1 entry in June 2025."
    assert len(chart.bars) == 1


# --- the chart on built pages ---

FILES = {
    "content/briefings/a.md": entry("A", "2025-01-31", countries="[India, China]"),
    "content/briefings/b.md": entry("B", "2025-03-01", countries="[India, China]"),
    "content/briefings/c.md": entry("C", "2025-03-31", countries="[India]"),
    "content/briefings/d.md": entry("D", "2025-04-15", countries="[India]"),
    "content/briefings/e.md": entry("E", "2020-01-15", countries="[China]"),
}


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def svg_of(out, url):
    """The page's inline <svg>, parsed by a strict XML parser (so it must be well-formed)."""
    html = read(out / url.strip("/") / "index.html")
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(found) == 1
    return lxml.etree.fromstring(found[0].replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)), html


NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.mark.parametrize(
    "url,bars",
    [
        ("/countries/india/", [("January 2025", 1), ("February 2025", 0), ("March 2025", 2), ("April 2025", 1)]),
        ("/relations/china--india/", [("January 2025", 1), ("February 2025", 0), ("March 2025", 1)]),
    ],
)
def test_page_chart_is_well_formed_svg_with_one_bar_per_month(out, url, bars):
    svg, _ = svg_of(out, url)
    rects = svg.xpath("s:rect[@class='bar']", namespaces=NS)
    assert [r.findtext("s:title", namespaces=NS) for r in rects] == [f"{label}: {n}" for label, n in bars]
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.xpath(f"s:title[@id='{title_id}']", namespaces=NS) and svg.xpath(
        f"s:desc[@id='{desc_id}']", namespaces=NS
    )


def test_quarterly_chart_on_a_long_span(out):
    svg, _ = svg_of(out, "/countries/china/")
    rects = svg.xpath("s:rect[@class='bar']", namespaces=NS)
    assert len(rects) == 21  # Q1 2020 to Q1 2025
    assert svg.findtext("s:title", namespaces=NS) == "Entries naming China per quarter"
    assert svg.findtext("s:desc", namespaces=NS) == (
        "3 entries from Q1 2020 to Q1 2025; the busiest quarter was Q1 2025 with 2."
    )


def test_text_alternative_caption_and_table(out):
    page = lxml.html.fromstring(read(out / "countries/india/index.html"))
    figure = page.xpath("//figure[@class='chart']")[0]
    assert figure.findtext("figcaption") == (
        "Entries per month: 4 entries from January 2025 to April 2025; the busiest month was March 2025 with 2."
    )
    rows = [tuple(td.text for td in tr.findall("td")) for tr in figure.xpath(".//table/tbody/tr")]
    assert rows == [("January 2025", "1"), ("February 2025", "0"), ("March 2025", "2"), ("April 2025", "1")]
    assert figure.xpath(".//table/thead//th/text()") == ["Month", "Entries"]


def test_chart_needs_no_script_and_no_other_host(out):
    svg, html = svg_of(out, "/countries/india/")
    assert lxml.etree.tostring(svg).count(b"http") == 1  # only the SVG namespace added for parsing
    assert svg.xpath("//s:script|//s:image|//s:foreignObject", namespaces=NS) == []
    page = lxml.html.fromstring(html)
    assert [s.get("type") for s in page.xpath("//script")] == ["application/ld+json"]


def test_every_bundled_entity_and_relation_page_shows_its_chart(bundled_site):
    pages = [
        p
        for kind in ("countries", "officials", "issues", "relations")
        for p in bundled_site.glob(f"{kind}/*/index.html")
    ]
    assert len(pages) >= 50
    missing = []
    for path in pages:
        page = lxml.html.fromstring(path.read_bytes())
        has_entries = bool(page.xpath("//section[@aria-labelledby='entries-heading']//h3/a"))
        if has_entries and len(page.xpath("//figure[@class='chart']/*[local-name()='svg']")) != 1:
            missing.append(path.parent.relative_to(bundled_site).as_posix())
    assert missing == []
