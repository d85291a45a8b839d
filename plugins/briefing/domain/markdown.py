"""Entry bodies: CommonMark + GFM pieces via markdown-it-py, sanitized, with mention links.

Raw HTML is allowed in CommonMark but passes through nh3 (ammonia): no scripts, no
event handlers, no `javascript:` URLs. Images from other hosts become plain links,
because the site makes no request to any other host.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify as default_slug
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from .markdown_block import dispatch_block_rules
from .markdown_inline import dispatch_inline_rules
from .markdown_render import QuickRenderer
from .mentions import MentionIndex
from .urls import browser_url, is_local, url_scheme

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "tt", "strike", "acronym", "map", "area", "details", "summary"} | {
    "section"
}  # a <details> without <summary> is invalid; bodies need neither
_ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_ALIGN_CLASS = {"text-align:left": "align-left", "text-align:center": "align-center", "text-align:right": "align-right"}


SECTION_ID_PREFIX = "section-"  # body heading ids; the page's own ids never start with it


def _section_id(title: str) -> str:
    return SECTION_ID_PREFIX + default_slug(title)


def _attribute_filter(tag: str, attribute: str, value: str):
    """Keep only local image sources (a remote one would be a request to another host), links
    of the allowed schemes, each as the browser reads it (urls.py), and keep ids an editor
    writes in raw HTML away from the page's own ids (`main`...)."""
    if attribute in ("src", "srcset"):
        return browser_url(value) if is_local(value) else None
    if attribute in ("href", "cite"):
        url = browser_url(value)
        return url if url_scheme(url) in (None, *_URL_SCHEMES) else None
    if attribute == "id" and not value.startswith((SECTION_ID_PREFIX, "fn")):
        return SECTION_ID_PREFIX + value
    return value


# On nh3's output (attributes double-quoted, '>' in values escaped), so these cannot misparse.
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
_IMG_WITHOUT_ALT = re.compile(r'<img(?![^>]*\salt=")')


def sanitize(fragment: str) -> str:
    """Safe and valid HTML: a link whose URL was dropped keeps no `rel`, an image whose
    source was dropped goes, and an image without alt text gets an empty one."""
    clean = nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=_URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel=None,
    )
    return _IMG_WITHOUT_ALT.sub('<img alt=""', _IMG_WITHOUT_SRC.sub("", clean))


def _style_free_tables(state):
    """GFM alignment becomes a class, not a style attribute (the pages run under a strict CSP).
    Only where a table may be: its delimiter row has a `|`."""
    if "|" not in state.src:
        return
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            token.attrs["class"] = _ALIGN_CLASS.get(token.attrs.pop("style"), "")


def _remote_images_as_links(state):
    if "![" not in state.src:  # (every image, inline or by reference, starts so)
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token in block.children:
            src = token.attrs.get("src", "") if token.type == "image" else ""
            if token.type == "image" and not is_local(str(src)):
                link = Token("link_open", "a", 1, attrs={"href": src})
                text = Token("text", "", 0, content=token.content or str(src))
                children += [link, text, Token("link_close", "a", -1)]
            else:
                children.append(token)
        block.children = children


_LINK_DEPTH = {"link_open": 1, "link_close": -1}


def _linkable_texts(tokens) -> list[tuple[list[Token], int]]:
    """(an inline block's children, index) of each text that may link: outside links and headings."""
    found: list[tuple[list[Token], int]] = []
    in_heading = False
    for block in tokens:
        if block.type in ("heading_open", "heading_close"):
            in_heading = block.type == "heading_open"
        if block.type != "inline" or in_heading or not block.children:
            continue
        depth = 0
        for index, token in enumerate(block.children):
            depth += _LINK_DEPTH.get(token.type, 0)
            if token.type == "text" and depth == 0:
                found.append((block.children, index))
    return found


def _link_mentions(state):
    """Link the first mention of each entity the entry names, outside links, code and headings.
    The texts are searched as one, joined by newlines (no name spans a line), so the names are
    looked for once per body, not once per piece of text."""
    targets = list(state.env.get("mentions", ()))
    texts = _linkable_texts(state.tokens) if targets else []
    if not texts:
        return
    contents = [children[index].content for children, index in texts]
    offsets = list(itertools.accumulate((len(text) + 1 for text in contents), initial=0))
    found: dict[int, list] = {}
    linked: set[str] = set()
    for start, end, target in MentionIndex(targets).mentions("\n".join(contents), linked):
        linked.add(target.url)
        slot = bisect.bisect_right(offsets, start) - 1
        found.setdefault(slot, []).append((start - offsets[slot], end - offsets[slot], target))
    for slot in sorted(found, reverse=True):  # right to left: the indexes still to come stay valid
        children, index = texts[slot]
        children[index : index + 1] = _split_text(contents[slot], found[slot])


def _split_text(text: str, mentions: list) -> list[Token]:
    """A text token cut into text and mention links at (start, end, target) in `text`."""
    out, pos = [], 0
    for start, end, target in mentions:
        if start > pos:
            out.append(Token("text", "", 0, content=text[pos:start]))
        out += [
            Token("link_open", "a", 1, attrs={"href": target.url, "class": "mention"}),
            Token("text", "", 0, content=text[start:end]),
            Token("link_close", "a", -1),
        ]
        pos = end
    if pos < len(text):
        out.append(Token("text", "", 0, content=text[pos:]))
    return out


def make_md(quick: bool = True) -> MarkdownIt:
    """CommonMark with GFM tables, strikethrough, autolinks and footnotes; `quick`: its rules
    tried only where they can match (markdown_inline.py, markdown_block.py), its input
    normalized without a regex, the same tokens, and its HTML made by QuickRenderer."""
    md = (
        MarkdownIt("commonmark", renderer_cls=QuickRenderer if quick else RendererHTML)
        .enable(["table", "strikethrough"])
        .use(gfm_autolink_plugin)
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=3, slug_func=_section_id)
    )
    md.core.ruler.push("style_free_tables", _style_free_tables)
    md.core.ruler.push("remote_images_as_links", _remote_images_as_links)
    md.core.ruler.push("link_mentions", _link_mentions)
    if quick:
        md.core.ruler.at("normalize", normalize_quickly)
        dispatch_inline_rules(md)
        dispatch_block_rules(md)
    return md


def normalize_quickly(state) -> None:
    """markdown-it-py's `normalize` (CR LF and CR to LF, NUL to U+FFFD) by `str.replace`
    where there is anything to replace: its regex substitution visits every character (33 us
    a 4 kB body, against 1 us)."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


@dataclass(frozen=True)
class RenderedBody:
    html: str
    first_paragraph: str  # plain text, the default summary
    text: str  # plain text of the whole body, for search


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


_parser = functools.cache(make_md)  # one parser per process (each forked worker has its own)


def render_markdown(source: str, mentions=(), plain_text: bool = True) -> RenderedBody:
    """HTML (sanitized when raw HTML is present), first paragraph and plain text; without
    `plain_text` the text is "" (only search reads it: a build without search and without a
    cache to keep it for the next build makes none)."""
    md = _parser()
    env = {"mentions": tuple(mentions)}
    tokens = md.parse(source, env)
    body = md.renderer.render(tokens, md.options, env)
    if any(t.type == "html_block" or (t.children and any(c.type == "html_inline" for c in t.children)) for t in tokens):
        body = sanitize(body)
    first = ""
    texts = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and (plain_text or not first):
            text = _inline_text(token)
            texts.append(text)
            if not first and index and tokens[index - 1].type == "paragraph_open":
                first = text
    return RenderedBody(body, first, "\n".join(t for t in texts if t) if plain_text else "")
