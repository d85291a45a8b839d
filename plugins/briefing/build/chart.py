"""A small bar chart of entries per month or quarter, drawn as inline SVG by the theme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..domain.dates import MONTHS

WIDTH, HEIGHT, BASELINE = 600, 120, 100
MONTHLY_UP_TO = 36  # months of span; longer spans are drawn per quarter
QUARTERLY_UP_TO = 40  # quarters of span; longer spans are drawn per year


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    caption: str
    bars: tuple[Bar, ...]
    first_label: str
    last_label: str
    unit: str = "month"  # or "quarter"
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BASELINE


def _periods(dates, step: int):
    """Every period of `step` months from the first date to the last, empty ones included."""
    first, last = min(dates), max(dates)
    year, month = first.year, ((first.month - 1) // step) * step + 1
    while (year, month) <= (last.year, last.month):
        yield year, month
        month += step
        if month > 12:
            year, month = year + 1, month - 12


UNITS = {1: "month", 3: "quarter", 12: "year"}


def _label(year: int, month: int, step: int) -> str:
    if step == 12:
        return str(year)
    return f"Q{(month - 1) // 3 + 1} {year}" if step == 3 else f"{MONTHS[month - 1]} {year}"


def _step(first, last) -> int:
    """Months per bar: monthly up to three years, quarterly up to ten, then yearly (dates run
    from 1800 to 2200, so a chart has at most 401 bars)."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MONTHLY_UP_TO:
        return 1
    return 3 if months <= QUARTERLY_UP_TO * 3 else 12


def entries_chart(entries, name: str) -> Chart | None:
    """Entries per month (per quarter over spans longer than three years, per year over ten)."""
    if not entries:
        return None
    dates = [e.date for e in entries]
    step = _step(min(dates), max(dates))
    counts = Counter((d.year, ((d.month - 1) // step) * step + 1) for d in dates)
    periods = list(_periods(dates, step))
    peak = max(counts.values())
    slot = WIDTH / len(periods)
    bars = []
    for index, (year, month) in enumerate(periods):
        count = counts.get((year, month), 0)
        height = round(count / peak * (BASELINE - 8), 2)
        bars.append(
            Bar(
                _label(year, month, step),
                count,
                round(index * slot + slot * 0.1, 2),
                round(BASELINE - height, 2),
                round(slot * 0.8, 2),
                height,
            )
        )
    unit = UNITS[step]
    first_label, last_label = bars[0].label, bars[-1].label
    description = f"{_entries(len(entries))} in {first_label}."
    if len(bars) > 1:
        busiest = max(bars, key=lambda b: (b.count, b.x))  # ties: the latest period
        description = (
            f"{_entries(len(entries))} from {first_label} to {last_label}; "
            f"the busiest {unit} was {busiest.label} with {busiest.count}."
        )
    return Chart(
        title=f"Entries naming {name} per {unit}",
        description=description,
        caption=f"Entries per {unit}: {description}",
        bars=tuple(bars),
        first_label=first_label,
        last_label=last_label,
        unit=unit,
    )


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def chart_html(chart: Chart | None, id: str) -> Markup:
    """The chart as a <figure>: inline SVG (no script) with a data table as its text
    alternative. Built in Python: it is drawn for thousands of entity pages."""
    if chart is None:
        return Markup("")
    e = escape
    bars = "".join(
        f'<rect class="bar" x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}">'
        f"<title>{e(b.label)}: {b.count}</title></rect>\n"
        for b in chart.bars
    )
    last = (
        f'<text class="tick" x="{chart.width}" y="{chart.height - 2}" text-anchor="end">{e(chart.last_label)}</text>\n'
        if len(chart.bars) > 1
        else ""
    )
    rows = "".join(f"<tr><td>{e(b.label)}</td><td>{b.count}</td></tr>" for b in chart.bars)
    return Markup(
        f'<figure class="chart">\n'
        f'<svg viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{id}-title {id}-desc" class="chart-svg">\n'
        f'<title id="{id}-title">{e(chart.title)}</title>\n'
        f'<desc id="{id}-desc">{e(chart.description)}</desc>\n'
        f'<line class="axis" x1="0" y1="{chart.baseline}" x2="{chart.width}" y2="{chart.baseline}"/>\n'
        f"{bars}"
        f'<text class="tick" x="0" y="{chart.height - 2}">{e(chart.first_label)}</text>\n'
        f"{last}"
        f"</svg>\n"
        f'<figcaption>{e(chart.caption)}<details class="chart-data">'
        f"<summary>Entries per {chart.unit} as a table</summary>\n"
        f'<table><thead><tr><th scope="col">{chart.unit.capitalize()}</th><th scope="col">Entries</th></tr></thead>\n'
        f"<tbody>{rows}</tbody></table>\n"
        f"</details></figcaption>\n"
        f"</figure>\n"
    )
