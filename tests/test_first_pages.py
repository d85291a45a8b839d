"""The preview writes the pages a front-matter save names before the rest of its update
(build/first_pages.py): the saved entry's page and the main pages of the entities it names now
and named before are on disk, as a clean build makes them, before the candidates are looked
for; the update still renders each changed page once, and ends equal to a clean build."""

from __future__ import annotations

from collections import Counter

import pytest
from test_incremental import add_entity, edit_profile, remove_entity
from test_live import Live, differing, full_build, make_site, page_url

from briefing.build import live as live_module
from briefing.build.digester import Digester
from briefing.build.fingerprint import fingerprints_and_inputs

pytestmark = pytest.mark.slow

ENTRY_PAGE = "briefings/2025/entry-number-{}/index.html"


def pages_when_candidates_are_looked_for(monkeypatch, root, paths: list[str]) -> dict[str, bytes]:
    """Wrap the update's second step so that it notes the bytes of `paths` when it begins."""
    seen: dict[str, bytes] = {}
    look_again = live_module.LiveSite._look_again

    def noting(self, candidates, update, new_specs=None, *first):
        if new_specs is not None:  # (the step after the first pages of a re-assembled site)
            seen.update({p: (root / "output" / p).read_bytes() for p in paths if (root / "output" / p).exists()})
        return look_again(self, candidates, update, new_specs, *first)

    monkeypatch.setattr(live_module.LiveSite, "_look_again", noting)
    return seen


@pytest.mark.parametrize(
    ("edit", "paths"),
    [
        # Kenya had no page
        (add_entity, [ENTRY_PAGE.format(7), "countries/kenya/index.html", "countries/japan/index.html"]),
        # named before only
        (remove_entity, [ENTRY_PAGE.format(8), "countries/brazil/index.html", "countries/france/index.html"]),
        (edit_profile, ["officials/wang-yi/index.html"]),  # a saved profile: its entity's page
    ],
    ids=["entity-added", "entity-removed", "profile"],
)
def test_the_pages_a_save_names_are_written_before_the_candidates(tmp_path, monkeypatch, edit, paths):
    root = make_site(tmp_path)
    live = Live(root)
    before = full_build(root, "full-before")
    seen = pages_when_candidates_are_looked_for(monkeypatch, root, paths)
    digested: Counter = Counter()
    page = Digester.page
    monkeypatch.setattr(Digester, "page", lambda self, spec: (digested.update([spec.url]), page(self, spec))[1])
    change = live.save(edit)
    twice = [url for url, n in digested.items() if n > 1]
    monkeypatch.undo()
    assert twice == []  # the first pages' fingerprints and closures are handed on, not made again
    kept = change["live"]
    _, inputs = fingerprints_and_inputs(kept.specs, kept.salt, kept.site, kept.generator.env, kept.templates)
    assert [frozenset().union(*c) for c in kept.inputs] == [frozenset().union(*c) for c in inputs]
    after = full_build(root, "full-after")
    assert seen == {p: after[p] for p in paths}  # each already as a clean build makes it
    assert all(before.get(p) != after[p] for p in paths)  # (and each changed)
    assert len(change["rendered"]) == len(set(change["rendered"]))  # none rendered twice
    gone = {page_url(p) for p in before.keys() - after.keys()}
    assert set(change["rendered"]) == differing(before, after) - gone
    assert set(change["written"]) == differing(before, after)


def test_a_save_of_many_files_writes_nothing_first(tmp_path, monkeypatch):
    def six_entries(root):  # more than first_pages.MOST_FILES: a checkout, say
        for i in range(6):
            path = root / "content" / "briefings" / f"e{i:02d}.md"
            path.write_text(path.read_text(encoding="utf-8").replace("countries: [", "countries: [Kenya, "), "utf-8")

    root = make_site(tmp_path)
    live = Live(root)
    before = full_build(root, "full-before")
    page = ENTRY_PAGE.format(0)
    seen = pages_when_candidates_are_looked_for(monkeypatch, root, [page])
    change = live.save(six_entries)
    after = full_build(root, "full-after")
    assert seen[page] == before[page] != after[page]  # not written before the candidates
    assert set(change["written"]) == differing(before, after)
