"""A faked clock for a child process: libfaketime (the `libfaketime` wheel's build of it),
preloaded as the `faketime` command does, without needing that command installed."""

from __future__ import annotations


def faked_clock_env(start: str) -> dict[str, str]:
    """Environment variables under which a child process believes it is `start` (then time runs on)."""
    try:
        import libfaketime
    except ImportError:
        raise RuntimeError("libfaketime is not installed: run `make setup`") from None
    _, preload = libfaketime.get_reload_information()  # LD_PRELOAD and LD_LIBRARY_PATH of its library
    return {**preload, "FAKETIME": f"@{start}"}
