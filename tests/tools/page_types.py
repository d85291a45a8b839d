"""One representative URL per page type of a built site, so every gate (HTML validity,
accessibility, CSP, screenshots) looks at the same pages. The richest page of each type
(the largest file) is chosen: it exercises the most of its template."""

from __future__ import annotations

import re
from pathlib import Path

# page type -> a pattern over the output-relative path of its index.html
PATTERNS = {
    "home": r"index\.html",
    "home-page-2": r"page/2/index\.html",
    "entry": r"briefings/\d{4}/[^/]+/index\.html",
    "country": r"countries/[^/]+/index\.html",
    "official": r"officials/[^/]+/index\.html",
    "issue": r"issues/[^/]+/index\.html",
    "entity-year": r"(?:countries|officials|issues)/[^/]+/\d{4}/index\.html",
    "relation": r"relations/[^/]+/index\.html",
    "relation-year": r"relations/[^/]+/\d{4}/index\.html",
    "digest": r"digests/\d{4}-w\d{2}/index\.html",
    "digest-month": r"digests/\d{4}-\d{2}/index\.html",
    "digest-email": r"digests/\d{4}-w\d{2}/email\.html",
    "digest-month-email": r"digests/\d{4}-\d{2}/email\.html",
    "countries-index": r"countries/index\.html",
    "officials-index": r"officials/index\.html",
    "issues-index": r"issues/index\.html",
    "relations-index": r"relations/index\.html",
    "digests-index": r"digests/index\.html",
    "events-year": r"events/\d{4}/index\.html",
    "events-index": r"events/index\.html",
    "search": r"search/index\.html",
    "data": r"data/index\.html",
    "calendar": r"calendar/index\.html",
    "about": r"about/index\.html",
    "404": r"404\.html",
}


def url_of(relative: str) -> str:
    """`a/b/index.html` -> `/a/b/`; other files keep their name."""
    return "/" + relative[: -len("index.html")] if relative.endswith("index.html") else "/" + relative


def representative_pages(output: Path) -> dict[str, str]:
    """{page type: URL} for every type the site has (a small site may lack page 2)."""
    files = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    chosen = {}
    for name, pattern in PATTERNS.items():
        matches = [f for f in files if re.fullmatch(pattern, f)]
        if matches:
            best = max(matches, key=lambda f: ((output / f).stat().st_size, f))
            chosen[name] = url_of(best)
    return chosen


def file_of(output: Path, url: str) -> Path:
    return output / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))


MISSING_URL = "/no/such/page/"  # served with 404.html and status 404 by the preview server


def browser_urls(pages: dict[str, str]) -> dict[str, str]:
    """The URLs to open in a browser: the 404 page is seen as a reader sees it, at a wrong address."""
    return {name: (MISSING_URL if name == "404" else url) for name, url in pages.items()}
