"""The live preview at scale, for `make bench`: a real `briefing serve` on the corpus, three
kinds of save, each timed from the save until the served pages show it.

    python bench/preview.py --site DIR [--json] [--repeat N] [--edits edit_body,...]

DIR holds content/ and pelicanconf.py. The edits stay in DIR: run it on a fresh copy of the corpus
(a second run on the same copy finds its countries and renames already made).

- body edit: a line appended to one entry; done when its page (over HTTP) shows the line;
- front-matter edit: a country added to one entry; done when that country's page lists it
  (its main page, or the page of the entry's year when that year has one: the pages a save
  names are written first), and again when the preview says it has
  written every page the edit changed;
- profile rename: an official's profile renamed (the old name kept as an alias); done when
  the preview says it has written every page that names them.
Each row: wall seconds (save to served), CPU seconds of the server process in that time
(its threads; Pagefind's processes excluded), the server's peak RSS, pages written.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

TIMEOUT = 300  # seconds for one update to show


class Server:
    def __init__(self, site: Path, env: dict):
        command = [sys.executable, "-m", "briefing", "serve", "--port", "0", "--output", "output-preview"]
        self.process = subprocess.Popen(
            command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env}
        )
        self.lines: list[tuple[float, str]] = []  # every stderr line, kept: waits look, never consume
        self.arrived = threading.Condition()
        self.served: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read_lines, args=(self.process.stderr,), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stdout, self.served), daemon=True).start()
        started = time.perf_counter()
        first = self.served.get(timeout=3600)
        self.first_build = time.perf_counter() - started
        self.base = re.search(r"http://127\.0\.0\.1:\d+", first[1]).group(0)

    @staticmethod
    def _read(stream, sink):
        for line in stream:
            sink.put((time.perf_counter(), line.rstrip("\n")))

    def _read_lines(self, stream):
        for line in stream:
            with self.arrived:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.arrived.notify_all()

    def cpu(self) -> float:
        with open(f"/proc/{self.process.pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024

    def get(self, url: str) -> str:
        try:
            with urllib.request.urlopen(self.base + url, timeout=30) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def rebuilt(self, after: float) -> tuple[float, str]:
        """The time and text of the first 'Rebuilt'/'Build failed' line printed after `after`."""
        return self.line(("Rebuilt in ", "Build failed"), after)

    def line(self, starts, after: float, timeout: float = TIMEOUT) -> tuple[float, str]:
        """The time and text of the first stderr line starting with `starts` printed after `after`
        (lines are kept, so a line that came before a wait began is found all the same)."""

        def found():
            return next(((at, text) for at, text in self.lines if at >= after and text.startswith(starts)), None)

        with self.arrived:
            if self.arrived.wait_for(found, timeout):
                return found()
        tail = "\n".join(text for _, text in self.lines[-20:] if not text.startswith(("404 ", "GET ")))
        raise SystemExit(f"the preview printed no line starting {starts!r} in time; its last lines:\n{tail}")

    def until(self, urls: list[str], needle: str, after: float) -> float:
        """When one of `urls` first shows `needle`."""
        deadline = after + TIMEOUT
        while time.perf_counter() < deadline:
            if any(needle in self.get(url) for url in urls):
                return time.perf_counter()
            time.sleep(0.02)
        raise SystemExit(f"{' or '.join(urls)} did not show {needle!r} in time")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def entry_url(path: Path) -> tuple[str, str]:
    from briefing.domain.frontmatter import read_entry
    from briefing.domain.model import entry_url as url_of

    draft, _ = read_entry(str(path), path.read_bytes())
    return url_of(draft.slug or draft.default_slug, draft.published.year, draft.status), draft.title


def save(site: Path, path: Path, text: str):
    """Write-then-rename, as editors' tools save: the watcher never sees half a file (which would
    be a second update, and a report line that belongs to no timed edit). The temporary file is
    outside the watched folders."""
    temporary = site / ".bench-saving"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def edit_body(server: Server, site: Path, entries: list[Path], i: int) -> tuple[float, ...]:
    path = entries[len(entries) // 2]
    url, _ = entry_url(path)
    mark = f"BENCHMARK{i}EDIT{os.getpid()}"  # new in every run: a site edited by an earlier run shows no old mark
    save(site, path, path.read_text(encoding="utf-8") + f"\n{mark}\n")
    saved = time.perf_counter()
    shown = server.until([url], mark, saved)
    server.rebuilt(saved)  # its report line: the update is over, pages and all
    return (shown - saved,)


def edit_countries(server: Server, site: Path, entries: list[Path], i: int) -> tuple[float, ...]:
    """Add a country to an entry: (its page lists it, every page the edit changed is written)."""
    n = len(entries)
    path = entries[n // 3 + n // 5 + i]  # not an entry the rebuild and check rows changed
    url, title = entry_url(path)
    text = path.read_text(encoding="utf-8")
    save(site, path, text.replace("countries:\n", 'countries:\n  - "Iceland"\n', 1))
    saved = time.perf_counter()
    # listed on Iceland's main page, or on its year's page once Iceland has older years of their own (100k)
    pages = ["/countries/iceland/", f"/countries/iceland/{url.split('/')[2]}/"]
    shown = server.until(pages, title.replace("'", "&#39;").replace('"', "&#34;"), saved)
    whole, _ = server.rebuilt(saved)
    return shown - saved, whole - saved


def rename_profile(server: Server, site: Path, entries: list[Path], i: int) -> tuple[float, ...]:
    profiles = sorted((site / "content" / "officials").glob("*.md"))
    path = profiles[len(profiles) // 5 + i]
    text = path.read_text(encoding="utf-8")
    name = re.search(r'^name: *"?([^"\n]+)"?', text, re.M).group(1)
    renamed = text.replace(name, f"{name} Renamed", 1).replace("\n---", f'\naliases: ["{name}"]\n---', 1)
    save(site, path, renamed)
    saved = time.perf_counter()
    at, line = server.rebuilt(saved)
    if not line.startswith("Rebuilt"):
        raise SystemExit(f"the rename failed: {line}")
    return (at - saved,)


EDITS = {  # each edit's rows: the times it returns, in order
    edit_body: ["preview: body edit, save to served page"],
    edit_countries: ["preview: front matter moves an entry", "preview: front matter, every page written"],
    rename_profile: ["preview: profile rename, every page naming it"],
}


def bench_preview(
    site: Path, repeat: int = 3, env: dict | None = None, edits: list[str] | None = None, rows: dict | None = None
) -> dict:
    """The preview's rows, each put in `rows` (when given) as soon as it is measured."""
    rows = {} if rows is None else rows
    entries = sorted((site / "content" / "briefings").rglob("*.md"))
    server = Server(site, env or {})
    rows["preview: first build, served"] = {"wall": server.first_build, "cpu": server.cpu(), "pages": 0}
    rows["preview: first build, served"]["rss_mib"] = server.rss_mib()
    try:
        if (env or os.environ).get("BRIEFING_SEARCH", "on") != "off":
            # edits are timed with the index built, as after a restart (at 100,000 entries: 9 minutes)
            _, said = server.line(("Search index refreshed", "Search index not refreshed"), 0, 3600)
            if "not refreshed" in said:
                raise SystemExit(f"the preview's first search index failed: {said}")
        time.sleep(2)
        for edit, labels in EDITS.items():
            if edits is not None and edit.__name__ not in edits:
                continue
            runs = []
            for i in range(repeat):
                cpu = server.cpu()
                took = edit(server, site, entries, i)
                runs.append((took, server.cpu() - cpu))
                time.sleep(1)
            for at, label in enumerate(labels):  # each row the median run by its own time
                took, cpu = sorted(runs, key=lambda run: run[0][at])[len(runs) // 2]
                each = [run[0][at] for run in runs]  # in the order they ran
                rows[label] = {"wall": took[at], "cpu": cpu, "pages": 0, "rss_mib": server.rss_mib(), "each": each}
    finally:
        server.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    names = [edit.__name__ for edit in EDITS]
    parser.add_argument("--edits", type=lambda text: text.split(","), help=f"some of {','.join(names)} (default: all)")
    args = parser.parse_args()
    rows = bench_preview(args.site.resolve(), args.repeat, edits=args.edits)
    if args.json:
        print(json.dumps(rows))
    else:
        for label, row in rows.items():
            print(f"{label}: {row['wall']:.2f} s wall, {row['cpu']:.2f} s CPU, {row['rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
