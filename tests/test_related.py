"""Related entries on a hand-built case: up to 5, scored by shared issues (3 each), officials
(2 each) and countries (1 each); ties newer first, then by URL."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from tools.sites import entry, read, write_files

from briefing.domain.derive import RELATED_WEIGHTS
from briefing.domain.site import load_site


def url(slug: str) -> str:
    return f"/briefings/2025/{slug}/"


FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\n",
    # the entry whose related entries are ranked
    "content/briefings/target.md": entry(
        "Target",
        "2025-06-01",
        slug="target",
        countries="[India, China]",
        officials="[Wang Yi]",
        issues="[Border dispute, Trade]",
    ),
    "content/briefings/b.md": entry(
        "Both issues", "2025-01-10", slug="both-issues", issues="[Border dispute, Trade]"
    ),  # 6
    "content/briefings/a.md": entry(
        "Issue and country", "2025-01-09", slug="issue-and-country", countries="[India]", issues="[Border dispute]"
    ),  # 3 + 1 = 4
    "content/briefings/c.md": entry(
        "Official and country", "2025-01-01", slug="official-and-country", countries="[China]", officials="[Wang Yi]"
    ),  # 2 + 1 = 3
    "content/briefings/e.md": entry("One issue newer", "2025-01-05", slug="one-issue-newer", issues="[Trade]"),  # 3
    "content/briefings/d.md": entry(
        "Two countries", "2025-03-01", slug="two-countries", countries="[China, India]"
    ),  # 2
    "content/briefings/f.md": entry("Country only", "2025-05-01", slug="country-only", countries="[India]"),  # 1
    "content/briefings/x.md": entry("Unrelated", "2025-06-02", slug="unrelated", countries="[Japan]"),
    "content/briefings/y.md": entry(
        "Draft twin",
        "2025-06-03",
        slug="draft-twin",
        status="draft",
        countries="[India, China]",
        officials="[Wang Yi]",
        issues="[Border dispute, Trade]",
    ),
    # a tie on score and date, broken by URL
    "content/briefings/p.md": entry("Peru one", "2025-02-01", slug="peru-b", countries="[Peru]"),
    "content/briefings/q.md": entry("Peru two", "2025-02-01", slug="peru-a", countries="[Peru]"),
    "content/briefings/r.md": entry("Peru three", "2025-02-02", slug="peru-c", countries="[Peru]"),
}


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("related-domain"), FILES)
    model, problems = load_site(root / "content", today=dt.date(2026, 1, 1))
    assert [p for p in problems if p.severity == "error"] == []
    return model


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def test_weights_favour_issues_then_officials_then_countries():
    assert RELATED_WEIGHTS == {"issue": 3, "official": 2, "country": 1}


def test_ranking_by_score_then_date_capped_at_five(model):
    assert [e.url for e in model.related[url("target")]] == [
        url("both-issues"),  # 3 + 3
        url("issue-and-country"),  # 3 + 1
        url("one-issue-newer"),  # 3, 5 January
        url("official-and-country"),  # 2 + 1 = 3, 1 January: the tie goes to the newer entry
        url("two-countries"),  # 1 + 1
    ]  # "country-only" (1) is sixth: cut; "unrelated" and the draft never appear


def test_ties_on_score_and_date_are_broken_by_url(model):
    assert [e.url for e in model.related[url("peru-b")]] == [url("peru-c"), url("peru-a")]
    assert [e.url for e in model.related[url("peru-c")]] == [url("peru-a"), url("peru-b")]


def test_an_entry_sharing_nothing_has_no_related_entries(model):
    assert model.related[url("unrelated")] == []


def test_equal_scores_list_newer_entries_first(model):
    # "country-only" shares only India (1 point) with three entries: newest first
    assert [e.url for e in model.related[url("country-only")]] == [
        url("target"),
        url("two-countries"),
        url("issue-and-country"),
    ]


def test_entry_page_shows_related_entries_newest_first_with_what_they_share(out):
    page = lxml.html.fromstring(read(out / "briefings/2025/target/index.html"))
    section = page.xpath("//section[@class='related']")[0]
    assert section.findtext("h2") == "Related entries"
    rows = [
        (li.find("a").get("href"), " ".join(li.find("span").text_content().split())) for li in section.xpath(".//li")
    ]
    # The five best by score, shown newest first, each saying why: issues, then officials, then countries.
    assert rows == [
        (url("two-countries"), "1 March 2025 · also about India and China"),
        (url("both-issues"), "10 January 2025 · also about Border dispute and Trade"),
        (url("issue-and-country"), "9 January 2025 · also about Border dispute and India"),
        (url("one-issue-newer"), "5 January 2025 · also about Trade"),
        (url("official-and-country"), "1 January 2025 · also about Wang Yi and China"),
    ]


def test_entry_without_related_entries_has_no_section(out):
    page = lxml.html.fromstring(read(out / "briefings/2025/unrelated/index.html"))
    assert page.xpath("//section[@class='related']") == []


def test_every_bundled_entry_page_shows_related_entries(bundled_site):
    pages = sorted(bundled_site.glob("briefings/*/*/index.html"))
    assert len(pages) >= 30
    counts = {
        p.parent.name: len(lxml.html.fromstring(p.read_bytes()).xpath("//section[@class='related']//li/a"))
        for p in pages
    }
    assert {name: n for name, n in counts.items() if not 1 <= n <= 5} == {}


# --- kept between edits (the preview assembles the site again with the site it had) ---

LONG_COUNTRIES = ["India", "China", "Japan"]


def long_site(root) -> None:
    """240 entries over three countries and two issues: each name's list is far longer than
    the window related entries are found in, so most entries keep theirs after one edit."""
    files = {}
    for i in range(240):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        countries = (
            f"[{LONG_COUNTRIES[i % 3]}]" if i % 4 else f"[{LONG_COUNTRIES[i % 3]}, {LONG_COUNTRIES[(i + 1) % 3]}]"
        )
        issues = "[Trade]" if i % 5 == 0 else ("[Border dispute]" if i % 7 == 0 else "[]")
        files[f"content/briefings/e{i:03d}.md"] = entry(
            f"Entry {i}", day.isoformat(), countries=countries, issues=issues
        )
    write_files(root, files)


def _replace(root, name: str, old: str, new: str):
    path = root / "content" / "briefings" / name
    text = read(path)
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


KEPT_EDITS = {
    "a country added": lambda r: _replace(r, "e101.md", "countries: [Japan]", "countries: [Japan, China]"),
    "an issue taken away": lambda r: _replace(r, "e105.md", "issues: [Trade]", "issues: []"),
    "a date moved far": lambda r: _replace(r, "e120.md", "date: 2024-04-30", "date: 2024-01-15"),
    "a title (its address)": lambda r: _replace(r, "e130.md", "title: Entry 130", "title: Entry one-thirty"),
    "an entry deleted": lambda r: (r / "content/briefings/e140.md").unlink(),
    "an entry added": lambda r: write_files(
        r, {"content/briefings/new.md": entry("New", "2024-05-05", countries="[India, China]", issues="[Trade]")}
    ),
}


@pytest.mark.parametrize("edit", KEPT_EDITS, ids=list(KEPT_EDITS))
def test_related_entries_kept_from_the_previous_site_are_those_derived_afresh(tmp_path, edit):
    """derive_site(previous=...) keeps the related entries of the entries an edit cannot have
    changed them for: every list equals the one derived from nothing, and most were kept."""
    from briefing.domain import related
    from briefing.domain.config import BriefingConfig
    from briefing.domain.site import assemble_site
    from briefing.domain.sources import read_sources

    long_site(tmp_path)
    config = BriefingConfig()
    before, _ = load_site(tmp_path / "content", config)
    _lines(before)  # as the page list makes them: the lines a kept list keeps
    KEPT_EDITS[edit](tmp_path)
    sources = read_sources(tmp_path / "content", 1, None)
    kept = related.kept_related(before, *_published_and_postings(assemble_site(sources, config)[0]))
    again, _ = assemble_site(sources, config, previous=before)
    fresh, _ = assemble_site(sources, config)
    assert {u: [e.url for e in r] for u, r in again.related.items()} == {
        u: [e.url for e in r] for u, r in fresh.related.items()
    }
    lines_kept = sorted(again.related_lines)
    assert lines_kept == sorted(kept)  # the lines of every kept list are kept
    shown, expected = _lines(again), _lines(fresh)
    assert _differing(shown, expected) == []
    count = len(fresh.entries)  # (a failing comparison of the entries themselves would print them all)
    # a date moved far shifts every entry between its two places in its names' lists
    assert (100 if edit == "a date moved far" else 150) < len(kept) < count
    if edit == "a country added":  # a window in its one old list and in the new one, no more
        assert count - len(kept) <= 2 * (2 * related.RELATED_WINDOW + 1)


def _lines(site) -> dict[str, list[tuple]]:
    """Each entry's related lines as its page shows them: (address, title, names shared)."""
    return {
        e.url: [(r.entry.url, r.entry.title, r.shared) for r in site.related_entries(e)]
        for e in [*site.entries, *site.drafts]
    }


PROFILE_EDITS = {  # (the profile as written again, the name the lines show now)
    "its name written anew, the same address": ("---\nname: TRADE\n---\nTrade policy.\n", "TRADE"),
    "renamed, the old name an alias (a new address)": (
        "---\nname: Trade policy\naliases: [Trade]\n---\nTrade policy.\n",
        "Trade policy",
    ),
}


@pytest.mark.parametrize("edit", PROFILE_EDITS, ids=list(PROFILE_EDITS))
def test_a_profile_renamed_keeps_every_related_list_and_the_lines_that_do_not_show_it(tmp_path, edit):
    """A profile's name written anew keeps every related list (the same entries name the same
    entity, under a new key when its address changed), and the lines of the 192 entries that
    do not name it; the 48 that do show the name as written now."""
    from briefing.domain import related
    from briefing.domain.config import BriefingConfig
    from briefing.domain.site import assemble_site
    from briefing.domain.sources import read_sources

    long_site(tmp_path)
    write_files(tmp_path, {"content/issues/trade.md": "---\nname: Trade\n---\nTrade policy.\n"})
    config = BriefingConfig()
    before, _ = load_site(tmp_path / "content", config)
    assert _shown(_lines(before), "Trade")  # (made as the page list makes them: the lines a kept list keeps)
    text, name = PROFILE_EDITS[edit]
    (tmp_path / "content/issues/trade.md").write_text(text, encoding="utf-8")
    sources = read_sources(tmp_path / "content", 1, None)
    again, _ = assemble_site(sources, config, previous=before)
    fresh, _ = assemble_site(sources, config)
    trade = next(view.entity.key for view in fresh.views.values() if view.entity.profile_path)
    naming = {e.url for e in fresh.entries if trade in e.issues}
    kept, lines_kept = related.kept_related(before, *_published_and_postings(fresh)), set(again.related_lines)
    assert (len(kept), len(naming)) == (len(fresh.entries), 48)  # every list kept
    assert lines_kept == {e.url for e in fresh.entries} - naming
    shown, expected = _lines(again), _lines(fresh)  # (a failing assert must not print the sites)
    assert _differing(shown, expected) == []
    assert _shown(shown, name)
    assert not _shown(shown, "Trade")


def _differing(lines: dict, expected: dict) -> list[str]:
    """The entries whose lines differ (not the lines: a failure would print them all)."""
    return sorted(url for url in lines.keys() | expected.keys() if lines.get(url) != expected.get(url))


def _shown(lines: dict, name: str) -> bool:
    return any(name in shared for listed in lines.values() for _, _, shared in listed)


def _published_and_postings(site):
    postings = {key: view.entries for key, view in site.views.items() if view.entries}
    return site.registry, site.entries, postings
