"""Fixtures only (helpers live in tests/tools/): the site factory, the bundled site built once
and served, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from tools.browser import CHROMIUM, CHROMIUM_ARGS
from tools.previews import close_all
from tools.sites import ROOT, BuiltSite, build_in_process, write_files


@pytest.fixture(autouse=True)
def _previews_closed_nothing_left_frozen():
    """A test's previews are closed as it ends (their timers and threads would act in a later
    test), and what they froze between saves (build/collector.py; with every other test's garbage
    then alive) goes back to the collector, or the test process would keep it to the end."""
    yield
    close_all()
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site factory: files in ({path under the site root: text}), built site out.

    site({"content/briefings/a.md": entry("A", "2025-01-02")}, BRIEFING={...}) writes the files
    into a fresh folder, builds it in-process with real Pelican and returns a BuiltSite. It is
    session-scoped so that module-scoped fixtures can build once and share the result.
    """

    def make(files: dict[str, str], env: dict | None = None, **overrides) -> BuiltSite:
        root = write_files(tmp_path_factory.mktemp("site"), files)
        return build_in_process(root, env=env, **overrides)

    return make


@pytest.fixture(scope="session")
def open_site(site):
    """The small site of the open-data and email-digest tests (tools/open_site.py), built once."""
    from tools.open_site import FILES

    built = site(FILES)
    assert built.ok, built.stderr
    return built


@pytest.fixture
def site_dir(tmp_path):
    """A fresh folder to hold one small site (content/, pelicanconf.py, output/)."""
    return tmp_path / "site"


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The output folder of a build of the bundled content (content/), with this repo's settings."""
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "content", root / "content")
    built = build_in_process(root)
    assert built.ok, built.stderr
    return built.output


@pytest.fixture(scope="session")
def served_site(bundled_site):
    """Base URL of the bundled site served by the preview server (with the site's CSP header)."""
    import functools
    import http.server
    import threading

    from briefing.tools.file_server import PreviewHandler

    handler = functools.partial(PreviewHandler, directory=str(bundled_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make deps` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def printer(chromium):
    """A tab that renders pages as printed on A4 paper."""
    from tools.browser import PRINT_WIDTH

    context = chromium.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    tab = context.new_page()
    tab.emulate_media(media="print")
    yield tab
    context.close()


@pytest.fixture
def page(chromium):
    """A fresh browser page that records every request to a host other than 127.0.0.1."""
    context = chromium.new_context()
    tab = context.new_page()
    tab.foreign_requests = []
    tab.console_errors = []

    def on_request(request):
        from urllib.parse import urlparse

        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            tab.foreign_requests.append(request.url)

    tab.on("request", on_request)
    tab.on("console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()


def pytest_collection_modifyitems(config, items):
    """A test that drives Chromium must say so (`@pytest.mark.browser`), so that `make test-fast`
    (`-m "not browser and not slow and not bench"`) never needs a browser."""
    unmarked = [
        item.nodeid for item in items if "chromium" in item.fixturenames and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError("these tests use Chromium but are not marked browser: " + ", ".join(unmarked))
