"""URLs as a browser reads them, for every check on a URL an editor wrote.

A host check on the raw text is bypassed by what browsers forgive: `/\\evil.example/a.png`,
`\\/evil.example`, `/<TAB>/evil.example` and `<U+0001>//evil.example` all load from
http://evil.example/. The WHATWG URL standard says why: before parsing, leading and trailing
C0 controls and spaces are stripped and every tab and newline removed, and in URLs of the
special schemes (http, https, ...) and in relative URLs against them, a backslash is a slash.
So checks run on `browser_url(url)`, never on the text as written.
"""

from __future__ import annotations

import functools
import re

SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_AND_NEWLINES = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def browser_url(url: str) -> str:
    """`url` as a browser has it before resolving: trimmed, without tabs and newlines, and
    with backslashes as slashes where the browser reads them so."""
    url = _TAB_AND_NEWLINES.sub("", url.strip(_C0_AND_SPACE))
    scheme = url_scheme(url)
    if scheme is None or scheme in SPECIAL_SCHEMES:
        url = url.replace("\\", "/")
    return url


def url_scheme(url: str) -> str | None:
    """The scheme of an already normalised URL, lower case; None for a relative URL."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def is_local(url: str) -> bool:
    """Whether a browser loads `url` from this site: relative, and not to another host (`//host`)."""
    url = browser_url(url)
    return url_scheme(url) is None and not url.startswith("//")


_NOT_IN_URL = re.compile(r'[\x00-\x20"<>\[\]\\^`{|}\x7f]|%(?![0-9A-Fa-f]{2})')


@functools.lru_cache(maxsize=1 << 16)
def link_target(url: str) -> str:
    """`url` with what no URL may hold (`<`, `"`, `{`, a 2nd `#`, `[]` past the host) %-encoded."""
    scheme, sep, rest = url.partition("://")
    host_end = next((i for i, ch in enumerate(rest) if ch in "/?#"), len(rest)) if sep else 0
    head, tail = (scheme + sep + rest[:host_end], rest[host_end:]) if sep else ("", url)
    path, hash_, fragment = tail.partition("#")
    tail = path + hash_ + fragment.replace("#", "%23")  # a fragment holds no second '#'
    return head + _NOT_IN_URL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), tail)
