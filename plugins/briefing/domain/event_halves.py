"""The events' diagnostics of a cold check, shared by date between its two processes
(check_split.py), which would otherwise leave one core idle while the other merged every
report (1.1-1.9 s at 100,000 entries).

Every diagnostic of event_problems.py reads the reports of one date only (events merge by
date and text, near-duplicates are looked for within a date), except those of ids: an `id`
is unique across the site, and `same_as` names one given anywhere. So the near process, which
has every record, keeps each `same_as` report, every draft, and every date on which any
report gives an id; the far process takes three in four of the other dates (`FarDates`), its
own reports of them and the near half's, sent while it resolves. Together they give the same
diagnostics as event_problems on every entry (`tests/test_event_halves.py`). The far process
takes the larger share since it starts on it sooner: the near one first receives the far
records, loads them and runs the other cross-file checks (0.8 s at 100,000 entries).
"""

from __future__ import annotations

import zlib

from .event_problems import event_problems


class Told:
    """An entry as the events' diagnostics read it (check_site._Reported), with only its
    reports of one share."""

    __slots__ = ("path", "reports", "timestamp", "url")

    def __init__(self, path: str, url: str, timestamp: float, reports: tuple):
        self.path, self.url, self.timestamp, self.reports = path, url, timestamp, reports


def id_dates(entries) -> frozenset[str]:
    """The dates on which a report of `entries` (records, published or not) gives an id."""
    return frozenset(r.date.iso() for e in entries for r in e.reports if r.id is not None and r.date is not None)


class FarDates(dict):
    """{date as written: whether the far process takes its reports}: the three in four whose
    CRC-32 is not a multiple of four, but none on which a report gives an id (`ids`); each
    date worked out once."""

    def __init__(self, ids: frozenset[str]):
        super().__init__()
        self.ids = ids

    def __missing__(self, iso: str) -> bool:
        found = self[iso] = iso not in self.ids and zlib.crc32(iso.encode()) % 4 != 0
        return found


def _published(records) -> list:
    return [r for r in records if r.url is not None and not r.is_draft]


def _share(entries, keep) -> list:
    """The entries with any report `keep` takes, each with only those reports (as it is when
    it takes them all)."""
    out = []
    for entry in entries:
        if not entry.reports:
            continue
        reports = [r for r in entry.reports if keep(r)]
        if len(reports) == len(entry.reports):
            out.append(entry)
        elif reports:
            out.append(Told(entry.path, entry.url, entry.timestamp, tuple(reports)))
    return out


def far_share(records) -> tuple[frozenset[str], list[tuple]]:
    """What the near process sends the far one of its own records: the dates on which they
    give an id, and (path, address, time, reports) of each published entry with reports the
    far one may take (it leaves out the dates of its own ids)."""
    ids = id_dates(records)
    far = FarDates(ids)
    found = _share(_published(records), lambda r: r.same_as is None and far[r.date.iso()])
    return ids, [(e.path, e.url, e.timestamp, e.reports) for e in found]


def far_problems(sent: tuple[frozenset[str], list[tuple]], records: list, names) -> list:
    """The far process's share of the diagnostics: the reports of the far dates, of the near
    half's `sent` entries (far_share) and then its own `records`, in the entries' order (an
    event's first report is the one of the oldest entry, the first of those listed when two
    have the same time and address)."""
    near_ids, told = sent
    far = FarDates(near_ids | id_dates(records))
    keep = lambda r: r.same_as is None and far[r.date.iso()]  # noqa: E731
    return event_problems(_share((Told(*t) for t in told), keep) + _share(_published(records), keep), [], names)


def near_problems(published: list, drafts: list, names) -> list:
    """The near process's share, from every entry (check_site._Reported): all but the
    reports of the far dates."""
    far = FarDates(id_dates([*published, *drafts]))
    keep = lambda r: r.same_as is not None or not far[r.date.iso()]  # noqa: E731
    return event_problems(_share(published, keep), drafts, names)
