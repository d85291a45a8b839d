"""`make bench` works end to end (at N=50; the real figures come from `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

ROWS = [
    "vanilla full",
    "vanilla cached, touch 1",
    "ours full, no search",
    "ours full, with search",
    "search index alone (every bundle)",
    "pagefind crawling our HTML",
    "search index, one entry edited",
    "ours rebuild, one body edited",
    "ours rebuild, one entry's countries changed",
    "ours rebuild, one entry added",
    "briefing check",
]


def test_bench_runs_every_measurement_and_prints_ratios():
    env = {**os.environ, "BENCH_N": "50", "BENCH_REPEAT": "1", "BENCH_RECORD": "0", "BENCH_SLOW_LINE": "bundled"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py")], capture_output=True, text=True, env=env, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {}
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[0] == "50":
            rows[cells[1]] = cells
    assert list(rows) == ROWS
    assert int(rows["vanilla full"][5]) > 250  # vanilla really read the 50 entries (markdown installed)
    ours = int(rows["ours full, no search"][5])
    assert ours > 300
    assert int(rows["ours rebuild, one entry added"][5]) == ours + 1
    for label in ROWS[2:4] + ROWS[7:10]:
        assert float(rows[label][6]) > 0
    # The search page on a throttled line: the bundled site, as a plain and as a gzip host.
    slow = [line.split("|")[1:-1] for line in result.stdout.splitlines() if line.startswith("| bundled site")]
    assert [cells[0].strip() for cells in slow] == ["bundled site, q=border", "bundled site, q=border, gzip"]
    for cells in slow:
        first, target, kilobytes = float(cells[1]), float(cells[2]), int(cells[3])
        assert first > 0 and target == 2.5 and kilobytes > 100  # Pagefind's script and WebAssembly at least
