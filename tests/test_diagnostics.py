"""Content diagnostics from fixture files: each case is an entry and the exact lines it
must produce (tests/fixtures/check/*.md, read like markdown-it's fixtures)."""

from __future__ import annotations

import os
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


@pytest.mark.parametrize("text,expected", CASES)
def test_check_reports_exact_lines(tmp_path, monkeypatch, text, expected):
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    target = tmp_path / "content" / "briefings" / "case.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    _, problems = load_site(Path("content"), render=False, today=__import__("datetime").date(2026, 1, 1))
    assert format_report(problems) == expected.rstrip("\n")


def test_every_fixture_file_has_cases():
    assert len(CASES) >= 30
    assert os.path.isdir(FIXTURES / "profiles" / "officials")
