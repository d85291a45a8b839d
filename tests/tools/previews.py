"""The previews the tests run in their own process (test_live.Live), each closed when its test
ends (conftest): a preview left open collects the heap and forks from its threads in the middle
of whatever test runs next in that process."""

from __future__ import annotations

OPEN: list = []  # the LivePreviews started since the last close_all()


def opened(preview):
    OPEN.append(preview)
    return preview


def close_all():
    while OPEN:
        OPEN.pop().close()
