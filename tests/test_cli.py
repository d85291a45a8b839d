"""The `briefing` console script as editors run it: `new` and the warnings of `check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap

import pytest
from tools.cli import briefing
from tools.sites import ROOT, entry, write_files

PROFILE_FOLDERS = ("countries", "officials", "issues")
BUNDLED_PROFILES = sum(len(list((ROOT / "content" / kind).glob("*.md"))) for kind in PROFILE_FOLDERS)


@pytest.fixture
def content_folder(tmp_path):
    """A content folder with the bundled profiles and one entry."""
    for folder in PROFILE_FOLDERS:
        shutil.copytree(ROOT / "content" / folder, tmp_path / "content" / folder)
    write_files(
        tmp_path,
        {
            "content/briefings/2025/talks.md": entry(
                "Misri and Sun Weidong meet in Beijing", "2025-01-27", countries="[India, China]"
            )
        },
    )
    return tmp_path


# --- briefing new ---------------------------------------------------------------------


def test_new_writes_the_entry_with_canonical_names_and_prints_its_path(content_folder):
    result = briefing(
        "new",
        "India and China agree to resume direct flights",
        "--date",
        "2025-01-27",
        "--country",
        "india",
        "--country",
        "PRC",
        "--official",
        "misri",
        "--issue",
        "direct flights",
        "--issue",
        "Air connectivity",
        cwd=content_folder,
    )
    assert result.returncode == 0, result.stderr
    path = "content/briefings/2025/india-and-china-agree-to-resume-direct-flights.md"
    assert result.stdout == path + "\n"
    assert result.stderr == ""
    assert (content_folder / path).read_text(encoding="utf-8") == textwrap.dedent(f"""\
        ---
        title: India and China agree to resume direct flights
        date: 2025-01-27
        summary:    # optional: one or two sentences; by default, the body's first paragraph
        countries: [India, China]
        officials: [Vikram Misri]
        issues: [Direct flights]
        events:     # dated facts the entry reports, one item each:
        #  - date: 2025-04-04            # YYYY, YYYY-MM or YYYY-MM-DD
        #    what: What happened, in one sentence
        source:     # {{name: Ministry of External Affairs, url: "https://www.mea.gov.in/"}}
        status: published    # or draft: previewed locally, never published
        ---

        <!-- Write the entry below this line (this note is never shown). Then run: briefing suggest {path} -->
        """)
    check = briefing("check", "--strict", cwd=content_folder)
    assert (check.returncode, check.stdout, check.stderr) == (
        0,
        "",
        f"checked 2 entries and {BUNDLED_PROFILES} profiles: no problems\n",
    )


def test_new_quotes_a_title_that_yaml_would_misread_and_accepts_a_new_issue(content_folder):
    result = briefing(
        "new",
        "Quad: leaders meet # in Delhi",
        "--date",
        "2024-09-21",
        "--new-issue",
        "Quad summit",
        "--country",
        "United States of America",
        cwd=content_folder,
    )
    assert result.returncode == 0, result.stderr
    text = (content_folder / result.stdout.strip()).read_text(encoding="utf-8")
    assert result.stdout == "content/briefings/2024/quad-leaders-meet-in-delhi.md\n"
    assert 'title: "Quad: leaders meet # in Delhi"\n' in text
    assert "countries: [United States]\nofficials: []\nissues: [Quad summit]\n" in text
    check = briefing("check", "--strict", cwd=content_folder)
    assert (check.returncode, check.stdout) == (0, "")


def test_new_refuses_to_overwrite(content_folder):
    args = ("new", "Misri visits Beijing", "--date", "2025-01-26", "--country", "India")
    assert briefing(*args, cwd=content_folder).returncode == 0
    path = content_folder / "content/briefings/2025/misri-visits-beijing.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe editor's text.\n", encoding="utf-8")
    before = path.read_bytes()
    again = briefing(*args, cwd=content_folder)
    assert again.returncode == 1
    assert again.stdout == ""
    assert again.stderr == (
        "briefing new: error: content/briefings/2025/misri-visits-beijing.md already exists; "
        "refusing to overwrite it (give another --slug)\n"
    )
    assert path.read_bytes() == before


def test_new_refuses_an_address_another_entry_already_has(content_folder):
    result = briefing("new", "Misri and Sun Weidong meet in Beijing", "--date", "2025-03-01", cwd=content_folder)
    assert result.returncode == 1
    assert result.stderr == (
        "briefing new: error: content/briefings/2025/talks.md already has the address "
        "/briefings/2025/misri-and-sun-weidong-meet-in-beijing/: give another --slug\n"
    )
    assert sorted(p.name for p in (content_folder / "content/briefings/2025").iterdir()) == ["talks.md"]


def test_new_with_a_slug_writes_it_so_the_page_has_that_address(content_folder, monkeypatch):
    """Issue 18, item 1: the advice for a duplicate title ("give another --slug") works."""
    from briefing.domain.site import load_site

    title = "Misri and Sun Weidong meet in Beijing"  # the title of talks.md
    result = briefing(
        "new", title, "--date", "2025-03-01", "--slug", "misri-sun-march", "--country", "India", cwd=content_folder
    )
    assert (result.returncode, result.stdout) == (0, "content/briefings/2025/misri-sun-march.md\n"), result.stderr
    text = (content_folder / "content/briefings/2025/misri-sun-march.md").read_text(encoding="utf-8")
    assert "\nslug: misri-sun-march\nstatus: published" in text
    check = briefing("check", "--strict", cwd=content_folder)
    assert check.returncode == 0, check.stdout
    monkeypatch.chdir(content_folder)
    built, problems = load_site("content")
    assert problems == []
    assert sorted(e.url for e in built.entries) == [
        "/briefings/2025/misri-and-sun-weidong-meet-in-beijing/",
        "/briefings/2025/misri-sun-march/",
    ]


def test_new_without_a_slug_writes_no_slug_line(content_folder):
    result = briefing("new", "Talks in Delhi", "--date", "2025-03-01", cwd=content_folder)
    assert "\nslug:" not in (content_folder / result.stdout.strip()).read_text(encoding="utf-8")


def test_new_refuses_unknown_names_with_did_you_mean_and_writes_nothing(content_folder):
    result = briefing(
        "new",
        "Talks",
        "--date",
        "2025-06-12",
        "--country",
        "Inida",
        "--country",
        "Atlantis",
        "--official",
        "Wang Yee",
        "--official",
        "John Smith",
        "--issue",
        "rare earth export control",
        cwd=content_folder,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "briefing new: error: unknown country 'Inida' (did you mean 'India'?)",
        "briefing new: error: unknown country 'Atlantis'",
        "briefing new: error: unknown official 'Wang Yee' (did you mean 'Wang Yi'?)",
        "briefing new: error: unknown official 'John Smith': add a profile in content/officials/ first, "
        "or name them in an entry with their country",
        "briefing new: error: unknown issue 'rare earth export control' (did you mean 'Rare earth export controls'?); "
        "for an issue no entry has named yet, use --new-issue",
    ]
    assert not (content_folder / "content/briefings/2025/talks-2.md").exists()
    assert sorted(p.name for p in (content_folder / "content/briefings").rglob("*.md")) == ["talks.md"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("--date", "2025-02-30"), "--date: '2025-02-30' is not a real date (day is out of range for month)"),
        (("--date", "12/06/2025"), "--date: '12/06/2025' is not a date: write the day as YYYY-MM-DD"),
        (("--date", "2025-06"), "--date '2025-06' is not a day: an entry is dated by its day, e.g. --date 2025-06-01"),
        (("--date", "2025"), "--date '2025' is not a day: an entry is dated by its day, e.g. --date 2025-01-01"),
        (
            ("--slug", "Not A Slug"),
            "slug 'Not A Slug' must be lowercase letters, digits and single hyphens, at most 120 characters",
        ),
        (
            ("--content", "nowhere"),
            "content folder 'nowhere' not found: run this in the site's folder, or give --content",
        ),
    ],
)
def test_new_explains_bad_options(content_folder, args, message):
    result = briefing("new", "Talks in Delhi", *args, cwd=content_folder)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"briefing new: error: {message}\n")


def test_new_without_a_date_uses_today(content_folder):
    import datetime as dt

    result = briefing("new", "Today's talks", cwd=content_folder)
    today = dt.date.today()
    assert result.stdout == f"content/briefings/{today.year}/todays-talks.md\n"
    assert f"\ndate: {today.isoformat()}\n" in (content_folder / result.stdout.strip()).read_text(encoding="utf-8")


# --- briefing check: warnings, --strict, --format json -------------------------------------------

WARNED = {
    "content/briefings/2199/future.md": entry("Far ahead", "2199-01-01", countries="[India]"),
    "content/briefings/2025/nameless.md": entry("No names", "2025-01-02"),
    "content/briefings/2025/long.md": entry("Long summary", "2025-01-03", countries="[India]", summary="x" * 301),
    "content/briefings/2025/later-event.md": (
        "---\ntitle: Event after the entry\ndate: 2025-01-04\ncountries: [India]\nevents:\n"
        "  - date: 2025-02\n    what: A later thing\n---\nBody.\n"
    ),
    "content/briefings/2025/ftp.md": (
        "---\ntitle: Odd source\ndate: 2025-01-05\nissues: [Border dispute]\n"
        'source: {name: Archive, url: "ftp://files.example.org/a.txt"}\n---\nBody.\n'
    ),
}
WARNINGS = [
    "content/briefings/2025/ftp.md:5:30: warning: source url 'ftp://files.example.org/a.txt' is not http(s): "
    "it is shown as text, not linked",
    "content/briefings/2025/later-event.md:6:5: warning: event dated 2025-02, after the entry (2025-01-04): add 'scheduled: true' if it is planned",
    "content/briefings/2025/long.md:1:1: warning: summary is 301 characters; keep it under 300",
    "content/briefings/2025/nameless.md:1:1: warning: names no country and no issue: it will appear on no entity page",
    "content/briefings/2199/future.md:3:7: warning: dated in the future (2199-01-01)",
]


@pytest.fixture
def warned_site(content_folder):
    return write_files(content_folder, WARNED)


def test_check_prints_each_warning_and_exits_0(warned_site):
    result = briefing("check", cwd=warned_site)
    assert result.returncode == 0
    assert result.stdout.splitlines() == WARNINGS
    assert result.stderr == f"checked 6 entries and {BUNDLED_PROFILES} profiles: 5 warnings\n"


def test_a_clean_check_prints_one_line_with_real_counts(content_folder):
    result = briefing("check", cwd=content_folder)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "",
        f"checked 1 entry and {BUNDLED_PROFILES} profiles: no problems\n",
    )
    bundled = briefing("check", cwd=ROOT)
    entries = len(list((ROOT / "content/briefings").rglob("*.md")))
    profiles = BUNDLED_PROFILES + len(list((ROOT / "content" / "relations").glob("*.md")))
    summaries = len(list((ROOT / "content" / "digests").glob("*.md")))
    pages = len(list((ROOT / "content" / "pages").glob("*.md")))
    assert (bundled.returncode, bundled.stdout) == (0, "")
    checked = f"checked {entries} entries, {summaries} digest summaries, {pages} page and {profiles} profiles"
    assert bundled.stderr == f"{checked}: no problems\n"


def test_check_strict_fails_on_warnings(warned_site):
    result = briefing("check", "--strict", cwd=warned_site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == WARNINGS
    assert result.stderr == f"checked 6 entries and {BUNDLED_PROFILES} profiles: 5 warnings\n"


def test_check_json_lists_errors_and_warnings_for_tools(warned_site):
    write_files(warned_site, {"content/briefings/2025/typo.md": entry("Typo", "2025-01-06", countires="[India]")})
    result = briefing("check", "--format", "json", cwd=warned_site)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report[0] == {
        "path": "content/briefings/2025/ftp.md",
        "line": 5,
        "column": 30,
        "severity": "warning",
        "message": WARNINGS[0].split(": warning: ")[1],
    }
    assert [(d["path"], d["line"], d["column"], d["severity"]) for d in report] == [
        ("content/briefings/2025/ftp.md", 5, 30, "warning"),
        ("content/briefings/2025/later-event.md", 6, 5, "warning"),
        ("content/briefings/2025/long.md", 1, 1, "warning"),
        ("content/briefings/2025/nameless.md", 1, 1, "warning"),
        ("content/briefings/2025/typo.md", 4, 1, "error"),
        ("content/briefings/2199/future.md", 3, 7, "warning"),
    ]
    assert report[4]["message"] == "unknown key 'countires' (did you mean 'countries'?)"
    assert result.stderr == ""


def test_check_json_of_clean_content_is_an_empty_list(content_folder):
    result = briefing("check", "--format", "json", "--strict", cwd=content_folder)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


# --- pre-commit: the hook in .pre-commit-config.yaml, run by real git and pre-commit --------------


def _git(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_pre_commit_hook_checks_what_is_staged_and_stops_a_bad_commit(content_folder, tmp_path_factory, monkeypatch):
    if not (ROOT / ".venv" / "bin" / "pre-commit").exists():
        pytest.fail("pre-commit is not installed in .venv: run make setup (it is a test dependency)")
    shutil.copy(ROOT / ".pre-commit-config.yaml", content_folder / ".pre-commit-config.yaml")
    (content_folder / ".venv").symlink_to(ROOT / ".venv")
    (content_folder / ".gitignore").write_text(".venv\n", encoding="utf-8")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path_factory.mktemp("pre-commit-home")))
    assert _git("init", "-q", "-b", "main", cwd=content_folder).returncode == 0
    _git("config", "user.email", "editor@example.org", cwd=content_folder)
    _git("config", "user.name", "Editor", cwd=content_folder)
    install = subprocess.run(
        [str(ROOT / ".venv/bin/pre-commit"), "install"], cwd=content_folder, capture_output=True, text=True, timeout=300
    )
    assert install.returncode == 0, install.stderr
    _git("add", "-A", cwd=content_folder)
    good = _git("commit", "-q", "-m", "Profiles and a first entry", cwd=content_folder)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "briefing check (content)" in good.stderr and "Passed" in good.stderr

    bad = content_folder / "content/briefings/2025/typo.md"
    bad.write_text(entry("Typo", "2025-02-01", countries="[Inida]"), encoding="utf-8")
    _git("add", str(bad), cwd=content_folder)
    refused = _git("commit", "-q", "-m", "A typo", cwd=content_folder)
    assert refused.returncode == 1
    assert (
        "content/briefings/2025/typo.md:4:13: error: unknown country 'Inida' (did you mean 'India'?)"
        in refused.stdout + refused.stderr
    )
    assert _git("log", "--format=%s", cwd=content_folder).stdout == "Profiles and a first entry\n"

    # Fixed in the index but broken again, unstaged, in the working tree: the staged version is checked.
    bad.write_text(entry("Typo", "2025-02-01", countries="[India]"), encoding="utf-8")
    _git("add", str(bad), cwd=content_folder)
    bad.write_text(entry("Typo", "2025-02-01", countries="[Inida]"), encoding="utf-8")
    fixed = _git("commit", "-q", "-m", "Typo fixed", cwd=content_folder)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (
        _git("show", "HEAD:content/briefings/2025/typo.md", cwd=content_folder).stdout.splitlines()[3]
        == "countries: [India]"
    )
    assert "[Inida]" in bad.read_text(encoding="utf-8")  # the editor's unstaged work is put back

    # A warning does not stop the commit, and is printed (issue 18, item 6).
    warned = content_folder / "content/briefings/2025/nameless.md"
    warned.write_text(entry("No names", "2025-02-02"), encoding="utf-8")
    _git("add", str(warned), cwd=content_folder)
    let_through = _git("commit", "-q", "-m", "A warning", cwd=content_folder)
    assert let_through.returncode == 0, let_through.stdout + let_through.stderr
    assert (
        "content/briefings/2025/nameless.md:1:1: warning: names no country and no issue: "
        "it will appear on no entity page" in let_through.stdout + let_through.stderr
    )
