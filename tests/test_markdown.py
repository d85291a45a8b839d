"""Entry bodies: CommonMark + GFM pieces, sanitized raw HTML, mention links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.domain.markdown import MentionTarget, render_markdown


def html(source: str, mentions=()) -> str:
    return render_markdown(source, mentions).html


def test_gfm_table_alignment_uses_classes_not_styles():
    out = html("| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    assert '<th class="align-left">a</th>' in out
    assert '<td class="align-right">2</td>' in out
    assert "style" not in out


def test_strikethrough_autolink_and_footnote():
    out = html("~~old~~ see www.example.org and note[^1]\n\n[^1]: The note.\n")
    assert "<s>old</s>" in out
    assert '<a href="http://www.example.org">www.example.org</a>' in out
    assert '<a href="#fn1" id="fnref1">[1]</a>' in out
    assert '<li id="fn1" class="footnote-item"><p>The note.' in out


def test_first_paragraph_is_plain_text():
    rendered = render_markdown("## Heading\n\nIndia *and* `China` met.\nAgain.\n\nSecond.\n")
    assert rendered.first_paragraph == "India and China met. Again."


VECTORS = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ("[x](javascript:alert(1))", 'href="javascript'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style="),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "data:"),
    ('<p title="x" onclick="alert(1)">x</p>', "onclick"),
    ('<object data="evil.swf"></object>', "<object"),
    ('<form action="https://evil.example/"><input name=x></form>', "<form"),
    ("<style>body{display:none}</style>", "<style"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<img src="https://tracker.example/pixel.gif" alt="t">', "tracker.example"),
]


@pytest.mark.parametrize("source,forbidden", VECTORS, ids=[v[1] + str(i) for i, v in enumerate(VECTORS)])
def test_raw_html_vectors_are_neutralised(source, forbidden):
    out = html(f"Intro.\n\n{source}\n\nMore text.\n")
    assert forbidden.lower() not in out.lower()
    assert "More text." in out


def test_remote_markdown_image_becomes_a_link():
    out = html("![Chart](https://example.org/chart.png)")
    assert out == '<p><a href="https://example.org/chart.png">Chart</a></p>\n'


def test_local_image_is_kept():
    out = html("![Map](/images/map.png)")
    assert out == '<p><img src="/images/map.png" alt="Map" /></p>\n'


INDIA = MentionTarget("/countries/india/", ("India", "Bharat"))
ISSUE = MentionTarget("/issues/rare-earth-export-controls/", ("Rare earth export controls",), ignore_case=True)


def test_only_the_first_mention_is_linked():
    out = html("India met. India again.", [INDIA])
    assert out == '<p><a href="/countries/india/" class="mention">India</a> met. India again.</p>\n'


def test_mentions_skip_headings_code_and_links():
    source = "## India\n\n`India` and [India](https://x.example) then India.\n"
    out = html(source, [INDIA])
    assert '<h2 id="section-india">India</h2>' in out
    assert "<code>India</code>" in out
    assert 'then <a href="/countries/india/" class="mention">India</a>.' in out


def test_alias_and_case_insensitive_issue_mention():
    out = html("Bharat spoke on rare earth export controls.", [INDIA, ISSUE])
    assert '<a href="/countries/india/" class="mention">Bharat</a>' in out
    assert '<a href="/issues/rare-earth-export-controls/" class="mention">rare earth export controls</a>' in out


def test_mentions_need_whole_words():
    assert "mention" not in html("Indian officials and Indiana.", [INDIA])


def test_body_ids_never_clash_with_the_page_ids():
    out = html('## Main\n\n<div id="main">x</div> <span id="fn9">y</span>\n')
    assert '<h2 id="section-main">Main</h2>' in out
    assert '<div id="section-main">' in out and 'id="fn9"' in out
    assert 'id="main"' not in out


# --- mention linking is one scan of the text (issue 14, item 2) ---


def _quadratic_find(text: str, pos: int, targets, linked: set):
    """The old search, kept as the reference: every name searched for in the rest of the text."""
    from briefing.domain.markdown import _is_boundary

    lowered = text.lower() if len(text.lower()) == len(text) else text
    names = sorted(
        {(n.lower() if t.ignore_case else n, t) for t in targets for n in t.names if len(n) >= 2},
        key=lambda pair: (-len(pair[0]), pair[0], pair[1].url),
    )
    best = None
    for name, target in names:
        if target.url in linked:
            continue
        haystack = lowered if target.ignore_case else text
        start = haystack.find(name, pos)
        while start != -1 and (best is None or start < best[0]):
            end = start + len(name)
            if _is_boundary(text, start - 1) and _is_boundary(text, end):
                best = (start, end, target)
                break
            start = haystack.find(name, start + 1)
    return best


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="Ab- .(G7)ẞß", max_size=60),
    st.lists(st.lists(st.text(alphabet="Ab- .(G7)", min_size=1, max_size=6), min_size=1, max_size=3), max_size=4),
    st.integers(0, 10),
)
def test_the_mention_index_finds_what_searching_every_name_finds(text, name_lists, pos):
    from briefing.domain.markdown import MentionIndex

    targets = [MentionTarget(f"/e{i}/", tuple(names), ignore_case=i % 2 == 1) for i, names in enumerate(name_lists)]
    lowered = text.lower() if len(text.lower()) == len(text) else text
    pos = min(pos, len(text))
    expected = _quadratic_find(text, pos, targets, set())
    if expected is not None and pos and not _boundary_at(text, pos):
        return  # the scan starts at word starts: a link always ends at a boundary, so pos never splits a word
    assert MentionIndex(targets).find(text, lowered, pos, set()) == expected


def _boundary_at(text: str, pos: int) -> bool:
    from briefing.domain.markdown import _is_boundary

    return _is_boundary(text, pos - 1) or _is_boundary(text, pos)


@pytest.mark.slow
def test_a_two_mebibyte_body_naming_hundreds_of_entities_links_each_once():
    """Issue 14, item 2: a 1.2 MB body naming 600 issues took 59 s to build (names² x text); its
    time is a `make bench` row (bench/RESULTS.md), this is what it must give."""
    targets = [
        MentionTarget(f"/issues/topic-{n}/", (f"Topic {n:03d}", f"T{n:03d}"), ignore_case=True) for n in range(600)
    ]
    paragraph = " ".join(f"On topic {n:03d} and some words that name nothing." for n in range(600))
    source = "\n\n".join([paragraph] * 70)
    assert len(source) > 1_900_000
    out = html(source, targets)
    assert out.count('class="mention"') == 600
