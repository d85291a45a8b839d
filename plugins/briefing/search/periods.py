"""Which periods make up each search bundle: whole years grouped, and a year too big for one
Pagefind service split into bundles of whole months.

Two bounds, both counted in records. `minimum`: Pagefind scores a word by how rare it is
*within a bundle*, so a bundle of three entries, all naming Galwan, would rank "Galwan" as a
word of no weight; years are grouped, oldest first, until a bundle holds that many (the
newest years, still growing, join the group before them until they are big enough).
`maximum`: Pagefind's service holds a whole bundle in memory while it indexes it (about
0.3 MiB a record at 100,000 entries, docs/DESIGN.md), so a year with more records than that
is split into calendar parts: halves, thirds, quarters, two-month parts or single months,
the fewest parts whose every part stays within the ceiling. Calendar parts, not balanced
ones, so that an edit rarely moves a boundary: the parts of a year change only when its
size crosses a ceiling. Records dated to a year alone sort above the year's dated records
(newest first), so they belong to its newest part.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTS = (1, 2, 3, 4, 6, 12)  # ways to cut a year into equal runs of whole months


@dataclass(frozen=True)
class Period:
    """The dated records of one bundle: whole years (oldest first), or some months of one year."""

    years: tuple[int, ...]
    months: tuple[int, int] | None = None  # first and last month, for a part of a split year

    @property
    def name(self) -> str:
        """A stable folder name: "2024", "2019-2021", "2024-07-12" (July to December), "2024-03"."""
        if self.months is None:
            first, last = self.years[0], self.years[-1]
            return f"{first:04d}" if first == last else f"{first:04d}-{last:04d}"
        (year,), (first, last) = self.years, self.months
        return f"{year:04d}-{first:02d}" if first == last else f"{year:04d}-{first:02d}-{last:02d}"

    def month_labels(self) -> tuple[str, ...]:
        """The months held, "YYYY-MM", newest first (the search page's filter); () for whole years."""
        if self.months is None:
            return ()
        (year,), (first, last) = self.years, self.months
        return tuple(f"{year:04d}-{month:02d}" for month in range(last, first - 1, -1))

    def holds(self, year: int, month: int) -> bool:
        """Whether a record of this year and month (0: dated to the year alone) is in this period."""
        if year not in self.years:
            return False
        if self.months is None:
            return True
        first, last = self.months
        return first <= month <= last or (month == 0 and last == 12)


def group_years(counts: dict[int, int], minimum: int) -> list[list[int]]:
    """Whole years in groups of at least `minimum` records, oldest first; a newest group that is
    still too small joins the one before it. Growth changes the newest two groups only."""
    groups: list[list[int]] = []
    size = 0
    for year in sorted(counts):
        if not groups or size >= minimum:
            groups.append([])
            size = 0
        groups[-1].append(year)
        size += counts[year]
    if len(groups) > 1 and size < minimum:
        newest = groups.pop()
        groups[-1] += newest
    return groups


def split_year(months: dict[int, int], minimum: int, maximum: int) -> list[tuple[int, int]]:
    """A big year's (first, last) month runs, oldest first: the fewest equal calendar parts
    with at most `maximum` records each (single months when none fits); empty parts dropped,
    and a part under `minimum` joined to its older neighbour (or, the oldest, to the next).
    `months`: records by month, 0 for those dated to the year alone (they go with December)."""
    parts: list[tuple[int, int]] = []
    for count in PARTS:
        width = 12 // count
        parts = [(start, start + width - 1) for start in range(1, 13, width)]
        if all(_size(months, part) <= maximum for part in parts):
            break
    parts = [part for part in parts if _size(months, part)]
    merged: list[tuple[int, int]] = []
    for part in parts:
        if merged and _size(months, merged[-1]) < minimum:
            merged[-1] = (merged[-1][0], part[1])
        else:
            merged.append(part)
    if len(merged) > 1 and _size(months, merged[-1]) < minimum:
        newest = merged.pop()
        merged[-1] = (merged[-1][0], newest[1])
    return merged


def _size(months: dict[int, int], part: tuple[int, int]) -> int:
    first, last = part
    return sum(n for month, n in months.items() if first <= month <= last or (month == 0 and last == 12))


def group_periods(months: dict[tuple[int, int], int], minimum: int, maximum: int = 0) -> list[Period]:
    """The bundles' periods, oldest first, from the records' count by (year, month; 0 when a
    record has no month). Years with more than `maximum` records (0: no ceiling) are split
    into months and stand alone; the years between them are grouped by `minimum` (so a new
    year after a split one is a bundle of its own, however small, until it is split too)."""
    counts: dict[int, int] = {}
    for (year, _), count in months.items():
        counts[year] = counts.get(year, 0) + count
    periods: list[Period] = []
    run: dict[int, int] = {}  # whole years since the last split one
    for year in sorted(counts):
        if not maximum or counts[year] <= maximum:
            run[year] = counts[year]
            continue
        of_year = {month: count for (y, month), count in months.items() if y == year}
        parts = split_year(of_year, minimum, maximum)
        if len(parts) == 1:  # its parts were too small apart: a whole year after all
            run[year] = counts[year]
            continue
        periods += [Period(tuple(group)) for group in group_years(run, minimum)]
        periods += [Period((year,), part) for part in parts]
        run = {}
    periods += [Period(tuple(group)) for group in group_years(run, minimum)]
    return periods
