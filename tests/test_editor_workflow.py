"""Issue 18, "Done when": seven entries on real 2025 events go from pasted wire copy to a clean
check with `briefing new`, `briefing suggest --write` and no hand edits but the events'
wording and names' roles.

Each case in tests/fixtures/workflow/ holds the editor's `briefing new` arguments
(new.args, one a line), the wire copy they paste (wire.md, written for these tests from the
public record), the file as `suggest --write` leaves it (suggested.md), and the file after
the editor's hand edits (final.md). The cases run in order in one copy of the bundled
content, as an editor would write them: a person one entry introduces is known to the next.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from tools.cli import briefing
from tools.sites import ROOT

CASES = sorted((Path(__file__).parent / "fixtures" / "workflow").iterdir())
_EVENT_WHAT = re.compile(r"^    what: ")
_ROLE = re.compile(r"^  - \{name: (?P<name>[^,]+), country: (?P<country>[^,]+), role: (?P<role>.+)\}$")


def _hand_edit_is_wording_or_role(before: str, after: str) -> bool:
    """A line the editor may change: an event's `what`, or the role of a new official."""
    if _EVENT_WHAT.match(before) and _EVENT_WHAT.match(after):
        return True
    old, new = _ROLE.match(before), _ROLE.match(after)
    return bool(old and new and (old["name"], old["country"]) == (new["name"], new["country"]))


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[Path, str, str]]:
    """case name -> (site, path of the entry, what `suggest --write` printed on stderr)."""
    site = tmp_path_factory.mktemp("workflow")
    shutil.copytree(ROOT / "content", site / "content")
    out = {}
    for case in CASES:
        new = briefing("new", *(case / "new.args").read_text(encoding="utf-8").splitlines(), cwd=site)
        assert (new.returncode, new.stderr) == (0, ""), case.name
        path = new.stdout.strip()
        entry = site / path
        entry.write_text(
            entry.read_text(encoding="utf-8") + "\n" + (case / "wire.md").read_text(encoding="utf-8"), encoding="utf-8"
        )
        suggested = briefing("suggest", "--write", path, cwd=site)
        assert suggested.returncode == 0, f"{case.name}: {suggested.stderr}"
        out[case.name] = (site, path, suggested.stderr)
        shutil.copy(entry, site / f"{case.name}.suggested")
        shutil.copy(case / "final.md", entry)  # the editor's hand edits, before the next entry
    return out


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_suggest_write_gives_the_front_matter_an_editor_keeps(written, case):
    site, path, stderr = written[case.name]
    assert stderr.startswith(f"Added to {path}: ")
    got = (site / f"{case.name}.suggested").read_text(encoding="utf-8")
    expected = (case / "suggested.md").read_text(encoding="utf-8")
    assert got == expected, "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True)))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_editors_hand_edits_touch_only_wording_and_roles(case):
    suggested = (case / "suggested.md").read_text(encoding="utf-8").split("\n")
    final = (case / "final.md").read_text(encoding="utf-8").split("\n")
    assert len(suggested) == len(final)  # nothing added, nothing cut
    changed = [(a, b) for a, b in zip(suggested, final, strict=True) if a != b]
    assert changed, "the editor rewrites each event in their own words"
    assert all(_hand_edit_is_wording_or_role(a, b) for a, b in changed), changed


@pytest.mark.slow
def test_the_seven_entries_pass_the_strict_check_and_suggest_has_nothing_more_to_add(written):
    site = next(iter(written.values()))[0]
    check = briefing("check", "--strict", cwd=site)
    entries = len(list((site / "content" / "briefings").rglob("*.md")))
    profiles = sum(
        len(list((site / "content" / kind).glob("*.md"))) for kind in ("countries", "officials", "issues", "relations")
    )
    assert (check.returncode, check.stdout) == (0, "")
    summaries = len(list((site / "content" / "digests").glob("*.md")))
    pages = len(list((site / "content" / "pages").glob("*.md")))
    assert (summaries, pages) == (3, 1)  # the bundled digest summaries and About page
    assert check.stderr == (
        f"checked {entries} entries, {summaries} digest summaries, {pages} page and {profiles} profiles: no problems\n"
    )
    for _, path, _ in written.values():
        again = briefing("suggest", "--write", path, cwd=site)
        assert (again.returncode, again.stderr) == (0, f"Nothing to add: {path} already lists everything suggested.\n")


def test_the_wire_copy_reads_like_wire_copy():
    """Each case pastes at least three paragraphs that open with a dateline, as agencies file."""
    for case in CASES:
        paragraphs = (case / "wire.md").read_text(encoding="utf-8").strip().split("\n\n")
        assert len(paragraphs) >= 3, case.name
        assert re.match(r"^[A-Z][A-Z ]+(?:, [A-Z][a-z]+)?, [A-Z][a-z]+\.? \d{1,2} \(Briefing wire\) -- ", paragraphs[0])
