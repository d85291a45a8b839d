"""The model a full build keeps for the next `make html` (build/lean_model.py): pickled without
the caches a quick rebuild makes again, each made again equal to the one left out, and the site
in memory as it was once the model is kept; and what a build that keeps no model lets go of
before it forks its search step and page workers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from test_incremental import base_files
from tools.sites import entry, write_files

from briefing.build.generator import BriefingGenerator
from briefing.build.lean_model import ASSEMBLY_CACHES, RESOLVING_MEMOS, cached_properties, lean_site, shared_closures
from briefing.domain.config import BriefingConfig
from briefing.domain.model import Entity, Entry, Event, Statement
from briefing.domain.site import assemble_site
from briefing.domain.sources import read_sources
from briefing.domain.views import EntityView, Relation, Site

TODAY = dt.date(2026, 1, 1)


def built(tmp_path) -> Site:
    """A site with every cache a build's pages fill, filled. (Not a fixture: a failing test's
    arguments are printed, and a site's repr holds every entry many times over.)"""
    overlapping = entry(  # an event whose text names two issues at one place: a mention index decides
        "Curbs",
        "2025-06-20",
        countries="[China]",
        issues="[Rare earth, Rare earth magnets]",
        events="\n  - {date: 2025-06-19, what: China curbs rare earth magnets}",
    )
    write_files(tmp_path, {**base_files(), "content/briefings/2025/curbs.md": overlapping})
    site, problems = assemble_site(read_sources(tmp_path / "content", 1, None), BriefingConfig(), today=TODAY)
    assert site is not None, problems
    for holder in _holders(site):
        for name in cached_properties(type(holder)):
            getattr(holder, name)
    for listed in site.entries:
        site.related_entries(listed)
    return site


def _holders(site: Site) -> list:
    return [site, *site.views.values(), *site.relations]


def _everything(site: Site) -> dict[tuple[int, str], int]:
    """{(holder, attribute): the identity of its value} over the site, its registry, views,
    relations and entries."""
    holders = [*_holders(site), site.registry, *site.entries, *site.drafts]
    return {(id(h), name): id(value) for h in holders for name, value in vars(h).items()}


def _kept(site: Site) -> tuple[Site, dict[str, str]]:
    """The site as the kept model holds it (pickled lean, then loaded), and the texts kept apart."""
    with lean_site(site) as texts:
        pickled = pickle.dumps(site, protocol=5)
    return pickle.loads(pickled), texts


def test_the_caches_left_out_are_the_views_cached_properties():
    chronicle = {"last_updated", "timeline", "latest_items", "activity", "upcoming"}
    assert set(cached_properties(EntityView)) == chronicle | {"appears_with", "partners"}
    assert set(cached_properties(Relation)) == chronicle
    assert set(cached_properties(Site)) == {"upcoming", "standings", "_shared_lookup"}


def _left(site: Site) -> dict:
    """What the kept model holds of each cache, as plain values (an assertion on a site would
    print its repr, which holds every entry many times over)."""
    holders = _holders(site)
    return {
        "sources and texts": sorted({(e.body == "", e.text == "") for e in (*site.entries, *site.drafts)}),
        "assembly caches": [len(getattr(site, name)) > 0 for name in ASSEMBLY_CACHES],
        "resolving memos": [len(getattr(site.registry, memo)) > 0 for memo in RESOLVING_MEMOS],
        "cached properties": sorted({n for h in holders for n in cached_properties(type(h)) if n in vars(h)}),
        "link targets": sorted(site.registry.link_targets),
    }


def test_the_kept_model_leaves_out_what_a_quick_rebuild_makes_again(tmp_path):
    site = built(tmp_path)
    texts = {e.path: e.text for e in (*site.entries, *site.drafts)}
    before = _left(site)
    assert before == {
        "sources and texts": [(False, False)],
        "assembly caches": [True, True],
        "resolving memos": [True] * len(RESOLVING_MEMOS),
        "cached properties": sorted({*cached_properties(EntityView), *cached_properties(Site)}),
        "link targets": before["link targets"],
    }
    loaded, kept_texts = _kept(site)
    assert kept_texts == texts
    after = _left(loaded)  # (asserted as a name: a call's arguments would be printed)
    assert after == {
        "sources and texts": [(True, True)],
        "assembly caches": [False, False],
        "resolving memos": [False] * len(RESOLVING_MEMOS),
        "cached properties": [],
        "link targets": before["link targets"],  # kept: a body edit's links to the entities it names
    }
    assert len(before["link targets"]) > 5


def _plain(value):
    """A cached value as names and numbers: entries, events, statements, entities and pages by
    what names them (their own fields hold the whole site, over and over)."""
    if isinstance(value, Entry):
        return ("entry", value.url)
    if isinstance(value, Event | Statement):
        return (type(value).__name__, value.anchor)
    if isinstance(value, Entity):
        return ("entity", value.key)
    if isinstance(value, EntityView | Relation):
        return ("page", value.page_url)
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, *[_plain(getattr(value, f.name)) for f in dataclasses.fields(value)])
    if isinstance(value, dict):
        return {key: _plain(found) for key, found in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(found) for found in value]
    return value


def test_what_is_left_out_is_made_again_as_it_was(tmp_path):
    site = built(tmp_path)
    loaded, _ = _kept(site)
    pairs = list(zip(_holders(loaded), _holders(site), strict=True))
    count = len(pairs)
    assert count > 10
    for mine, theirs in pairs:
        for name in cached_properties(type(mine)):
            made, left_out = _plain(getattr(mine, name)), _plain(getattr(theirs, name))
            assert made == left_out, (type(mine).__name__, name)
    related = [_plain(site.related_entries(e)) for e in site.entries]
    assert [_plain(loaded.related_entries(e)) for e in loaded.entries] == related
    assert sum(map(len, related)) > 10


def test_the_site_is_as_it_was_once_the_model_is_kept(tmp_path):
    site = built(tmp_path)
    before = _everything(site)
    with lean_site(site):
        during = _everything(site)
    after = _everything(site)
    assert during != before
    assert after == before


def test_equal_closures_are_kept_as_one_object():
    inputs = [(frozenset({"a", "b"}), frozenset({"c"})), (frozenset({"c"}),), (), (frozenset({"b", "a"}),)]
    shared = shared_closures(inputs)
    assert shared == inputs
    assert shared[0][1] is shared[1][0] and shared[0][0] is shared[3][0]
    assert len({id(c) for closures in shared for c in closures}) == 2


def test_a_build_that_keeps_no_model_lets_go_of_what_only_a_next_assembly_reads(tmp_path):
    site = built(tmp_path)
    generator = object.__new__(BriefingGenerator)  # what _drop_unshown reads: the sources and the site
    generator.site, generator.sources = site, read_sources(tmp_path / "content", 1, None)
    texts = sorted(e.text for e in site.entries)
    assert len(site.bodies) == len(site.entries) + len(site.drafts) and site.kept_events is not None
    generator._drop_unshown(search_text=False)  # before the search step forks: it reads the texts
    assert (generator.sources, site.bodies, site.kept_events) == (None, {}, None)
    assert {e.body for e in (*site.entries, *site.drafts)} == {""}
    assert sorted(e.text for e in site.entries) == texts and len(set(texts)) == len(texts) > 5
    generator._drop_unshown(search_text=True)  # once it has forked
    assert {e.text for e in (*site.entries, *site.drafts)} == {""}
    assert all(e.html for e in site.entries)  # the pages still show each body
