"""Print: entry, digest and entity pages printed to PDF by headless Chromium have no
navigation or search, show their sources' URLs, and cut no text off (every character of the
page's main text is in the PDF, and nothing is wider than the paper)."""

from __future__ import annotations

import functools
import http.server
import io
import threading
import unicodedata
from collections import Counter

import pypdf
import pytest
from tools.browser import PRINT_WIDTH
from tools.sites import entry

pytestmark = pytest.mark.browser

A4_MARGIN = "15mm"
LONG_SOURCE = "https://www.example.org/" + "very-long-path-segment-" * 8 + "end.htm"
LINK_IN_BODY = "https://example.org/a/very/long/link/target/path/that/goes/on/and/on/forever.html"
BODY = f"""\
Intro paragraph with a [link]({LINK_IN_BODY}) in it.

| Col A | Col B | Col C | Col D | Col E | Col F | Col G | Col H |
|---|---|---|---|---|---|---|---|
| {" | ".join(letter * 22 for letter in "abcdefgh")} |

```
a_very_long_line_of_code_that_does_not_wrap_at_all_because_it_is_code = some_function(argument_one, argument_two)
```

{"Supercalifragilisticexpialidocious" * 3} word.
"""

HIDDEN_IN_PRINT = (".site-header", ".site-nav", ".site-search", ".site-footer", ".skip-link", "nav.pagination")


def serve(directory):
    from briefing.tools.file_server import PreviewHandler

    handler = functools.partial(PreviewHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def awkward_site(site):
    """A small site whose entry has a wide table, a long code line, a long word and a long source URL."""
    built = site(
        {
            "content/briefings/a.md": entry(
                "Printable entry",
                "2025-06-12",
                body=BODY,
                countries="[India, China]",
                issues="[Trade]",
                events="\n  - date: 2025-06-01\n    what: Something happened",
                sources=f'\n  - {{name: Long source, url: "{LONG_SOURCE}"}}\n  - {{name: Short, url: "https://a.example/"}}',
            ),
            "content/briefings/b.md": entry("Second", "2025-06-11", countries="[India, China]", issues="[Trade]"),
        },
    )
    assert built.ok, built.stderr
    server = serve(built.output)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def characters(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def printed(printer, url: str) -> dict:
    """The page in print media: what is hidden, what overflows, its main text, and the PDF's text."""
    printer.goto(url)
    facts = printer.evaluate(
        """(hidden) => {
        const width = document.documentElement.clientWidth;
        const shown = hidden.filter(s => [...document.querySelectorAll(s)].some(e => e.checkVisibility()));
        const wide = [];
        for (const el of document.querySelectorAll('main *')) {
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > width + 1 || box.left < -1)) wide.push(`${el.tagName}.${el.className} ${box.left}-${box.right}`);
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') wide.push(`clipped ${el.tagName}.${el.className}`);
        }
        return {width, shown, wide, main: document.querySelector('main').innerText,
                sources: [...document.querySelectorAll('.source-url')].map(e => e.textContent),
                links: [...document.querySelectorAll('.body a[href^="http"]')].map(a => a.href)};
    }""",
        list(HIDDEN_IN_PRINT),
    )
    pdf = printer.pdf(format="A4", margin=dict.fromkeys(("top", "right", "bottom", "left"), A4_MARGIN))
    facts["pdf"] = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return facts


def assert_prints_well(facts):
    assert facts["width"] == PRINT_WIDTH
    assert facts["shown"] == [], "navigation, search or footer printed"
    assert facts["wide"] == [], "wider than the paper"
    assert characters(facts["main"]) - characters(facts["pdf"]) == Counter(), "text cut off in the PDF"
    for absent in ("Skip to content", "Search briefings", "Briefing Digest", "Atom feed"):
        assert absent not in facts["pdf"]
    assert "Countries Officials Issues Relations" not in " ".join(facts["pdf"].split())


def test_awkward_entry_prints_whole_with_source_urls(awkward_site, printer):
    facts = printed(printer, awkward_site + "/briefings/2025/printable-entry/")
    assert_prints_well(facts)
    assert facts["sources"] == [LONG_SOURCE, "https://a.example/"]
    pdf = squeeze(facts["pdf"])
    assert LONG_SOURCE in pdf and "https://a.example/" in pdf
    assert f"({LINK_IN_BODY})" in pdf  # links in the body print their URL too
    assert "h" * 22 in pdf  # the last column of the wide table is on the paper
    assert "some_function(argument_one,argument_two)" in pdf


@pytest.mark.parametrize("url", ["/countries/india/", "/digests/2025-w24/", "/issues/trade/"])
def test_awkward_site_entity_and_digest_pages_print_whole(awkward_site, printer, url):
    facts = printed(printer, awkward_site + url)
    assert_prints_well(facts)
    assert "Printable entry" in facts["pdf"] and "Second" in facts["pdf"]


def bundled_pages(bundled_site) -> list[str]:
    """An entry with a source, the newest digest and the country with the most entries."""
    entries = sorted(p for p in bundled_site.glob("briefings/*/*/index.html") if b"source-url" in p.read_bytes())
    digests = sorted(p.parent.name for p in bundled_site.glob("digests/*/index.html"))
    countries = sorted(bundled_site.glob("countries/*/index.html"), key=lambda p: (-p.stat().st_size, p))
    return ["/" + p.parent.relative_to(bundled_site).as_posix() + "/" for p in (entries[-1], countries[0])] + [
        f"/digests/{digests[-1]}/"
    ]


def test_bundled_entry_digest_and_entity_pages_print_whole(bundled_site, served_site, printer):
    pages = bundled_pages(bundled_site)
    assert [p.split("/")[1] for p in pages] == ["briefings", "countries", "digests"]
    for url in pages:
        facts = printed(printer, served_site + url)
        assert_prints_well(facts)
        if url.startswith("/briefings/"):
            assert facts["sources"] and all(squeeze(s) in squeeze(facts["pdf"]) for s in facts["sources"])
