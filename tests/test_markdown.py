"""Entry bodies: CommonMark + GFM pieces, sanitized raw HTML, mention links."""

from __future__ import annotations

import pytest

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
