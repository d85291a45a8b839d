"""The `briefing` console script, run as an editor runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from tools.sites import ROOT

BRIEFING = ROOT / ".venv" / "bin" / "briefing"


def briefing_command() -> list[str]:
    """The console script of .venv, or the module where no .venv exists."""
    return [str(BRIEFING)] if BRIEFING.exists() else [sys.executable, "-m", "briefing"]


def briefing(*args, cwd, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real console script, run to completion (`env` is added to this process's)."""
    return subprocess.run(
        [*briefing_command(), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
