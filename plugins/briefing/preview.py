"""Live preview: serve the output folder and rebuild when content, theme or plugins change.

Each rebuild is a fresh `pelican` process, so plugin code edits take effect; a failed
build prints its diagnostics and the last good site keeps being served (builds are atomic).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

# default-src 'self' and only tightenings of it: no inline script or style, no other host.
CSP = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
WATCHED = ("content", "themes", "plugins", "pelicanconf.py")


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's CSP, its own 404 page, and quiet logs."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            print(f"404 {self.path}", file=sys.stderr)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        pass


def build(content: Path, output: Path, settings: str) -> bool:
    result = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", settings, "-o", str(output)])
    return result.returncode == 0


def snapshot(roots) -> dict:
    state = {}
    for root in roots:
        path = Path(root)
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            state[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch_and_rebuild(content: Path, output: Path, settings: str, stop: threading.Event, interval: float = 0.3):
    roots = [r for r in (str(content), *WATCHED[1:]) if Path(r).exists()]
    seen = snapshot(roots)
    while not stop.wait(interval):
        now = snapshot(roots)
        if now != seen:
            seen = now
            started = time.monotonic()
            ok = build(content, output, settings)
            took = time.monotonic() - started
            print(f"{'Rebuilt' if ok else 'Build failed; still serving the last good site'} ({took:.1f} s)", file=sys.stderr)


def serve(content: Path, output: Path, settings: str, host: str, port: int, watch: bool = True) -> int:
    if not build(content, output, settings) and not output.is_dir():
        return 1
    handler = functools.partial(PreviewHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    stop = threading.Event()
    if watch:
        threading.Thread(target=watch_and_rebuild, args=(content, output, settings, stop), daemon=True).start()
    print(f"Serving {output}/ on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
    return 0
