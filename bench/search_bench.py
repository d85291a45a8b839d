"""Search indexing at scale: our index step against Pagefind crawling our own HTML, same run.

    python bench/search_bench.py --n 10000          # generate (or reuse) the reference corpus
    python bench/search_bench.py --site DIR --json  # DIR holds content/ and pelicanconf.py

It builds the site's HTML once (search off), then measures, each as wall time, CPU time and
peak memory of the whole process tree (sampled from /proc every 50 ms, so two Pagefind
processes running at once count together):
  1. our index step alone (records from the loaded site, every bundle indexed, no cache);
  2. Pagefind's CLI crawling the built HTML (`pagefind --site`), the baseline to beat;
  3. our index step after one entry is edited, with the bundle cache warm (one bundle re-indexed);
and the size of the first two indexes (MB and files).
With --json it prints {label: {wall, cpu, rss_mib, pages, ...}} for bench/run.py (`make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "bench"))


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, now."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


class PeakMemory:
    """Samples a process tree's memory in a thread until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mib(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    cpu_before = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakMemory(process.pid) as memory:
        out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-3000:]}")
    return {"wall": wall, "cpu": _cpu(resource.RUSAGE_CHILDREN) - cpu_before, "rss_mib": memory.peak, "stdout": out}


def tree_size(folder: Path) -> dict:
    """Bytes and number of the files under `folder` (what a host stores and serves)."""
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return {"mb": sum(p.stat().st_size for p in files) / 1e6, "files": len(files)}


def index_only(site_dir: Path, output: Path, cache: Path | None) -> dict:
    """Load the site (not timed), then time our index step alone; figures as JSON on stdout."""
    from briefing.domain.config import BriefingConfig
    from briefing.domain.site import load_site
    from briefing.search.index import build_search_index

    site, problems = load_site(site_dir / "content", BriefingConfig())
    if site is None:
        raise SystemExit(f"the content has errors: {problems[:3]}")
    shutil.rmtree(output, ignore_errors=True)
    cpu_before = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with PeakMemory(os.getpid()) as memory:
        _, result = build_search_index(site, output, cache_dir=cache)
    wall = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu_before
    records = len(site.entries) + len(site.views)
    indexed = sorted(name for name, how in result.items() if how == "indexed")
    return {
        "wall": wall,
        "cpu": cpu,
        "rss_mib": memory.peak,
        "pages": records,
        "indexed": indexed,
        "bundles": len(result),
        **tree_size(output / "pagefind"),
    }


def _index_step(site: Path, output: Path, cache: Path | None) -> dict:
    command = [sys.executable, __file__, "--index-only", str(site), str(output)]
    if cache:
        command += ["--cache", str(cache)]
    measured = run_measured(command)
    return json.loads(measured["stdout"])


def edit_one_entry(site: Path) -> Path:
    entries = sorted((site / "content" / "briefings").rglob("*.md"))
    victim = entries[len(entries) // 2]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nEdited for the search benchmark.\n", encoding="utf-8")
    return victim


def bench(site: Path) -> dict:
    from briefing.search.service import pagefind_binary

    scratch = Path(tempfile.mkdtemp(prefix="search-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    rows: dict[str, dict] = {}
    try:
        html = scratch / "html"
        run_measured(
            [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(html)],
            cwd=site,
            env={"BRIEFING_SEARCH": "off", "BRIEFING_CACHE": "off"},
        )
        pages = sum(1 for _ in html.rglob("*.html"))
        full = _index_step(site, scratch / "ours", None)
        rows["search index alone (every bundle)"] = {
            k: full[k] for k in ("wall", "cpu", "rss_mib", "pages", "mb", "files")
        }
        crawl = run_measured(
            [str(pagefind_binary()), "--site", str(html), "--output-path", str(scratch / "crawl"), "--silent"]
        )
        rows["pagefind crawling our HTML"] = {
            "wall": crawl["wall"],
            "cpu": crawl["cpu"],
            "rss_mib": crawl["rss_mib"],
            "pages": pages,
            **tree_size(scratch / "crawl"),
        }
        cache = scratch / "cache"
        _index_step(site, scratch / "warm", cache)  # fills the bundle cache
        edited = scratch / "edited-site"
        shutil.copytree(site / "content", edited / "content")
        edit_one_entry(edited)
        again = _index_step(edited, scratch / "again", cache)
        if len(again["indexed"]) != 1:
            raise SystemExit(f"one edited entry re-indexed {again['indexed']}, not one bundle")
        rows["search index, one entry edited"] = {k: again[k] for k in ("wall", "cpu", "rss_mib", "pages")}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def corpus_site(n: int) -> Path:
    from run import ensure_corpus, our_site, scratch_root

    return our_site(ensure_corpus(n, "briefing"), scratch_root())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a folder with content/ and pelicanconf.py")
    parser.add_argument("--n", type=int, help="use the reference corpus of this many entries")
    parser.add_argument("--json", action="store_true", help="print {label: figures} as JSON")
    parser.add_argument("--index-only", nargs=2, type=Path, metavar=("SITE", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_only:
        print(json.dumps(index_only(*args.index_only, args.cache)))
        return
    if not args.site and not args.n:
        parser.error("give --site DIR or --n N")
    site = args.site.resolve() if args.site else corpus_site(args.n)
    try:
        rows = bench(site)
    finally:
        if not args.site:
            shutil.rmtree(site.parent, ignore_errors=True)
    if args.json:
        print(json.dumps(rows))
        return
    print("| run | wall s | CPU s | peak RSS MiB | pages | index MB | index files |\n|---|---|---|---|---|---|---|")
    for label, row in rows.items():
        size = f"{row['mb']:.1f} | {row['files']}" if "mb" in row else " | "
        print(f"| {label} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['rss_mib']:.0f} | {row['pages']} | {size} |")


if __name__ == "__main__":
    main()
