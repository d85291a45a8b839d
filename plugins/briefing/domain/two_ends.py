"""Two processes sharing out one list from its two ends, and the pipe between them: the cold
check's halves (check_split.py) and the build's bodies rendered while the site is derived
(early_bodies.py). Each process takes chunks from its end until they meet, so both end
together however the machine's load or the items differ."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from multiprocessing.reduction import ForkingPickler

from ..safety import die_with_parent


class Lost(Exception):
    """The far process died or its pipe broke: the caller does the work the one-process way."""


class Link:
    """A forked process running `job(connection, *args)`, and the main process's end of its pipe."""

    def __init__(self, job, *args):
        context = multiprocessing.get_context("fork")
        self.connection, far_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(far_end, os.getpid(), job, args))
        self.process.start()
        far_end.close()

    def receive(self):
        try:
            return self.connection.recv()
        except (EOFError, OSError) as exc:
            raise Lost from exc

    def receive_streamed(self):
        """What the far process sent with send_streamed, unpickled as it arrives: the main
        process never holds the whole pickle beside what it makes (a child's rendered bodies
        pickle to 21-54 MB at 10,000 entries, ten times that at 100,000)."""
        try:
            with open(os.dup(self.connection.fileno()), "rb") as stream:
                return pickle.load(stream)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:  # the far process died mid-way
            raise Lost from exc

    def send(self, value):
        self.send_pickled(ForkingPickler.dumps(value))

    def send_pickled(self, pickled):
        """Send what ForkingPickler.dumps made (the far end's recv() reads it as send's)."""
        try:
            self.connection.send_bytes(pickled)
        except (OSError, ValueError) as exc:
            raise Lost from exc

    def close(self):
        self.connection.close()
        self.process.join()

    join = close  # as CheckStore.join_writers joins its writers

    def kill(self):
        """Stop the far process now (its answer received, or no longer wanted) and reap it."""
        self.process.kill()
        self.close()


def send_streamed(connection, value):
    """Pickle `value` into the pipe a frame at a time (receive_streamed's other end): the far
    process does not make the whole pickle first either. Its last message on this pipe."""
    with open(os.dup(connection.fileno()), "wb") as stream:
        pickle.dump(value, stream, pickle.HIGHEST_PROTOCOL)


def _serve(connection, parent: int, job, args):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    die_with_parent(parent)
    try:
        job(connection, *args)
    except Exception:  # the main process sees the pipe close and does the work itself
        os._exit(1)
    finally:
        connection.close()


class Meeting:
    """The items no process has taken yet, [head, tail), in memory the two processes share:
    the main process takes chunks of `chunk` items from the head, the far one from the tail,
    until they meet. Each first takes up to a chunk without asking (a small list is split in
    two halves, the same way every time)."""

    def __init__(self, count: int, chunk: int):
        context = multiprocessing.get_context("fork")
        self.chunk = chunk
        self.head = min(chunk, count // 2)  # the main process's first share, [0, head)
        self.tail = count - min(chunk, count - count // 2)  # the far one's, [tail, count)
        self.lock = context.Lock()
        self.bounds = context.RawArray("q", [self.head, self.tail])

    def from_head(self) -> range:
        with self.lock:
            start = self.bounds[0]
            end = self.bounds[0] = min(start + self.chunk, self.bounds[1])
        return range(start, end)

    def from_tail(self) -> range:
        with self.lock:
            end = self.bounds[1]
            start = self.bounds[1] = max(end - self.chunk, self.bounds[0])
        return range(start, end)
