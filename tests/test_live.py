"""The preview's in-memory model (build/live.py, tools/live_preview.py): after each kind of
edit, the pages it renders again are exactly the pages whose bytes differ between full builds
before and after the edit, and the preview's output equals a clean full build byte for byte,
after one edit and after a sequence of them."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import threading
import time
import weakref

import pytest
from test_incremental import (
    EDITS,
    _replace,
    add_entity,
    add_week_summary,
    base_files,
    edit_about_page,
    edit_body,
    edit_title,
    rename_profile,
)
from tools.previews import opened
from tools.sites import ROOT, build_in_process, environment, read, settings_file, tree_bytes, write_files

from briefing.build import live as live_module
from briefing.build import live_data as live_data_module
from briefing.build.candidates import Described
from briefing.build.fingerprint import fingerprints_and_inputs
from briefing.build.generator import BriefingGenerator
from briefing.tools import preview as serve_module
from briefing.tools.file_server import say
from briefing.tools.live_preview import LivePreview

pytestmark = pytest.mark.slow

QUIET = {"BRIEFING_SEARCH": "off"}


def make_site(root):
    write_files(root, base_files())
    shutil.copytree(ROOT / "themes" / "briefing", root / "theme")
    settings_file(root, THEME=str(root / "theme"))
    return root


def full_build(root, output: str, env=None, **settings) -> dict[str, bytes]:
    """A clean build (no cache) of the site as it is now: {path: bytes}. It writes the settings
    file anew, with `settings` (as the preview's was edited)."""
    shutil.rmtree(root / output, ignore_errors=True)
    environment = {"BRIEFING_CACHE": "off", **(QUIET if env is None else env)}
    built = build_in_process(root, output=output, env=environment, THEME=str(root / "theme"), **settings)
    assert built.ok, built.stderr
    return tree_bytes(root / output)


class Live:
    """A LivePreview of `root` run in this process, from `root` as the working folder."""

    def __init__(self, root, env=None):
        self.root, self.env = root, QUIET if env is None else env
        self.preview = opened(LivePreview(root / "content", root / "output", str(root / "pelicanconf.py")))
        self.preview.quiet = 0.2  # (the server waits 2 s for the saves to pause)
        assert self._run(self.preview.build)

    def _run(self, call, *args):
        stderr = io.StringIO()
        with contextlib.chdir(self.root), environment(self.env), contextlib.redirect_stderr(stderr):
            ok = call(*args)
        self.stderr = stderr.getvalue()
        return ok

    def save(self, edit) -> dict:
        """Apply `edit` to the files and tell the preview which files changed."""
        before = snapshot(self.root)
        edit(self.root)
        changed = sorted(p for p in before.keys() | snapshot(self.root).keys() if before.get(p) != snapshot_of(p))
        assert self._run(self.preview.apply, changed), self.stderr
        self.preview.settle()  # the data files, written after the pages (LiveSite.background_data)
        live = self.preview.live
        return {"rendered": live.last.rendered, "written": live.last.written, "live": live}


def snapshot(root) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes() for folder in ("content", "theme") for p in (root / folder).rglob("*") if p.is_file()
    }


def snapshot_of(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def page_url(path: str) -> str:
    return "/" + path.removesuffix("index.html")


def differing(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The URLs of pages added, removed or changed between two outputs (theme files aside)."""
    paths = {p for p in before.keys() | after.keys() if not p.startswith("theme/")}
    return {page_url(p) for p in paths if before.get(p) != after.get(p)}


def edited_between_builds(tmp_path, edit):
    """(site root, a full build before, what the preview did on saving `edit`, a full build after)."""
    root = make_site(tmp_path)
    live = Live(root)
    before = full_build(root, "full-before")
    change = live.save(edit)
    return root, before, change, full_build(root, "full-after")


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_an_edit_renders_exactly_the_pages_that_change(tmp_path, edit):
    """The dependency map: what the preview renders again is what a full build changes."""
    root, before, change, after = edited_between_builds(tmp_path, edit)
    expected = differing(before, after)
    assert set(change["written"]) == expected
    removed = {page_url(p) for p in before.keys() - after.keys()}
    assert set(change["rendered"]) == expected - removed
    assert tree_bytes(root / "output") == after
    assert stale_pages(change["live"]) == []


def test_the_preview_fingerprints_with_the_salt_of_its_first_build(tmp_path, monkeypatch):
    """The salt hashes the plugin's files; one edited while the preview starts (a checkout, a
    formatter) must not change the salt between the first build's fingerprints and the
    preview's, or every candidate of the next save renders again (the flake of this module's
    rename and date edits on a busy machine). Here each hashing gives another salt."""
    hashed = itertools.count()
    monkeypatch.setattr(BriefingGenerator, "salt", lambda self: f"salt {next(hashed)}")
    _, before, change, after = edited_between_builds(tmp_path, rename_profile)
    removed = {page_url(p) for p in before.keys() - after.keys()}
    assert set(change["written"]) == differing(before, after)
    assert set(change["rendered"]) == differing(before, after) - removed


SUMMARY = "---\ntitle: Talks resume\nhighlights:\n  - India and China agree to talk.\n---\n\nA month of talks.\n"


def add_digest_summary(root):
    write_files(root, {"content/digests/2025-01.md": SUMMARY})


def edit_digest_summary(root):
    path = root / "content/digests/2025-01.md"
    path.write_text(read(path).replace("A month of talks.", "A month of talks, and a protest."), encoding="utf-8")


@pytest.mark.parametrize("edits", [(add_digest_summary,), (add_digest_summary, edit_digest_summary)])
def test_a_digest_summary_renders_exactly_the_pages_that_change(tmp_path, edits):
    root = make_site(tmp_path)
    live = Live(root)
    for edit in edits[:-1]:
        live.save(edit)
    before = full_build(root, "full-before")
    change = live.save(edits[-1])
    after = full_build(root, "full-after")
    assert set(change["written"]) == set(change["rendered"]) == differing(before, after)
    assert "/digests/2025-01/" in change["written"]
    assert tree_bytes(root / "output") == after


def stale_pages(live) -> list[str]:
    """The pages whose kept fingerprint is not what fingerprinting the current model gives: a
    page the candidate selection (build/candidates.py) left out when it should have looked."""
    site = live.site
    prints, _ = fingerprints_and_inputs(live.specs, live.salt, site, live.generator.env, live.templates)
    return [s.url for s, fp in zip(live.specs, prints, strict=True) if live.prints[s.url] != fp]


def remove_kenya(root):  # after add_entity: Kenya loses its only entry, so its page goes
    _replace(root, "content/briefings/e07.md", "countries: [Japan, France, Kenya]", "countries: [Japan, France]")


def move_to_another_year(root):  # new year pages on timelines, a new month and week, fewer in June
    _replace(root, "content/briefings/e11.md", "date: 2025-06-12", "date: 2024-11-12")


def move_within_the_month(root):  # another week of June: the two weeks' digests, the order of lists
    _replace(root, "content/briefings/e11.md", "date: 2025-06-12", "date: 2025-06-02")


def alias_links_mentions(root):  # "something" in the body of every entry on Trade now links
    _replace(root, "content/issues/trade.md", "name: Trade\n", "name: Trade\naliases: [said something]\n")


def edit_week_summary(root):
    _replace(root, "content/digests/2025-w26.md", "Talks go on", "Talks go on and on")


def give_a_role(root):  # every page naming Wang Yi shows his role; no entry's fields change
    _replace(
        root,
        "content/officials/wang-yi.md",
        "country: China\n",
        'country: China\nroles:\n  - title: "Foreign Minister"\n',
    )


# (edits made before the first full build, the edit timed, the pages its written files must include)
BOUNDED = {
    "entity gains a page": ((), add_entity, {"/countries/kenya/", "/briefings/2025/entry-number-7/", "/countries/"}),
    "entity loses its page": ((add_entity,), remove_kenya, {"/countries/kenya/", "/countries/"}),
    "date to another year": (
        (),
        move_to_another_year,
        {"/digests/2024-11/", "/digests/2024-w46/", "/page/2/", "/briefings/2024/entry-number-11/"},
    ),
    "date within the month": ((), move_within_the_month, {"/digests/2025-w23/", "/digests/2025-w24/"}),
    "alias links mentions": ((), alias_links_mentions, {"/briefings/2025/entry-number-3/"}),
    "title on related lines": ((), edit_title, {"/briefings/2025/entry-number-12/"}),
    "official's role": ((), give_a_role, {"/briefings/2025/entry-number-4/", "/issues/trade/"}),
    "profile rename": ((), rename_profile, {"/briefings/2025/entry-number-4/", "/officials/wang-yi/"}),
    "digest period summary": ((add_week_summary,), edit_week_summary, {"/digests/2025-w26/", "/"}),
}


@pytest.mark.parametrize("case", BOUNDED, ids=list(BOUNDED))
def test_a_front_matter_edit_looks_only_at_its_candidates(tmp_path, case):
    """A front-matter edit fingerprints only the candidate pages (not every page), and those
    hold every page that changed: none is left stale, the output equals a full build."""
    assert_candidates_hold_the_change(tmp_path, *BOUNDED[case])


def assert_candidates_hold_the_change(tmp_path, earlier, edit, shown: set[str]):
    """After the `earlier` saves, saving `edit` looks at fewer pages than the site has, leaves
    none stale, writes exactly what two clean full builds differ in (`shown` among them) and
    leaves the output equal to the second."""
    root = make_site(tmp_path)
    live = Live(root)
    for step in earlier:
        live.save(step)
    before = full_build(root, "full-before")
    change = live.save(edit)
    after = full_build(root, "full-after")
    update, model = live.preview.live.last, live.preview.live
    assert update.how == "site"
    assert 0 < update.looked < len(model.specs)
    assert stale_pages(model) == []
    expected = differing(before, after)
    assert shown <= expected, " ".join(sorted(expected))
    assert set(change["written"]) == expected
    assert set(change["rendered"]) == expected - {page_url(p) for p in before.keys() - after.keys()}
    assert tree_bytes(root / "output") == after


def edit_month_summary(root):
    _replace(root, "content/digests/2025-06.md", "A June of talks", "A June of many talks")


def test_a_months_edit_looks_at_no_page_of_its_weeks(tmp_path, monkeypatch):
    """A month's page names its weeks, and a week's page its months, by name and address alone:
    a month that changed leaves its weeks' pages unlooked. (A week that changed makes its months
    candidates: the digests' index lists each month's weeks with their counts.)"""
    looked: list[str] = []
    real = live_module.candidates

    def spy(old_specs, old_inputs, old_shapes, new_specs, *rest):
        chosen, shapes = real(old_specs, old_inputs, old_shapes, new_specs, *rest)
        looked.extend(new_specs[i].url for i in chosen)
        return chosen, shapes

    monkeypatch.setattr(live_module, "candidates", spy)
    assert_candidates_hold_the_change(tmp_path, (), edit_month_summary, {"/digests/2025-06/"})
    assert "/digests/2025-06/" in looked
    assert [url for url in looked if url.startswith("/digests/2025-w")] == []


def test_an_edit_to_every_page_footer_looks_at_every_page(tmp_path):
    """The site's own pages' titles are in every footer: no candidate set is smaller than the site."""
    root = make_site(tmp_path)
    live = Live(root)
    live.save(edit_about_page)
    model = live.preview.live
    assert model.last.how == "site"
    assert model.last.looked == len(model.specs)
    assert stale_pages(model) == []


def test_a_setting_takes_a_full_build_that_equals_a_clean_one(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    settings = root / "pelicanconf.py"
    before = tree_bytes(root / "output")
    settings.write_text(read(settings).replace('SITENAME = "Briefing Digest"', 'SITENAME = "Renamed Desk"'))
    assert live._run(live.preview.apply, [str(settings)])
    after = full_build(root, "full", SITENAME="Renamed Desk")
    assert tree_bytes(root / "output") == after
    pages = {page_url(p) for p in after if p.endswith(".html") and not p.startswith("theme/")}
    assert pages <= differing(before, after)  # every page names the site
    assert "Renamed Desk" in read(root / "output/briefings/2025/entry-number-3/index.html")


def test_a_sequence_of_edits_leaves_the_output_of_a_full_build(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    for edit in [*EDITS, add_digest_summary, edit_digest_summary]:
        assert stale_pages(live.save(edit)["live"]) == [], edit.__name__  # a body edit, then others: kept models
    assert tree_bytes(root / "output") == full_build(root, "full")


def test_a_body_edit_renders_only_the_pages_that_show_the_body(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    change = live.save(edit_body)  # entry 5's second paragraph: its card (summary: the first) is unchanged
    assert live.preview.live.last.how == "body"
    assert change["rendered"] == change["written"] == ["/briefings/2025/entry-number-5/", "/feeds/all.atom.xml"]
    assert "More 5, edited." in read(root / "output/briefings/2025/entry-number-5/index.html")


def test_a_front_matter_edit_assembles_the_site_again(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    change = live.save(edit_title)
    assert live.preview.live.last.how == "site"
    assert "/briefings/2025/entry-number-six/" in change["written"]
    assert not (root / "output/briefings/2025/entry-number-6").exists()  # the old address is gone


def test_a_front_matter_edit_rewrites_the_open_data_that_holds_it(tmp_path):
    """The data files and calendars are made again from the model; only those that differ are written."""
    root = make_site(tmp_path)
    live = Live(root)
    change = live.save(edit_title)
    data = sorted(url for url in change["written"] if url.startswith("/data/") or url.endswith((".json", ".csv")))
    assert "/data/entries.json" in data and "/data/entries.csv" in data
    assert "/data/statements.json" not in data  # entry 6 reports no statement: its bytes are the same
    assert "Entry number six" in read(root / "output/data/entries.json")
    assert "Entry number 6," not in read(root / "output/data/entries.csv")


_GATE: dict = {}  # the file a gated data worker waits for
_MADE = live_data_module._changed_data


def _gated_data():
    """The data worker's job, once the test has looked at the output (a module function: the
    pool pickles it by name)."""
    while not _GATE["path"].exists():
        time.sleep(0.01)
    return _MADE()


def test_the_server_makes_the_data_files_once_the_saves_pause(tmp_path, monkeypatch):
    """A front-matter save returns once its pages are written and forks nothing: its data files
    are owed while saves follow each other; once none has come for `quiet` seconds a forked
    worker makes them while the server answers, and its files are recorded when it ends."""
    root = make_site(tmp_path)
    live = Live(root)
    live.preview.quiet = 3.0  # (as in the search refresh's test below: 1 s was once too short under load)
    gate = tmp_path / "gate"
    monkeypatch.setitem(_GATE, "path", gate)
    monkeypatch.setattr(live_data_module, "_changed_data", _gated_data)
    try:
        apply(live, edit_title)
        model = live.preview.live
        title = model.last
        assert model.owed is title and model.data_pending() is None
        apply(live, edit_body)  # within the quiet time: still nothing forked
        saved = time.monotonic()
        assert model.owed is title and model.data_pending() is None
        assert "Entry number six" in read(root / "output/briefings/2025/entry-number-six/index.html")
        while model.data_pending() is None and time.monotonic() - saved < 30:
            time.sleep(0.01)
        assert time.monotonic() - saved >= 2.9  # forked once the saves paused
        pending = model.data_pending()
        assert pending is not None and not pending.done() and model.owed is None
        assert "Entry number six" not in read(root / "output/data/entries.json")
        assert not any(url.startswith("/data/") for url in title.written)
    finally:
        gate.touch()
    live.preview.settle()
    assert model.data_pending() is None
    assert "/data/entries.json" in title.written and "/data/entries.csv" in title.written
    assert tree_bytes(root / "output") == full_build(root, "full")


def apply(live: Live, edit):
    """`edit` saved and applied, as the server applies a save (the data files not waited for)."""
    before = snapshot(live.root)
    edit(live.root)
    changed = sorted(p for p in before.keys() | snapshot(live.root).keys() if before.get(p) != snapshot_of(p))
    assert live._run(live.preview.apply, changed), live.stderr


def test_an_edit_that_breaks_the_content_keeps_the_last_good_site(tmp_path):
    root = make_site(tmp_path)
    live = Live(root)
    page = root / "output/briefings/2025/entry-number-1/index.html"
    good = page.read_bytes()
    path = root / "content/briefings/e01.md"
    text = read(path)
    path.write_text(text.replace("countries: [China, Japan]", "countries: [Chna, Japan]"), encoding="utf-8")
    assert not live._run(live.preview.apply, [str(path)])
    assert "content/briefings/e01.md:4:13: error: unknown country 'Chna' (did you mean 'China'?)" in live.stderr
    assert page.read_bytes() == good
    path.write_text(text.replace("More 1.", "More 1, fixed."), encoding="utf-8")
    assert live._run(live.preview.apply, [str(path)])
    live.preview.settle()
    assert "More 1, fixed." in read(page)
    assert tree_bytes(root / "output") == full_build(root, "full")


def test_the_preview_keeps_its_cache_under_the_site_whatever_the_working_folder(tmp_path):
    """Its search thread runs outside the build's working folder: a cache folder named relative
    to that would be read from wherever the process stands then (another site's bundles)."""
    root = make_site(tmp_path)
    live = Live(root, env={})
    assert live.preview.search.idle()
    assert live.preview.search.index.store.root == root / "cache" / "briefing" / "search"


def test_the_search_index_is_refreshed_after_the_pages(tmp_path):
    """With search on: the first build serves its pages before any bundle exists (the search
    page says so), the worker indexes every bundle and names them on the search page, and a
    body edit re-indexes the bundle of its year alone."""
    root = make_site(tmp_path)
    live = Live(root, env={})
    search = live.preview.search
    assert search.idle()
    assert list(search.index.written) == ["2025-pages"]  # 24 entries: one bundle, with the entity pages
    keys = dict(search.index.written)
    assert '"2025-pages"' in read(root / "output/search/index.html")
    live.save(edit_body)
    assert search.idle()
    assert search.index.written["2025-pages"] != keys["2025-pages"]
    assert tree_bytes(root / "output") == full_build(root, "full", env={})


def note_search_children(monkeypatch, into):
    """Each search refresh's child writes its process id and the machine's clock (the same in
    every process) to `into` as it makes its records."""
    from briefing.tools import live_preview

    original = live_preview.live_bundles

    def recorded(site, minimum, years):
        with open(into, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {time.monotonic()}\n")
        return original(site, minimum, years)

    monkeypatch.setattr(live_preview, "live_bundles", recorded)


def test_the_search_records_are_made_outside_the_server_process(tmp_path, monkeypatch):
    """The records of every bundle a front-matter edit touches are made by a forked process
    after the update, never by the process that serves the pages (nor before the update ends)."""
    made_in = tmp_path / "made-in"
    note_search_children(monkeypatch, made_in)
    root = make_site(tmp_path / "site")
    live = Live(root, env={})
    assert live.preview.search.idle()
    live.save(edit_title)
    assert live.preview.search.idle()
    pids = [line.split()[0] for line in read(made_in).splitlines()]
    assert len(pids) == 2 and str(os.getpid()) not in pids  # the first build's refresh, then the edit's
    assert '"2025-pages"' in read(root / "output/search/index.html")
    assert tree_bytes(root / "output") == full_build(root, "full", env={})


def test_the_search_refresh_waits_for_the_saves_to_pause(tmp_path, monkeypatch):
    """Saves that follow each other within `quiet` seconds fork no search child between them
    (a forked process slows the update it overlaps): one refresh, forked once they pause,
    indexes what they all changed."""
    forked = tmp_path / "forked"
    note_search_children(monkeypatch, forked)
    root = make_site(tmp_path / "site")
    live = Live(root, env={})
    # long enough that a loaded machine (tests on both cores) cannot leave the second save's
    # update waiting that long behind the first's: 1 s did once
    live.preview.quiet = 3.0
    assert live.preview.search.idle()
    apply(live, edit_title)
    apply(live, edit_body)
    saved = time.monotonic()
    assert live.preview.search.idle()
    times = [float(line.split()[1]) for line in read(forked).splitlines()]
    assert len(times) == 2 and times[1] - saved >= 2.9  # the first build's refresh, then one for both saves
    assert tree_bytes(root / "output") == full_build(root, "full", env={})


def test_the_forked_search_refresh_imports_no_module_of_its_own(tmp_path, monkeypatch):
    """The search child is forked from a thread while request threads may be importing: a module
    it imported first would wait forever on a lock held at the fork (make test hung so, on
    pagefind_bin's `import platform`). Run in this process, the child's work imports nothing new."""
    import sys

    from briefing.tools import live_preview

    root = make_site(tmp_path)
    live = Live(root, env={})
    search = live.preview.search
    assert search.idle()
    monkeypatch.setattr(live_preview.os, "nice", lambda _: 0)
    loaded = set(sys.modules)
    live_preview._SEARCH_JOB.update(site=live.preview.live.site, config=search.config, years=None, index=search.index)
    try:
        live_preview._refresh_in_child()
    finally:
        live_preview._SEARCH_JOB.clear()
    assert sorted(set(sys.modules) - loaded) == []


def test_lines_said_from_many_threads_stay_whole(capsys):
    """The watcher and the search worker print at once: each line is written in one piece
    (print()'s separate newline let "Search index refreshed ...Rebuilt in ..." happen)."""
    expected = [f"thread {t} line {i} " + "x" * 200 for t in range(8) for i in range(300)]

    def say_all(t):
        for i in range(300):
            say(f"thread {t} line {i} " + "x" * 200)

    threads = [threading.Thread(target=say_all, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(capsys.readouterr().err.splitlines()) == sorted(expected)


def test_the_model_a_save_replaced_is_freed_after_the_update_is_reported(tmp_path):
    """Freeing the old model takes 0.2 s at 10,000 entries: the update keeps its description
    (through it the old site), and the preview drops it (release) once the "Rebuilt" line is
    out; a next update not released drops it before its own work. Sites are compared by
    identity: a failed == would print the whole model."""
    root = make_site(tmp_path)
    live = Live(root)
    live.preview.collector.quiet = 3600  # (a quiet collection drops it too: test_live_memory.py)
    model = live.preview.live
    old_site = id(model.site)
    old_pages = model.specs
    live.save(edit_title)
    kept = [weakref.ref(described) for described in model.replaced if isinstance(described, Described)]
    assert [id(ref().site) for ref in kept] == [old_site] != [id(model.site)]
    assert any(item[0] is old_pages for item in model.replaced if isinstance(item, tuple))  # (and the old page list)
    live.preview.release()
    assert (model.replaced, [ref() for ref in kept]) == ([], [None])
    live.save(edit_body)  # a body edit keeps the model: nothing replaced
    assert model.replaced == []
    live.save(add_entity)
    kept = [weakref.ref(described) for described in model.replaced if isinstance(described, Described)]
    live.save(edit_about_page)
    assert [ref() for ref in kept] == [None]
    assert len([item for item in model.replaced if isinstance(item, Described)]) == 1


def test_the_serve_loop_says_rebuilt_before_it_frees_the_replaced_model(monkeypatch):
    calls: list = []

    class OneSave:
        def changes(self, stop):
            yield "content", ["content/briefings/a.md"]

    class Recorded:
        def apply(self, changed):
            calls.append(("apply", changed))
            return True

        def release(self):
            calls.append(("release",))

    monkeypatch.setattr(serve_module, "_report", lambda ok, took, changed: calls.append(("report", ok, changed)))
    serve_module.rebuild_on_change(Recorded(), None, [], threading.Event(), OneSave())
    saved = ["content/briefings/a.md"]
    assert calls == [("apply", saved), ("report", True, saved), ("release",)]
