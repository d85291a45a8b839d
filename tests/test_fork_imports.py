"""Workers the preview forks from a thread must import nothing for the first time: a module lock
another thread held at the fork is never released in the child, which then waits forever (make
test hung so once, on the search child's first `import platform`; test_live guards that child).
These are the others: the open-data worker of a front-matter edit and the page workers of a
template edit, forked from the watcher's thread while request threads run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parent

# Run in a fresh interpreter: this process has imported everything other tests needed.
CHILDS_WORK = """
import json, sys
from pathlib import Path
sys.path[:0] = [sys.argv[1]]
from briefing.build import live_data, render
render.PARALLEL_FROM = 1  # the first build's pages and open data in forked workers, as at 10,000 entries
from test_live import Live, make_site

site = Live(make_site(Path(sys.argv[2]))).preview.live
loaded = set(sys.modules)
live_data._DATA_JOB["live"] = site  # what the open-data worker of a front-matter edit runs
live_data._changed_data()
env = site.generator.env  # what a page worker of a template edit runs
render._ready_in_worker(env)
render._render_share(env, site.specs, [None] * len(site.specs), str(Path(sys.argv[2]) / "again"))
print(json.dumps(sorted(set(sys.modules) - loaded)))
"""


def test_the_preview_s_forked_workers_import_no_module_of_their_own(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", CHILDS_WORK, str(TESTS), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout.splitlines()[-1]) == []
