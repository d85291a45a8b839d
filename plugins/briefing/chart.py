"""A small bar chart of entries per month or quarter, drawn as inline SVG by the theme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .domain.dates import MONTHS

WIDTH, HEIGHT, BASELINE = 600, 120, 100
MONTHLY_UP_TO = 36  # months of span; longer spans are drawn per quarter


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


def _periods(dates, quarterly: bool):
    """Every period from the first date to the last, empty ones included."""
    first, last = min(dates), max(dates)
    step = 3 if quarterly else 1
    year, month = first.year, ((first.month - 1) // step) * step + 1
    while (year, month) <= (last.year, last.month):
        yield year, month
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def _label(year: int, month: int, quarterly: bool) -> str:
    return f"Q{(month - 1) // 3 + 1} {year}" if quarterly else f"{MONTHS[month - 1]} {year}"


def entries_chart(entries, name: str) -> Chart | None:
    """Entries per month (per quarter over spans longer than three years)."""
    if not entries:
        return None
    dates = [e.date for e in entries]
    first, last = min(dates), max(dates)
    quarterly = (last.year - first.year) * 12 + last.month - first.month + 1 > MONTHLY_UP_TO
    step = 3 if quarterly else 1
    counts = Counter((d.year, ((d.month - 1) // step) * step + 1) for d in dates)
    periods = list(_periods(dates, quarterly))
    peak = max(counts.values())
    slot = WIDTH / len(periods)
    bars = []
    for index, (year, month) in enumerate(periods):
        count = counts.get((year, month), 0)
        height = round(count / peak * (BASELINE - 8), 2)
        bars.append(Bar(_label(year, month, quarterly), count, round(index * slot + slot * 0.1, 2),
                        round(BASELINE - height, 2), round(slot * 0.8, 2), height))
    unit = "quarter" if quarterly else "month"
    first_label, last_label = bars[0].label, bars[-1].label
    description = f"{_entries(len(entries))} in {first_label}."
    if len(bars) > 1:
        busiest = max(bars, key=lambda b: (b.count, b.x))  # ties: the latest period
        description = (f"{_entries(len(entries))} from {first_label} to {last_label}; "
                       f"the busiest {unit} was {busiest.label} with {busiest.count}.")
    return Chart(
        title=f"Entries naming {name} per {unit}", description=description,
        caption=f"Entries per {unit}: {description}",
        bars=tuple(bars), first_label=first_label, last_label=last_label, unit=unit,
    )


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"
