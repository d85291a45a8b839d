"""Live preview: serve the output folder and update it when content, theme or plugin code change.

The first build keeps the site in memory, and each save updates that model and rewrites
only the pages it changes (live_preview.py, build/live.py), so a save costs what it
changes, not a build. Plugin code cannot be
re-imported safely in a running process, so a change there re-executes the server: it
first checks that the new code imports, then hands its listening socket to the new
process, so the address never stops answering. A failed build prints its diagnostics and
the last good site keeps being served (builds are atomic, see output.py).
"""

from __future__ import annotations

import errno
import functools
import http.server
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..build.csp import CSP, EMAIL_CSP
from .live_preview import LivePreview, pelican_settings, say
from .watcher import ChangeWatcher

SERVE_FD_ENV = "BRIEFING_SERVE_FD"  # the listening socket handed to a restarted server
PLUGIN_DIR = Path(__file__).resolve().parent.parent  # the whole plugin: code changes restart the server


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's CSP, its own 404 page, and quiet logs."""

    def end_headers(self):
        # A digest's email.html stands alone, with inline styles and nothing fetched.
        email = self.path.split("?", 1)[0].split("#", 1)[0].endswith("/email.html")
        self.send_header("Content-Security-Policy", EMAIL_CSP if email else CSP)
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
            say(f"404 {self.path}")
            return
        super().send_error(code, message, explain)

    def send_head(self):
        """A path no file can have (`/%00`: a NUL byte) is a bad request: 400 and one log line,
        not a ValueError traceback and a dropped connection."""
        try:
            return super().send_head()
        except ValueError:
            say(f"400 {self.path}")
            self.send_error(400, "Bad request: the path cannot name a file")
            return None

    def log_message(self, format, *args):
        pass


class PreviewServer(http.server.ThreadingHTTPServer):
    """One line per request that fails unexpectedly, never a traceback; the server goes on."""

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        say(f"preview: could not answer {client_address[0]}: {error!r:.200}")


def site_roots(content: Path, settings: str) -> list[str]:
    """What the site is made of besides plugin code: content, the theme, the settings file."""
    roots = [str(content), settings]
    try:
        theme = pelican_settings(settings, content, Path("output")).get("THEME")
    except Exception:  # a broken settings file is reported by the build
        theme = None
    if theme and Path(theme).is_dir():
        roots.append(theme)
    return [r for r in roots if Path(r).exists()]


def new_code_imports() -> str | None:
    """None if the plugin code as it is now on disk imports; else the error to show."""
    check = subprocess.run(
        [sys.executable, "-c", "import briefing, briefing.tools.cli, briefing.build.plugin"],  # what register() loads
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return None if check.returncode == 0 else check.stderr.strip()


def restart(server: http.server.HTTPServer, argv: list[str]):
    """Replace this process with a fresh server on the same listening socket."""
    fd = server.socket.fileno()
    os.set_inheritable(fd, True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "briefing", *argv], {**os.environ, SERVE_FD_ENV: str(fd)})


def _server(host: str, port: int, output: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PreviewHandler, directory=str(output))
    inherited = os.environ.pop(SERVE_FD_ENV, None)
    if inherited is None:
        return PreviewServer((host, port), handler)
    server = PreviewServer((host, port), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=int(inherited))
    server.server_address = server.socket.getsockname()
    return server


def _listen_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another preview?): stop it, "
            f"or serve on another port: make serve PORT={port + 1}"
        )
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def _report(ok: bool, took: float, changed: list[str]):
    what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    if ok:
        say(f"Rebuilt in {took:.1f} s after a change to {what}; reload the page to see it")
    else:
        keep = "still serving the last good site"
        say(f"Build failed after a change to {what} ({took:.1f} s): fix the errors above; {keep}")


def watched_state(content: Path, settings: str) -> ChangeWatcher:
    """What the watcher compares against: taken before the first build, so that no change
    made while the server starts can go unseen."""
    return ChangeWatcher(site_roots(content, settings), PLUGIN_DIR)


def rebuild_on_change(preview: LivePreview, server, argv: list[str], stop: threading.Event, watcher: ChangeWatcher):
    """Update the site on every change to its files; restart on a change to plugin code."""
    for kind, changed in watcher.changes(stop):
        if kind == "code":
            problem = new_code_imports()
            if problem is None:
                print(f"Plugin code changed ({', '.join(changed[:3])}): restarting the preview", file=sys.stderr)
                restart(server, argv)
            print(
                f"Plugin code changed but does not import; still serving the last good site:\n{problem}",
                file=sys.stderr,
                flush=True,
            )
            continue
        started = time.monotonic()
        ok = preview.apply(changed)
        _report(ok, time.monotonic() - started, changed)
        preview.release()  # the replaced model freed after the line: every page is written


def serve(content: Path, output: Path, settings: str, host: str, port: int, watch_files: bool = True) -> int:
    from pelican.log import init as init_logging

    init_logging(logging.WARNING)
    argv = [
        "serve",
        "--content",
        str(content),
        "--output",
        str(output),
        "--settings",
        settings,
        "--host",
        host,
        "--port",
        str(port),
    ]
    try:
        server = _server(host, port, output)
    except OSError as error:
        print(f"briefing serve: error: {_listen_problem(error, host, port)}", file=sys.stderr)
        return 1
    watched = watched_state(content, settings) if watch_files else None
    preview = LivePreview(content, output, settings)
    if not preview.build():
        print(
            "The first build failed: fix the errors above"
            + ("; the preview rebuilds on every save." if watch_files else "."),
            file=sys.stderr,
            flush=True,
        )
        if not watch_files and not output.is_dir():
            server.server_close()
            return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output}/ on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    try:
        if watch_files:
            rebuild_on_change(preview, server, argv, stop, watched)
        else:
            stop.wait()
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    return 0
