"""The check's fast way through an entry (`read_entry(..., front_only=True)`): the same draft
but for the body and the bytes' hash, and the same diagnostics, as the exact way, for any file."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import PROFILE, YAML_SYNTAX, entry_bytes, structured_entries

from briefing.domain.frontmatter.entry import read_entry
from briefing.domain.frontmatter.source import Loader, plain_front

PATH = "content/briefings/case.md"
FRONT = 'title: "India and China"\ndate: 2025-06-12\ncountries: [India, China]'


def same_both_ways(raw: bytes) -> tuple:
    """(draft, diagnostic lines) of the fast way, asserted equal to the exact way's."""
    exact, exact_problems = read_entry(PATH, raw)
    fast, fast_problems = read_entry(PATH, raw, front_only=True)
    expected = None if exact is None else dataclasses.replace(exact, body="", source_hash="")
    assert fast == expected
    assert [p.gcc() for p in fast_problems] == [p.gcc() for p in exact_problems]
    return fast, [p.gcc() for p in fast_problems]


def test_a_plain_file_takes_the_fast_way_and_keeps_its_body_line():
    raw = f"---\n{FRONT}\n---\n\nBody.\n".encode()
    assert plain_front(raw) == (FRONT, 6)
    draft, problems = same_both_ways(raw)
    assert problems == []
    assert (draft.title, draft.body, draft.body_line, draft.source_hash) == ("India and China", "", 6, "")
    assert plain_front(f"---\n{FRONT}\n---\nCôte d'Ivoire’s “text”.\n".encode()) == (FRONT, 6)
    assert plain_front(f"---\n{FRONT}\n---\u00a0\nsummary: x\n---\nBody.\n".encode()) is None


def node_tree(node) -> tuple:
    """Everything of a YAML node the readers could see: kind, tag, value, style and marks."""
    marks = tuple((m.index, m.line, m.column) for m in (node.start_mark, node.end_mark))
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, node.flow_style, marks, [node_tree(n) for n in node.value])
    return ("map", node.tag, node.flow_style, marks, [(node_tree(k), node_tree(v)) for k, v in node.value])


def composed(text: str, loader) -> tuple:
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return ("error", str(exc))
    return None if node is None else node_tree(node)


@PROFILE
@given(st.one_of(YAML_SYNTAX, structured_entries().map(lambda raw: raw.decode("utf-8", "replace"))))
def test_the_loader_composes_what_pyyaml_composes(text):
    """source.Loader skips the resolver's per-node overhead; the nodes are PyYAML's own."""
    assert composed(text, Loader) == composed(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"---\n{FRONT}\n---\nA bell \x07 rings.\n".encode(), [f"{PATH}:6:8: warning: control character U+0007"]),
        (f"---\r\n{FRONT}\r\n---\r\nBody.\r\n".encode(), []),
        (f"\ufeff---\n{FRONT}\n---\nBody.\n".encode(), []),
        (f"---\n{FRONT}\n---\nCôte d'Ivoire.\n".encode(), []),
        (f"---\n{FRONT}\n--- \t\nBody.\n".encode(), []),
        (f"---\n{FRONT}\n...\nBody.\n".encode(), []),
        (f"---\n{FRONT}\n---".encode(), []),
        (f"---\n{FRONT}\n----\nBody.\n".encode(), [f"{PATH}:1:1: error: front matter is not closed"]),
        (f"---\n{FRONT}\nsummary: a\x1c\n---\nBody.\n".encode(), [f"{PATH}:5:11: error: control character U+001C"]),
        (f"---\n{FRONT}\n---\nA NUL \x00.\n".encode(), [f"{PATH}:6:1: error: the file contains a NUL character"]),
        (f"--- \n{FRONT}\n---\nBody.\n".encode(), []),
        (b"\n---\n", [f"{PATH}:1:1: error: no front matter"]),
        (f"---\n{FRONT}\n---\u00a0\nsummary: x\n---\nBody.\n".encode(), []),
        (
            f"---\n{FRONT}\n---\nA C1 \u0085 and a \ufeff.\n".encode(),
            [f"{PATH}:6:6: warning: control character U+0085"],
        ),
        (f"---\n{FRONT}\nsummary: \u2028\n---\nBody.\n".encode(), [f"{PATH}:5:10: error: invisible character U+2028"]),
        (f"---\n{FRONT}\n---\nNot UTF-8: \xff.\n".encode("latin-1"), [f"{PATH}:6:12: error: not valid UTF-8"]),
    ],
    ids=[
        "body-control",
        "crlf",
        "bom",
        "non-ascii",
        "closing-spaces",
        "dots",
        "no-body",
        "not-closed",
        "front-control",
        "nul",
        "first-line-space",
        "no-front-matter",
        "nbsp-fence",
        "c1-and-bom",
        "line-separator",
        "not-utf8",
    ],
)
def test_files_off_the_fast_way_read_as_before(raw, expected):
    _, problems = same_both_ways(raw)
    assert [p[: len(e)] for p, e in zip(problems, expected, strict=False)] == expected
    assert len(problems) >= len(expected)


@PROFILE
@given(YAML_SYNTAX, st.text(max_size=100))
def test_yaml_like_noise_reads_the_same_both_ways(front, body):
    same_both_ways(entry_bytes(front, body))


@PROFILE
@given(structured_entries())
def test_structured_front_matter_reads_the_same_both_ways(raw):
    same_both_ways(raw)


@pytest.mark.parametrize(
    ("character", "fast"),
    [
        ("\u0085", False),  # a C1 control
        ("\u2028", False),
        ("\u2029", False),
        ("\ufffe", False),
        ("\uffff", False),
        ("\ufeff", False),
        ("\u00a0", True),  # their neighbours in UTF-8 take the fast way
        ("\u2027", True),
        ("\u202a", True),
        ("\ufefe", True),
        ("\ufffd", True),
        ("\u2019", True),
    ],
)
def test_what_keeps_a_file_off_the_fast_way_anywhere_in_it(character, fast):
    for raw in (
        f"---\n{FRONT}\n---\nBody {character}.\n".encode(),
        f"---\ntitle: 'India {character}'\ndate: 2025-06-12\n---\nBody.\n".encode(),
    ):
        assert (plain_front(raw) is not None) == fast
        same_both_ways(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"---\na: 1\n...\nb: 2\n---\n", ("a: 1", 4)),  # '...' closes before a later '---'
        (b"---\na: 1\n---\nb: 2\n...\n", ("a: 1", 4)),
        (b"---\na: 1\n--- \t\nBody", ("a: 1", 4)),
        (b"---\na: 1\n---", ("a: 1", 4)),
        (b"---\n---\n", ("", 3)),
        (b"---\na: 1\n---x\n---\n", None),  # a line that starts '---' with more: the exact way
        (b"---\na: 1\n--\n", None),
    ],
)
def test_the_fast_way_closes_the_front_matter_where_the_exact_way_does(raw, expected):
    assert plain_front(raw) == expected
    same_both_ways(raw)
