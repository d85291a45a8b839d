"""Events merged again after an edit (domain/events_kept.py): only the events the changed
entries report are merged afresh, every other one copied with the new entries. After each edit
of a sequence, the site assembled from the previous one (as the preview does) must hold the
same events, statements, anchors, entries' lists and diagnostics, in order, as the site
assembled from nothing, and what it keeps for the next edit must be what a full merge keeps;
the edits the copy cannot bound must take the full merge. Then the preview runs the same
sequence and its output must equal a clean full build byte for byte."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil

import pytest
from test_live import Live, full_build, stale_pages
from tools.sites import ROOT, entry, read, settings_file, tree_bytes, write_files

from briefing.domain import events_kept
from briefing.domain.config import BriefingConfig
from briefing.domain.resolutions import Resolutions
from briefing.domain.site import assemble_site
from briefing.domain.sources import read_sources

TODAY = dt.date(2026, 1, 1)
LONG = "France and India agree on a long list of things to do together over the coming years"  # > EVENT_SLUG
EVENTS = {
    "a": "[{date: 2025-05-30, what: India and China agree to resume talks}]",
    "b": "[{date: 2025-05-30, what: India and China agree to resume talks.},"
    " {date: 2025-05-31, what: India and China hold border talks in Ladakh over the disputed line}]",
    "c": "[{date: 2025-06-01, what: China and Japan sign a fisheries accord, id: fish}]",
    "d": "[same_as: fish]",
    "e": "[{date: 2025-05-31, what: India holds border talks with China in Ladakh on the disputed line}]",
    "f": "[{date: 2025-05-28, what: China don't agree}, {date: 2025-05-28, what: China don trust},"
    f" {{date: 2025-06-02, what: {LONG} A}}]",
    "g": "[{date: 2025-06-03, what: Brazil and France open a consulate}]",
    "h": "[{date: 2025-05-30, what: India and China agree to resume talks}]",
    "i": "[]",  # a second draft: (the preview leaves robots.txt's "Disallow: /drafts/" when the last one goes)
}
COUNTRIES = {"a": "[India, China]", "b": "[India, China]", "c": "[China, Japan]", "d": "[Japan]"}


def files() -> dict[str, str]:
    out = {"content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\nForeign minister.\n"}
    for day, name in enumerate("abcdefghi", start=1):
        keys = {"countries": COUNTRIES.get(name, "[India]" if name in "eh" else "[France]"), "events": EVENTS[name]}
        if name == "a":
            keys["statements"] = "[{by: Wang Yi, said: We will talk.}]"
        if name in "hi":
            keys["status"] = "draft"
        out[f"content/briefings/{name}.md"] = entry(f"Entry {name}", f"2025-06-{day:02d}", body=f"Body {name}.", **keys)
    return out


def _replace(root, name: str, old: str, new: str):
    path = root / "content" / "briefings" / f"{name}.md"
    text = read(path)
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit(name, old, new):
    return lambda root: _replace(root, name, old, new)


# (what the edit does, the edit, whether the copy bounds it)
EDITS = [
    ("an event's text", _edit("b", "over the disputed line", "about a new road"), True),
    ("its text back: a near-duplicate again", _edit("b", "about a new road", "over the disputed line"), True),
    (
        "a report of an event two entries report removed",
        _edit("b", "{date: 2025-05-30, what: India and China agree to resume talks.}, ", ""),
        True,
    ),
    ("an event added", _edit("f", "A}]", "A}, {date: 2025-06-02, what: France hosts a summit}]"), True),
    ("an event removed", _edit("f", ", {date: 2025-06-02, what: France hosts a summit}]", "]"), True),
    (
        "a report added to an event another entry reports",
        _edit("g", "}]", "}, {date: 2025-05-30, what: India and China agree to resume talks}]"),
        True,
    ),
    # a's report is now the first of an event f reports: its anchor ("-don-t-" for "-dont-") sorts first in f's list
    ("an event's first words", _edit("a", "talks}]", "talks}, {date: 2025-05-28, what: China don t agree}]"), True),
    ("an event's date moved (its first report changes)", _edit("a", "2025-05-30", "2025-05-29"), True),
    ("a statement edited", _edit("a", "We will talk.", "We will talk soon."), True),
    (
        "an entry's countries, its events as written",
        _edit("e", "countries: [India]", "countries: [India, Brazil]"),
        True,
    ),
    ("an entry moved to another day", _edit("g", "date: 2025-06-07", "date: 2025-05-20"), True),
    ("an id added", _edit("e", "disputed line}", "disputed line, id: ladakh}"), False),
    ("the id removed", _edit("e", ", id: ladakh}", "}"), False),
    ("a same_as added", _edit("f", "A}]", "A}, same_as: fish]"), False),
    ("the same_as removed", _edit("f", ", same_as: fish]", "]"), False),
    (
        "an event on an id's event",
        _edit("d", "[same_as: fish]", "[{date: 2025-06-01, what: China and Japan sign a fisheries accord}]"),
        False,
    ),
    ("a new base that collides", _edit("e", "}]", f"}}, {{date: 2025-06-02, what: {LONG} B}}]"), False),
    ("the plain one of two of one base edited", _edit("f", f"{LONG} A", "France and India sign a short list"), False),
    ("the other one, plain now, removed", _edit("e", f", {{date: 2025-06-02, what: {LONG} B}}]", "]"), True),
    ("a draft published", _edit("h", "status: draft", "status: published"), False),
    ("bounded again after full merges", _edit("c", "fisheries accord, id", "fisheries deal, id"), False),
    ("an event's text after it all", _edit("g", "open a consulate", "open two consulates"), True),
]


def _assemble(root, previous=None, resolutions=None):
    site, problems = assemble_site(
        read_sources(root / "content", 1, None),
        BriefingConfig(),
        today=TODAY,
        previous=previous,
        resolutions=resolutions,
    )
    assert site is not None, problems
    return site, problems


def _merged(site) -> tuple:
    """The merge as pages read it: every event, statement and entry's lists, in order."""
    return (
        [
            (e.anchor, e.date, e.what, e.countries, e.officials, e.issues, [r.url for r in e.reports], e.sources)
            for e in site.events
        ],
        [(s.anchor, s.by, s.said, s.date, [r.url for r in s.reports]) for s in site.statements],
        [
            (
                e.url,
                [(v.anchor, v.published, [r.url for r in v.reports]) for v in e.events],
                [s.anchor for s in e.statements],
            )
            for e in [*site.entries, *site.drafts]
        ],
    )


def _kept(site) -> tuple:
    kept = site.kept_events
    return (
        {k: e.anchor for k, e in kept.by_key.items()},
        kept.first,
        kept.by_id,
        kept.held,
        kept.bases,
        kept.anchors,
        dict(kept.groups),
        kept.pairs,
        [e.anchor for e in kept.events],
        kept.problems,
    )


def _own_objects(site):
    """The events hold this site's entries, and the entries this site's events."""
    entries = {id(e) for e in site.entries}
    assert all(id(r) in entries for e in site.events for r in e.reports)
    events = {id(e) for e in site.events}
    assert all(id(v) in events for e in site.entries for v in e.events)
    assert {id(e) for e in site.kept_events.events} == events


@pytest.fixture
def full_merges(monkeypatch):
    made: list[int] = []
    real = events_kept.merged_events
    monkeypatch.setattr(events_kept, "merged_events", lambda *args: made.append(1) or real(*args))
    return made


def test_each_edit_merges_as_a_full_merge_does(tmp_path, full_merges):
    root = write_files(tmp_path, files())
    resolutions = Resolutions()
    site, _ = _assemble(root, resolutions=resolutions)
    warned = 0
    for what, edit, bounded in EDITS:
        edit(root)
        full_merges.clear()
        site, problems = _assemble(root, previous=site, resolutions=resolutions)
        assert full_merges == ([] if bounded else [1]), what
        fresh, fresh_problems = _assemble(root)
        assert _merged(site) == _merged(fresh), what
        assert problems == fresh_problems, what
        assert _kept(site) == _kept(fresh), what
        _own_objects(site)
        warned += sum("looks like the one at" in p.message for p in problems)
    assert warned >= 10  # the near-duplicate pair of b and e is warned in most steps


def test_an_anchor_taken_by_a_new_base_is_hashed_as_a_full_merge_hashes_it(tmp_path):
    root = write_files(tmp_path, files())
    site, _ = _assemble(root)
    _replace(root, "e", "}]", f"}}, {{date: 2025-06-02, what: {LONG} B}}]")
    site, _ = _assemble(root, previous=site)
    anchors = [e.anchor for e in site.events if e.what.startswith(LONG)]
    assert len(anchors) == 2 and anchors[0] != anchors[1] and min(anchors) in max(anchors)


def make_site(root):
    write_files(root, files())
    shutil.copytree(ROOT / "themes" / "briefing", root / "theme")
    settings_file(root, THEME=str(root / "theme"))
    return root


@pytest.mark.slow
def test_the_preview_after_each_edit_equals_a_clean_build(tmp_path, full_merges):
    root = make_site(tmp_path)
    live = Live(root)
    for what, edit, bounded in EDITS:
        full_merges.clear()
        assert stale_pages(live.save(edit)["live"]) == [], what
        assert full_merges == ([] if bounded else [1]), what
        assert tree_bytes(root / "output") == full_build(root, "full"), what


def test_a_site_from_the_cache_merges_afresh_once(tmp_path, full_merges):
    """The cache's model is pickled without what the merge keeps (it is only for the next edit)."""
    root = write_files(tmp_path, files())
    site, _ = _assemble(root)
    restored = pickle.loads(pickle.dumps(site))
    assert restored.kept_events is None and site.kept_events is not None
    _, edit, _ = EDITS[0]
    edit(root)
    full_merges.clear()
    again, _ = _assemble(root, previous=restored)
    assert full_merges == [1]
    assert _merged(again) == _merged(_assemble(root)[0])
