"""Shared helpers: whole sites written from dicts, built with real Pelican into tmp_path."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def entry(title: str, date: str, body: str = "Body text.", **keys) -> str:
    """An entry file's text from keyword front-matter values (already YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{k}: {v}" for k, v in keys.items()]
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


def settings_file(root: Path, **overrides) -> Path:
    """A pelicanconf for a site under `root`, using this project's theme and plugin."""
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text = text.replace('THEME = "themes/briefing"', f"THEME = {str(ROOT / 'themes' / 'briefing')!r}")
    text = text.replace('PLUGIN_PATHS = ["plugins"]', f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]")
    for key, value in overrides.items():
        text += f"\n{key} = {value!r}\n"
    path = root / "pelicanconf.py"
    path.write_text(text, encoding="utf-8")
    return path


def run_pelican(
    root: Path, output: str = "output", env: dict | None = None, **overrides
) -> subprocess.CompletedProcess:
    """`pelican content -s pelicanconf.py -o output`, as an editor runs it, in `root`."""
    settings_file(root, **overrides)
    return subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", output],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@dataclass
class BuiltSite:
    """One small site built in-process with real Pelican: its folder, exit status and stderr."""

    root: Path
    status: int
    stderr: str
    output_name: str = "output"

    @property
    def output(self) -> Path:
        return self.root / self.output_name

    @property
    def ok(self) -> bool:
        return self.status == 0

    def text(self, relative: str) -> str:
        """A built file's text, e.g. site.text("countries/india/index.html")."""
        return (self.output / relative).read_text(encoding="utf-8")

    def exists(self, relative: str) -> bool:
        return (self.output / relative).exists()


@contextlib.contextmanager
def _environment(env: dict | None):
    saved = {key: os.environ.get(key) for key in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_in_process(root: Path, output: str = "output", env: dict | None = None, **overrides) -> BuiltSite:
    """Build `root`/content with Pelican in this process (what `make html` does, minus the
    interpreter start-up); a refused build is status 1 with the diagnostics in stderr."""
    from pelican import Pelican
    from pelican.settings import read_settings

    conf = settings_file(root, **overrides)
    settings = read_settings(str(conf), override={"OUTPUT_PATH": str(root / output)})
    stderr, status = io.StringIO(), 0
    with _environment(env), contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            Pelican(settings).run()
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    return BuiltSite(root, status, stderr.getvalue(), output)


@pytest.fixture
def site(tmp_path):
    """The site factory: files in ({path under the site root: text}), built site out.

    site({"content/briefings/a.md": entry("A", "2025-01-02")}, BRIEFING={...}) writes the files
    into a fresh folder, builds it in-process with real Pelican and returns a BuiltSite.
    """
    made = iter(range(1_000_000))

    def make(files: dict[str, str], env: dict | None = None, **overrides) -> BuiltSite:
        root = write_files(tmp_path / f"site{next(made)}", files)
        return build_in_process(root, env=env, **overrides)

    return make


def item_text(li) -> str:
    """A timeline item's words (an lxml <li>) without an event's links (entries, source,
    permalink) and entity tags."""
    text = li.text_content()
    for span in li.xpath("span[@class='event-refs' or @class='event-tags']"):
        text = text.replace(span.text_content(), "")
    return " ".join(text.split())


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def site_dir(tmp_path):
    """A fresh folder to hold one small site (content/, pelicanconf.py, output/)."""
    return tmp_path / "site"


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- The bundled site, built once per test session, served on 127.0.0.1, seen in Chromium ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The output folder of a build of the bundled content (content/), with this repo's settings."""
    import shutil

    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "content", root / "content")
    result = run_pelican(root)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="session")
def served_site(bundled_site):
    """Base URL of the bundled site served by the preview server (with the site's CSP header)."""
    import functools
    import http.server
    import threading

    from briefing.tools.preview import PreviewHandler

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
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


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
