"""Issue 19, item 2: a build without a cache renders the published bodies while it derives the
site (domain/early_bodies.py), in two forked processes sharing them out from both ends; the
result is the Markdown pool's, byte for byte, and a lost child or a refused build leaves no
process behind. Each child streams what it rendered: neither end holds the whole pickle."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from tools.sites import entry, tree_bytes, write_files

from briefing.domain import early_bodies, loader, two_ends
from briefing.domain import site as site_module
from briefing.domain.config import BriefingConfig
from briefing.domain.diagnostics import ERROR
from briefing.domain.site import load_site

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["India", "China", "Japan", "Brazil", "Kenya", "France"]


def _entries(count: int) -> dict[str, str]:
    """`count` published entries naming two countries each (mentioned in their bodies), and two drafts."""
    files = {}
    for n in range(count):
        a, b = COUNTRIES[n % 6], COUNTRIES[(n + 1 + n // 6 % 5) % 6]
        body = f"Talks between {a} and {b}, number {n}.\n\n**{b}** said more; {a} did too."
        date = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        files[f"content/briefings/b{n:03d}.md"] = entry(f"Talks {n}", date, body, countries=f"[{a}, {b}]")
    for n in range(2):
        body = f"A draft on {COUNTRIES[n]} and Wang Yi."
        files[f"content/briefings/draft{n}.md"] = entry(
            f"Draft {n}", "2025-07-01", body, countries=f"[{COUNTRIES[n]}]", status="draft"
        )
    return files


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The bundled content (profiles, relation profiles, digest summaries, a page, all with
    bodies) and 120 entries more: enough for two children of 48-body chunks."""
    root = tmp_path_factory.mktemp("early")
    shutil.copytree(ROOT / "content", root / "content")
    write_files(root, _entries(120))
    return root / "content"


def _bodies(site) -> dict[tuple[str, str], str]:
    """Every rendered body of the site: entries' (HTML, summary and text), profiles', digest
    summaries', pages' and relation profiles'."""
    out = {}
    for e in site.entries + site.drafts:
        out["entry", e.path] = f"{e.html}|{e.summary}|{e.text}"
    for key, view in site.views.items():
        if view.entity.profile_body.strip():
            out["profile", key] = view.entity.profile_html
    for digest in site.digests + site.month_digests:
        if digest.summary is not None and digest.summary.body.strip():
            out["summary", digest.url] = digest.summary.html
    for page in site.pages:
        out["page", page.url] = page.html
    for relation in site.relations:
        if relation.profile and relation.profile.body.strip():
            out["relation", relation.url] = relation.profile_html
    return out


def _differing(one: dict, two: dict) -> list:
    """The bodies that differ (a short failure message: pytest's diff of two such dicts takes minutes)."""
    missing = sorted(set(one) ^ set(two))
    return missing or [key for key in one if one[key] != two[key]]


def _spy(monkeypatch) -> list:
    """What each EarlyBodies.finish returned (None: a child was lost)."""
    finished: list = []
    original = early_bodies.EarlyBodies.finish

    def finish(self, entries, others):
        made = original(self, entries, others)
        finished.append((len(entries), len(others), made is not None))
        return made

    monkeypatch.setattr(early_bodies.EarlyBodies, "finish", finish)
    return finished


def _starts(monkeypatch) -> list:
    """What each start_early returned (None: the bodies went to the pool)."""
    started: list = []
    original = early_bodies.start_early
    monkeypatch.setattr("briefing.domain.site.start_early", lambda *a: started.append(result := original(*a)) or result)
    return started


def test_bodies_rendered_while_the_site_is_derived_are_the_pool_s(content, monkeypatch):
    finished = _spy(monkeypatch)
    one, problems = load_site(content, BriefingConfig(workers=1))
    assert one is not None, problems
    assert finished == []  # one worker: no early bodies
    two, _ = load_site(content, BriefingConfig(workers=2))
    published, drafts = len(two.entries), len(two.drafts)
    assert drafts >= 2 and published >= 120
    described = sum(1 for kind, _ in _bodies(two) if kind != "entry")
    assert described > 20  # the bundled profiles, summaries, pages and relation profiles
    assert finished == [(published + drafts, described, True)]
    differing = _differing(_bodies(two), _bodies(one))
    assert differing == []
    [first] = [e for e in two.entries if e.path.endswith("b000.md")]
    assert first.html == (
        '<p>Talks between <a href="/countries/india/" class="mention">India</a> and '
        '<a href="/countries/china/" class="mention">China</a>, number 0.</p>\n'
        "<p><strong>China</strong> said more; India did too.</p>\n"
    )


def test_a_lost_child_leaves_the_bodies_to_the_pool(content, monkeypatch):
    finished = _spy(monkeypatch)
    expected = _bodies(load_site(content, BriefingConfig(workers=1))[0])

    def dies(connection, early):
        raise RuntimeError("lost")  # in the forked child: it exits, its pipe closes

    monkeypatch.setattr(early_bodies, "_from_head", dies)
    pooled: list = []
    original = loader.render_bodies
    monkeypatch.setattr(
        "briefing.domain.site.render_bodies", lambda jobs, *a: pooled.append(len(jobs)) or original(jobs, *a)
    )
    site, _ = load_site(content, BriefingConfig(workers=2))
    described = sum(1 for kind, _ in expected if kind != "entry")
    assert finished == [(len(site.entries) + len(site.drafts), described, False)]
    assert pooled == [len(site.entries) + len(site.drafts), described]  # every body rendered again, the pool's way
    differing = _differing(_bodies(site), expected)
    assert differing == []
    assert multiprocessing.active_children() == []


def test_a_machine_without_shared_memory_renders_the_bodies_in_the_pool(content, monkeypatch):
    finished = _spy(monkeypatch)

    def no_shared_memory(count, chunk):
        raise FileNotFoundError(2, "No such file or directory", "/dev/shm/sem.mp-x")

    monkeypatch.setattr(early_bodies, "Meeting", no_shared_memory)
    site, _ = load_site(content, BriefingConfig(workers=2))
    assert finished == []
    differing = _differing(_bodies(site), _bodies(load_site(content, BriefingConfig(workers=1))[0]))
    assert differing == []
    assert gc.get_freeze_count() == 0


def test_a_refused_build_stops_the_child_that_started_on_the_bodies(content, tmp_path, monkeypatch):
    started = _starts(monkeypatch)
    shutil.copytree(content, tmp_path / "content")
    again = (tmp_path / "content" / "briefings" / "b000.md").read_text()
    (tmp_path / "content" / "briefings" / "b000-again.md").write_text(again)  # the same address: found after resolving
    rendered = early_bodies.EarlyBodies._rendered
    monkeypatch.setattr(early_bodies.EarlyBodies, "_rendered", lambda *a: time.sleep(60) or rendered(*a))
    began = time.monotonic()
    site, problems = load_site(tmp_path / "content", BriefingConfig(workers=2))
    assert time.monotonic() - began < 30  # the child was stopped, not waited for (a minute a chunk)
    assert site is None
    assert [(Path(p.path).name, p.line, p.message) for p in problems if p.severity == ERROR] == [
        (
            "b000.md",
            2,
            f"this entry and {problems[0].path.replace('b000.md', 'b000-again.md')} both have the address "
            "/briefings/2025/talks-0/: give one a different 'slug'",
        )
    ]
    assert len(started) == 1 and started[0] is not None
    assert not started[0].far.process.is_alive()
    assert multiprocessing.active_children() == []


def test_the_first_child_starts_before_the_names_are_resolved(content, monkeypatch):
    """It resolves each entry it takes in its own copy of the registry: started after the main
    process has resolved them all, it left a core idle that long."""
    started = _starts(monkeypatch)
    resolving: list[int] = []
    original = site_module._resolved
    monkeypatch.setattr(site_module, "_resolved", lambda *a: resolving.append(len(started)) or original(*a))
    site, problems = load_site(content, BriefingConfig(workers=2))
    assert site is not None, problems
    assert resolving == [1] and started[0] is not None


def test_entries_that_are_not_those_the_first_child_took_go_to_the_pool(content, monkeypatch):
    expected = _bodies(load_site(content, BriefingConfig(workers=1))[0])
    finished = _spy(monkeypatch)
    started = _starts(monkeypatch)
    original = site_module._start_early
    monkeypatch.setattr(site_module, "_start_early", lambda registry, drafts, *a: original(registry, drafts[::-1], *a))
    pooled: list = []
    render_bodies = loader.render_bodies
    monkeypatch.setattr(
        site_module, "render_bodies", lambda jobs, *a: pooled.append(len(jobs)) or render_bodies(jobs, *a)
    )
    site, problems = load_site(content, BriefingConfig(workers=2))
    assert site is not None, problems
    assert len(started) == 1 and not started[0].far.process.is_alive()
    assert finished == []  # stopped once the main process resolved other entries than it took
    described = sum(1 for kind, _ in expected if kind != "entry")
    assert pooled == [len(site.entries) + len(site.drafts), described]
    assert _differing(_bodies(site), expected) == []
    assert multiprocessing.active_children() == []


def test_a_site_built_with_its_bodies_rendered_early_is_byte_for_byte_the_one_process_build(site):
    files = {str(p.relative_to(ROOT)): p.read_text() for p in (ROOT / "content").rglob("*.md")}
    files.update(_entries(120))
    one = site(files, BRIEFING={"workers": 1, "cache": False})
    two = site(files, BRIEFING={"workers": 2, "cache": False})
    assert one.ok and two.ok, one.stderr + two.stderr
    first, second = tree_bytes(one.output), tree_bytes(two.output)
    assert len(first) > 500 and sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_the_page_list_is_made_while_other_processes_render_the_bodies(content):
    """assemble_site's `meanwhile` (the build's page list) runs once, with the site derived and
    no body rendered yet; a one-process assembly, where nothing renders them meanwhile, never
    calls it (the generator lists the pages after)."""
    seen = []

    def meanwhile(site):
        seen.append((len(site.entries), sum(1 for e in site.entries if e.html), len(site.views)))

    two, problems = load_site(content, BriefingConfig(workers=2), meanwhile=meanwhile)
    assert two is not None, problems
    assert seen == [(len(two.entries), 0, len(two.views))]
    assert len(two.entries) > 120 and all(e.html for e in two.entries)
    one, problems = load_site(content, BriefingConfig(workers=1), meanwhile=meanwhile)
    assert one is not None and len(seen) == 1, problems


def test_a_page_list_that_fails_stops_the_child_rendering_the_bodies(content, monkeypatch):
    started = _starts(monkeypatch)

    def meanwhile(site):
        raise RuntimeError("a theme that does not compile")

    with pytest.raises(RuntimeError, match="does not compile"):
        load_site(content, BriefingConfig(workers=2), meanwhile=meanwhile)
    assert len(started) == 1 and started[0] is not None
    assert not started[0].far.process.is_alive()
    assert multiprocessing.active_children() == [] and gc.get_freeze_count() == 0


def test_a_build_without_a_cache_lists_its_pages_while_the_bodies_render(site):
    files = {str(p.relative_to(ROOT)): p.read_text() for p in (ROOT / "content").rglob("*.md")}
    files.update(_entries(120))
    built = site(files, env={"BRIEFING_TIMINGS": "1"}, BRIEFING={"workers": 2, "cache": False})
    assert built.ok, built.stderr
    laps = built.stderr.split("timings: ")[1].split("\n")[0]
    assert [lap.split(" ")[0] for lap in laps.split(", ")] == [
        "parse",
        "registry",
        "resolve",
        "derive",
        "meanwhile",
        "markdown",
        "pages",
        "search",
    ]


def _sends(value, cut: int | None = None):
    """A child's job: `value` streamed down its pipe, or only the first `cut` bytes of its pickle."""

    def job(connection):
        if cut is None:
            two_ends.send_streamed(connection, value)
        else:
            with open(os.dup(connection.fileno()), "wb") as stream:  # then it ends: the pipe closes
                stream.write(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)[:cut])

    return job


def _bodies_of_10_mb() -> list[str]:
    """400 bodies of 25,000 characters: the pipe holds a fraction of them at a time."""
    return [f"<p>body {n} ".ljust(25_000, "x") for n in range(400)]


def test_what_a_child_rendered_is_unpickled_as_it_arrives_never_held_whole():
    bodies = _bodies_of_10_mb()
    size = sum(sys.getsizeof(body) for body in bodies) + sys.getsizeof(bodies)
    link = two_ends.Link(_sends(bodies))
    tracemalloc.start()
    try:
        received = link.receive_streamed()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        link.close()
    assert received == bodies
    # the bodies and a frame of the stream; the whole pickle received first, then unpickled, is twice this
    assert size <= peak < size * 1.1


def test_a_child_streams_what_it_rendered_without_making_the_whole_pickle_first():
    bodies = _bodies_of_10_mb()
    size = sum(sys.getsizeof(body) for body in bodies)
    sending, receiving = multiprocessing.Pipe()
    drained: list[int] = []
    chunks = iter(lambda: os.read(receiving.fileno(), 1 << 16), b"")  # read until the sending end closes
    reader = threading.Thread(target=lambda: drained.append(sum(map(len, chunks))))
    reader.start()
    tracemalloc.start()
    try:
        two_ends.send_streamed(sending, bodies)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        sending.close()
        reader.join()
        receiving.close()
    assert drained == [len(pickle.dumps(bodies, pickle.HIGHEST_PROTOCOL))]
    assert peak < size / 20  # a frame at a time; pickle.dumps first would be the whole 10 MB


def test_a_child_lost_half_way_through_its_stream_is_lost_not_a_traceback():
    link = two_ends.Link(_sends([f"body {n}" for n in range(50_000)], cut=300_000))
    with pytest.raises(two_ends.Lost):
        link.receive_streamed()
    link.close()
    assert multiprocessing.active_children() == []
