"""Issue 19, item 2 (third part): the full build's cheaper paths give the same bytes.

The bodies' plain text (only search reads it) is not made when search is off and no cache
keeps it."""

from __future__ import annotations

from briefing.domain.cache import BuildCache
from briefing.domain.loader import render_bodies
from briefing.domain.markdown import render_markdown

BODY = "## Heading\n\nIndia *and* `China` met.\nAgain.\n\n- a list\n- of two\n\n> Quoted.\n"


def test_without_plain_text_the_html_and_first_paragraph_are_the_same_and_the_text_is_empty():
    full, short = render_markdown(BODY), render_markdown(BODY, (), plain_text=False)
    assert full.text == "Heading\nIndia and China met. Again.\na list\nof two\nQuoted."
    assert (short.html, short.first_paragraph, short.text) == (full.html, "India and China met. Again.", "")


def test_a_body_a_cache_keeps_has_its_text_even_when_this_build_needs_none():
    cache = BuildCache(None)
    [kept] = render_bodies([(BODY, ())], 1, cache, plain_text=False)
    assert kept.text == "Heading\nIndia and China met. Again.\na list\nof two\nQuoted."
    [plain] = render_bodies([(BODY, ())], 1, None, plain_text=False)
    assert plain.text == ""
