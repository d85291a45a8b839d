"""Whole-site diagnostics from fixture files: several content files and the exact lines the
check must print for them (tests/fixtures/sites/*.txt). Each file is a description, then
`-- path --` sections holding files, then `-- expected --` and the report."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from briefing.domain.diagnostics import format_report
from briefing.domain.site import load_site

FIXTURES = Path(__file__).parent / "fixtures"
_SECTION = re.compile(r"^-- (\S+) --\n", re.M)


def read_site_fixture(path: Path) -> tuple[dict[str, str], str]:
    """({path: text} of the files, the expected report)."""
    parts = _SECTION.split(path.read_text(encoding="utf-8"))
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    expected = sections.pop("expected").rstrip("\n")
    return sections, expected


CASES = sorted((FIXTURES / "sites").glob("*.txt"))


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_check_reports_exact_lines_for_a_site(tmp_path, monkeypatch, fixture):
    files, expected = read_site_fixture(fixture)
    shutil.copytree(FIXTURES / "profiles", tmp_path / "content")
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, problems = load_site(Path("content"), render=False, today=dt.date(2026, 1, 1))
    assert format_report(problems) == expected


def test_there_are_site_fixtures():
    assert len(CASES) >= 6
