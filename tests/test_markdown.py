"""Entry bodies: CommonMark + GFM pieces, sanitized raw HTML, mention links."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.domain import mentions
from briefing.domain.markdown import render_markdown
from briefing.domain.mentions import MentionIndex, MentionTarget, _is_boundary, names_apart, names_in
from briefing.domain.resolve import _probe


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
    assert html("![Chart][c]\n\n[c]: https://example.org/chart.png") == out


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


def _every_name_at_every_place(text: str, targets) -> list[tuple[int, int, str]]:
    """The reference: at each place, every name tried (quadratic); the longest wins, linked
    or not, and the longer names of its entity that overlap it join it."""
    lowered = text.lower() if len(text.lower()) == len(text) else text
    names = [(n.strip(), t) for t in targets for n in t.names if len(n.strip()) >= 2]

    def longest(at):
        if not _is_boundary(text, at - 1):
            return None
        hits = [
            (at + len(n), t)
            for n, t in names
            if (lowered.startswith(n.lower(), at) if t.ignore_case else text.startswith(n, at))
            and _is_boundary(text, at + len(n))
        ]
        end = max((e for e, _ in hits), default=None)
        return end and (end, sorted({t.url for e, t in hits if e == end}))

    linked, links, pos = set(), [], 0
    while pos < len(text):
        found = longest(pos)
        if found is None:
            pos += 1
            continue
        end, urls = found
        url = next((u for u in urls if u not in linked), urls[0])
        inside = pos + 1
        while inside < end:
            joined = longest(inside)
            if joined and joined[0] > end and url in joined[1]:
                end = joined[0]
            inside += 1
        if url not in linked:
            linked.add(url)
            links.append((pos, end, url))
        pos = end
    return links


def test_a_target_s_names_as_matched_are_made_once_and_are_not_part_of_its_value():
    """Stripped, in lower case when any case matches, two characters at least, once each, in
    order; not in its repr (a cached body's key) nor in its equality (a kept target)."""
    target = MentionTarget("/issues/x/", (" Rare Earths ", "rare earths", "X", "REE"), ignore_case=True)
    assert target.matched == ("rare earths", "ree")
    assert MentionTarget("/countries/us/", ("US", "U", "us")).matched == ("US", "us")
    assert (
        repr(target)
        == "MentionTarget(url='/issues/x/', names=(' Rare Earths ', 'rare earths', 'X', 'REE'), ignore_case=True)"
    )
    assert target == MentionTarget("/issues/x/", (" Rare Earths ", "rare earths", "X", "REE"), ignore_case=True)
    assert _probe(target) == (True, ("rare earths", "ree"))


@pytest.mark.parametrize("few_names", [mentions.FEW_NAMES, -1], ids=["each name looked for", "a trie at every word"])
@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="Ab- .(G7)ẞßİ", max_size=60),  # İ: a lower case longer than the text
    st.lists(st.lists(st.text(alphabet="Ab- .(G7)", min_size=1, max_size=6), min_size=1, max_size=3), max_size=4),
)
def test_the_mention_index_links_what_trying_every_name_everywhere_links(few_names, text, name_lists):
    """Both ways of finding names: each name looked for (an entry's few), and the trie walked
    at every word start (many names, a hostile entry: FEW_NAMES -1 sends every index there)."""
    targets = [MentionTarget(f"/e{i}/", tuple(names), ignore_case=i % 2 == 1) for i, names in enumerate(name_lists)]
    usual, mentions.FEW_NAMES = mentions.FEW_NAMES, few_names
    try:
        index = MentionIndex(targets)
    finally:
        mentions.FEW_NAMES = usual
    assert index.tries == [] if few_names >= 0 else all(trie.root for trie in index.tries)
    linked: set[str] = set()
    links = []
    for start, end, target in index.mentions(text, linked):
        linked.add(target.url)
        links.append((start, end, target.url))
    assert links == _every_name_at_every_place(text, targets)


@st.composite
def text_and_its_names(draw) -> tuple[str, list[list[str]]]:
    """A text and lists of names, most of them cut from the text (at any place, word
    boundary or not), so that names are found, apart or overlapping."""
    text = draw(st.text(alphabet="Ab- .(G7)ẞßİ", max_size=60))
    name = st.text(alphabet="Ab- .(G7)", min_size=1, max_size=6)
    if len(text) >= 2:
        cut = st.tuples(st.integers(0, len(text) - 2), st.integers(2, 8)).map(lambda c: text[c[0] : c[0] + c[1]])
        name = st.one_of(name, cut, cut, cut.map(str.upper))
    return text, draw(st.lists(st.lists(name, min_size=1, max_size=3), max_size=4))


@settings(max_examples=600, deadline=None)
@given(text_and_its_names())
def test_names_found_apart_are_those_the_index_finds(drawn):
    """What an event's text names, found without an index (resolve._Names) when no two
    entities' names overlap there: what names_in finds; None only where two overlap."""
    text, name_lists = drawn
    targets = [MentionTarget(f"/e{i}/", tuple(names), ignore_case=i % 2 == 1) for i, names in enumerate(name_lists)]
    lowered = text.lower() if len(text.lower()) == len(text) else text
    apart = names_apart(text, lowered, {t.url: _probe(t) for t in targets})
    if apart is None:
        spans = [
            (at, at + len(name), target.url)
            for target in targets
            for name in _probe(target)[1]
            for at in range(len(text))
            if (lowered if target.ignore_case else text).startswith(name, at)
            and _is_boundary(text, at - 1)
            and _is_boundary(text, at + len(name))
        ]
        assert any(a[2] != b[2] and a[0] < b[1] and b[0] < a[1] for a in spans for b in spans)
    else:
        assert apart == names_in(text, targets)


def test_names_apart_leave_overlapping_names_to_the_index():
    probes = {t.url: _probe(t) for t in (MAGNETS, RARE_EARTHS)}
    text = "Curbs on rare earth magnets, then on rare earths."
    assert names_apart(text, text.lower(), probes) is None
    assert names_in(text, [MAGNETS, RARE_EARTHS]) == {"/issues/rare-earth-magnets/"}
    text = "Curbs on rare earth mining; magnets later."
    assert names_apart(text, text.lower(), probes) == {"/issues/rare-earths/"} == names_in(text, [MAGNETS, RARE_EARTHS])


def test_with_many_names_the_trie_is_walked_only_where_a_name_may_begin(monkeypatch):
    """A 2 MiB body has 300,000 word starts: only those whose first piece begins a name walk
    the trie ("Topic", then the two word starts inside the mention that _extend looks at)."""
    targets = [MentionTarget(f"/issues/t{n}/", (f"Topic {n:03d} question",)) for n in range(mentions.FEW_NAMES + 6)]
    index = MentionIndex(targets)
    walked = []
    ends = mentions._Trie.ends
    monkeypatch.setattr(mentions._Trie, "ends", lambda self, text, at: walked.append(at) or ends(self, text, at))
    text = "talks on trade, " * 1_000 + "Topic 007 question agreed."
    assert [(start, end, target.url) for start, end, target in index.mentions(text, set())] == [
        (16_000, 16_018, "/issues/t7/")
    ]
    assert walked == [16_000, 16_006, 16_010]


def test_no_character_changes_between_word_space_and_neither_in_lower_case():
    """What lets the trie's word starts be read in lower case (`MentionIndex._name_starts`)."""
    kind = lambda c: (c.isalnum() or c in "_-", c.isspace())  # noqa: E731  (re's \w and \s)
    changed = [
        hex(n) for n in range(sys.maxunicode + 1) if len(chr(n).lower()) == 1 and kind(chr(n)) != kind(chr(n).lower())
    ]
    assert changed == []


def test_a_name_refused_inside_a_word_is_looked_for_again_where_it_overlaps():
    """'b b' at 1 is inside the word 'Ab'; the one at 3 starts inside that refused place."""
    target = MentionTarget("/e/", ("b b",))
    assert list(MentionIndex([target]).mentions("Ab b b", set())) == [(3, 6, target)]


XI = MentionTarget("/officials/xi-jinping/", ("Xi Jinping", "Xi", "President Xi"))
MAGNETS = MentionTarget("/issues/rare-earth-magnets/", ("Rare earth magnets",), ignore_case=True)
RARE_EARTHS = MentionTarget("/issues/rare-earths/", ("Rare earth",), ignore_case=True)


def test_a_name_that_starts_with_an_alias_links_whole():
    target = MentionTarget("/officials/xi-jinping/", ("President Xi", "President Xi Jinping"))
    out = html("President Xi Jinping spoke.", [target])
    assert out == '<p><a href="/officials/xi-jinping/" class="mention">President Xi Jinping</a> spoke.</p>\n'


def test_an_alias_and_a_name_of_one_entity_that_overlap_link_as_one():
    out = html("Prime Minister Modi met President Xi Jinping in Kazan; Xi left.", [XI])
    assert out == (
        '<p>Prime Minister Modi met <a href="/officials/xi-jinping/" class="mention">President Xi Jinping</a>'
        " in Kazan; Xi left.</p>\n"
    )


def test_a_longer_name_of_another_entity_is_never_cut_short():
    out = html(
        "Rare earth magnets first. Then rare earth magnets again, and rare earth mining.", [MAGNETS, RARE_EARTHS]
    )
    assert out == (
        '<p><a href="/issues/rare-earth-magnets/" class="mention">Rare earth magnets</a> first. '
        "Then rare earth magnets again, and "
        '<a href="/issues/rare-earths/" class="mention">rare earth</a> mining.</p>\n'
    )


def test_a_shorter_name_of_another_entity_links_where_the_longer_one_starts_later():
    out = html("Rare earth mining, then rare earth magnets.", [MAGNETS, RARE_EARTHS])
    assert out == (
        '<p><a href="/issues/rare-earths/" class="mention">Rare earth</a> mining, then '
        '<a href="/issues/rare-earth-magnets/" class="mention">rare earth magnets</a>.</p>\n'
    )


def test_what_a_text_names_is_what_its_links_would_be():
    assert names_in("Curbs on rare earth magnets.", [MAGNETS, RARE_EARTHS]) == {"/issues/rare-earth-magnets/"}
    assert names_in("Rare earth magnets and rare earth mining.", [MAGNETS, RARE_EARTHS]) == {
        "/issues/rare-earth-magnets/",
        "/issues/rare-earths/",
    }


@pytest.mark.slow
def test_a_two_mebibyte_body_naming_hundreds_of_entities_links_each_once():
    """Issue 14, item 2: a 1.2 MB body naming 600 issues took 59 s to build (names² x text); its
    time is a `make bench` row (bench/RESULTS.md), this is what it must give."""
    targets = [
        MentionTarget(f"/issues/topic-{n}/", (f"Topic {n:03d}", f"T{n:03d}"), ignore_case=True) for n in range(600)
    ]
    never_named = [MentionTarget(f"/issues/other-{n}/", (f"Other {n:04d} topic",)) for n in range(1400)]
    paragraph = " ".join(f"On topic {n:03d} and some words that name nothing." for n in range(600))
    source = "\n\n".join([paragraph] * 70)
    assert len(source) > 1_900_000
    out = html(source, targets + never_named)  # the text is read to its end, once
    assert out.count('class="mention"') == 600
