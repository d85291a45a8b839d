"""Content diagnostics from fixture files: each case is an entry and the exact lines it
must produce (tests/fixtures/check/*.md, read like markdown-it's fixtures)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from briefing.domain.diagnostics import format_report
from briefing.domain.site import load_site

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [
    pytest.param(text, expected, id=f"{path.stem}-{line}-{title}")
    for path in sorted((FIXTURES / "check").glob("*.md"))
    for line, title, text, expected in read_fixture_file(path)
]


FILE_MARK = re.compile(r"^-- (\S+) --\n", re.M)


def case_files(text: str) -> dict[str, str]:
    """A case is one entry (content/briefings/case.md), or several files, each after a
    `-- path --` line (as Hugo's integration tests hold a site in one string)."""
    if not text.startswith("-- "):
        return {"content/briefings/case.md": text}
    parts = FILE_MARK.split(text)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


@pytest.mark.parametrize("text,expected", CASES)
def test_check_reports_exact_lines(tmp_path, monkeypatch, text, expected):
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    for path, body in case_files(text).items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    _, problems = load_site(Path("content"), render=False, today=__import__("datetime").date(2026, 1, 1))
    assert format_report(problems) == expected.rstrip("\n")


def test_every_fixture_file_has_cases():
    assert len(CASES) >= 30
    assert os.path.isdir(FIXTURES / "profiles" / "officials")
