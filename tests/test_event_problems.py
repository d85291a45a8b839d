"""The check's events diagnostics (domain/event_problems.py, merged on sketches) against the
build's (events.merged_events, merged into whole events): the same lines, in the same order,
for drawn sets of entries whose reports merge by text, look alike, share or clash on ids,
name ids that exist or not, and include drafts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.domain.dates import PartialDate
from briefing.domain.event_problems import event_problems
from briefing.domain.events import merged_events
from briefing.domain.model import EventReport

DATES = (PartialDate(2025, 5, 30), PartialDate(2025, 5, 31), PartialDate(2025, 5))
TEXTS = (
    "India and China agree to resume border talks in Ladakh",
    "India and China agree to resume the border talks in Ladakh.",  # the same event once normalised
    "India and China agree to resume border talks in Ladakh soon",  # alike: a near-duplicate
    "China and Japan sign a fisheries accord",
    "Japan and China sign a new fisheries accord today",
)
IDS = ("ladakh", "fish", "accord")


class Told:
    """An entry as both merges read it."""

    def __init__(self, number: int, reports: list, is_draft: bool):
        self.path = f"content/briefings/{number}.md"
        self.url = f"/briefings/{number}/"
        self.timestamp = float(number % 3)  # ties broken by the address
        self.is_draft = is_draft
        self.reports = reports
        self.events: tuple = ()


report_specs = st.one_of(
    st.tuples(st.just("same_as"), st.sampled_from((*IDS, "fishh"))),
    st.tuples(
        st.sampled_from(DATES),
        st.sampled_from(TEXTS),
        st.lists(st.sampled_from(("in", "cn", "jp")), max_size=3, unique=True),
        st.lists(st.sampled_from(("wang-yi", "jaishankar")), max_size=2, unique=True),
        st.one_of(st.none(), st.sampled_from(IDS)),
    ),
)
entry_specs = st.lists(st.tuples(st.lists(report_specs, max_size=4), st.booleans()), min_size=1, max_size=8)


def _entries(specs) -> list[Told]:
    entries = []
    for number, (reports, is_draft) in enumerate(specs):
        path, made = f"content/briefings/{number}.md", []
        for line, spec in enumerate(reports, start=5):
            if spec[0] == "same_as":
                made.append(EventReport(None, "", (), (), (), (), None, None, spec[1], path, line, 5, ""))
            else:
                date, what, countries, officials, given_id = spec
                fields = (tuple(countries), tuple(officials), (), ("its own list",) * 3, None, given_id, None)
                made.append(EventReport(date, what, *fields, path, line, 5, f"/briefings/{number}/"))
        entries.append(Told(number, made, is_draft))
    return entries


def _split(entries: list[Told]) -> tuple[list, list]:
    return [e for e in entries if not e.is_draft], [e for e in entries if e.is_draft]


@settings(max_examples=600, deadline=None)
@given(entry_specs)
def test_the_check_s_events_diagnostics_are_the_build_s(specs):
    names = str.upper
    built = merged_events(*_split(_entries(specs)), names)[1]
    assert event_problems(*_split(_entries(specs)), names) == built


def test_a_set_with_every_kind_of_events_diagnostic_gives_its_exact_lines_both_ways():
    """Ids given twice (published and in a draft), `same_as` to a missing id with and without a
    near one, and near-duplicates sharing a country, then a country and an official."""
    specs = [
        ([(DATES[0], TEXTS[0], ["in", "cn"], [], "ladakh"), (DATES[0], TEXTS[3], ["cn"], ["wang-yi"], "fish")], False),
        ([(DATES[0], TEXTS[2], ["in"], [], None), (DATES[1], TEXTS[3], ["jp"], [], "ladakh")], False),
        ([("same_as", "fishh"), (DATES[0], TEXTS[4], ["cn"], ["wang-yi"], "fish")], False),
        ([(DATES[2], TEXTS[4], [], [], "fish"), ("same_as", "acord")], True),
    ]
    found = [p.gcc() for p in event_problems(*_split(_entries(specs)), str.upper)]
    assert found == [
        "content/briefings/1.md:6:5: error: event id 'ladakh' is already given at content/briefings/0.md:5:5: "
        "ids are unique across the site",
        "content/briefings/2.md:6:5: error: event id 'fish' is already given at content/briefings/0.md:6:5: "
        "ids are unique across the site",
        "content/briefings/2.md:5:5: error: no event has the id 'fishh' (did you mean 'fish'?): add 'id: fishh' "
        "to the event it means, in the entry that reports it",
        "content/briefings/1.md:5:5: warning: this event looks like the one at content/briefings/0.md:5:5 "
        "(same date, 'IN'); write the same text to merge them",
        "content/briefings/2.md:6:5: warning: this event looks like the one at content/briefings/0.md:6:5 "
        "(same date, 'CN', 'WANG-YI'); write the same text to merge them",
        "content/briefings/3.md:5:5: error: event id 'fish' is already given at content/briefings/0.md:6:5: "
        "ids are unique across the site",
        "content/briefings/3.md:6:5: error: no event has the id 'acord': add 'id: acord' "
        "to the event it means, in the entry that reports it",
    ]
    assert [p.gcc() for p in merged_events(*_split(_entries(specs)), str.upper)[1]] == found
