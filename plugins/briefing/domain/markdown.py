"""Entry bodies: CommonMark + GFM pieces via markdown-it-py, sanitized, with mention links.

Raw HTML is allowed in CommonMark but passes through nh3 (ammonia): no scripts, no
event handlers, no `javascript:` URLs. Images from other hosts become plain links,
because the site makes no request to any other host.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "tt", "strike", "acronym", "map", "area"} | {"section"}
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
_ALIGN_CLASS = {"text-align:left": "align-left", "text-align:center": "align-center",
                "text-align:right": "align-right"}


def _is_local(url: str) -> bool:
    return not re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", url, re.IGNORECASE)


def _attribute_filter(tag: str, attribute: str, value: str):
    """Keep only local image sources: a remote one would be a request to another host."""
    if attribute in ("src", "srcset") and not _is_local(value):
        return None
    return value


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter, url_schemes=_URL_SCHEMES,
        clean_content_tags={"script", "style"},
    )


def _style_free_tables(state):
    """GFM alignment becomes a class, not a style attribute (the pages run under a strict CSP)."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            token.attrs["class"] = _ALIGN_CLASS.get(token.attrs.pop("style"), "")


def _remote_images_as_links(state):
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token in block.children:
            src = token.attrs.get("src", "") if token.type == "image" else ""
            if token.type == "image" and not _is_local(str(src)):
                link = Token("link_open", "a", 1, attrs={"href": src})
                text = Token("text", "", 0, content=token.content or str(src))
                children += [link, text, Token("link_close", "a", -1)]
            else:
                children.append(token)
        block.children = children


@dataclass(frozen=True)
class MentionTarget:
    """Names (canonical and aliases) that lead to one entity page."""

    url: str
    names: tuple[str, ...]
    ignore_case: bool = False


def _mention_pattern(targets) -> tuple[re.Pattern, dict] | None:
    by_name: dict[str, MentionTarget] = {}
    parts = []
    for target in targets:
        for name in target.names:
            key = name.casefold() if target.ignore_case else name
            if len(name) < 2 or key in by_name:
                continue
            by_name[key] = target
            escaped = re.escape(name)
            parts.append((len(name), f"(?i:{escaped})" if target.ignore_case else escaped))
    if not parts:
        return None
    parts.sort(key=lambda p: (-p[0], p[1]))
    alternation = "|".join(p for _, p in parts)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), by_name


def _link_mentions(state):
    """Link the first mention of each entity the entry names, outside links, code and headings."""
    found = _mention_pattern(state.env.get("mentions", ()))
    if found is None:
        return
    pattern, by_name = found
    linked: set[str] = set()
    in_heading = False
    for block in state.tokens:
        if block.type == "heading_open":
            in_heading = True
        elif block.type == "heading_close":
            in_heading = False
        if block.type != "inline" or in_heading or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type != "text" or depth > 0:
                children.append(token)
                continue
            children += _split_text(token.content, pattern, by_name, linked)
        block.children = children


def _split_text(text: str, pattern, by_name, linked: set) -> list[Token]:
    out, last = [], 0
    for match in pattern.finditer(text):
        word = match.group(0)
        target = by_name.get(word) or by_name.get(word.casefold())
        if target is None or target.url in linked:
            continue
        linked.add(target.url)
        if match.start() > last:
            out.append(Token("text", "", 0, content=text[last : match.start()]))
        out += [Token("link_open", "a", 1, attrs={"href": target.url, "class": "mention"}),
                Token("text", "", 0, content=word), Token("link_close", "a", -1)]
        last = match.end()
    if last == 0:
        return [Token("text", "", 0, content=text)]
    if last < len(text):
        out.append(Token("text", "", 0, content=text[last:]))
    return out


def make_md() -> MarkdownIt:
    """CommonMark with GFM tables, strikethrough, autolinks (linkify) and footnotes."""
    md = (
        MarkdownIt("commonmark", {"linkify": True, "typographer": False})
        .enable(["table", "strikethrough", "linkify"])
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=3)
    )
    md.core.ruler.push("style_free_tables", _style_free_tables)
    md.core.ruler.push("remote_images_as_links", _remote_images_as_links)
    md.core.ruler.push("link_mentions", _link_mentions)
    return md


@dataclass(frozen=True)
class RenderedBody:
    html: str
    first_paragraph: str  # plain text, the default summary
    text: str  # plain text of the whole body, for search


_MD: MarkdownIt | None = None


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


def render_markdown(source: str, mentions=()) -> RenderedBody:
    """HTML (sanitized when raw HTML is present), first paragraph and plain text."""
    global _MD
    if _MD is None:
        _MD = make_md()
    env = {"mentions": tuple(mentions)}
    tokens = _MD.parse(source, env)
    body = _MD.renderer.render(tokens, _MD.options, env)
    if any(t.type == "html_block" or (t.children and any(c.type == "html_inline" for c in t.children))
           for t in tokens):
        body = sanitize(body)
    first = ""
    texts = []
    for index, token in enumerate(tokens):
        if token.type == "inline":
            text = _inline_text(token)
            texts.append(text)
            if not first and index and tokens[index - 1].type == "paragraph_open":
                first = text
    return RenderedBody(body, first, "\n".join(t for t in texts if t))


def escape(text: str) -> str:
    return html.escape(text, quote=True)
