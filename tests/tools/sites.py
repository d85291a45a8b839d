"""Small whole sites for tests: files written from dicts, built with real Pelican.

`build_in_process` is what the `site` fixture uses (Pelican in this process); `run_pelican`
runs the `pelican` command in a subprocess, for the tests where the process itself is what
is tested (exit codes, signals, atomic output, a clean interpreter).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (text dedented), and return root."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def entry(title: str, date: str, body: str = "Body text.", **keys) -> str:
    """An entry file's text from keyword front-matter values (already YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{k}: {v}" for k, v in keys.items()]
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def doc(out: Path, url: str):
    """The built page at `url` ('/countries/india/'), parsed by lxml."""
    import lxml.html

    return lxml.html.fromstring(read(out / url.strip("/") / "index.html"))


def text(node) -> str:
    """An element's words, white space collapsed."""
    return " ".join(node.text_content().split())


def item_text(li) -> str:
    """A timeline item's words (an lxml <li>) without an event's links (entries, source,
    permalink) and entity tags."""
    parts = li.xpath("time | span[@class='tl-kind' or @class='event-what']")
    text = (
        " ".join(part.text_content() for part in parts) if li.xpath("span[@class='event-what']") else li.text_content()
    )
    return " ".join(text.split())


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def settings_file(root: Path, **overrides) -> Path:
    """A pelicanconf for a site under `root`, using this project's theme and plugin."""
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text = text.replace('THEME = "themes/briefing"', f"THEME = {str(ROOT / 'themes' / 'briefing')!r}")
    text = text.replace('PLUGIN_PATHS = ["plugins"]', f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]")
    for key, value in overrides.items():
        text += f"\n{key} = {value!r}\n"
    path = root / "pelicanconf.py"
    path.write_text(text, encoding="utf-8")
    # Python checks bytecode against its source's size and mtime in whole seconds: settings
    # written again within a second, at the same size, would be read as they were before
    Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
    return path


def run_pelican(
    root: Path, output: str = "output", env: dict | None = None, **overrides
) -> subprocess.CompletedProcess:
    """`pelican content -s pelicanconf.py -o output`, as an editor runs it, in `root`."""
    settings_file(root, **overrides)
    return subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", output],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )


@dataclass
class BuiltSite:
    """One small site built in-process with real Pelican: its folder, exit status and stderr."""

    root: Path
    status: int
    stderr: str
    output_name: str = "output"

    @property
    def output(self) -> Path:
        return self.root / self.output_name

    @property
    def ok(self) -> bool:
        return self.status == 0

    def text(self, relative: str) -> str:
        """A built file's text, e.g. site.text("countries/india/index.html")."""
        return (self.output / relative).read_text(encoding="utf-8")

    def exists(self, relative: str) -> bool:
        return (self.output / relative).exists()

    def write(self, files: dict[str, str]) -> BuiltSite:
        """Add or replace files of the site (not yet built)."""
        write_files(self.root, files)
        return self

    def rebuild(self, output: str | None = None, env: dict | None = None, **overrides) -> BuiltSite:
        """Build the same folder again, in-process, into `output` (by default the same one)."""
        return build_in_process(self.root, output=output or self.output_name, env=env, **overrides)


@contextlib.contextmanager
def environment(env: dict | None):
    """os.environ with `env` added for the duration, restored after."""
    saved = {key: os.environ.get(key) for key in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_in_process(root: Path, output: str = "output", env: dict | None = None, **overrides) -> BuiltSite:
    """Build `root`/content with Pelican in this process, from `root` as the working folder
    (what `make html` does, minus the interpreter start-up); a refused build is status 1 with
    the diagnostics (paths relative to `root`) in stderr."""
    from pelican import Pelican
    from pelican.settings import read_settings

    conf = settings_file(root, **overrides)
    settings = read_settings(str(conf), override={"OUTPUT_PATH": str(root / output)})
    stderr, status = io.StringIO(), 0
    quiet = contextlib.redirect_stdout(io.StringIO())
    with contextlib.chdir(root), environment(env), contextlib.redirect_stderr(stderr), quiet:
        try:
            Pelican(settings).run()
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    return BuiltSite(root, status, stderr.getvalue(), output)
