"""Pagefind's indexing service driven directly: records in, one bundle's files out.

Our own writer makes each bundle's index (bundle_writer.py); Pagefind gives the files that
are the same in every bundle, its JavaScript and WebAssembly (`pagefind_assets`), and stays
the reference the tests compare our bundles with.

The `pagefind` Python wrapper sleeps 100 ms before reading each of the service's
responses, so 1,000 records cost 100 s. The protocol is simple (each message is base64 of
JSON, ended by a comma, on stdin and stdout), so we speak it ourselves: every record is
streamed in while the responses are read as they come, and nothing waits on a timer.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

from ..safety import safe_relative_path, start_tied_process

try:  # imported with this module, never first in a process forked from a thread (the preview's
    # search worker): a module lock another thread held at the fork would never be released there
    from pagefind_bin import get_executable
except ImportError:
    get_executable = None

VERSION = "1.5.2"  # the pinned pagefind[bin]; bundle_writer.py writes the bundle format of this version
# Word-index chunk size, in word locations (Pagefind's default: 20,000). A one-word query loads
# one chunk per bundle; smaller chunks mean fewer bytes on a slow line, at the price of a longer
# chunk list in each bundle's metadata (see bench/search_slow_line.py and docs/DESIGN.md).
INDEX_CHUNK = int(os.environ.get("BRIEFING_INDEX_CHUNK", "4000"))
DEADLINE = 1800  # seconds for one bundle: a service that hangs is stopped and the build fails
# Files of a bundle the site never loads: Pagefind's UIs (the site has its own search page), its
# web worker (the page searches on the main thread) and the WebAssembly for pages of unknown language.
UNUSED_FILES = (
    "pagefind-worker.js",
    "wasm.unknown.pagefind",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class BundleFormatError(ValueError):
    """A record we cannot write as Pagefind would, or a bundle file not laid out as it writes them."""


class PagefindError(RuntimeError):
    """Pagefind could not be run, or refused a record, or wrote no bundle."""


def pagefind_binary() -> Path:
    """The binary shipped in the pagefind_bin wheel (PAGEFIND_BINARY_PATH overrides it, as in
    Pagefind's own wrapper)."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override)
    if get_executable is None:
        raise PagefindError("the pagefind_bin package is not installed (pip install 'pagefind[bin]==1.5.2')")
    try:
        return Path(get_executable())
    except FileNotFoundError as error:
        raise PagefindError(f"the pagefind binary is missing: {error}") from error


ASSETS = ("pagefind.js", "wasm.en.pagefind")  # what the search page loads of Pagefind's own files


@functools.cache
def pagefind_assets(binary: Path) -> dict[str, bytes]:
    """Pagefind's script and its English WebAssembly, as it writes them into every bundle: taken
    from a bundle of one record, once per process (0.1 s)."""
    record = json.dumps({"url": "/", "content": "briefing", "language": "en"})
    files = index_records([record], binary)
    entry = json.loads(files["pagefind-entry.json"])
    if entry.get("version") != VERSION:
        raise PagefindError(f"pagefind {entry.get('version')} is installed; this code writes {VERSION}'s bundles")
    missing = [name for name in ASSETS if name not in files]
    if missing:
        raise PagefindError(f"pagefind wrote no {', '.join(missing)}")
    return {name: files[name] for name in ASSETS}


def _message(message_id: int, payload: dict) -> bytes:
    text = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")) + b","


class _Responses:
    """Reads the service's comma-ended messages from its stdout, one at a time."""

    def __init__(self, stream):
        self.stream = stream
        self.buffer = b""
        self.at = 0  # where the next message starts in the buffer

    def next(self) -> dict | None:
        """The next message. The last answer holds the whole bundle (megabytes): its pieces are
        joined once, each searched for the end only where it is new (no quadratic copying)."""
        end = self.buffer.find(b",", self.at)
        if end < 0:
            pieces = [self.buffer[self.at :]]
            while True:
                chunk = self.stream.read1(1 << 20)
                if not chunk:
                    return None
                pieces.append(chunk)
                if b"," in chunk:
                    break
            self.buffer, self.at = b"".join(pieces), 0
            end = self.buffer.find(b",")
        raw, self.at = self.buffer[self.at : end], end + 1
        try:
            message = json.loads(base64.b64decode(raw, validate=True))
        except ValueError as error:
            raise PagefindError(f"pagefind sent an unreadable answer: {raw[:80]!r}") from error
        if not isinstance(message, dict):
            raise PagefindError(f"pagefind sent an unexpected answer: {message!r:.80}")
        return message


class _Service:
    def __init__(self, binary: Path):
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115  (its stderr, for messages; closed in close())
        try:
            self.process = start_tied_process(  # killed with the build, never left running
                [str(binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK)},
            )
        except OSError as error:
            self.errors.close()
            raise PagefindError(f"cannot run {binary}: {error.strerror or error}") from error
        self.responses = _Responses(self.process.stdout)
        self.timed_out = False
        self.watchdog = threading.Timer(DEADLINE, self._stop_hung)
        self.watchdog.daemon = True
        self.watchdog.start()

    def _stop_hung(self):
        self.timed_out = True
        self.process.kill()

    def stderr_tail(self) -> str:
        self.errors.seek(0)
        text = self.errors.read().decode("utf-8", "replace").strip()
        return text[-2000:]

    def failure(self, what: str) -> PagefindError:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)  # it closed its output: it is exiting, let it say how
        code = self.process.returncode
        detail = self.stderr_tail()
        status = f" (exit code {code})" if code is not None else ""
        if self.timed_out:
            status = f" (stopped after {DEADLINE} s without finishing)"
        return PagefindError(f"{what}{status}" + (f": {detail}" if detail else ""))

    def receive(self, expected: str) -> dict:
        response = self.responses.next()
        if response is None:
            raise self.failure("the pagefind service stopped before answering")
        payload = response.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        if payload.get("type") == "Error":
            raise PagefindError(f"pagefind refused a request: {payload.get('message')}")
        if payload.get("type") != expected:
            raise PagefindError(f"pagefind answered {payload.get('type')!r} where {expected!r} was expected")
        return payload

    def close(self, failed: bool = False):
        self.watchdog.cancel()
        if failed:  # unblock a writer stuck on a full pipe before anything waits on it
            self.process.kill()
        try:
            if self.process.stdin and not self.process.stdin.closed:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.errors.close()


def _record_message(message_id: int, index_id: int, record: str) -> bytes:
    """An AddRecord message around a record given as a JSON object's text (records.record_json:
    encoded once, for the bundle's digest too), spliced in rather than decoded and encoded again."""
    fields = "," + record[1:-1] if len(record) > 2 else ""  # (an empty record adds no field)
    head = f'{{"message_id":{message_id},"payload":{{"type":"AddRecord","index_id":{index_id}'
    return base64.b64encode((head + fields + "}}").encode("utf-8")) + b","


def index_records(records, binary: Path | None = None) -> dict[str, bytes]:
    """Index `records`, each the text of a JSON object of url, content, language, meta, filters
    and sort (records.record_json); the bundle's files by relative path, without the files the
    site never loads (UNUSED_FILES).

    The files come back in the service's answer rather than being written by it: the service
    answers WriteFiles before its writes are done, and a service that is then stopped leaves
    files half written."""
    service = _Service(binary or pagefind_binary())
    writer = None
    try:
        stdin = service.process.stdin
        try:
            stdin.write(_message(1, {"type": "NewIndex", "config": None}))
            stdin.flush()
        except OSError:
            pass  # it has stopped already: what it wrote, or how it ended, is reported just below
        index_id = service.receive("NewIndex").get("index_id")
        if not isinstance(index_id, int):
            raise PagefindError(f"pagefind gave no index id (got {index_id!r})")
        last = len(records) + 2
        writer_failed: list[BaseException] = []

        def write_all():
            try:
                for number, record in enumerate(records, start=2):
                    stdin.write(_record_message(number, index_id, record))
                stdin.write(_message(last, {"type": "GetFiles", "index_id": index_id}))
                stdin.flush()
            except (OSError, ValueError) as error:  # the service died: the reader reports it
                writer_failed.append(error)

        writer = threading.Thread(target=write_all, name="pagefind-writer", daemon=True)
        writer.start()
        for _ in records:
            service.receive("IndexedFile")
        files = service.receive("GetFiles").get("files") or []
        writer.join()
        if writer_failed:
            raise service.failure(f"writing to the pagefind service failed ({writer_failed[0]})")
    except BaseException:
        service.close(failed=True)
        if writer is not None:
            writer.join(timeout=10)
        raise
    service.close()
    bundle = {}
    for item in files:
        path = item.get("path", "")
        try:
            safe_relative_path(path)
        except ValueError:
            raise PagefindError(f"pagefind returned a file outside its bundle: {path!r}") from None
        if path not in UNUSED_FILES:
            bundle[path] = base64.b64decode(item.get("content", ""))
    if "pagefind-entry.json" not in bundle:
        raise PagefindError("pagefind returned no pagefind-entry.json")
    return bundle
