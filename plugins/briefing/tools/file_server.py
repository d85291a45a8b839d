"""The live preview's static file server, in a process of its own.

The preview's main process holds the site's model and updates it on every save: 2 s of
Python at 10,000 entries after a front-matter edit. Served from a thread of that process,
each request waited for the update to let go of the interpreter lock, and took it from the
update in turn. This process only reads the output folder (every page there is written
atomically), so a reader's requests and a save's update run side by side. It serves the
listening socket the preview bound (and hands on across restarts), and ends when the
preview does: its stdin is a pipe from the preview, which closes when the preview exits,
whatever the way.
"""

from __future__ import annotations

import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..build.csp import CSP, EMAIL_CSP

_SAYING = threading.Lock()


def say(line: str):
    """One line to stderr in one write: the preview's watcher and search worker, and this
    server's request threads, print at once, and print()'s separate newline let two of their
    lines run together."""
    with _SAYING:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


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


class FileServer:
    """The file server process of a preview: started on its listening socket, started again if
    it ends on its own (else the address would take connections and never answer), stopped with
    the preview."""

    def __init__(self, listener: socket.socket, output: Path):
        here = str(Path(__file__).resolve().parents[2])  # the folder `briefing` is imported from
        path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
        self.command = [
            sys.executable,
            "-m",
            "briefing.tools.file_server",
            str(listener.fileno()),
            str(output.resolve()),
        ]
        self.options = {
            "stdin": subprocess.PIPE,
            "pass_fds": [listener.fileno()],
            "env": {**os.environ, "PYTHONPATH": path},
        }
        self.process = subprocess.Popen(self.command, **self.options)
        self.stopping = False

    def keep_serving(self, lock: threading.Lock):
        """Watch the process from a thread; start it again under `lock` (the preview's: no
        update forks meanwhile) when it ends before stop()."""

        def watch():
            while True:
                started = time.monotonic()
                code = self.process.wait()
                time.sleep(max(0.0, started + 1 - time.monotonic()))  # one start a second at most (a crash at start)
                with lock:
                    if self.stopping:
                        return
                    say(f"preview: the file server ended (exit status {code}); starting it again")
                    self.process = subprocess.Popen(self.command, **self.options)

        threading.Thread(target=watch, daemon=True).start()

    def stop(self):
        self.stopping = True
        if self.process.stdin is not None:
            self.process.stdin.close()  # (its end of the pipe: the server's stdin reads the end)
        self.process.wait(timeout=30)


def serve_socket(fd: int, directory: str):
    """Serve `directory` on the listening socket `fd` until stdin ends (the preview exited)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the preview; this ends with it
    server = PreviewServer(("", 0), functools.partial(PreviewHandler, directory=directory), bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=fd)
    server.server_address = server.socket.getsockname()

    def until_the_preview_ends():
        sys.stdin.buffer.read()
        server.shutdown()

    threading.Thread(target=until_the_preview_ends, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    serve_socket(int(sys.argv[1]), sys.argv[2])
