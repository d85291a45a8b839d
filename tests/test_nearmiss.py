"""The near-miss index (domain/nearmiss.py) finds what comparing every pair would find, and
looks up 2,000 names among 20,000 in well under a second (issue 14: difflib against every
known issue took 194 s for one entry of 20,000 issues); the typo index (domain/names.py) stops
at the first name a typo would explain."""

from __future__ import annotations

import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from briefing.domain import names
from briefing.domain.nearmiss import NearMissIndex

WORDS = st.text(alphabet="abcde fgh", min_size=0, max_size=24)


def brute_force(names, word, cutoff, max_edits):
    """The best ratio over every known name (what the index must match), or None."""
    scores = [
        fuzz.ratio(word, name)
        for name in names
        if name != word
        and fuzz.ratio(word, name) >= cutoff * 100 - 1e-9
        and (max_edits is None or Indel.distance(word, name) <= max_edits)
    ]
    return max(scores, default=None)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(WORDS, max_size=40),
    WORDS,
    st.sampled_from([0.6, 0.75, 0.9]),
    st.sampled_from([None, 1, 2, 4]),
)
def test_the_index_finds_the_best_match_comparing_every_pair_would(names, word, cutoff, max_edits):
    index = NearMissIndex()
    for name in names:
        index.add(name)
    found = index.closest(word, cutoff, max_edits)
    best = brute_force(names, word, cutoff, max_edits)
    if best is None:
        assert found is None
    else:
        assert found is not None and fuzz.ratio(word, found) == best


def test_a_typo_is_found_and_a_different_topic_is_not():
    index = NearMissIndex()
    for name in ("rare earth export controls", "protest movements in the sahel", "g20"):
        index.add(name)
    assert index.closest("rare earth export control", 0.9, 4) == "rare earth export controls"
    assert index.closest("protest movements in the andes", 0.9, 4) is None
    assert index.closest("protest movements in the andes", 0.85) == "protest movements in the sahel"
    assert index.closest("g21", 0.6) == "g20"
    assert index.closest("g20", 0.6) is None  # a known name is no near miss of itself


def test_thousands_of_look_ups_among_twenty_thousand_names_are_fast():
    """Issue names of three words from a vocabulary of 3,000 made-up words (as real topics share
    words): 2,000 look-ups of a one-letter typo among 20,000 names."""
    rng = random.Random(14)
    vocabulary = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))) for _ in range(3_000)]
    names = sorted({" ".join(rng.sample(vocabulary, 3)) for _ in range(20_000)})
    index = NearMissIndex()
    for name in names:
        index.add(name)
    for name in names[::10]:
        assert index.closest(name + "s", 0.9, 4) == name
    assert index.compared / 2_000 < 0.02 * len(names)  # each look-up compares under 2% of the names


def test_names_too_alike_to_filter_are_compared_in_c_and_stay_bounded(monkeypatch):
    """20,000 names that differ in one digit (all within a typo of each other): the index falls
    back to comparing the possible lengths in one rapidfuzz call per look-up."""
    index = NearMissIndex()
    for number in range(20_000):
        index.add(f"issue number {number:05d} about trade")
    calls = []
    extract = process.extract
    monkeypatch.setattr(process, "extract", lambda *a, **k: calls.append(1) or extract(*a, **k))
    for number in range(0, 20_000, 100):
        assert index.closest(f"issue number {number:05d} about trades", 0.9, 4) is not None
    assert len(calls) == 200  # one call in C per look-up, however many names it compares


def test_the_typo_index_stops_at_the_first_alike_name_of_a_bucket(monkeypatch):
    """100 topics that differ in one digit share a bucket, each within a typo of each other: a
    look-up compares one name, not the other 99 (the 2 MiB bound's entry spent 1.1 s there)."""
    index = names.TypoIndex()
    for number in range(100):
        index.add(f"Topic {number:03d} question", f"t{number}")
    compared = []
    typo = names.looks_like_typo
    monkeypatch.setattr(names, "looks_like_typo", lambda a, b: compared.append(b) or typo(a, b))
    found = [index.near(f"Topic {number:03d} question", exclude=f"t{number}") for number in range(100)]
    assert found == ["t1", *["t0"] * 99]  # the first added that is not the name itself
    assert len(compared) == 100
    assert index.near("Topic 000 answer", exclude=None) is None  # no bucket of its words and initials


def test_names_added_after_a_look_up_are_found_by_the_next():
    """Both indexes take names as they are claimed and index them when first asked: a name
    added after a look-up (a later profile, a preview's edit) is found by the next one, and a
    name added twice is indexed once."""
    index = NearMissIndex()
    index.add("pakistan")
    assert index.closest("indai", 0.6) is None
    index.add("india")
    index.add("pakistan")
    assert index.closest("indai", 0.6) == "india"
    assert len(index) == 2 and "india" in index
    typos = names.TypoIndex()
    typos.add("Wang Yi", "wang-yi")
    assert typos.near("Li Qiang") is None
    typos.add("Li Qiang", "li-qiang")
    assert typos.near("Li Qaing") == "li-qiang"
    again = names.TypoIndex()
    for name, owner in (("Wang Yi", "wang-yi"), ("Li Qiang", "li-qiang")):
        again.add(name, owner)
    assert again == typos  # the same names and owners in the same order, asked or not


def test_a_registry_indexes_no_name_until_one_is_looked_for():
    """Building the registry only lists the names (most builds and checks look for none: a
    look-up is for an unknown name, or a near-miss warning); the first look-up indexes them."""
    from briefing.domain.model import COUNTRY
    from briefing.domain.registry import build_registry

    registry, _ = build_registry([], [])
    near = registry._near["country"]
    assert near._names == [] and len(near._added) > 200
    assert registry.suggestion(COUNTRY, "Indai") == " (did you mean 'India'?)"
    assert near._added == [] and "india" in near
