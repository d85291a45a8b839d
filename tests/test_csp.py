"""A strict Content Security Policy: every page works served with `default-src 'self'`
(no inline script or style, no other host) in Chromium, with no CSP violation, console
error, script error, failed request or request elsewhere; `briefing serve` (what `make
serve` runs) logs no 404 for the site's own files; and the site has a real 404 page."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import subprocess
import sys
import threading

import pytest
from lxml import html
from tools.page_types import MISSING_URL, browser_urls, representative_pages
from tools.search_page import SEARCH_FAILED, search_status
from tools.sites import ROOT

from briefing.build.csp import CSP, EMAIL_CSP
from briefing.tools.file_server import PreviewHandler

# Collects violations before any page script runs (init scripts are not subject to the CSP).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""
ALLOWED_EXTRAS = {"'wasm-unsafe-eval'"}  # Pagefind's WebAssembly search, in script-src only


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def site_pages(output) -> list:
    """Every HTML page but the digests' email versions, which stand alone (their own policy)."""
    return [p for p in sorted(output.rglob("*.html")) if p.name != "email.html"]


def test_email_versions_carry_their_own_policy_and_load_nothing(bundled_site):
    """A digest's email.html: inline styles allowed, nothing else: no script, no other file."""
    emails = sorted(bundled_site.glob("digests/*/email.html"))
    assert len(emails) == len(list(bundled_site.glob("digests/*/index.html")))
    assert directives(EMAIL_CSP) == {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }
    for path in emails:
        tree = html.parse(str(path))
        assert tree.xpath('//head/meta[@http-equiv="Content-Security-Policy"]/@content') == [EMAIL_CSP], path
        assert not tree.xpath("//script | //style | //img | //iframe | //object | //form | //*[@src]"), path


def test_policy_is_default_self_with_only_tightenings():
    policy = directives(CSP)
    assert policy["default-src"] == ["'self'"]
    for name, sources in policy.items():
        extras = set(sources) - {"'self'", "'none'"}
        if name == "script-src":
            assert extras <= ALLOWED_EXTRAS, (name, extras)
            assert "'self'" in sources
        else:
            assert not extras, f"{name} loosens default-src 'self' with {extras}"
    assert policy.get("object-src") == ["'none'"]


def test_every_page_carries_the_policy_in_a_meta_tag(bundled_site):
    """Static hosts (GitHub Pages) send no headers, so each page states the policy itself."""
    pages = site_pages(bundled_site)
    assert len(pages) >= 140
    for path in pages:
        tree = html.parse(str(path))
        metas = tree.xpath('//head/meta[@http-equiv="Content-Security-Policy"]/@content')
        assert metas == [CSP], path
        head = tree.find("head")
        first_resource = next(i for i, el in enumerate(head) if el.tag in ("link", "script", "style"))
        assert head.index(tree.xpath("//head/meta[@http-equiv]")[0]) < first_resource, path


def test_no_inline_script_style_or_handler_in_any_page(bundled_site):
    """What the CSP would block is not written at all: the pages are clean without it."""
    for path in site_pages(bundled_site):
        tree = html.parse(str(path))
        assert not tree.xpath("//style | //*[@style]"), path
        for script in tree.xpath("//script"):
            assert script.get("src") or script.get("type") == "application/ld+json", (path, html.tostring(script)[:200])
        assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")], path
        for value in tree.xpath("//@href | //@src | //@action | //@srcset | //@formaction"):
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.IGNORECASE), (path, value)
        loaded = tree.xpath('//link[not(@rel="canonical" or @rel="alternate")]/@href | //*[@src]/@src')
        assert all(not re.match(r"\s*([a-z]+:)?//", v, re.IGNORECASE) for v in loaded), (path, loaded)


def _open(chromium, base: str, url: str, problems: list):
    context = chromium.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    tab = context.new_page()

    def on_console(message):
        expected = message.location.get("url", "").endswith(MISSING_URL) and "status of 404" in message.text
        if message.type in ("error", "warning") and not expected:
            problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))

    def on_response(response):
        if response.status >= 400 and not response.url.endswith(MISSING_URL):
            problems.append(f"{response.status} {response.url}")

    def on_request(request):
        if not request.url.startswith((base, "data:", "blob:")):
            problems.append(f"request to another host: {request.url}")

    tab.on("response", on_response)
    tab.on("request", on_request)
    response = tab.goto(base + url, wait_until="networkidle")
    return context, tab, response


@pytest.fixture(scope="module")
def pages(bundled_site):
    return browser_urls(representative_pages(bundled_site))


@pytest.mark.browser
@pytest.mark.parametrize(
    "page_type",
    [
        "home",
        "home-page-2",
        "entry",
        "country",
        "official",
        "issue",
        "entity-year",
        "relation",
        "relation-year",
        "digest",
        "digest-month",
        "digest-email",
        "digest-month-email",
        "countries-index",
        "officials-index",
        "issues-index",
        "relations-index",
        "digests-index",
        "search",
        "data",
        "calendar",
        "about",
        "404",
    ],
)
def test_page_works_under_the_policy(chromium, served_site, pages, page_type):
    problems: list[str] = []
    context, tab, response = _open(chromium, served_site, pages[page_type], problems)
    email = page_type.endswith("-email")  # stands alone: its own policy, styled inline
    try:
        assert response.headers["content-security-policy"] == (EMAIL_CSP if email else CSP)
        assert response.status == (404 if page_type == "404" else 200)
        assert tab.locator("h1").count() == 1
        violations = tab.evaluate("window.__violations")
        assert violations == [] and problems == [], violations + problems
        # Styles applied: the header is laid out by site.css (an email's column by its inline style).
        if email:
            assert tab.evaluate("getComputedStyle(document.querySelectorAll('table')[1]).maxWidth") == "600px"
        else:
            assert tab.evaluate("getComputedStyle(document.querySelector('.header-row')).display") == "flex"
    finally:
        context.close()


@pytest.mark.browser
def test_search_query_page_works_under_the_policy(chromium, served_site):
    """Search (Pagefind's script, worker and WebAssembly) runs a query under the policy."""
    problems: list[str] = []
    context, tab, response = _open(chromium, served_site, "/search/?q=India", problems)
    try:
        assert response.status == 200
        status = search_status(tab)
        assert not any(word in status.lower() for word in SEARCH_FAILED), status
        assert tab.locator("main li").count() > 0, "no search results drawn"
        assert tab.evaluate("window.__violations") == [] and problems == [], problems
    finally:
        context.close()


@pytest.mark.browser
def test_a_violation_is_caught(chromium, tmp_path):
    """The gate can fail: a page with an inline script and an inline style is reported."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title><style>p{color:red}</style></head>'
        '<body><p>x</p><script>document.title = "ran"</script></body></html>',
        encoding="utf-8",
    )
    handler = functools.partial(PreviewHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    problems: list[str] = []
    try:
        context, tab, _ = _open(chromium, f"http://127.0.0.1:{server.server_address[1]}", "/", problems)
        violations = tab.evaluate("window.__violations")
        title = tab.title()
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert title == "t"
    assert any(v.startswith("script-src-elem blocked inline") for v in violations), violations
    assert any(v.startswith("style-src-elem blocked inline") for v in violations), violations


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
def test_briefing_serve_logs_no_404_for_the_sites_own_files(chromium, tmp_path):
    """`make serve` runs `briefing serve`: browse it as a reader would and read its log."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    port = _free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "briefing"),
        "serve",
        "--no-watch",
        "--port",
        str(port),
        "--content",
        str(tmp_path / "content"),
        "--output",
        str(tmp_path / "output"),
        "--settings",
        str(ROOT / "pelicanconf.py"),
    ]
    if not (ROOT / ".venv" / "bin" / "briefing").exists():
        command[0:1] = [sys.executable, "-m", "briefing.tools.cli"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while not line.startswith("Serving") and server.poll() is None:
            line = server.stdout.readline()
        assert line.startswith("Serving"), server.poll()
        base = f"http://127.0.0.1:{port}"
        pages = browser_urls(representative_pages(tmp_path / "output"))
        problems: list[str] = []
        context = chromium.new_context()
        tab = context.new_page()
        tab.on(
            "response",
            lambda r: (
                problems.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith(MISSING_URL) else None
            ),
        )
        for url in pages.values():
            tab.goto(base + url, wait_until="networkidle")
        missing = tab.goto(base + MISSING_URL)
        assert missing.status == 404 and tab.locator("h1").inner_text() == "Page not found"
        context.close()
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    assert problems == []
    logged_404 = [line for line in log.splitlines() if line.startswith("404 ")]
    assert logged_404 and set(logged_404) == {f"404 {MISSING_URL}"}, log[-3000:]
