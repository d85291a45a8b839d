"""Search on a slow line: time to the first results of a one-word query, and the bytes it took.

    python bench/search_slow_line.py --bundled              # build content/ and measure it
    python bench/search_slow_line.py --n 10000              # the reference corpus (../shared/bench)
    python bench/search_slow_line.py --output DIR --word border --runs 5

Debian's Chromium (through Playwright) opens `/search/?q=WORD` on a line throttled through the
DevTools protocol (`Network.emulateNetworkConditions`: 1.6 Mbit/s down, 750 kbit/s up, 150 ms
round trip; the browser cache off), served from 127.0.0.1 by a static server (HTTP/1.1), twice:
as a plain host, and as a host that serves a file's `.gz` sibling to browsers that accept gzip
(as nginx's `gzip_static` does). It reports for each, as the median of `--runs` cold loads:
  first results: seconds from the search page's first byte (`responseStart`) until the first
                 result is in the page;
  bytes:         bytes received up to then (Resource Timing `transferSize`, headers included),
                 and requests made;
  all loaded:    seconds and bytes once the page is idle (every filter count drawn).
With --json it prints {label: figures} for bench/run.py (`make bench`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "bench"))

CHROMIUM = "/usr/bin/chromium"
DOWN_BYTES_PER_S = 1_600_000 / 8
UP_BYTES_PER_S = 750_000 / 8
ROUND_TRIP_MS = 150

# Installed before any page script: notes when the first search result enters the page.
WATCH_FIRST_RESULT = """
performance.setResourceTimingBufferSize(5000);
new MutationObserver((changes, observer) => {
  if (document.querySelector('#search-results .result')) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""

FIGURES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const all = [nav, ...performance.getEntriesByType('resource')];
  const until = (t) => all.filter((e) => e.responseEnd <= t);
  const bytes = (list) => list.reduce((sum, e) => sum + e.transferSize, 0);
  const first = window.__firstResult;
  const end = Math.max(...all.map((e) => e.responseEnd));
  return {
    first: first === undefined ? null : (first - nav.responseStart) / 1000,
    bytes_first: first === undefined ? null : bytes(until(first)),
    requests_first: first === undefined ? null : until(first).length,
    idle: (end - nav.responseStart) / 1000,
    bytes_all: bytes(all),
    requests_all: all.length,
    results: document.querySelectorAll('#search-results .result').length,
  };
}"""


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """A plain static host: keep-alive, nothing cached, optional precompressed `.gz` siblings."""

    protocol_version = "HTTP/1.1"
    gzip = False

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip and accepts and path.is_file() and packed.is_file()):
            return super().send_head()
        body = packed.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(packed.stat().st_size))
        self.end_headers()
        return body

    def log_message(self, format, *args):
        pass


def serve(output: Path, gzip: bool):
    handler = functools.partial(type("Handler", (StaticHandler,), {"gzip": gzip}), directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure_once(browser, base: str, word: str) -> dict:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.add_init_script(WATCH_FIRST_RESULT)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": ROUND_TRIP_MS,
                "downloadThroughput": DOWN_BYTES_PER_S,
                "uploadThroughput": UP_BYTES_PER_S,
            },
        )
        page.goto(f"{base}/search/?q={word}", wait_until="commit")
        page.wait_for_function("() => window.__firstResult !== undefined", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        return page.evaluate(FIGURES)
    finally:
        context.close()


def measure(output: Path, word: str, runs: int, gzip: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    server = serve(output, gzip)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
            )
            try:
                samples = [measure_once(browser, base, word) for _ in range(runs)]
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if any(s["first"] is None or s["results"] == 0 for s in samples):
        raise SystemExit(f"no results for {word!r}: {samples}")
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def build(site: Path, output: Path):
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(output)],
        check=False,
        cwd=site,
        env={**os.environ, "BRIEFING_CACHE": "off"},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stderr[-3000:]}")


def bundled_output(scratch: Path) -> Path:
    site = scratch / "bundled"
    shutil.copytree(ROOT / "content", site / "content")
    from run import our_settings

    our_settings(site)
    build(site, site / "output")
    return site / "output"


def corpus_output(n: int, scratch: Path) -> Path:
    from run import ensure_corpus, our_site

    site = our_site(ensure_corpus(n, "briefing"), scratch)
    build(site, site / "output")
    return site / "output"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--output", type=Path, help="a built site's output folder")
    where.add_argument("--bundled", action="store_true", help="build the bundled content/ and measure it")
    where.add_argument("--n", type=int, help="build the reference corpus of this many entries and measure it")
    parser.add_argument("--word", default="border", help="the one-word query (default: border)")
    parser.add_argument("--runs", type=int, default=3, help="cold loads; the median is reported (default: 3)")
    parser.add_argument("--json", action="store_true", help="print {label: figures} as JSON")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="slow-line-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        if args.output:
            output, label = args.output.resolve(), str(args.output)
        elif args.bundled:
            output, label = bundled_output(scratch), "bundled site"
        else:
            output, label = corpus_output(args.n, scratch), f"{args.n:,} entries"
        if not (output / "search" / "index.html").is_file():
            raise SystemExit(f"{output} has no search page: is it a built site?")
        rows = {
            f"{label}, q={args.word}{', gzip' if gzip else ''}": measure(output, args.word, args.runs, gzip)
            for gzip in (False, True)
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps(rows))
        return
    for label, figures in rows.items():
        print(
            f"{label}: first results {figures['first']:.2f} s after the first byte, "
            f"{figures['bytes_first'] / 1000:.0f} kB in {figures['requests_first']:.0f} requests; idle at "
            f"{figures['idle']:.2f} s, {figures['bytes_all'] / 1000:.0f} kB in {figures['requests_all']:.0f} requests"
        )


if __name__ == "__main__":
    main()
