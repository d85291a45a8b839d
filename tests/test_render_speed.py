"""Issue 19, item 2: the cheaper rendering gives the same bytes.

markdown-it-py's inline rules tried only where they can match, its text runs ended at a `w`
only where `www.` starts, its marker-pairing rules run only where a text has their markers and
a link's address kept where it is already normal (domain/markdown_inline.py), its block rules
only where a block's first character lets them start (domain/markdown_block.py), its input
normalized without a regex (markdown.normalize_quickly) and its HTML made with fewer calls per
token (domain/markdown_render.py: each test below that compares rendered HTML covers it), Jinja calls without the pass-argument
checks and output escaping without a Markup per value (build/jinja_speed.py), every template
the pages name compiled before the workers fork (render.compile_templates), and the shared
fragments rendered once in a pool of their own before the page workers fork
(render.render_fragments); an email's text wrapped word by word (build/email.wrap) as textwrap
wraps it."""

from __future__ import annotations

import os
import sys
import textwrap
import weakref

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError, pass_context, pass_environment
from markdown_it.rules_block.lheading import lheading
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.normalize import normalize
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.state_inline import StateInline
from markupsafe import Markup, escape
from tools.open_site import FILES
from tools.sites import ROOT, tree_bytes

from briefing.build import render
from briefing.build.email import TEXT_WIDTH, wrap
from briefing.build.jinja_speed import output_escape, speed_up
from briefing.build.templating import SharedFragments
from briefing.domain import markdown_block, markdown_inline
from briefing.domain.markdown import make_md, normalize_quickly

PROFILE = settings(
    max_examples={"briefing-quick": 30, "briefing-fuzz": 5_000}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 150),
    derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "briefing-fuzz",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
DISPATCHING = make_md()
PLAIN = make_md(quick=False)  # markdown-it-py's own tokenizer and block rules


class Html:
    def __html__(self):
        return "<b>safe</b>"


@pytest.mark.parametrize(
    "value",
    ["plain", "<a href='x'>&\"</a>", "", Markup("<i>kept</i>"), 42, -7, True, None, 2.5, Html(), ["<x>"]],
)
def test_output_escape_gives_what_markupsafe_escape_gives(value):
    assert output_escape(value) == str(escape(value))


@pytest.mark.parametrize("fast", [True, False])
def test_calls_from_templates_pass_the_context_only_where_asked(fast):
    env = Environment(autoescape=True)

    @pass_context
    def page_of(context, suffix):
        return context["page"] + suffix

    @pass_environment
    def autoescaping(environment):
        return environment.autoescape

    env.globals.update(page_of=page_of, autoescaping=autoescaping, upper=str.upper, pair=lambda a, b="": a + b)
    if fast:
        speed_up(env)
    source = (
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{{ page_of('!') }} {{ autoescaping() }} {{ upper('<a>') }} {{ pair(*['x', 'y']) }} {{ pair('u', **{'b': 'v'}) }} "
        "{% for i in [1, 2] %}{{ twice(i) }}{{ page_of(i | string) }}{{ pair(b=i | string, a='.') }}{% endfor %}"
    )
    assert env.from_string(source).render(page="<p>") == (
        "&lt;p&gt;! True &lt;A&gt; xy uv 11&lt;p&gt;1.122&lt;p&gt;2.2"
    )


def _caller_name():
    return sys._getframe(1).f_code.co_name


def test_plain_callees_are_called_by_the_template_itself():
    """A global (looked up by identity), a plain callable passed in (checked) and a macro are
    called from the template's own code, not through `Context.call`; a global that raises
    StopIteration then stops the page, where Jinja's call would print nothing."""
    env = Environment(autoescape=True)

    @pass_context
    def page_of(context):
        return context["page"]

    env.globals.update(caller_name=_caller_name, stop=lambda: next(iter(())), page_of=page_of)
    speed_up(env)

    def passed():
        return sys._getframe(1).f_code.co_name

    source = "{{ caller_name() }} {{ passed() }} {% macro m() %}{{ caller_name() }}{% endmacro %}{{ m() }}"
    assert env.from_string(source).render(passed=passed) == "root root macro"
    assert env.direct_calls[id(_caller_name)] is _caller_name
    assert id(page_of) not in env.direct_calls  # it asks for the context: Context.call passes it
    assert env.from_string("{{ page_of() }}").render(page="<p>") == "&lt;p&gt;"
    with pytest.raises(RuntimeError, match="generator raised StopIteration"):
        env.from_string("{{ stop() }}").render()
    plain = Environment(autoescape=True)
    plain.globals.update(caller_name=_caller_name, stop=env.globals["stop"])
    assert plain.from_string("{{ caller_name() }} [{{ stop() }}]").render() == "call []"


def test_globals_installed_again_are_called_and_the_replaced_ones_let_go():
    """The preview installs a new site's helpers on the same environment: its templates, kept
    compiled, call the new ones and hold nothing of the old ones."""
    env = Environment(autoescape=True)

    def old_helper():
        return "old"

    env.globals["helper"] = old_helper
    speed_up(env)
    template = env.from_string("{{ helper() }}")
    assert template.render() == "old"
    replaced = weakref.ref(old_helper)
    env.globals["helper"] = lambda: "new"
    del old_helper
    speed_up(env)
    assert template.render() == "new"
    assert replaced() is None
    assert env.direct_calls[id(env.globals["helper"])] is env.globals["helper"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_run_of_output_is_yielded_as_one_string(fast):
    """Parts between two tags joined (text, values, a tuple), one part as it is; the page the same."""
    env = Environment(autoescape=True)
    if fast:
        speed_up(env)
    template = env.from_string(
        "{% for x in xs %}<li>{{ x }}-{{ (x,) }}</li>{% endfor %}{% if xs %}{{ xs | length }}{% endif %}"
        "{% if xs %}only,{% endif %}"
    )
    parts = list(template.root_render_func(template.new_context({"xs": ["<a>", "b"]})))
    first, second = (
        ["<li>", "&lt;a&gt;", "-", "(&#39;&lt;a&gt;&#39;,)", "</li>"],
        ["<li>", "b", "-", "(&#39;b&#39;,)", "</li>"],
    )
    if fast:
        assert parts == ["".join(first), "".join(second), "2", "only,"]
    else:
        assert parts == [*first, *second, "2", "only,"]


class Holder:
    """An object with an attribute, a property that fails, and items."""

    title = "<T>"

    @property
    def broken(self):
        raise AttributeError("inside the property")

    def __getitem__(self, key):
        return f"item {key}"


@pytest.mark.parametrize("fast", [True, False])
def test_attributes_in_templates_are_found_as_jinja_finds_them(fast):
    """`x.y`: the attribute, else the item `y`, else undefined (empty here, an error when
    strict), inside macros, loop conditions and call blocks too."""
    env = Environment(autoescape=True)
    if fast:
        speed_up(env)
    source = (
        "{% macro m(o) %}[{{ o.title }}|{{ caller() if caller else '' }}]{% endmacro %}"
        "{{ h.title }} {{ h.broken }} {{ h.nothing }} {{ d.key }} {{ d.items is defined }} {{ n.x }}"
        " {{ d.inner.deep }} {{ m(h) }}{% call m(d.inner) %}{{ d.key }}{% endcall %}"
        "{% for o in objects if o.title %}({{ o.title }}){% endfor %}{% set t = h.title %}{{ t }}"
    )
    assert ("is not missing else environment.getattr(" in env.compile("{{ h.title }}", raw=True)) is fast
    objects = [Holder(), {"title": ""}, {"title": "kept"}]
    assert env.from_string(source).render(
        h=Holder(), d={"key": "K", "inner": {"deep": 1}}, n=None, objects=objects
    ) == ("&lt;T&gt; item broken item nothing K True  1 [&lt;T&gt;|][|K](&lt;T&gt;)(kept)&lt;T&gt;")
    strict = Environment(autoescape=True, undefined=StrictUndefined)
    if fast:
        speed_up(strict)
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        strict.from_string("{{ d.missing }}").render(d={})


def test_the_templates_a_page_template_names_are_compiled_before_the_workers_fork():
    """Bases, imports and includes too (literal names, followed through each other); an
    `ignore missing` include of no template, and templates nothing names, are left alone."""
    env = Environment(
        loader=DictLoader(
            {
                "page.html": '{% extends "base.html" %}{% from "m.html" import x %}'
                "{% include 'gone.html' ignore missing %}",
                "base.html": "{%- include 'inc.html' -%}",
                "m.html": '{% macro x() %}{% import "deep.html" as d %}{% endmacro %}',
                "inc.html": "",
                "deep.html": "",
                "unused.html": "",
            }
        )
    )
    page = type("Spec", (), {"template": "page.html"})
    render.compile_templates(env, [page])
    assert {name for _, name in env.cache} == {"page.html", "base.html", "m.html", "inc.html", "deep.html"}


def test_a_worker_looks_templates_up_in_a_dict_and_renders_them_as_before():
    """Its cache a dict holding the same compiled templates, their globals one dict each: a
    page renders the same, and a template not compiled before the fork is still found."""
    env = Environment(loader=DictLoader({"page.html": "{{ greet }} {% include 'inc.html' %}", "inc.html": "{{ n }}"}))
    env.globals.update(greet="hello", n=1)
    page = env.get_template("page.html")
    render._ready_in_worker(env)
    assert type(env.cache) is dict and list(env.cache.values()) == [page]
    assert type(page.globals) is dict and page.globals["greet"] == "hello"
    assert env.get_template("page.html") is page
    assert page.render() == "hello 1"
    assert len(env.cache) == 2


def test_pages_rendered_by_two_workers_equal_one_process(site, monkeypatch):
    """Two workers (the shared fragments rendered in a pool of their own first, in parts, each
    sent back as plain strings once rendered and made Markup again) write the same bytes as one
    process rendering everything in turn. A worker sends each card and line once, with the
    part that rendered it, not again with its later parts."""
    pools: list[int] = []
    original = render.render_fragments
    monkeypatch.setattr(render, "render_fragments", lambda *args: pools.append(len(args[1])) or original(*args))
    sent: list[type] = []
    kept: list[type] = []
    absorb = SharedFragments.absorb

    cards_and_lines: list[str] = []
    parts: list[int] = []  # how many fragments each part sent

    def absorbed(fragments, caches):
        parts.append(sum(map(len, caches)))
        sent.extend(type(html) for cache in caches for html in cache.values())
        cards_and_lines.extend([*caches[1], *caches[3]])
        absorb(fragments, caches)
        kept.extend(type(html) for cache in fragments.caches() for html in cache.values())

    monkeypatch.setattr(SharedFragments, "absorb", absorbed)
    one = site(FILES, BRIEFING={"workers": 1})
    two = site(FILES, BRIEFING={"workers": 2})
    assert one.ok and two.ok, one.stderr + two.stderr
    assert len(pools) == 1
    assert sent and set(sent) == {str}
    entries = list((one.output / "briefings").glob("*/*/index.html"))
    assert len(cards_and_lines) == 2 * len(set(cards_and_lines)) == 2 * len(entries)
    assert len(parts) == 2 * render.FRAGMENT_RUNS_PER_WORKER
    assert len(kept) >= len(sent) and set(kept) == {Markup}
    first, second = tree_bytes(one.output), tree_bytes(two.output)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# --- markdown-it-py's inline rules chosen by character (domain/markdown_inline.py) ---

MARKDOWN_PIECES = [
    "www.example.org",
    "awww.b.org",
    "wwww.c.org",
    "www.",
    "w",
    "http://a.example/x?y=1",
    "mailto:a@b.org",
    "a@b.org",
    "with w",
    "ww w.",
    "*em*",
    "**strong**",
    "_u_",
    "~~del~~",
    "`code`",
    "``a`b``",
    "[link](/x)",
    "[a](https://x.example/a_b?c=d#e)",
    "[h](https://Ex.org/\u00e9%)",
    "[p](http://a.b:8/x@y)",
    "<https://x.org/a>",
    "![i](https://x.example/i.png)",
    "[ref]",
    "[^1]",
    "^[inline note]",
    "![img](/i.png)",
    "<http://x.org>",
    "<b>html</b>",
    "&amp;",
    "&#33;",
    "\\*",
    "\n",
    "  \n",
    "India",
    "Wang Yi",
    ":",
    "@",
    "!",
    "<",
    "&",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "é",
    " ",
]


def _tokens(md, text):
    return [token.as_dict() for token in md.parse(text)]  # every field, line maps and children included


@settings(PROFILE)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=6), max_size=30))
def test_inline_rules_chosen_by_character_give_markdown_it_pys_tokens(pieces):
    text = "".join(pieces) + "\n\n[^1]: a note\n\n[ref]: /r\n"
    assert _tokens(DISPATCHING, text) == _tokens(PLAIN, text)
    assert DISPATCHING.render(text) == PLAIN.render(text)


LONG_HOST = "https://" + "ab." * 86 + "org/x"  # a host of 261 characters: mdurl drops it


@settings(PROFILE)
@given(
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "//", ""]),
    st.sampled_from(
        ["example.org", "a-b.c0", "Ex.org", "x", "-.y", "a..b", "\u00e9.org", "a" * 64 + ".org", "", LONG_HOST[8:]]
    ),
    st.lists(st.sampled_from([*"aZ09._~/?=&#+,;!$'()*-", "%", "%41", "%zz", *'@:[] \u00e9\\"<>^`{|}']), max_size=8),
)
@example("https://", "example.org", ["1", "0", "%"])
@example("http://", "example.org", ["x", "@", "y"])
@example("http://", "example.org", [":", "8"])
def test_a_link_address_is_normalized_as_markdown_it_py_normalizes_it(scheme, host, pieces):
    path = "".join(pieces)
    for url in (scheme + host + "/" + path, scheme + host + path):
        assert DISPATCHING.normalizeLink(url) == PLAIN.normalizeLink(url)


@pytest.mark.parametrize("url", ["https://example.org/2015/iceland-07072", "http://a.b", "https://x.y/a(b)?c=d&e=f#g"])
def test_a_link_address_already_normal_is_kept_without_mdurl(url, monkeypatch):
    def unwanted(*args, **kwargs):
        raise AssertionError("parsed by mdurl")

    monkeypatch.setattr("markdown_it.common.normalize_url.mdurl.parse", unwanted)
    assert DISPATCHING.normalizeLink(url) == url
    with pytest.raises(AssertionError):
        DISPATCHING.normalizeLink(LONG_HOST)  # (what mdurl changes goes through it)


def test_the_marker_pairing_rules_run_only_where_a_text_has_their_markers():
    names = DISPATCHING.inline.ruler2.get_active_rules()
    wrapped = [rule.__name__ for rule in DISPATCHING.inline.ruler2.getRules("")]
    assert dict(zip(names, wrapped, strict=True)) == {
        "balance_pairs": "post_process_where_marked",
        "strikethrough": "post_process_where_marked",
        "emphasis": "post_process_where_marked",
        "fragments_join": "fragments_join",
    }
    seen: list = []
    post = markdown_inline._where_marked(seen.append, "*_")
    for text in ("plain ~~words~~", "a*b", "snake_case"):
        post(StateInline(text, PLAIN, {}, []))
    assert [state.src for state in seen] == ["a*b", "snake_case"]


def test_the_text_rule_ends_a_run_at_a_w_only_where_www_starts():
    text = DISPATCHING.inline.ruler.getRules("")[0]
    state = StateInline("wow, a www.b.org and w", DISPATCHING, {}, [])
    assert text(state, False) and (state.pos, state.pending) == (7, "wow, a ")
    state.pos, state.pending = 8, ""
    assert text(state, False) and (state.pos, state.pending) == (22, "ww.b.org and w")


@pytest.mark.parametrize(
    ("text", "quick"),
    [
        ("Plain prose, with commas (and brackets) - dashes; 2 + 2 = 4 and \u00e9t\u00e9 % ok.", True),
        ("wow, a w and ww and wwww", True),
        ("a www.example.org site", False),
        ("a *word*", False),
        ("a [link](/x)", False),
        ("two\nlines", False),
        ("a:b", False),
        ("a@b.org", False),
        ("&amp;", False),
        ("x^y", False),
        ("", False),
    ],
)
def test_a_text_no_inline_rule_can_match_is_one_text_token_made_without_the_parser(text, quick, monkeypatch):
    """A paragraph, item or cell without any character an inline rule starts at is made one text
    token without a parser state or its post-processing rules; the tokens are markdown-it-py's."""
    parsed: list[str] = []
    monkeypatch.setattr(DISPATCHING.inline, "tokenize", lambda state: parsed.append(state.src))
    children: list = []
    DISPATCHING.inline.parse(text, DISPATCHING, {}, children)
    assert parsed == ([] if quick else [text])
    monkeypatch.undo()
    assert _tokens(DISPATCHING, f"{text}\n\n- {text}\n\n| h |\n| - |\n| {text} |\n") == _tokens(
        PLAIN, f"{text}\n\n- {text}\n\n| h |\n| - |\n| {text} |\n"
    )


@settings(PROFILE)
@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", "\n\r", "\0", "a", " ", "# h", "\ufffd"]), max_size=30))
def test_line_endings_and_nuls_are_normalized_as_markdown_it_py_normalizes_them(pieces):
    text = "".join(pieces)
    quick, plain = StateCore(text, PLAIN, {}), StateCore(text, PLAIN, {})
    normalize_quickly(quick)
    normalize(plain)
    assert quick.src == plain.src
    assert _tokens(DISPATCHING, text) == _tokens(PLAIN, text)


BLOCK_STARTS = ["", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "2) ", "10. ", "# ", "## ", "#", "```", "~~~"]
BLOCK_STARTS += ["---", "***", "___", "===", "| a | b |", "|---|---|", "[ref]: /r", "[^n]: note", "[x]", "<div>"]
BLOCK_STARTS += ["</div>", "<!-- c -->", "    code", "\tcode"]
EVERY_BLOCK = "# H\n\n> q\n\n- a\n- b\n\n1. c\n\n---\n\n```\nf\n```\n\n~~~\ng\n~~~\n\n<div>\nh\n</div>\n\n[r]: /r\n\nS[^n] [r]\n\n[^n]: n\n\nT\n===\n"


@settings(PROFILE)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", " ", "  ", "   ", "    "]), st.sampled_from(BLOCK_STARTS), st.text(max_size=4)),
        max_size=30,
    )
)
def test_block_rules_asked_at_their_markers_give_markdown_it_pys_tokens(lines):
    text = "\n".join(indent + start + rest for indent, start, rest in lines)
    assert _tokens(DISPATCHING, text) == _tokens(PLAIN, text)
    assert DISPATCHING.render(text) == PLAIN.render(text)


def test_every_guarded_block_rule_still_matches():
    tokens = {token.type for token in DISPATCHING.parse(EVERY_BLOCK)}
    assert {"heading_open", "blockquote_open", "bullet_list_open", "ordered_list_open", "hr", "fence"} <= tokens
    assert {"html_block", "footnote_block_open", "footnote_ref"} <= {
        t.type for t in DISPATCHING.parse(EVERY_BLOCK) for t in [t, *(t.children or ())]
    }
    assert _tokens(DISPATCHING, EVERY_BLOCK) == _tokens(PLAIN, EVERY_BLOCK)


@pytest.mark.parametrize("text", ["a\n\nb", "a", "a\n", "    code\n\nb", "a\n===\n", "a\nb\n---", "  a\n\n\n"])
def test_lheading_asked_only_with_a_next_line_leaves_what_lheading_leaves(text):
    """Where the wrapper does not call it (a block's last line), `lheading` itself returns False
    and leaves the parent type as "paragraph" (not as it found it), unless the line is code."""
    quickly = markdown_block._with_a_next_line(lheading)
    asked = StateBlock(text, PLAIN, {}, [])
    for line in range(asked.lineMax):
        for parent in ("root", "list"):
            one, two = StateBlock(text, PLAIN, {}, []), StateBlock(text, PLAIN, {}, [])
            one.parentType = two.parentType = parent
            assert quickly(one, line, one.lineMax, False) == lheading(two, line, two.lineMax, False)
            assert (one.parentType, one.line, one.tokens) == (two.parentType, two.line, two.tokens)


def test_the_bodies_of_the_bundled_content_parse_as_markdown_it_py_parses_them():
    bodies = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    assert len(bodies) > 5
    for body in bodies:
        assert _tokens(DISPATCHING, body) == _tokens(PLAIN, body)


WORDS = st.text(alphabet="ab-\u00e9\u4e2d.\u200b", min_size=1, max_size=80)
GAPS = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003 "])


@settings(PROFILE)
@given(st.lists(st.tuples(WORDS, GAPS), max_size=40), st.sampled_from(["", "  "]))
def test_an_email_s_text_is_wrapped_as_textwrap_wraps_it(words, indent):
    text = "".join(word + gap for word, gap in words)
    expected = textwrap.fill(
        " ".join(text.split()),
        TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert wrap.__wrapped__(text, indent) == expected


def test_a_word_longer_than_a_line_stands_alone_and_nothing_is_cut():
    long = "x" * (TEXT_WIDTH + 3)
    assert wrap.__wrapped__(f"a {long} b c", "  ") == f"  a\n  {long}\n  b c"
    assert wrap.__wrapped__("a " * 40) == ("a " * 36).strip() + "\n" + ("a " * 4).strip()
