"""Reproducible builds: the bundled content built in two checkouts at different paths, under
different time zones, locales, hash seeds and clocks, gives byte-identical output, with no
build time and no local path anywhere in it (feeds, sitemap and search index included)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tools.clock import faked_clock_env
from tools.sites import ROOT, tree_bytes

pytestmark = pytest.mark.slow

FAKE_CLOCK = "2031-03-04 05:06:07"  # the second build believes it runs years later
PROJECT_FILES = ("pelicanconf.py", "publishconf.py")
PROJECT_FOLDERS = ("content", "plugins", "themes")

BUILDS = {
    "first": {
        "checkout": "a/checkout",
        "TZ": "Pacific/Kiritimati",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "1",
        "clock": None,
    },
    "second": {
        "checkout": "b/somewhere/much/deeper/another-checkout",
        "TZ": "America/Adak",
        "LANG": "de_DE.UTF-8",
        "PYTHONHASHSEED": "4242",
        "clock": FAKE_CLOCK,
    },
}


def checkout(destination: Path) -> Path:
    """A copy of the project as a fresh clone would have it."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return destination


def publish(project: Path, build: dict) -> subprocess.CompletedProcess:
    """`make publish`'s command, under the build's time zone, locale, hash seed and clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "SITEURL", "FAKETIME"))}
    env.update(TZ=build["TZ"], LANG=build["LANG"], PYTHONHASHSEED=build["PYTHONHASHSEED"])
    if build["clock"]:
        env.update(faked_clock_env(build["clock"]))
    command = [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", "output"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("reproducible")
    out = {}
    for name, build in BUILDS.items():
        project = checkout(base / build["checkout"])
        result = publish(project, build)
        assert result.returncode == 0, result.stderr
        out[name] = project
    return base, out


def test_faked_clock_reaches_the_build():
    """Without this the clock part of the comparison would prove nothing."""
    seen = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.date.today())"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **faked_clock_env(FAKE_CLOCK)},
    ).stdout
    assert seen == "2031-03-04\n"


def test_two_checkouts_build_byte_identical_output(builds):
    _, projects = builds
    first, second = projects["first"] / "output", projects["second"] / "output"
    diff = subprocess.run(["diff", "-r", str(first), str(second)], capture_output=True, text=True)
    assert (diff.returncode, diff.stdout) == (0, "")
    files = tree_bytes(first)
    assert files == tree_bytes(second)
    assert len(files) > 200
    for compared in ("feeds/all.atom.xml", "digests/feed.atom.xml", "sitemap.xml", "robots.txt", "index.html"):
        assert compared in files, compared


def test_output_names_no_local_path(builds):
    base, projects = builds
    local = [str(base), str(ROOT), str(Path(sys.executable).parent.parent), os.path.expanduser("~"), "/tmp/"]
    local += [str(p) for p in projects.values()]
    found = {
        path: needle
        for path, data in tree_bytes(projects["first"] / "output").items()
        for needle in local
        if needle.encode() in data
    }
    assert found == {}


def test_output_has_no_build_time(builds):
    """The second build ran at a faked clock in 2031, the first now: no trace of either."""
    _, projects = builds
    today = dt.datetime.now(dt.UTC).date()
    stamps = {str(today), f"{today.day} {today:%B %Y}", today.strftime("%Y%m%d"), "2031-03-04", "4 March 2031"}
    found = {
        path: stamp
        for path, data in tree_bytes(projects["second"] / "output").items()
        for stamp in stamps
        if stamp.encode() in data
    }
    assert found == {}


def newest_published_date() -> str:
    """The date of the newest entry that is not a draft, read straight from the content files."""
    dates = []
    for path in (ROOT / "content/briefings").rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        if "\nstatus: draft" not in front:
            dates += [line.split(":", 1)[1].strip()[:10] for line in front.splitlines() if line.startswith("date:")]
    return max(dates)


def test_feed_and_sitemap_dates_come_from_the_content(builds):
    _, projects = builds
    output = projects["first"] / "output"
    newest = newest_published_date()
    feed = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert feed.split("<updated>", 1)[1].split("</updated>", 1)[0][:10] == newest
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    lastmods = [chunk.split("</lastmod>", 1)[0] for chunk in sitemap.split("<lastmod>")[1:]]
    assert len(lastmods) > 100 and max(lastmods) == newest


def test_a_rebuild_with_a_warm_cache_is_byte_identical_too(builds):
    """The second build of a checkout reuses cached parses and unchanged pages: same bytes."""
    _, projects = builds
    rebuild = publish(projects["second"], {**BUILDS["first"], "clock": FAKE_CLOCK})
    assert rebuild.returncode == 0, rebuild.stderr
    assert tree_bytes(projects["second"] / "output") == tree_bytes(projects["first"] / "output")
