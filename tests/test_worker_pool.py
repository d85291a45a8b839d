"""Worker pools fork with the heap frozen, so a worker's collections never walk the model it
inherits; overlapping pools (the preview's search worker and a save's) unfreeze only at the last."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tools.sites import ROOT

# Run in a fresh interpreter: in the test process another test's preview may hold a pool open.
NESTED_POOLS = textwrap.dedent(
    """
    import gc
    from briefing.safety import worker_pool

    def frozen_in_worker(_):
        return gc.get_freeze_count()

    model = [{"entry": i} for i in range(1000)]  # what a build holds when it forks
    counts = [gc.get_freeze_count()]
    with worker_pool(1) as outer:
        counts += [gc.get_freeze_count() >= len(model), outer.submit(frozen_in_worker, None).result() >= len(model)]
        with worker_pool(1) as inner:
            counts.append(inner.submit(frozen_in_worker, None).result() >= len(model))
        counts.append(gc.get_freeze_count() >= len(model))  # the outer pool still lives
    counts.append(gc.get_freeze_count())
    print(counts)
    """
)


def test_a_worker_inherits_the_heap_frozen_and_the_parent_unfreezes_after_the_last_pool():
    run = subprocess.run(
        [sys.executable, "-c", NESTED_POOLS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "plugins")},
    )
    assert run.stderr == ""
    assert run.stdout == "[0, True, True, True, True, 0]\n"
