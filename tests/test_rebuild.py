"""`make html` after body edits (build/rebuild.py): the build applies them to the model the last
build kept in the cache, in place, and the output is what a clean full build gives, byte for
byte; anything else, or a model it cannot trust, takes the full build."""

from __future__ import annotations

import gc
import os
import shutil
import time

import pytest
from test_incremental import base_files, edit_body, edit_title, make_site
from tools.sites import build_in_process, read, tree_bytes, write_files

from briefing.build.saved_model import ModelStore

pytestmark = pytest.mark.slow

QUIET = {"BRIEFING_SEARCH": "off"}


def build(root, env=None):
    built = build_in_process(root, env=QUIET if env is None else env, THEME=str(root / "theme"))
    assert built.ok, built.stderr
    assert "Traceback" not in built.stderr and "quick rebuild not possible" not in built.stderr, built.stderr
    return built.stderr.splitlines()[-1]


def clean_build(root, env=None) -> dict[str, bytes]:
    built = build_in_process(
        root, output="full", env={**(QUIET if env is None else env), "BRIEFING_CACHE": "off"}, THEME=str(root / "theme")
    )
    assert built.ok, built.stderr
    return tree_bytes(root / "full")


def append(root, name: str, line: str):
    path = root / "content/briefings" / name
    path.write_text(read(path) + f"\n{line}\n", encoding="utf-8")


def edit_first_paragraph(root):  # e03 has no summary: its first paragraph is its card's summary
    path = root / "content/briefings/e03.md"
    path.write_text(read(path).replace("France said something.", "France said something new."), encoding="utf-8")


def model_files(root) -> list:
    return sorted((root / "cache/briefing").glob("model-*"))


@pytest.mark.parametrize("env", [QUIET, {}], ids=["no search", "search"])
def test_body_edits_front_matter_edit_and_body_edits_again_equal_clean_builds(tmp_path, env):
    root = make_site(tmp_path)
    assert build(root, env).startswith("Built ")
    steps = [
        (edit_body, "Updated "),
        (lambda r: append(r, "e05.md", "Edited again."), "Updated "),
        (lambda r: (append(r, "e07.md", "A new line."), append(r, "e11.md", "Another.")), "Updated "),
        (edit_first_paragraph, "Updated "),  # its summary: cards, feeds and the open data change
        (edit_title, "Built "),  # front matter: the full build
        (lambda r: append(r, "e06.md", "After the title."), "Updated "),
        (lambda r: append(r, "e05.md", "And once more."), "Updated "),
    ]
    for number, (edit, summary) in enumerate(steps):
        edit(root)
        line = build(root, env)
        assert line.startswith(summary), (number, line)
        assert tree_bytes(root / "output") == clean_build(root, env), number


def test_a_body_edit_rewrites_only_the_pages_that_show_it(tmp_path):
    root = make_site(tmp_path)
    build(root)
    output = root / "output"
    before = {p: p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    edit_body(root)
    assert build(root).startswith("Updated 2 files (1 entry, 1 feed) after 1 body edit; 0 warning(s);")
    rewritten = {p.relative_to(output).as_posix() for p, inode in before.items() if p.stat().st_ino != inode}
    assert rewritten == {"briefings/2025/entry-number-5/index.html", "feeds/all.atom.xml"}  # the feed holds bodies
    assert "More 5, edited." in read(output / "briefings/2025/entry-number-5/index.html")


def test_nothing_changed_builds_nothing(tmp_path):
    root = make_site(tmp_path)
    build(root)
    before = tree_bytes(root / "output")
    (root / "content/briefings/e04.md").touch()  # touched, not changed
    line = build(root)
    assert line.startswith("Nothing to build: the content, settings and theme are as the last build left them;")
    assert tree_bytes(root / "output") == before


def test_the_kept_model_holds_no_cache_a_quick_rebuild_makes_again(tmp_path):
    """(build/lean_model.py) Each quick rebuild starts by loading it: its size is the wait."""
    root = make_site(tmp_path)
    build(root)
    store = ModelStore(root / "cache/briefing", root / "output")
    assert store.header() is not None
    try:
        model, overlay = store.payload()
    finally:
        gc.unfreeze()  # (payload() freezes what it loaded: a quick rebuild's process ends after)
    site, closures = model["site"], [closure for closures in model["inputs"] for closure in closures]
    kept = {  # plain values: an assertion on the site would print its repr, every entry many times over
        "overlay": overlay,
        "assembly caches": (len(site.bodies), len(site.related_lines)),
        "timelines": sum("timeline" in vars(view) for view in site.views.values()),
        "sources": sorted({entry.body for entry in site.entries}),
    }
    assert kept == {"overlay": None, "assembly caches": (0, 0), "timelines": 0, "sources": [""]}
    distinct, objects, all_of_them = len(set(closures)), len({id(closure) for closure in closures}), len(closures)
    assert objects == distinct < all_of_them


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "overlay", "dirty"])
def test_a_damaged_model_takes_the_full_build(tmp_path, damage):
    root = make_site(tmp_path)
    build(root)
    edit_body(root)
    build(root)  # a quick rebuild: the model and its overlay
    model = next(p for p in model_files(root) if p.suffix == ".pickle")
    overlay = model.with_suffix(".overlay")
    if damage == "truncated":
        model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    elif damage == "garbage":
        model.write_bytes(b"not a pickle at all")
    elif damage == "empty":
        model.write_bytes(b"")
    elif damage == "overlay":
        overlay.write_bytes(overlay.read_bytes()[:40])
    else:  # a quick rebuild stopped half-way leaves its marker
        model.with_suffix(".dirty").touch()
    append(root, "e05.md", "Edited after the damage.")
    assert build(root).startswith("Built ")
    assert tree_bytes(root / "output") == clean_build(root)
    append(root, "e05.md", "And the model is whole again.")
    assert build(root).startswith("Updated ")


def test_a_deleted_output_folder_takes_the_full_build(tmp_path):
    root = make_site(tmp_path)
    build(root)
    shutil.rmtree(root / "output")
    edit_body(root)
    assert build(root).startswith("Built ")
    assert tree_bytes(root / "output") == clean_build(root)


def test_an_output_built_without_the_cache_takes_the_full_build(tmp_path):
    root = make_site(tmp_path)
    build(root)
    edit_body(root)
    build_in_process(root, env={**QUIET, "BRIEFING_CACHE": "off"}, THEME=str(root / "theme"))
    append(root, "e05.md", "After a build without the cache.")
    assert build(root).startswith("Built ")
    assert tree_bytes(root / "output") == clean_build(root)


@pytest.mark.parametrize(
    "change",
    ["profile", "added", "deleted", "setting", "template"],
)
def test_other_changes_with_a_body_edit_take_the_full_build(tmp_path, change):
    root = make_site(tmp_path)
    build(root)
    edit_body(root)
    if change == "profile":
        path = root / "content/officials/wang-yi.md"
        path.write_text(read(path).replace("Foreign minister.", "Foreign minister of China."), encoding="utf-8")
    elif change == "added":
        write_files(
            root,
            {
                "content/briefings/new.md": base_files()["content/briefings/e01.md"].replace(
                    "Entry number 1", "A new entry"
                )
            },
        )
    elif change == "deleted":
        (root / "content/briefings/e09.md").unlink()
    elif change == "template":
        path = root / "theme/templates/entry.html"
        path.write_text(read(path) + "\n", encoding="utf-8")
    settings = {"SITENAME": "Renamed Desk"} if change == "setting" else {}
    built = build_in_process(root, env=QUIET, THEME=str(root / "theme"), **settings)
    assert built.ok and built.stderr.splitlines()[-1].startswith("Built "), built.stderr
    full = build_in_process(
        root, output="full", env={**QUIET, "BRIEFING_CACHE": "off"}, THEME=str(root / "theme"), **settings
    )
    assert tree_bytes(root / "output") == tree_bytes(root / "full"), full.stderr


def test_a_body_edit_with_an_error_is_refused_as_a_full_build_refuses_it(tmp_path):
    root = make_site(tmp_path)
    build(root)
    before = tree_bytes(root / "output")
    append(root, "e05.md", "A NUL \x00 in the body.")
    built = build_in_process(root, env=QUIET, THEME=str(root / "theme"))
    assert built.status == 1
    assert built.stderr.splitlines()[-2:] == [
        "content/briefings/e05.md:13:1: error: the file contains a NUL character",
        "Build refused: 1 error(s) in the content; nothing was written.",
    ]
    assert tree_bytes(root / "output") == before


def test_warnings_are_printed_again_by_a_quick_rebuild(tmp_path):
    root = make_site(tmp_path)
    write_files(root, {"content/briefings/future.md": base_files()["content/briefings/e02.md"].replace("2025", "2199")})
    first = build_in_process(root, env=QUIET, THEME=str(root / "theme"))
    warnings = [line for line in first.stderr.splitlines() if ": warning: " in line]
    assert warnings and "dated in the future (2199-03-03)" in warnings[0]
    edit_body(root)
    quick = build_in_process(root, env=QUIET, THEME=str(root / "theme"))
    assert quick.stderr.splitlines()[:-1] == warnings
    assert quick.stderr.splitlines()[-1].startswith(
        f"Updated 2 files (1 entry, 1 feed) after 1 body edit; {len(warnings)} warning(s);"
    )


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(tmp_path):
    """A tool that restores a file's mtime (rsync -t, an editor's "preserve times") cannot restore
    its ctime: the build reads the file again. The files are made over a second before the first
    build, so their stats are trusted (a fresher file is always read again)."""
    root = make_site(tmp_path)
    time.sleep(1.2)
    build(root)
    path = root / "content/briefings/e05.md"
    before = path.stat()
    path.write_text(read(path).replace("More 5.", "Less 5."), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert build(root).startswith("Updated 2 files (1 entry, 1 feed) after 1 body edit;")
    assert "Less 5." in read(root / "output/briefings/2025/entry-number-5/index.html")
    assert tree_bytes(root / "output") == clean_build(root)


def test_settings_the_salt_cannot_see_always_take_the_full_build():
    """Functions in the settings, and static files outside the theme, are not in the model's salt."""
    from pelican.settings import DEFAULT_CONFIG

    from briefing.build.rebuild import eligible

    ours = {**DEFAULT_CONFIG, "ARTICLE_PATHS": [], "PAGE_PATHS": [], "STATIC_PATHS": []}
    assert eligible(ours)
    assert not eligible({**ours, "JINJA_FILTERS": {"shout": str.upper}})
    assert not eligible({**ours, "THEME_STATIC_PATHS": ["static", "/srv/shared-assets"]})
    assert not eligible({**ours, "STATIC_PATHS": ["images"]})
    assert not eligible({**ours, "ARTICLE_PATHS": [""]})
