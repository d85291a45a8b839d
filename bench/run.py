"""`make bench`: our build against vanilla Pelican, on the same machine, in one invocation.

    BENCH_N="1000 10000" BENCH_REPEAT=3 python bench/run.py

For each N it generates a corpus in both flavors (ours and vanilla Pelican's): the reference
corpus of ../shared/bench/gen_corpus.py when that folder is beside the project, for figures
comparable with the reference ones, otherwise (or with BENCH_CORPUS=own) the project's own
generator, bench/corpus.py, which has the same shape. Then it times (median of BENCH_REPEAT;
wall, CPU, peak RSS): vanilla Pelican's full build and its cached one-file-touched rebuild;
our full build without search, with search, and the search index alone next to Pagefind
crawling our HTML; our rebuilds after editing one entry's body, changing one entry's
countries and adding one entry; `briefing check` (each run once the cache writers of the
check before are done: check_rows.py); the live preview's edits (each row the median
of at least three edits, whatever BENCH_REPEAT, every edit's time printed under the table).
`BENCH_ONLY=rebuild` runs vanilla's cached rebuild and ours after one body edit alone (the
plugin is byte-compiled first, as a first run that may write .pyc files leaves it).
Then the rows of bench/bounds.py: what one hostile entry costs (a 20,000-name entry refused,
a 2 MiB body with 2,000 names built); `BENCH_ONLY=bounds` runs those rows alone. Then the search
page on a throttled line (search_slow_line.py): the bundled site, and 10,000 entries when
../shared is here (BENCH_SLOW_LINE="bundled 10000"; "" skips it); `BENCH_ONLY=slow-line` runs
those rows alone; `BENCH_ONLY=check` runs the `briefing check` rows alone (warm, then cold);
`BENCH_ONLY=full` our two full builds alone (without search, with search: at 100,000 entries,
the rows with the peak-RSS bound).
It prints a table of ratios to vanilla Pelican and appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules, however it is loaded

from check_rows import bench_check, check_cold_row
from measuring import BENCH, PY, change_countries, count_pages, measure, median, pelican_build, touch_body
from report import bounds_table, table

ROOT = BENCH.parent
REFERENCE = Path(os.environ.get("BENCH_SHARED", ROOT.parent / "shared" / "bench")) / "gen_corpus.py"
CORPORA = BENCH / "corpora"
VANILLA_VENV = BENCH / ".venv-vanilla"
VANILLA_PACKAGES = ["pelican==4.12.0", "markdown==3.11.3"]


def scratch_root() -> Path:
    """Outputs go to tmpfs when the machine has one (as the baseline figures did)."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="briefing-bench-", dir=shm if shm.is_dir() else None))


def ensure_vanilla() -> Path:
    python = VANILLA_VENV / "bin" / "python"
    stamp = VANILLA_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != " ".join(VANILLA_PACKAGES):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VANILLA_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *VANILLA_PACKAGES], check=True)
        stamp.write_text(" ".join(VANILLA_PACKAGES))
    return python


def corpus_generator() -> tuple[str, Path]:
    """("reference", its script) when the reference generator is there and not refused, else ours."""
    if os.environ.get("BENCH_CORPUS", "reference") != "own" and REFERENCE.is_file():
        return "reference", REFERENCE
    return "own", BENCH / "corpus.py"


def ensure_corpus(n: int, flavor: str) -> Path:
    name, script = corpus_generator()
    folder = CORPORA / f"{name}-{flavor}-{n}"
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(script), str(n), str(folder), "--flavor", flavor],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        (folder / "done").write_text("")
    return folder


def vanilla_site(corpus: Path, scratch: Path, cached: bool) -> Path:
    site = scratch / ("vanilla-cached" if cached else "vanilla")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus / "content", site / "content")
    settings = (BENCH / "vanilla-pelicanconf.py").read_text()
    if cached:
        settings += "\nCACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n"
    (site / "pelicanconf.py").write_text(settings)
    return site


def our_site(corpus: Path, scratch: Path) -> Path:
    site = scratch / "ours"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus / "content", site / "content")
    return our_settings(site)


def our_settings(site: Path) -> Path:
    """Our pelicanconf.py in `site`, pointing at this project's theme and plugin."""
    settings = (ROOT / "pelicanconf.py").read_text()
    settings = settings.replace('THEME = "themes/briefing"', f"THEME = {str(ROOT / 'themes' / 'briefing')!r}")
    settings = settings.replace('PLUGIN_PATHS = ["plugins"]', f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]")
    (site / "pelicanconf.py").write_text(settings)
    return site


def bench_n(n: int, repeat: int, vanilla_python: Path | None, rows: dict[str, dict]):
    """Every row at `n` entries, each put in `rows` as soon as it is measured."""
    our_corpus = ensure_corpus(n, "briefing")
    scratch = scratch_root()
    try:
        if vanilla_python is not None:
            rows.update(bench_vanilla(n, repeat, vanilla_python, scratch))
        bench_ours(n, repeat, our_corpus, scratch, rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bench_vanilla(n: int, repeat: int, vanilla_python: Path, scratch: Path) -> dict:
    """Vanilla Pelican: full build, then cached rebuild after touching one file."""
    rows: dict[str, dict] = {}
    pelican_corpus = ensure_corpus(n, "pelican")
    site = vanilla_site(pelican_corpus, scratch, cached=False)
    runs = []
    for _ in range(repeat):
        shutil.rmtree(site / "output", ignore_errors=True)
        runs.append(measure(pelican_build(vanilla_python), site))
    rows["vanilla full"] = {**median(runs), "pages": count_pages(site / "output")}
    rows.update(vanilla_cached(n, repeat, vanilla_python, scratch))
    return rows


def vanilla_cached(n: int, repeat: int, vanilla_python: Path, scratch: Path) -> dict:
    """Vanilla Pelican with its content cache on: a first build, then one file touched and rebuilt."""
    site = vanilla_site(ensure_corpus(n, "pelican"), scratch, cached=True)
    command = pelican_build(vanilla_python)
    measure(command, site)
    victim = sorted((site / "content").glob("*.md"))[n // 2]
    runs = []
    for i in range(repeat):
        touch_body(victim, f"Touched {i}.")
        runs.append(measure(command, site))
    return {"vanilla cached, touch 1": {**median(runs), "pages": count_pages(site / "output")}}


def compile_plugin():
    """Byte-compile the plugin once, as Python does on a first run where it may write .pyc files
    (this machine sets PYTHONDONTWRITEBYTECODE=1, which would make every run compile it again)."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "plugins")], check=True, stdout=subprocess.DEVNULL)


def body_edit_row(n: int, repeat: int, site: Path) -> dict:
    """`make html` after one entry's body changed, the cache warm (the quick rebuild)."""
    command = pelican_build(PY)
    entry = sorted((site / "content" / "briefings").glob("*.md"))[n // 2]
    runs = []
    for i in range(repeat):
        touch_body(entry, f"Edited {i}.")
        runs.append(measure(command, site, {"BRIEFING_SEARCH": "off"}))
    return {"ours rebuild, one body edited": {**median(runs), "pages": count_pages(site / "output")}}


def bench_rebuild(n: int, repeat: int, vanilla_python: Path) -> dict:
    """`BENCH_ONLY=rebuild`: vanilla Pelican's cached rebuild and ours after one body edit, alone."""
    scratch = scratch_root()
    try:
        rows = vanilla_cached(n, repeat, vanilla_python, scratch)
        site = our_site(ensure_corpus(n, "briefing"), scratch)
        compile_plugin()
        command = pelican_build(PY)
        measure(command, site, {"BRIEFING_SEARCH": "off"})  # warm the cache: it keeps the model
        rows.update(body_edit_row(n, repeat, site))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def bench_check_only(n: int, repeat: int) -> dict:
    """`BENCH_ONLY=check`: the `briefing check` rows alone (warm, then cold), on a fresh copy."""
    scratch = scratch_root()
    try:
        site = our_site(ensure_corpus(n, "briefing"), scratch)
        compile_plugin()
        entries = sorted((site / "content" / "briefings").glob("*.md"))
        rows = bench_check(site, entries, repeat)
        rows.update(check_cold_row(site, repeat))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def bench_full_only(n: int, repeat: int, rows: dict[str, dict]):
    """`BENCH_ONLY=full`: our two full builds alone, on a fresh copy."""
    scratch = scratch_root()
    try:
        site = our_site(ensure_corpus(n, "briefing"), scratch)
        compile_plugin()
        full_builds(site, repeat, rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def full_builds(site: Path, repeat: int, rows: dict[str, dict]):
    """Our full builds, without search and with it, each from nothing (no output, no cache)."""
    command = pelican_build(PY)
    for label, env in (
        ("ours full, no search", {"BRIEFING_SEARCH": "off", "BRIEFING_CACHE": "off"}),
        ("ours full, with search", {"BRIEFING_CACHE": "off"}),
    ):
        runs = []
        for _ in range(repeat):
            shutil.rmtree(site / "output", ignore_errors=True)
            runs.append(measure(command, site, env))
        rows[label] = {**median(runs), "pages": count_pages(site / "output")}


PREVIEW_EDITS = 3  # the fewest edits of each kind the preview's rows are the median of


def bench_ours(n: int, repeat: int, our_corpus: Path, scratch: Path, rows: dict[str, dict]):
    site = our_site(our_corpus, scratch)
    compile_plugin()
    command = pelican_build(PY)
    full_builds(site, repeat, rows)
    search_bench = BENCH / "search_bench.py"
    # Pagefind crawling 100,000 pages would need ~30 GiB (3 GiB at 10,000): not on this machine
    if search_bench.exists() and n < 100_000:
        result = subprocess.run([PY, str(search_bench), "--site", str(site), "--json"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            for label, figures in json.loads(result.stdout).items():
                rows[label] = figures
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / "cache", ignore_errors=True)
    measure(command, site, {"BRIEFING_SEARCH": "off"})  # warm the cache
    entries = sorted((site / "content" / "briefings").glob("*.md"))
    rows.update(body_edit_row(n, repeat, site))
    moved = entries[n // 3]
    as_generated = moved.read_text(encoding="utf-8")
    edits = {
        "ours rebuild, one entry's countries changed": lambda i: change_countries(moved, i + 1),
        "ours rebuild, one entry added": lambda i: (entries[0].parent / f"zz-added-{i}.md").write_text(
            entries[n // 4].read_text(encoding="utf-8").replace('title: "', f'title: "Added {i} ', 1),
            encoding="utf-8",
        ),
    }
    for label, edit in edits.items():
        runs = []
        for i in range(repeat):
            edit(i)
            runs.append(measure(command, site, {"BRIEFING_SEARCH": "off"}))
        rows[label] = {**median(runs), "pages": count_pages(site / "output")}
        moved.write_text(as_generated, encoding="utf-8")  # the next row starts from the corpus as made
    rows.update(bench_check(site, entries, repeat))
    rows.update(check_cold_row(site, repeat))
    if os.environ.get("BENCH_PREVIEW", "on") != "off":
        from preview import bench_preview  # bench/ is on sys.path when run as a script

        # the builds' output is not needed again: at 100,000 entries its 4 GB in /dev/shm (memory)
        # beside the preview's own output, model and search child left the machine short
        shutil.rmtree(site / "output", ignore_errors=True)
        # at least three edits of each kind, as issue 19 measured its figure: one edit varies by
        # half a second from the next here (bench/RESULTS.md, 2026-12-06), a row of one is a draw
        bench_preview(site, max(repeat, PREVIEW_EDITS), rows=rows)


SLOW_LINE_TARGETS = {"bundled site": 2.5, "10,000 entries": 4.0}  # issue 17: seconds to the first results


def slow_line(repeat: int) -> str:
    """Search on a throttled line (bench/search_slow_line.py), on BENCH_SLOW_LINE's sites: "bundled"
    and corpus sizes (default "bundled 10000"; a corpus only when ../shared is here; "" skips it)."""
    runs = []
    for site in os.environ.get("BENCH_SLOW_LINE", "bundled 10000").split():
        if site == "bundled":
            runs.append(["--bundled"])
        elif REFERENCE.is_file():
            runs.append(["--n", str(int(site))])
    if not runs:
        return ""
    rows = {}
    for extra in runs:
        command = [PY, str(BENCH / "search_slow_line.py"), *extra, "--runs", str(repeat), "--json"]
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"slow-line benchmark failed: {' '.join(extra)}\n{result.stderr[-3000:]}")
        rows.update(json.loads(result.stdout))
    lines = [
        "Search on a slow line (1.6 Mbit/s, 150 ms; `bench/search_slow_line.py`, one-word query):\n",
        "| site | first results s | target s | kB to then | requests | all loaded s | kB in all |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, row in rows.items():
        target = next((t for name, t in SLOW_LINE_TARGETS.items() if label.startswith(name)), "")
        lines.append(
            f"| {label} | {row['first']:.2f} | {target} | {row['bytes_first'] / 1000:.0f} | "
            f"{row['requests_first']:.0f} | {row['idle']:.2f} | {row['bytes_all'] / 1000:.0f} |"
        )
    return "\n".join(lines)


def run_bounds(repeat: int) -> str:
    from bounds import bench_bounds  # (it puts the plugin on sys.path: imported when its rows run)

    scratch = scratch_root()
    try:
        return bounds_table(bench_bounds(repeat, scratch, our_settings))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure_sizes(sizes: list[int], bench_size) -> tuple[dict[int, dict], str]:
    """Each size's rows, filled by `bench_size(n, rows)` as they are measured; when one fails or
    the bench is stopped, the rows measured until then and why (a 100,000-entry run takes most
    of an hour: a late failure must not lose its earlier rows)."""
    results: dict[int, dict] = {}
    try:
        for n in sizes:
            bench_size(n, results.setdefault(n, {}))
    except (Exception, KeyboardInterrupt, SystemExit) as error:
        print(f"bench stopped: {error}", file=sys.stderr)  # all of it (a failed build's last lines)
        results = {n: rows for n, rows in results.items() if rows}
        return results, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else 'no message'}"
    return results, ""


def main():
    sizes = [int(x) for x in os.environ.get("BENCH_N", "1000 10000").split()]
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    only = os.environ.get("BENCH_ONLY", "")  # "bounds", "slow-line", "rebuild", "check" or "full": those rows alone
    load = os.getloadavg()[0]  # the machine is shared: wall times mean little without it
    with_vanilla = only in ("", "rebuild") and os.environ.get("BENCH_VANILLA", "on") != "off"
    vanilla = ensure_vanilla() if with_vanilla else None
    # vanilla Pelican is not run at 100,000 entries (issue 19: ours only at that size)
    results, stopped = {}, ""
    if not only:
        results, stopped = measure_sizes(
            sizes, lambda n, rows: bench_n(n, repeat, vanilla if n < 100_000 else None, rows)
        )
    if only == "rebuild" and vanilla is not None:
        results = {n: bench_rebuild(n, repeat, vanilla) for n in sizes}
    if only == "check":
        results = {n: bench_check_only(n, repeat) for n in sizes}
    if only == "full":
        results, stopped = measure_sizes(sizes, lambda n, rows: bench_full_only(n, repeat, rows))
    parts = (
        table(results) if results else "",
        run_bounds(repeat) if only in ("", "bounds") else "",
        slow_line(repeat) if only in ("", "slow-line") else "",
    )
    text = "\n\n".join(part for part in parts if part)
    if stopped:
        text += f"\n\n**Stopped before its last row** ({stopped}): the rows above are those measured until then."
    print(text)
    if os.environ.get("BENCH_RECORD", "1") == "1":
        previewed = os.environ.get("BENCH_PREVIEW", "on") != "off"
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        with open(BENCH / "RESULTS.md", "a", encoding="utf-8") as handle:
            handle.write(
                f"\n## {dt.date.today().isoformat()}, commit {commit or 'unknown'}, "
                + {
                    "bounds": "hostile entries only",
                    "slow-line": "search on a slow line only",
                    "rebuild": "one body edit, ours and vanilla cached only",
                    "check": "`briefing check` only",
                    "full": "our full builds only",
                }.get(only, f"{corpus_generator()[0]} corpus")
                + f", median of {repeat}"
                + (f" (the preview's rows of {max(repeat, PREVIEW_EDITS)} edits)" if not only and previewed else "")
                + f", {os.cpu_count()} cores, load average {load:.1f} at the start"
                + f"\n\n{text}\n"
            )

    if stopped:
        raise SystemExit(f"bench stopped: {stopped}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a stopped bench records its rows too
    main()
