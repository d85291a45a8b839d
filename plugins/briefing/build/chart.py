"""Entries, events and statements per month (per quarter over spans longer than 36 months, per
year over ten years) as inline SVG: stacked bars with their totals written above them, a y-axis
with labelled ticks, a label for each year, a legend and the same figures as a table. The chart
starts at the first entry: events and statements dated before it are background, which the
timeline lists. Drawn at one SVG unit per pixel, so the figures stay readable on a phone, where
the chart scrolls sideways (starting at its newest end). Fewer than SPARSE_BELOW periods that
hold anything make one sentence instead ("3 entries, in April and June 2025")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup, escape

from ..domain.dates import MONTHS

MONTHLY_UP_TO = 36  # months of span; longer spans are drawn per quarter
QUARTERLY_UP_TO = 40  # quarters of span; longer spans are drawn per year (1800-2200: 401 bars at most)
SPARSE_BELOW = 3  # periods with anything: fewer make a sentence, not a chart
SERIES = (("entries", "entry", "entries"), ("events", "event", "events"), ("statements", "statement", "statements"))
UNITS = {1: "month", 3: "quarter", 12: "year"}
# Geometry, in SVG units drawn at one pixel each.
SLOT_MIN, SLOT_MAX, SPREAD = 22, 40, 300  # width per period: wider for few periods, to fill a phone's width
YEAR_SLOT = 32  # a yearly chart writes each year under its bar
LEFT, RIGHT, TOP, PLOT, BOTTOM = 6, 34, 18, 120, 36


class Period(NamedTuple):
    """A tuple, not a dataclass: a chart makes one per month of its span (95,000 at 10,000 entries)."""

    year: int
    month: int  # first month of the period
    counts: tuple[int, int, int]  # entries, events, statements
    total: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    unit: str  # "month", "quarter" or "year"
    step: int
    periods: tuple[Period, ...]
    ticks: tuple[int, ...]  # y-axis values, 0 first
    series: tuple[int, ...]  # indexes (into SERIES) of the series that hold anything

    def label(self, period: Period) -> str:
        return _label(period.year, period.month, self.step)


@dataclass(frozen=True)
class Sparse:
    """Too few periods for a chart to mean anything: one sentence."""

    sentence: str


def _label(year: int, month: int, step: int) -> str:
    if step == 12:
        return str(year)
    return f"Q{(month - 1) // 3 + 1} {year}" if step == 3 else f"{MONTHS[month - 1]} {year}"


def _step(months: int) -> int:
    """Months per bar: monthly up to three years, quarterly up to ten, then yearly."""
    if months <= MONTHLY_UP_TO:
        return 1
    return 3 if months <= QUARTERLY_UP_TO * 3 else 12


def _dated(entries, events, statements) -> list[tuple[int, int, int]]:
    """(year, month, series) of every item dated at least to the month, from the first entry
    (or from the first item, without entries)."""
    found = [(e.date.year, e.date.month, 0) for e in entries]
    found += [(e.date.year, e.date.month, 1) for e in events if e.date.month]
    found += [(s.date.year, s.date.month, 2) for s in statements if s.date.month]
    if not found:
        return []
    first = min((y, m) for y, m, series in found if series == 0 or not entries)
    return [item for item in found if (item[0], item[1]) >= first]


def drawn_from(entries, events, statements) -> tuple:
    """All activity_chart reads of the items (a page's fingerprint holds it, not the items):
    how many are dated to each (year, month, series) from the first entry on, and how many
    there are."""
    counted = Counter(_dated(entries, events, statements))
    return tuple(sorted(counted.items())), len(entries) + len(events) + len(statements)


def _month_numbers(entries, events, statements) -> tuple[list[int], list[int], list[int]]:
    """What `_dated` finds, as each series' months numbered year * 12 + month (ints, counted in C)."""
    found = (
        [e.date.year * 12 + e.date.month for e in entries],
        [e.date.year * 12 + e.date.month for e in events if e.date.month],
        [s.date.year * 12 + s.date.month for s in statements if s.date.month],
    )
    if not (entries or found[1] or found[2]):
        return found
    first = min(found[0]) if entries else min(found[1] + found[2])
    return found[0], [n for n in found[1] if n >= first], [n for n in found[2] if n >= first]


def _periods(months: tuple[list[int], ...], span: tuple[int, int], step: int) -> list[Period]:
    """Every period of `step` months from the first item to the last (`span`: their month
    numbers), empty ones included. A month number n (year * 12 + month) is in period
    (n - 1) // step: 12 is a multiple of each step."""
    counted = [Counter(map(step.__rfloordiv__, map((1).__rsub__, series))) for series in months]
    out = []
    for key in range((span[0] - 1) // step, (span[1] - 1) // step + 1):
        counts = (counted[0].get(key, 0), counted[1].get(key, 0), counted[2].get(key, 0))
        start = key * step
        out.append(Period(start // 12, start % 12 + 1, counts, counts[0] + counts[1] + counts[2]))
    return out


def _ticks(peak: int) -> tuple[int, ...]:
    """0 and up to four round steps covering the peak: 0 1 2 3, 0 2 4 6 8, 0 5 10 15 ..."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if -(-peak // candidate) <= 4:
            break
    top = max(1, -(-peak // step)) * step
    return tuple(range(0, top + 1, step))


def _and(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _counted(totals: list[int]) -> str:
    """'2 entries, 1 event and 1 statement'."""
    return _and([f"{n} {one if n == 1 else many}" for n, (_, one, many) in zip(totals, SERIES, strict=True) if n])


def _in_periods(periods: list[Period], step: int) -> str:
    """'April and June 2025', 'December 2024 and January 2025'."""
    names = []
    for i, p in enumerate(periods):
        name = _label(p.year, p.month, step)
        same_year_next = i + 1 < len(periods) and periods[i + 1].year == p.year
        names.append(name.rsplit(" ", 1)[0] if same_year_next else name)
    return _and(names)


def activity_chart(entries, events, statements, name: str) -> Chart | Sparse | None:
    """The chart of an entity's or a relation's items, a sentence when too sparse, or None."""
    months = _month_numbers(entries, events, statements)
    every = months[0] + months[1] + months[2]
    if not every:
        return None
    span = min(every), max(every)
    step = _step(span[1] - span[0] + 1)
    periods = _periods(months, span, step)
    totals = [len(series) for series in months]
    unit = UNITS[step]
    if sum(1 for p in periods if p.total) < SPARSE_BELOW:  # named by month, whatever the chart's step
        return Sparse(f"{_counted(totals)}, in {_in_periods([p for p in _periods(months, span, 1) if p.total], 1)}.")
    busiest = max(periods, key=lambda p: (p.total, p.year, p.month))  # ties: the latest period
    first, last = _label(periods[0].year, periods[0].month, step), _label(periods[-1].year, periods[-1].month, step)
    description = (
        f"{_counted(totals)} from {first} to {last}; the busiest {unit} was "
        f"{_label(busiest.year, busiest.month, step)} with {busiest.total}."
    )
    left_out = len(entries) + len(events) + len(statements) - len(every)
    if left_out:
        description += f" Not drawn: {left_out} earlier or year-only {'item' if left_out == 1 else 'items'}."
    return Chart(
        title=f"{name}: {_and([SERIES[s][2] for s in range(3) if totals[s]])} per {unit}",
        description=description,
        unit=unit,
        step=step,
        periods=tuple(periods),
        ticks=_ticks(busiest.total),
        series=tuple(s for s in range(3) if totals[s]),
    )


def _slot(chart: Chart) -> int:
    return max(YEAR_SLOT if chart.step == 12 else SLOT_MIN, min(SLOT_MAX, SPREAD // len(chart.periods)))


def _bars(chart: Chart, scale: float) -> str:
    """Each period's stacked bar (entries at the bottom), its total above it, its x labels."""
    slot = _slot(chart)
    bar = round(slot * 0.64)
    inset = (slot - bar) / 2
    drawn = [(series, SERIES[series][0]) for series in chart.series]
    out = []
    base = float(TOP + PLOT)
    for index, period in enumerate(chart.periods):
        x = LEFT + index * slot + inset
        y = base
        for series, name in drawn:
            count = period.counts[series]
            height = round(count * scale, 2) if count else 0
            if height:
                y = round(y - height, 2)
                out.append(f'<rect class="s-{name}" x="{x}" y="{y}" width="{bar}" height="{height}"/>')
        centre = round(x + bar / 2, 2)
        if period.total:
            out.append(f'<text class="value" x="{centre}" y="{round(y - 4, 2)}">{period.total}</text>')
        out.append(_x_labels(chart, period, index, centre))
    return "\n".join(out)


def _x_labels(chart: Chart, period: Period, index: int, centre: float) -> str:
    """Under each bar its month's initial (or quarter); under a year's first bar, the year."""
    below = TOP + PLOT + 14
    if chart.step == 12:
        return f'<text class="tick year" x="{centre}" y="{below}">{period.year}</text>'
    mark = MONTHS[period.month - 1][0] if chart.step == 1 else f"Q{(period.month - 1) // 3 + 1}"
    text = f'<text class="tick" x="{centre}" y="{below}">{mark}</text>'
    if index == 0 or period.month == 1:
        text += f'<text class="tick year" x="{centre}" y="{below + 16}">{period.year}</text>'
    return text


def _y_axis(chart: Chart, width: float, scale: float) -> str:
    """Grid lines and their values on the right, beside the newest periods."""
    out = []
    for tick in chart.ticks:
        y = round(TOP + PLOT - tick * scale, 2)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y}" x2="{width - RIGHT + 4}" y2="{y}"/>')
        out.append(f'<text class="tick axis-value" x="{width - 2}" y="{round(y + 4, 2)}">{tick}</text>')
    return "\n".join(out)


def chart_html(chart: Chart | Sparse | None, id: str) -> Markup:
    """The chart as a <figure> (inline SVG, no script) with a legend and its figures as a
    table; a sparse series as one sentence. Built in Python: it is drawn for thousands of pages."""
    if chart is None:
        return Markup("")
    if isinstance(chart, Sparse):
        return Markup('<p class="chart-sparse">%s</p>\n') % chart.sentence
    e = escape
    width = LEFT + len(chart.periods) * _slot(chart) + RIGHT
    height = TOP + PLOT + BOTTOM
    scale = PLOT / chart.ticks[-1]
    legend = "".join(
        f'<li><span class="swatch s-{SERIES[s][0]}"></span>{SERIES[s][2].capitalize()}</li>' for s in chart.series
    )
    head = "".join(f'<th scope="col">{SERIES[s][2].capitalize()}</th>' for s in range(3))
    step = chart.step  # a period's label is digits and an English month's name: nothing to escape
    rows = "".join(
        f'<tr><th scope="row">{_label(year, month, step)}</th><td>{a}</td><td>{b}</td><td>{c}</td></tr>'
        for year, month, (a, b, c), _ in chart.periods
    )
    return Markup(
        f'<figure class="chart" aria-labelledby="{id}-caption">\n'
        f'<div class="chart-scroll" tabindex="0" role="group" aria-labelledby="{id}-caption">\n'
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{id}-title {id}-desc" class="chart-svg">\n'
        f'<title id="{id}-title">{e(chart.title)}</title>\n'
        f'<desc id="{id}-desc">{e(chart.description)}</desc>\n'
        f"{_y_axis(chart, width, scale)}\n{_bars(chart, scale)}\n"
        f"</svg>\n</div>\n"
        f'<ul class="chart-legend">{legend}</ul>\n'
        f'<details class="chart-data"><summary>The figures per {chart.unit}, as a table</summary>\n'
        f'<table><thead><tr><th scope="col">{chart.unit.capitalize()}</th>{head}</tr></thead>\n'
        f"<tbody>{rows}</tbody></table>\n</details>\n"
        f'<figcaption id="{id}-caption">{e(chart.title)}: {e(chart.description)}</figcaption>\n'
        f"</figure>\n"
    )
