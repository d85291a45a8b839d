"""The events' diagnostics of a cold check shared by date between its two processes
(domain/event_halves.py, check_split.py): the near half's share and the far half's, the near
half's reports sent through a pickle as the far one receives them, give every diagnostic that
event_problems gives on all the entries, for drawn sets of entries split anywhere between
the halves, whose reports merge, look alike, share or clash on ids on dates of either half,
name ids with `same_as`, and include drafts."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from test_event_problems import IDS, TEXTS, Told, _entries

from briefing.domain.check_split import ReportSketch, sketched
from briefing.domain.dates import PartialDate
from briefing.domain.event_halves import FarDates, far_problems, far_share, near_problems
from briefing.domain.event_problems import event_problems
from briefing.domain.model import EventReport

NEAR_DAY, FAR_DAY, FAR_DAY_TOO = PartialDate(2025, 5, 31), PartialDate(2025, 6, 1), PartialDate(2025, 6, 2)

report_specs = st.one_of(
    st.tuples(st.just("same_as"), st.sampled_from((*IDS, "fishh"))),
    st.tuples(
        st.sampled_from((NEAR_DAY, FAR_DAY, FAR_DAY_TOO)),
        st.sampled_from(TEXTS),
        st.lists(st.sampled_from(("in", "cn", "jp")), max_size=3, unique=True),
        st.lists(st.sampled_from(("wang-yi", "jaishankar")), max_size=2, unique=True),
        st.one_of(st.none(), st.none(), st.sampled_from(IDS)),
    ),
)
entry_specs = st.lists(st.tuples(st.lists(report_specs, max_size=4), st.booleans()), min_size=1, max_size=10)


def _both_halves(entries: list[Told], meeting: int) -> list:
    """The diagnostics as a cold check makes them: the first `meeting` entries are the near
    half's, the rest the far half's."""
    near, far = entries[:meeting], entries[meeting:]
    sent = pickle.loads(sketched(far_share(near)))
    far_found = far_problems(sent, far, str.upper)
    return (
        near_problems([e for e in entries if not e.is_draft], [e for e in entries if e.is_draft], str.upper) + far_found
    )


@settings(max_examples=800, deadline=None)
@given(entry_specs, st.integers(min_value=0, max_value=10))
def test_the_two_halves_give_the_diagnostics_of_all_the_entries(specs, meeting):
    entries = _entries(specs)
    whole = event_problems([e for e in entries if not e.is_draft], [e for e in entries if e.is_draft], str.upper)
    assert sorted(_both_halves(_entries(specs), min(meeting, len(specs)))) == sorted(whole)


def test_the_far_half_takes_three_dates_in_four_on_which_no_report_gives_an_id():
    far = FarDates(frozenset({"2025-06-02"}))
    assert [far[day.iso()] for day in (NEAR_DAY, FAR_DAY, FAR_DAY_TOO)] == [False, True, False]
    days = [f"2025-{month:02}-{day:02}" for month in range(1, 13) for day in range(1, 29)]
    assert sum(far[day] for day in days) == 251  # of 336: the 252 whose CRC-32 is not a multiple of 4, less the id's


def test_near_duplicates_on_a_far_date_are_found_by_the_far_half_from_both_halves_reports():
    """Two entries, one per half, report alike events on a far date: the far half warns, from
    the near half's report it was sent as a sketch; the near half warns of nothing there."""
    near = [
        Told(
            0,
            [
                EventReport(
                    FAR_DAY,
                    TEXTS[0],
                    ("in",),
                    (),
                    (),
                    (),
                    None,
                    None,
                    None,
                    "content/briefings/0.md",
                    5,
                    5,
                    "/briefings/0/",
                )
            ],
            False,
        )
    ]
    far = [
        Told(
            1,
            [
                EventReport(
                    FAR_DAY,
                    TEXTS[2],
                    ("in",),
                    (),
                    (),
                    (),
                    None,
                    None,
                    None,
                    "content/briefings/1.md",
                    5,
                    5,
                    "/briefings/1/",
                )
            ],
            False,
        )
    ]
    ids, told = sent = pickle.loads(sketched(far_share(near)))
    assert ids == frozenset() and [type(r) for _, _, _, reports in told for r in reports] == [ReportSketch]
    assert [p.gcc() for p in far_problems(sent, far, str.upper)] == [
        "content/briefings/1.md:5:5: warning: this event looks like the one at content/briefings/0.md:5:5 "
        "(same date, 'IN'); write the same text to merge them"
    ]
    assert near_problems([*near, *far], [], str.upper) == []
