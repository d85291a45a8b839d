"""Live preview (`make serve` = `briefing serve`): a real server process on the bundled content,
edited on disk while it runs, seen through HTTP and in Chromium."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from tools.cli import briefing_command
from tools.sites import ROOT, settings_file

from briefing.safety import write_atomically
from briefing.tools.file_server import FileServer
from briefing.tools.live_preview import pelican_settings
from briefing.tools.watcher import changed_files, snapshot

pytestmark = pytest.mark.slow

ENTRY = "content/briefings/2025/sun-weidong-new-delhi-talks.md"
TITLE = "Sun Weidong in New Delhi as India and China push on flights and visas"
ENTRY_URL = "/briefings/2025/sun-weidong-in-new-delhi-as-india-and-china-push-on-flights-and-visas/"


class Preview:
    """A `briefing serve` process; its stderr is read line by line as it runs."""

    def __init__(self, root: Path, env: dict | None = None, command: list[str] | None = None):
        self.root = root
        command = command or briefing_command()
        self.process = subprocess.Popen(
            [
                *command,
                "serve",
                "--port",
                "0",
                "--content",
                "content",
                "--output",
                "output",
                "--settings",
                "pelicanconf.py",
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.serving: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stderr, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stdout, self.serving), daemon=True).start()
        first = self.serving.get(timeout=120)
        self.base = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)

    def _read(self, stream, sink):
        for line in stream:
            sink.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        """The next stderr line matching `pattern` (every line read is kept in self.log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.log.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; stderr so far:\n" + "\n".join(self.log[-40:]))

    def get(self, url: str) -> str:
        with urllib.request.urlopen(self.base + url, timeout=30) as response:
            return response.read().decode("utf-8")

    def edit(self, relative: str, old: str, new: str):
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        write_atomically(path, text.replace(old, new, 1).encode("utf-8"))  # as most editors save

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(ROOT / "content", root / "content")
    settings_file(root)
    server = Preview(root)
    yield server
    server.stop()


@pytest.mark.browser
def test_an_edit_shows_in_the_browser_on_reload_after_a_rebuild(preview, page):
    page.goto(preview.base + ENTRY_URL)
    assert page.locator("h1").inner_text() == TITLE
    for n, added in enumerate(
        ("Officials said a date for the first flights would follow.", "A joint statement is expected within days.")
    ):
        path = preview.root / ENTRY
        path.write_text(path.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
        line = preview.wait_for(r"^(Rebuilt|Build failed)")
        assert line.startswith("Rebuilt in "), line
        assert ENTRY in line
        page.reload()
        assert page.locator("article p", has_text=added).count() == 1, n
        assert page.locator("h1").inner_text() == TITLE


def test_a_bad_edit_prints_the_diagnostic_and_the_last_good_page_stays(preview):
    before = preview.get(ENTRY_URL)
    original = (preview.root / ENTRY).read_text(encoding="utf-8")
    line_no = next(i for i, line in enumerate(original.splitlines(), 1) if line.startswith("countries:"))
    column = original.splitlines()[line_no - 1].index("India") + 1
    preview.edit(ENTRY, "countries: [India", "countries: [Inida")
    failed = preview.wait_for(r"^(Rebuilt|Build failed)")
    assert failed.startswith("Build failed after a change to " + ENTRY), failed
    assert f"{ENTRY}:{line_no}:{column}: error: unknown country 'Inida' (did you mean 'India'?)" in preview.log
    assert preview.get(ENTRY_URL) == before  # the last good site, byte for byte
    write_atomically(preview.root / ENTRY, original.encode("utf-8"))
    assert preview.wait_for(r"^(Rebuilt|Build failed)").startswith("Rebuilt in ")


def test_a_plugin_code_change_restarts_the_server_on_the_same_address(tmp_path):
    """Plugin code is re-imported by re-executing the server, which keeps its socket; code
    that does not import is refused and the running server carries on."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    text = settings_file(tmp_path).read_text(encoding="utf-8")
    (tmp_path / "pelicanconf.py").write_text(text.replace(repr(str(ROOT / "plugins")), repr(str(plugins))))
    server = Preview(tmp_path, env={"PYTHONPATH": str(plugins)}, command=[sys.executable, "-m", "briefing"])
    try:
        home = server.get("/")
        pid = server.process.pid
        summary = plugins / "briefing" / "build" / "plugin.py"  # where the summary line is made
        code = summary.read_text(encoding="utf-8")
        summary.write_text(code + "\ndef broken(:\n", encoding="utf-8")
        server.wait_for(r"^Plugin code changed but does not import")
        assert server.get("/") == home
        summary.write_text(
            code.replace('f"Built {len(written)} files', 'f"Built (new code) {len(written)} files'), encoding="utf-8"
        )
        server.wait_for(r"^Plugin code changed \(.*plugin\.py\): restarting")
        server.wait_for(r"^Built \(new code\) \d+ files")
        assert server.serving.get(timeout=60) == f"Serving output/ on {server.base}/ (Ctrl-C to stop)"
        assert server.process.pid == pid and server.process.poll() is None
        assert server.get("/") == home
    finally:
        server.stop()


def _file_server(preview: Preview) -> int:
    """The pid of the preview's file server process (a child of one of its threads)."""
    tasks = Path(f"/proc/{preview.process.pid}/task")
    children = [int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()]
    found = [pid for pid in children if b"briefing.tools.file_server" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(found) == 1, found
    return found[0]


def _entry_page(preview: Preview, timeout: float) -> str:
    with urllib.request.urlopen(preview.base + ENTRY_URL, timeout=timeout) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_the_file_server_answers_a_busy_preview_comes_back_if_killed_and_ends_with_the_preview(tmp_path):
    """Pages came from a thread of the preview's own process: a request waited for an update to
    let go of the interpreter, and took it from the update in turn. They come from a process of
    their own, which must not leave the address dead if it dies, nor outlive the preview."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    settings_file(tmp_path)
    server = Preview(tmp_path)
    try:
        os.kill(server.process.pid, signal.SIGSTOP)  # the preview does nothing at all meanwhile
        try:
            assert f"<h1>{TITLE}</h1>" in _entry_page(server, 10)
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        first = _file_server(server)
        os.kill(first, signal.SIGKILL)
        assert server.wait_for(r"^preview: the file server") == (
            "preview: the file server ended (exit status -9); starting it again"
        )
        assert f"<h1>{TITLE}</h1>" in _entry_page(server, 10)
        assert _file_server(server) != first
        os.kill(server.process.pid, signal.SIGKILL)  # no chance to stop its file server itself
        server.process.wait(timeout=30)
        host, port = server.base.removeprefix("http://").split(":")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the port closes once the file server has ended
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
            except ConnectionRefusedError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the file server still answers after the preview was killed")
    finally:
        if server.process.poll() is None:
            server.stop()


def test_a_file_server_that_ends_as_it_starts_is_started_again_once_a_second_at_most(capsys):
    """One that cannot start (plugin code half-edited) was started again at once, in a loop."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        files = FileServer(listener, Path("."))
        files.command = [sys.executable, "-c", "raise SystemExit(3)"]  # each start from now on
        files.keep_serving(threading.Lock())
        files.process.kill()
        time.sleep(3.5)
        files.stop()
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "preview: the file server ended (exit status -9); starting it again"
    assert 2 <= len(lines) <= 5 and set(lines[1:]) == {
        "preview: the file server ended (exit status 3); starting it again"
    }, lines


# --- issue 14, item 9 (and issue 18, item 7): failures are one line, the server goes on ---


def _raw_request(base: str, target: str) -> bytes:
    """A request sent as bytes, as a client that does not encode paths would send it."""
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_malformed_request_gets_a_400_and_one_log_line(preview):
    """`GET /%00` logged a ValueError traceback and dropped the connection without an answer."""
    answer = _raw_request(preview.base, "/%00")
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.0 400 Bad request: the path cannot name a file"
    assert preview.wait_for(r"^400 ") == "400 /%00"
    assert preview.get("/").startswith("<!doctype html>")  # still answering
    answer = _raw_request(preview.base, "/countries/india/%00.html")
    assert answer.startswith(b"HTTP/1.0 400 ")
    assert preview.wait_for(r"^400 ") == "400 /countries/india/%00.html"
    assert not any("Traceback" in line or "ValueError" in line for line in preview.log)


def test_a_busy_port_is_one_line_naming_the_way_out(tmp_path):
    """A busy port 8000 gave a 25-line traceback ending `OSError: [Errno 98] Address already in use`."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*briefing_command(), "serve", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
        )
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"briefing serve: error: port {port} on 127.0.0.1 is already in use (another preview?): stop it, "
        f"or serve on another port: make serve PORT={port + 1}\n",
    )


def test_the_watcher_sees_every_file_but_compiled_code_and_names_the_one_saved(tmp_path):
    content = tmp_path / "content"
    (content / "briefings" / "2025").mkdir(parents=True)
    (content / "__pycache__").mkdir()
    (content / "briefings" / "2025" / "a.md").write_text("abc")
    (content / "top.md").write_text("z")
    (content / "__pycache__" / "m.pyc").write_bytes(b"\0")
    (content / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("b")
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("SITENAME = 'x'\n")
    roots = [str(content), str(settings), str(tmp_path / "missing")]
    before = snapshot(roots)
    assert sorted(before) == [str(content / "briefings/2025/a.md"), str(content / "top.md"), str(settings)]
    assert before[str(content / "briefings/2025/a.md")][1] == 3
    (content / "briefings" / "2025" / "a.md").write_text("abcd")
    assert changed_files(before, snapshot(roots)) == [str(content / "briefings/2025/a.md")]


def test_settings_saved_twice_in_one_second_are_read_as_saved(tmp_path, monkeypatch):
    """The preview reads its settings again after each save. Python checks bytecode against
    its source by size and whole seconds, so a second save in the same second at the same
    length must not be read from the bytecode of the first."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as where PYTHONDONTWRITEBYTECODE is unset
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("SEARCH_MAX_RECORDS = 0\n")
    saved = settings.stat().st_mtime
    assert pelican_settings(str(settings), tmp_path, tmp_path / "output")["SEARCH_MAX_RECORDS"] == 0
    settings.write_text("SEARCH_MAX_RECORDS = 2\n")
    os.utime(settings, (saved, saved))  # within the second of the first save
    assert pelican_settings(str(settings), tmp_path, tmp_path / "output")["SEARCH_MAX_RECORDS"] == 2
