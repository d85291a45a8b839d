"""The reader for the usual front-matter shape (`frontmatter/plain_entry.py`), the check's and
the build's: for any file it reads, the same draft as the exact node-based way (body and hash
included), with no diagnostic; anything it does not read goes the exact way."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import PROFILE

from briefing.domain.frontmatter.entry import read_entry, read_entry_exactly
from briefing.domain.frontmatter.plain_entry import plain_entry
from briefing.domain.model import EventDraft, NameRef, OfficialRef, PartialDate, Source

PATH = "content/briefings/case.md"
USUAL = """title: "Iceland and  San Marino clash"
date: 2015-10-07
summary: " The  minister said. "
countries:
  - "Iceland"
  - "San Marino"
officials: []
issues:
  - "Satellite internet"
events:
  - date: 2015-10
    what: "Talks   began"
source: {name: "news.example.com", url: "https://news.example.com/a"}"""


def read_both_ways(front: str, after: str = "\n---\n\nBody.\n") -> tuple:
    """(plain draft or None, the check's draft) of `front` closed by `after`: the build's draft
    and the check's asserted equal to the exact way's, the check's without the body."""
    raw = f"---\n{front}{after}".encode()
    exact, exact_problems = read_entry_exactly(PATH, raw)
    built, built_problems = read_entry(PATH, raw)
    assert (built, [p.gcc() for p in built_problems]) == (exact, [p.gcc() for p in exact_problems])
    checked, problems = read_entry(PATH, raw, front_only=True)
    assert checked == (None if exact is None else dataclasses.replace(exact, body="", source_hash=""))
    assert [p.gcc() for p in problems] == [p.gcc() for p in exact_problems]
    fast = plain_entry(PATH, raw)
    if fast is not None:
        assert (fast, problems) == (checked, [])
        assert plain_entry(PATH, raw, front_only=False) == exact
    return fast, checked


def test_the_usual_shape_is_read_without_nodes_to_the_same_values():
    fast, _ = read_both_ways(USUAL)
    assert fast is not None
    assert (fast.title, fast.summary, fast.published.isoformat(), fast.has_time) == (
        "Iceland and San Marino clash",
        "The minister said.",
        "2015-10-07T00:00:00+00:00",
        False,
    )
    assert fast.countries == (NameRef("Iceland", 6, 5), NameRef("San Marino", 7, 5))
    assert (fast.officials, fast.issues) == ((), (NameRef("Satellite internet", 10, 5),))
    assert fast.events == (EventDraft(PartialDate(2015, 10, 0), "Talks began", None, None, 12, 5, slug="talks-began"),)
    assert fast.sources == (Source("news.example.com", "https://news.example.com/a"),)
    assert (fast.title_line, fast.date_line, fast.slug_line, fast.body_line) == (2, 3, 1, 16)
    assert (fast.default_slug, fast.status, fast.slug) == ("iceland-and-san-marino-clash", "published", None)


def test_officials_slug_status_and_a_quoted_date():
    front = 'title: "T"\ndate: "2015-10-07 10:30"\nslug: "t-1"\nstatus: "draft"\nofficials:\n  - "Olga Pereira"'
    fast, _ = read_both_ways(front)
    assert fast is not None
    assert (fast.slug, fast.status, fast.has_time, fast.slug_line) == ("t-1", "draft", True, 4)
    assert fast.officials == (OfficialRef(NameRef("Olga Pereira", 7, 5)),)


@pytest.mark.parametrize(
    "front",
    [
        USUAL.replace("date: 2015-10-07", "date: 2015-13-07"),  # an error: the exact way says it
        USUAL.replace("https://", "ftp://"),  # a warning
        USUAL.replace('"Iceland"', '"Ice\\tland"'),  # an escape
        USUAL.replace('"Iceland"', "Iceland"),  # a plain name
        USUAL.replace('  - "Iceland"', '   - "Iceland"'),
        USUAL.replace("title:", "titel:"),
        USUAL.replace("officials: []", 'officials: "Olga Pereira"'),  # an error: not a list
        USUAL.replace('"Satellite internet"', '"  "'),
        USUAL + '\ntitle: "Again"',
        USUAL + "\n# a comment",
        USUAL.replace("what:", "wat:"),
        USUAL.replace('url: "https://news', 'url: "https://my news'),
        'date: 2015-10-07\nsummary: "No title"',
        'title: "T"\ndate:\n  - 2015-10-07',
        'title: "T"\ndate: 2015-10-07\nstatus: "drafted"',
        'title: "T"\ndate: 2015-10-07\nslug: "Not A Slug"',
        'title: "T"\ndate: 2015-10-07\ncountries:',
        'title: "T"\ndate: 2015-10-07\nsources:\n  - {name: "a", url: "https://a"}',
        'title: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\ndate: 2015-10-07',  # nested too deep
        USUAL.replace('  - "Iceland"', " " * 128 + '- "Iceland"'),  # a block nested too deep
    ],
)
def test_other_shapes_and_problems_go_the_exact_way(front):
    fast, _ = read_both_ways(front)
    assert fast is None


@pytest.mark.parametrize(
    ("after", "body", "plain"),
    [
        ("\n---\n\nBody.\n", "\nBody.\n", True),
        ("\n---", "", True),  # nothing after the closing line
        ("\n---\n", "", True),
        ("\n...  \t\nBody.\n---\nMore.", "Body.\n---\nMore.", True),  # '...' closes too, spaces after it
        ("\n---\nBody with é and ’.\n", "Body with é and ’.\n", True),
        ("\n---\nA\x01b.\n", "Ab.\n", False),  # a control character: the exact way warns and takes it out
        ("\n---\nA\u2028b.\n", "A\u2028b.\n", False),  # refused in front matter, kept in a body: exactly
        ("\n---\r\nBody.\r\n", "Body.\n", False),  # CR LF: the exact way reads it
        ("\n---\nA \\ b: [c]\n", "A \\ b: [c]\n", True),  # what front matter may not hold, in a body
    ],
)
def test_the_build_reads_the_body_as_the_exact_way_splits_it(after, body, plain):
    fast, _ = read_both_ways(USUAL, after)
    raw = f"---\n{USUAL}{after}".encode()
    built, _ = read_entry(PATH, raw)
    assert built is not None
    assert (built.body, built.source_hash) == (body, hashlib.sha1(raw).hexdigest())
    assert (plain_entry(PATH, raw, front_only=False) is not None, fast is not None) == (plain, plain)


PLAIN_TEXT = st.text("aZé ’-", min_size=1, max_size=12)
ODD_TEXT = st.text(st.sampled_from("aZé ’\t\"\\#:[]{},-'*&!|>%@`\u00a0"), max_size=12)
# Text a double-quoted value holds as it is (no quote, no backslash), never only spaces.
QUOTABLE = st.text(st.sampled_from("aZé ’\t#:[]{},-'*&!|>%@`\u00a0"), max_size=12).map(lambda t: f"a{t}")
DATES = ["2015-10-07", '"2015-10-07"', '"2015-10-07 10:30"']
EVENT_DATES = ["2015-10-07", "2015-10", "2015", '"2015-10"']
ODD_DATES = ["1799-01-01", "2015-02-30", "'2015'", "x", "2015-10-07 # c"]
ITEMS = ["   - ", "- ", "  -"]
KEYS = ["summary", "countries", "officials", "events", "source", "slug", "status", "issues"]


@st.composite
def usual_fronts(draw, valid: bool = False) -> str:
    """Front matter of the usual shape; unless `valid`, each part now and then written another
    way (which the exact way must then read) or given a value the exact way reports."""

    def odd(normal, others):
        """`normal` most of the time, else one of `others`."""
        return normal if valid or draw(st.integers(0, 15)) else draw(st.sampled_from(others))

    def text() -> str:
        return draw(QUOTABLE if valid else odd(PLAIN_TEXT, [ODD_TEXT]))

    def written(value: str) -> str:
        return odd(f'"{value}"', [f"'{value}'", value, f'"{value}" ', f'"{value}" # c'])

    def date(dates=DATES) -> str:
        return draw(st.sampled_from(odd(dates, [ODD_DATES])))

    def block(key: str) -> list[str]:
        if key == "events":
            pairs = [
                [f"  - date: {date(EVENT_DATES)}", f"    what: {written(text())}"]
                for _ in range(draw(st.integers(0, 3)))
            ]
            return [line for pair in pairs for line in pair]
        return [odd("  - ", ITEMS) + written(text()) for _ in range(draw(st.integers(0, 3)))]

    keys = draw(st.lists(st.sampled_from(KEYS), max_size=8, unique=True))
    if not valid and not draw(st.integers(0, 7)):
        keys += draw(st.lists(st.sampled_from([*KEYS, "x", "sources"]), max_size=2))
    lines = []
    for key in ["title", "date", *keys]:
        if key == "date":
            lines.append(f"date: {date()}")
        elif key in ("countries", "officials", "issues", "events"):
            items = block(key)
            lines += [f"{key}:", *items] if items else [odd(f"{key}: []", [f"{key}:"])]
        elif key == "source":
            url = odd("https://a.example/x", ["HTTP://a", "ftp://a", "http://a b", ""])
            lines.append(f'source: {{name: "{text()}", url: "{url}"}}')
        elif key in ("slug", "status"):
            value = draw(st.sampled_from(["a-b", "x"] if key == "slug" else ["draft", "published"]))
            lines.append(f"{key}: {written(odd(value, ['A b', '', 'Draft']))}")
        else:
            lines.append(f"{key}: {written(text())}")
    return "\n".join(lines)


@PROFILE
@given(usual_fronts())
def test_usual_shapes_written_any_way_read_the_same_both_ways(front):
    read_both_ways(front)


@PROFILE
@given(usual_fronts(valid=True))
def test_usual_shapes_with_valid_values_are_read_without_nodes(front):
    fast, _ = read_both_ways(front)
    assert fast is not None
