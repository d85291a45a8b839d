"""Driving the search page in tests: waiting for its script, reading what it drew, serving a site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlencode

SEARCH_DONE = """() => { const s = document.querySelector('main [role=status]');
  return s && s.textContent.trim() && !/loading/i.test(s.textContent); }"""
SEARCH_FAILED = ("not available", "failed")  # what the status line says when search broke


def search_status(tab, timeout_ms: int = 15_000) -> str:
    """The status line once the query has run (or failed)."""
    tab.wait_for_function(SEARCH_DONE, timeout=timeout_ms)
    return tab.evaluate("document.querySelector('main [role=status]').textContent.trim()")


def wait_drawn(page):
    """Until the page has drawn the results of the state in its URL, and then their filter counts."""
    page.wait_for_function(
        "() => { const app = document.getElementById('search');"
        " return app.dataset.counted !== undefined && app.dataset.counted === location.search; }"
    )


def wait_results(page):
    """Until the results of the state in the URL are drawn (the filter counts may still be coming)."""
    page.wait_for_function(
        "() => { const app = document.getElementById('search');"
        " return app.dataset.searched !== undefined && app.dataset.searched === location.search; }"
    )


def search_url(base: str, **params) -> str:
    query = urlencode(
        [(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])]
    )
    return f"{base}/search/" + (f"?{query}" if query else "")


def open_search(page, base, **params) -> None:
    page.goto(search_url(base, **params))
    wait_drawn(page)


def drawn_titles(page, kind: str | None = None) -> list[str]:
    """The titles drawn so far, in order (of one kind of result: `entry`, `event` ...)."""
    selector = f".result-{kind} .result-title a" if kind else ".result-title a"
    return page.eval_on_selector_all(selector, "links => links.map(a => a.textContent)")


def shown_titles(page, kind: str | None = None) -> list[str]:
    """Every result's title (of one kind), in order, after asking for more until all are drawn."""
    while page.is_visible("#search-more"):
        page.click("#search-more")  # the URL says `shown=N` at once; the results follow
        wait_drawn(page)
    return drawn_titles(page, kind)


def facet_count(page, group: str, value: str) -> int:
    label = page.locator(f"#search-facets input[name='{group}'][value='{value}']").locator("xpath=..")
    return int(label.locator(".count").inner_text())


@contextlib.contextmanager
def serving(folder):
    """A built site's output folder served on 127.0.0.1 by the preview server; yields its base URL."""
    from briefing.tools.file_server import PreviewHandler

    handler = functools.partial(PreviewHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def bundle_inodes(output: Path) -> dict[str, int]:
    """{file: inode} of every search bundle's files: an edit shows which bundles it rewrote."""
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.glob("pagefind/*/**/*") if p.is_file()}


def rewritten_bundles(output: Path, before: dict[str, int]) -> set[str]:
    """The bundles (by name) with a file gone or replaced since `before`."""
    return {
        name.split("/")[1]
        for name, inode in before.items()
        if not (output / name).exists() or (output / name).stat().st_ino != inode
    }
