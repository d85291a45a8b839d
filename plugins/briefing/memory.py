"""The C heap of a long build process: what Python frees goes back to the system.

glibc keeps freed memory for reuse: pages freed in the middle of its heap, and blocks of a
megabyte or more, which it maps and unmaps alone at first but keeps in the heap once one has
been freed (its threshold rises to the largest freed). A process that makes and drops big
things one after another (the search step's bundles, each some 50 MB of records and files)
then grows as if it held them all: the search process of a 100,000-entry build grew by 690 MiB
over its 24 bundles while it held one or two. Both helpers are no-ops where there is no glibc.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
LARGE_BLOCK = 1 << 20  # bytes: a block this big or bigger is mapped alone, and unmapped when freed


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def give_back_freed_memory():
    """Hand the C heap's free pages back to the system (glibc's malloc_trim: 4 ms at 10,000
    entries), so that workers forked next do not count what the parent has freed. No
    collection first: what a build drops is freed by reference counts, and a full collection
    of its heap costs 0.4 s at 10,000 entries for nothing."""
    with contextlib.suppress(OSError, AttributeError):
        _libc().malloc_trim(0)


def map_large_blocks():
    """From now on, every block of LARGE_BLOCK or more is mapped alone and unmapped when freed
    (a fixed threshold: glibc's own rises once such a block is freed)."""
    with contextlib.suppress(OSError, AttributeError):
        _libc().mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)
