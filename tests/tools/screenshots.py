"""`make screenshots`: a PNG of each page type of the built site, at phone (375 px) and
desktop (1280 px) widths, in light and dark mode, so a reviewer can look at the site
without serving it. Pages are served with the site's CSP, as `make serve` does.

usage: python tests/tools/screenshots.py [OUTPUT_DIR] [SCREENSHOTS_DIR]
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests")]

from briefing.tools.file_server import PreviewHandler  # noqa: E402
from tools.page_types import browser_urls, representative_pages  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")
MAX_HEIGHT = 8000  # px: the longest entity pages are cut here, which is enough to judge them


def take(output: Path, folder: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    pages = browser_urls(representative_pages(output))
    folder.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(PreviewHandler, directory=str(output))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
            )
            for scheme in SCHEMES:
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    tab = context.new_page()
                    for name, url in pages.items():
                        tab.goto(base + url, wait_until="networkidle")
                        height = min(MAX_HEIGHT, tab.evaluate("document.documentElement.scrollHeight"))
                        path = folder / f"{name}-{width}-{scheme}.png"
                        tab.screenshot(
                            path=str(path), clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True
                        )
                        written.append(path)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str]) -> int:
    output = Path(argv[1] if len(argv) > 1 else ROOT / "output")
    folder = Path(argv[2] if len(argv) > 2 else ROOT / "screenshots")
    if not (output / "index.html").is_file():
        print(f"{output}/index.html not found: build the site first (make html)", file=sys.stderr)
        return 1
    written = take(output, folder)
    print(f"{len(written)} screenshots in {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
