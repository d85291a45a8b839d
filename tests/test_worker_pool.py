"""Worker pools fork with the heap frozen, so a worker's collections never walk the model it
inherits; overlapping pools (the preview's search worker and a save's) unfreeze only at the last."""

from __future__ import annotations

import gc

from briefing.safety import worker_pool


def _frozen_in_worker(_):
    return gc.get_freeze_count()


def test_a_worker_inherits_the_heap_frozen_and_the_parent_unfreezes_after_the_last_pool():
    model = [{"entry": i} for i in range(1000)]  # what a build holds when it forks
    assert gc.get_freeze_count() == 0
    with worker_pool(1) as outer:
        assert gc.get_freeze_count() >= len(model)
        assert outer.submit(_frozen_in_worker, None).result() >= len(model)
        with worker_pool(1) as inner:
            assert inner.submit(_frozen_in_worker, None).result() >= len(model)
        assert gc.get_freeze_count() >= len(model)  # the outer pool still lives
    assert gc.get_freeze_count() == 0
