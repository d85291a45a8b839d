"""Live preview: serve the output folder and update it when content, theme or plugin code change.

The first build keeps the site in memory, and each save updates that model and rewrites
only the pages it changes (live_preview.py, build/live.py), so a save costs what it
changes, not a build. The pages are served by a process of their own (file_server.py), so
a reader's request and an update never wait for each other. Plugin code cannot be
re-imported safely in a running process, so a change there re-executes the server: it
first checks that the new code imports, then hands its listening socket to the new
process, so the address never stops answering. A failed build prints its diagnostics and
the last good site keeps being served (builds are atomic, see output.py).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .file_server import FileServer
from .live_preview import LivePreview, pelican_settings, say
from .watcher import ChangeWatcher

SERVE_FD_ENV = "BRIEFING_SERVE_FD"  # the listening socket handed to a restarted server
PLUGIN_DIR = Path(__file__).resolve().parent.parent  # the whole plugin: code changes restart the server


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


def restart(listener: socket.socket, argv: list[str]):
    """Replace this process with a fresh preview on the same listening socket (its file server
    ends as this process's end of the pipe closes; the new preview starts its own)."""
    fd = listener.fileno()
    os.set_inheritable(fd, True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "briefing", *argv], {**os.environ, SERVE_FD_ENV: str(fd)})


def _listener(host: str, port: int) -> socket.socket:
    """The preview's listening socket: bound here (a busy port is this process's one line), or
    handed on by the preview this one replaced."""
    inherited = os.environ.pop(SERVE_FD_ENV, None)
    if inherited is None:
        return socket.create_server((host, port))
    return socket.socket(fileno=int(inherited))


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


def rebuild_on_change(
    preview: LivePreview, listener: socket.socket, argv: list[str], stop: threading.Event, watcher: ChangeWatcher
):
    """Update the site on every change to its files; restart on a change to plugin code."""
    for kind, changed in watcher.changes(stop):
        if kind == "code":
            problem = new_code_imports()
            if problem is None:
                print(f"Plugin code changed ({', '.join(changed[:3])}): restarting the preview", file=sys.stderr)
                restart(listener, argv)
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
        listener = _listener(host, port)
    except OSError as error:
        print(f"briefing serve: error: {_listen_problem(error, host, port)}", file=sys.stderr)
        return 1
    watched = watched_state(content, settings) if watch_files else None
    files = FileServer(listener, output)  # started before any thread or fork: the last site is served meanwhile
    stop = threading.Event()
    try:
        preview = LivePreview(content, output, settings)
        files.keep_serving(preview.lock)
        if not preview.build():
            print(
                "The first build failed: fix the errors above"
                + ("; the preview rebuilds on every save." if watch_files else "."),
                file=sys.stderr,
                flush=True,
            )
            if not watch_files and not output.is_dir():
                return 1
        print(f"Serving {output}/ on http://{host}:{listener.getsockname()[1]}/ (Ctrl-C to stop)", flush=True)
        if watch_files:
            rebuild_on_change(preview, listener, argv, stop, watched)
        else:
            stop.wait()
    finally:
        stop.set()
        files.stop()
        listener.close()
    return 0
