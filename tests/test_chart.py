"""The activity chart: entries, events and statements per month (per quarter over spans longer
than 36 months, per year over ten years), stacked, with their totals written above the bars, a
y-axis with labelled ticks and a label for each year; inline SVG with no script, well-formed,
with <title>, <desc>, a legend and a table; a sentence instead when fewer than 3 periods hold
anything."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tools.sites import entry, read

from briefing.build.chart import MONTHLY_UP_TO, Chart, Sparse, _dated, _ticks, activity_chart
from briefing.domain.dates import PartialDate


@dataclass
class Dated:
    date: object


def entries(*days: str) -> list[Dated]:
    return [Dated(dt.date.fromisoformat(d)) for d in days]


def events(*dates: str) -> list[Dated]:
    return [Dated(PartialDate(*(int(p) for p in d.split("-")))) for d in dates]


def test_nothing_dated_no_chart():
    assert activity_chart([], [], [], "India") is None


def test_fewer_than_three_periods_make_a_sentence():
    assert activity_chart(entries("2025-04-02", "2025-06-01", "2025-06-20"), [], [], "India") == Sparse(
        "3 entries, in April and June 2025."
    )
    assert activity_chart(entries("2024-12-30"), events("2025-01-02", "2025-01"), [], "India") == Sparse(
        "1 entry and 2 events, in December 2024 and January 2025."
    )
    assert activity_chart(entries("2025-06-01"), [], events("2025-06-02"), "India") == Sparse(
        "1 entry and 1 statement, in June 2025."
    )
    # a long span is named by month too, not by the quarters its chart would have
    assert activity_chart(entries("2020-09-01", "2024-10-01"), [], [], "India") == Sparse(
        "2 entries, in September 2020 and October 2024."
    )


def test_three_periods_make_a_monthly_chart_with_empty_months_included():
    chart = activity_chart(
        entries("2025-04-02", "2025-06-01", "2025-07-20"), events("2025-06-12", "2025-07"), events("2025-07-01"), "X"
    )
    assert isinstance(chart, Chart)
    assert (chart.unit, chart.step) == ("month", 1)
    assert [(chart.label(p), p.counts) for p in chart.periods] == [
        ("April 2025", (1, 0, 0)),
        ("May 2025", (0, 0, 0)),
        ("June 2025", (1, 1, 0)),
        ("July 2025", (1, 1, 1)),
    ]
    assert chart.title == "X: entries, events and statements per month"
    assert chart.description == (
        "3 entries, 2 events and 1 statement from April 2025 to July 2025; the busiest month was July 2025 with 3."
    )
    assert chart.ticks == (0, 1, 2, 3)


def test_the_chart_starts_at_the_first_entry_and_leaves_out_what_is_older_or_year_only():
    chart = activity_chart(
        entries("2025-01-05", "2025-03-01", "2025-05-01"), events("1950-04-01", "2024-12-31", "2025"), [], "India"
    )
    assert [chart.label(p) for p in chart.periods][:1] == ["January 2025"]
    assert chart.description.endswith("Not drawn: 3 earlier or year-only items.")


@pytest.mark.parametrize(
    "months,step",
    [(MONTHLY_UP_TO, 1), (MONTHLY_UP_TO + 1, 3), (120, 3), (121, 12)],
)
def test_thirty_six_months_are_monthly_ten_years_quarterly_longer_spans_yearly(months, step):
    first = dt.date(2015, 1, 15)
    last_month = first.month - 1 + months - 1
    last = dt.date(first.year + last_month // 12, last_month % 12 + 1, 1)
    middle = dt.date(2017, 6, 1) if months > 36 else dt.date(2015, 6, 1)
    chart = activity_chart([Dated(first), Dated(middle), Dated(last)], [], [], "India")
    assert chart.step == step


DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
VAGUE = st.tuples(st.integers(1985, 2035), st.integers(0, 12)).map(lambda ym: PartialDate(ym[0], ym[1], 0))


@settings(max_examples=400, deadline=None)
@given(st.lists(DAYS, max_size=12), st.lists(VAGUE, max_size=8), st.lists(VAGUE, max_size=8))
def test_each_period_counts_the_items_dated_in_its_months(days, event_dates, statement_dates):
    """The chart counts months as numbers; each period holds what `_dated` (year, month) puts in it."""
    items = [Dated(d) for d in days], [Dated(d) for d in event_dates], [Dated(d) for d in statement_dates]
    chart, dated = activity_chart(*items, "X"), _dated(*items)
    if not isinstance(chart, Chart):
        assert (chart is None) == (not dated)
        return
    for period in chart.periods:
        inside = [s for y, m, s in dated if y == period.year and period.month <= m < period.month + chart.step]
        assert period.counts == (inside.count(0), inside.count(1), inside.count(2))
        assert period.total == len(inside)
    assert sum(p.total for p in chart.periods) == len(dated)
    starts = [p.year * 12 + p.month for p in chart.periods]
    assert starts == list(range(starts[0], starts[-1] + 1, chart.step))
    assert chart.periods[0].total > 0 and chart.periods[-1].total > 0  # the span is the items'


@pytest.mark.parametrize(
    "peak,ticks",
    [
        (1, (0, 1)),
        (3, (0, 1, 2, 3)),
        (4, (0, 1, 2, 3, 4)),
        (5, (0, 2, 4, 6)),
        (7, (0, 2, 4, 6, 8)),
        (19, (0, 5, 10, 15, 20)),
        (130, (0, 50, 100, 150)),
    ],
)
def test_y_axis_ticks_are_round_and_cover_the_peak(peak, ticks):
    assert _ticks(peak) == ticks


# --- the chart on built pages ---

FILES = {
    "content/briefings/a.md": entry(
        "A", "2025-01-31", countries="[India, China]", events="\n  - {date: 2025-01-30, what: Talks held}"
    ),
    "content/briefings/b.md": entry("B", "2025-03-01", countries="[India, China]"),
    "content/briefings/c.md": entry("C", "2025-03-31", countries="[India]"),
    "content/briefings/d.md": entry("D", "2025-04-15", countries="[India]"),
    "content/briefings/e.md": entry("E", "2020-01-15", countries="[China]"),
    "content/briefings/f.md": entry("F", "2025-02-15", countries="[Peru]"),
    "content/briefings/g.md": entry("G", "2022-07-01", countries="[China]"),
}


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def svg_of(out, url):
    """The page's chart (an inline <svg>), parsed by a strict XML parser (so it must be well-formed)."""
    html = read(out / url.strip("/") / "index.html")
    found = re.findall(r"<svg\b[^>]*class=\"chart-svg\".*?</svg>", html, re.S)
    assert len(found) == 1
    return lxml.etree.fromstring(found[0].replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)), html


NS = {"s": "http://www.w3.org/2000/svg"}


def texts(svg, cls: str) -> list[str]:
    return svg.xpath(f"s:text[contains(concat(' ', @class, ' '), ' {cls} ')]/text()", namespaces=NS)


def test_page_chart_stacks_entries_and_events_writes_each_total_and_labels_its_axes(out):
    svg, _ = svg_of(out, "/countries/india/")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.xpath(f"s:title[@id='{title_id}']/text()", namespaces=NS) == ["India: entries and events per month"]
    assert svg.xpath(f"s:desc[@id='{desc_id}']", namespaces=NS)
    assert texts(svg, "value") == ["2", "2", "1"]  # January (an entry and an event), March, April; not February
    assert texts(svg, "axis-value") == ["0", "1", "2"]
    assert svg.xpath("s:text[@class='tick']/text()", namespaces=NS) == ["J", "F", "M", "A"]
    assert texts(svg, "year") == ["2025"]
    rects = [(r.get("class"), r.get("height")) for r in svg.xpath("s:rect", namespaces=NS)]
    assert rects == [("s-entries", "60.0"), ("s-events", "60.0"), ("s-entries", "120.0"), ("s-entries", "60.0")]
    assert svg.get("width") == svg.get("viewBox").split()[2]  # drawn at one unit per pixel: readable on a phone


def test_a_year_label_under_each_years_first_bar_on_a_quarterly_chart(out):
    svg, _ = svg_of(out, "/countries/china/")
    assert texts(svg, "year") == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert svg.xpath("s:title/text()", namespaces=NS) == ["China: entries and events per quarter"]
    assert svg.findtext("s:desc", namespaces=NS) == (
        "4 entries and 1 event from Q1 2020 to Q1 2025; the busiest quarter was Q1 2025 with 3."
    )


def test_legend_caption_and_table_give_the_same_figures(out):
    page = lxml.html.fromstring(read(out / "countries/india/index.html"))
    figure = page.xpath("//figure[@class='chart']")[0]
    assert figure.xpath("ul[@class='chart-legend']/li/text()") == ["Entries", "Events"]
    assert " ".join(figure.findtext("figcaption").split()) == (
        "India: entries and events per month: 4 entries and 1 event from January 2025 to April 2025; "
        "the busiest month was March 2025 with 2."
    )
    assert figure.xpath(".//table/thead//th/text()") == ["Month", "Entries", "Events", "Statements"]
    rows = [[c.text for c in tr] for tr in figure.xpath(".//table/tbody/tr")]
    assert rows == [
        ["January 2025", "1", "1", "0"],
        ["February 2025", "0", "0", "0"],
        ["March 2025", "2", "0", "0"],
        ["April 2025", "1", "0", "0"],
    ]
    scroller = figure.xpath("div[@class='chart-scroll']")[0]  # scrolls sideways on a phone: reachable by keyboard
    assert (scroller.get("tabindex"), scroller.get("role")) == ("0", "group")


def test_a_sparse_page_says_it_in_one_sentence(out):
    page = lxml.html.fromstring(read(out / "countries/peru/index.html"))
    assert page.xpath("//figure[@class='chart']") == []
    assert page.xpath("//p[@class='chart-sparse']/text()") == ["1 entry, in February 2025."]


def test_chart_needs_no_script_and_no_other_host(out):
    svg, html = svg_of(out, "/countries/india/")
    assert lxml.etree.tostring(svg).count(b"http") == 1  # only the SVG namespace added for parsing
    assert svg.xpath("//s:script|//s:image|//s:foreignObject", namespaces=NS) == []
    page = lxml.html.fromstring(html)
    assert [s.get("type") for s in page.xpath("//script")] == ["application/ld+json"]


def test_every_bundled_entity_and_relation_page_shows_its_chart_or_its_sentence(bundled_site):
    pages = [
        p
        for kind in ("countries", "officials", "issues", "relations")
        for p in bundled_site.glob(f"{kind}/*/index.html")
    ]
    assert len(pages) >= 50
    missing = []
    for path in pages:
        page = lxml.html.fromstring(path.read_bytes())
        has_items = bool(page.xpath("//section[@class='timeline-section']//li"))
        shown = len(page.xpath("//figure[@class='chart']/div/*[local-name()='svg'] | //p[@class='chart-sparse']"))
        if has_items and shown != 1:
            missing.append(path.parent.relative_to(bundled_site).as_posix())
    assert missing == []
    ree = lxml.html.fromstring((bundled_site / "issues/rare-earth-export-controls/index.html").read_bytes())
    assert ree.xpath("//figure[@class='chart']//*[local-name()='title']/text()") == [
        "Rare earth export controls: entries, events and statements per month"
    ]
