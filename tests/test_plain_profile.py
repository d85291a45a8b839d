"""The reader for the usual profile shape (`frontmatter/plain_profile.py`): for any file it
reads, the same profile as the exact node-based way, with no diagnostic; anything it does not
read goes the exact way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import PROFILE

from briefing.domain.frontmatter.plain_profile import plain_profile
from briefing.domain.frontmatter.profile import read_profile, read_profile_exactly
from briefing.domain.model import COUNTRY, ISSUE, OFFICIAL, NameRef, Role

PATH = "content/officials/case.md"
USUAL = """name: "Olga  Pereira"
country: "São Tomé and Príncipe"
aliases:
  - "O. Pereira"
roles:
  - title: "Foreign Minister"
  - title: " Envoy "
"""


def read_both_ways(front: str, body: str = "\nShe leads the ministry.\n", kind=OFFICIAL) -> tuple:
    """(plain profile or None, the exact way's), asserting read_profile gives the exact way's
    result, and the plain profile equals it with no diagnostic."""
    raw = f"---\n{front}---\n{body}".encode()
    exact = read_profile_exactly(PATH, raw, kind)
    assert read_profile(PATH, raw, kind) == exact
    fast = plain_profile(PATH, raw, kind)
    if fast is not None:
        assert (fast, []) == exact
    return fast, exact


def test_the_usual_shape_is_read_without_nodes_to_the_same_values():
    fast, _ = read_both_ways(USUAL)
    assert fast is not None
    assert (fast.name, fast.country) == (NameRef("Olga Pereira", 2, 7), NameRef("São Tomé and Príncipe", 3, 10))
    assert fast.aliases == (NameRef("O. Pereira", 5, 5),)
    assert fast.roles == (Role("Foreign Minister"), Role("Envoy"))
    assert (fast.body, fast.body_line) == ("\nShe leads the ministry.\n", 10)


def test_aliases_as_an_empty_list_and_a_name_alone():
    fast, _ = read_both_ways('name: "Border dispute"\naliases: []\n', kind=ISSUE)
    assert fast is not None
    assert (fast.name, fast.aliases, fast.roles, fast.country) == (NameRef("Border dispute", 2, 7), (), (), None)


@pytest.mark.parametrize(
    "front,kind",
    [
        ('name: "Kosovo"\nwikidata: "Q1246"\n', COUNTRY),  # a key the plain reader leaves to the exact way
        (USUAL, COUNTRY),  # keys a country profile may not have: errors
        (USUAL.replace('"Foreign Minister"', '""'), OFFICIAL),  # an empty title: an error
        (USUAL.replace('  - title: "Foreign Minister"', "  - Foreign Minister"), OFFICIAL),  # a title alone
        (USUAL.replace('  - title: "Foreign Minister"', '  - {title: "Foreign Minister"}'), OFFICIAL),
        (USUAL + "    from: 2020-01\n", OFFICIAL),
        (USUAL.replace('  - "O. Pereira"', " " * 128 + '- "O. Pereira"'), OFFICIAL),  # a block nested too deep
        (USUAL.replace('"Olga  Pereira"', '"Olga' + "{" * 33 + '"'), OFFICIAL),  # braces nested too deep
        (USUAL.replace('aliases:\n  - "O. Pereira"', "aliases: [O. Pereira]"), OFFICIAL),  # a flow list
        (USUAL.replace('roles:\n  - title: "Foreign Minister"\n  - title: " Envoy "', "roles: [Envoy]"), OFFICIAL),
        (USUAL.replace('name: "Olga  Pereira"', "name: Olga Pereira"), OFFICIAL),  # not quoted
        (USUAL.replace('"O. Pereira"', '"O. \\"P\\""'), OFFICIAL),  # an escape
        (USUAL + 'name: "Again"\n', OFFICIAL),
        (USUAL.replace("aliases:\n", "aliases: \n"), OFFICIAL),
        (USUAL + "# a comment\n", OFFICIAL),
        ('country: "India"\n', OFFICIAL),  # no name: an error
        ("status:\n  - date: 2025-01\n    state: open\n", ISSUE),
    ],
)
def test_other_shapes_and_problems_go_the_exact_way(front, kind):
    fast, _ = read_both_ways(front, kind=kind)
    assert fast is None


def test_a_body_the_exact_way_warns_about_goes_the_exact_way():
    fast, (profile, problems) = read_both_ways(USUAL, body="\nA bell \x07 rang.\n")
    assert fast is None
    assert profile is not None and [p.gcc().split(": ", 1)[1] for p in problems] == [
        "warning: control character U+0007 in the text is left out of the page: delete it"
    ]


PLAIN_TEXT = st.text("aZé ’-.", min_size=1, max_size=12)
ODD_TEXT = st.text(st.sampled_from("aZé ’\t\"\\#:[]{},-'*&!|>%@`\u00a0"), max_size=12)
ODD_LINES = ["   - ", "- ", "  -", "  - title:", "    "]


@st.composite
def usual_profiles(draw, valid: bool = False) -> str:
    """Profile front matter of the usual shape; unless `valid`, each part now and then
    written another way, or given a value the exact way reports."""

    def odd(normal, others):
        return normal if valid or draw(st.integers(0, 12)) else draw(st.sampled_from(others))

    def text() -> str:
        return "a" + draw(PLAIN_TEXT if valid else odd(PLAIN_TEXT, [ODD_TEXT]))

    def written(value: str) -> str:
        return odd(f'"{value}"', [f"'{value}'", value, f'"{value}" ', f'"{value}" # c'])

    keys = [[f"name: {written(text())}"]]  # each key with its lines, in any order
    for key in draw(st.lists(st.sampled_from(["country", "aliases", "roles"]), unique=True)):
        count = draw(st.integers(0, 3))
        if key == "country":
            keys.append([f"country: {written(text())}"])
        elif count == 0:
            keys.append([odd(f"{key}: []", [f"{key}:", f"{key}: [x]"])])
        else:
            item = "  - title: " if key == "roles" else "  - "
            keys.append([f"{key}:", *(odd(item, ODD_LINES) + written(text()) for _ in range(count))])
    if not valid and not draw(st.integers(0, 7)):
        keys.append([draw(st.sampled_from(["wikidata: Q1", "status: []", "name: x", "", "x: 1"]))])
    return "".join(line + "\n" for lines in draw(st.permutations(keys)) for line in lines)


@PROFILE
@given(usual_profiles())
def test_usual_shapes_written_any_way_read_the_same_both_ways(front):
    read_both_ways(front)


@PROFILE
@given(usual_profiles(valid=True))
def test_usual_shapes_with_valid_values_are_read_without_nodes(front):
    fast, _ = read_both_ways(front)
    assert fast is not None
