"""Issue 19: the open data, JSON-LD and search records encoded by orjson are the text the
standard library's encoder gave them, byte for byte."""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefing.compact_json import compact, compact_bytes, compact_sorted

PROFILE = settings(
    max_examples={"briefing-quick": 50, "briefing-fuzz": 5_000}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 300),
    derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "briefing-fuzz",
    deadline=None,
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # every character a content file can hold
SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | TEXT | TEXT.map(Markup)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner) | st.lists(inner).map(tuple) | st.dictionaries(TEXT, inner),
    max_leaves=30,
)


def _standard(value, sort_keys: bool = False) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)


@PROFILE
@given(VALUES)
def test_compact_json_is_the_standard_encoder_s_text(value):
    assert compact(value) == _standard(value)
    assert compact_bytes(value) == _standard(value).encode("utf-8")
    assert compact_sorted(value) == _standard(value, sort_keys=True)


def test_characters_that_need_escapes_are_escaped_as_the_standard_encoder_escapes_them():
    text = 'quote " backslash \\ controls \x00\x01\x1f\x7f\b\f\n\r\t, U+2028 \u2028, é, 😀, </script>'
    assert compact({"k": text}) == _standard({"k": text})
    assert (
        compact({"k": text})
        == '{"k":"quote \\" backslash \\\\ controls \\u0000\\u0001\\u001f\x7f\\b\\f\\n\\r\\t, U+2028 \u2028, é, 😀, </script>"}'
    )
