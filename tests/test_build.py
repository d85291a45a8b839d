"""Whole-site builds with real Pelican: exact URLs, contents, feeds, drafts, refusal of bad
content, atomic output and byte-identical rebuilds."""

from __future__ import annotations

import feedparser
import pytest
from tools.cli import briefing
from tools.sites import entry, tree_bytes

OFFICIAL = """\
---
name: Randhir Jaiswal
country: India
roles:
  - {title: Official Spokesperson, from: 2024-03}
---
Spokesperson of the Ministry of External Affairs.
"""


def small_site() -> dict[str, str]:
    return {
        "content/officials/randhir-jaiswal.md": OFFICIAL,
        "content/briefings/2025/rare-earths.md": entry(
            "India presses China on rare-earth magnets",
            "2025-06-12",
            body="India said it was *in touch* with Beijing.\n\n## Background\n\nMore.",
            summary='"New Delhi seeks predictable supply."',
            countries="[India, China]",
            officials="[Randhir Jaiswal]",
            issues="[Rare earth export controls]",
            events="\n  - date: 2025-04-04\n    what: China puts seven rare earths under licensing\n    countries: [China]",
            source='{name: MEA, url: "https://www.mea.gov.in/media-briefings.htm"}',
        ),
        "content/briefings/2025/flights.md": entry(
            "Direct flights to resume",
            "2025-06-10 09:30",
            countries="India",
            issues="Direct flights",
            sources='\n  - {name: A, url: "https://a.example/1"}\n  - {name: B, url: "https://b.example/2"}',
        ),
        "content/briefings/2024/draft.md": entry("Not yet", "2024-01-01", countries="India", status="draft"),
    }


@pytest.fixture(scope="module")
def built(site):
    built = site(small_site())
    assert built.ok, built.stderr
    return built


def test_entry_page_at_pretty_url_with_everything(built):
    page = built.text("briefings/2025/india-presses-china-on-rare-earth-magnets/index.html")
    assert "<h1>India presses China on rare-earth magnets</h1>" in page
    assert '<time datetime="2025-06-12">12 June 2025</time>' in page
    assert '<p class="lede">New Delhi seeks predictable supply.</p>' in page
    assert "<em>in touch</em>" in page
    assert '<li><a href="/countries/india/">India</a></li><li><a href="/countries/china/">China</a></li>' in page
    assert (
        '<a href="/officials/randhir-jaiswal/">Randhir Jaiswal</a> <span class="role">(Official Spokesperson)</span>'
        in page
    )
    assert '<a href="/issues/rare-earth-export-controls/">Rare earth export controls</a>' in page
    assert (
        '<time datetime="2025-04-04">4 April 2025</time> <span class="tl-kind">Event</span> '
        '<span class="event-what">China puts seven rare earths under licensing</span>' in page
    )
    assert '<a href="https://www.mea.gov.in/media-briefings.htm" rel="noopener noreferrer external">MEA</a>' in page


def test_default_summary_is_first_paragraph_and_time_kept(built):
    page = built.text("briefings/2025/direct-flights-to-resume/index.html")
    assert '<p class="lede">Body text.</p>' in page
    assert '<time datetime="2025-06-10T09:30:00+00:00">10 June 2025</time>' in page
    assert '<h2 id="sources-heading">Sources</h2>' in page


def test_home_lists_latest_entries_newest_first_without_drafts(built):
    home = built.text("index.html")
    first = home.index("India presses China on rare-earth magnets")
    second = home.index("Direct flights to resume")
    assert first < second
    assert "Not yet" not in home


def test_draft_built_apart_and_never_listed(built):
    draft = built.text("drafts/not-yet/index.html")
    assert '<meta name="robots" content="noindex">' in draft
    for listed in ("feeds/all.atom.xml", "sitemap.xml", "countries/india/index.html", "digests/2024-w01/index.html"):
        assert not built.exists(listed) or "not-yet" not in built.text(listed), listed


def test_site_feed_is_valid_atom_with_absolute_urls(built):
    feed = feedparser.parse(built.text("feeds/all.atom.xml"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == [
        "http://127.0.0.1:8000/briefings/2025/india-presses-china-on-rare-earth-magnets/",
        "http://127.0.0.1:8000/briefings/2025/direct-flights-to-resume/",
    ]
    assert feed.feed.updated == "2025-06-12T00:00:00Z"
    assert feed.entries[1].published == "2025-06-10T09:30:00Z"


def test_publish_settings_make_feed_urls_absolute_on_siteurl(site):
    built = site(small_site(), SITEURL="https://briefs.example.org", FEED_DOMAIN="https://briefs.example.org")
    assert built.ok, built.stderr
    feed = feedparser.parse(built.text("feeds/all.atom.xml"))
    assert feed.entries[0].id == "https://briefs.example.org/briefings/2025/india-presses-china-on-rare-earth-magnets/"
    page = built.text("briefings/2025/direct-flights-to-resume/index.html")
    assert '<a href="https://briefs.example.org/countries/india/">India</a>' in page


def test_build_summary_line(built):
    assert (
        "Built 76 files (1 404, 6 calendar, 2 country, 34 data, 2 digest, 1 draft, 4 email, 2 entry, 1 events, "
        "8 feed, 1 home, 6 index, 2 issue, 1 official, 2 page, 1 robots, 1 search, 1 sitemap); 0 warning(s);"
        in built.stderr
    )


def test_three_mistakes_in_three_files_reported_and_output_untouched(site):
    built = site(small_site())
    assert built.ok, built.stderr
    before = tree_bytes(built.output)
    built.write(
        {
            "content/briefings/bad1.md": entry("One", "2025-01-01", countires="[India]"),
            "content/briefings/bad2.md": entry("Two", "2025-02-30", countries="[India]"),
            "content/briefings/bad3.md": entry("Three", "2025-03-01", countries="[Inida]"),
        },
    )
    result = built.rebuild()
    assert result.status == 1
    assert result.stderr.splitlines()[:3] == [
        "content/briefings/bad1.md:4:1: error: unknown key 'countires' (did you mean 'countries'?)",
        "content/briefings/bad2.md:3:7: error: 'date': '2025-02-30' is not a real date (day is out of range for month)",
        "content/briefings/bad3.md:4:13: error: unknown country 'Inida' (did you mean 'India'?)",
    ]
    assert "Traceback" not in result.stderr
    assert tree_bytes(built.output) == before
    assert not list(built.root.glob(".output.staging-*"))


def test_check_command_reports_the_same_lines(site):
    built = site({"content/briefings/bad.md": entry("One", "2025-01-01", countires="[India]")})
    assert built.status == 1
    result = briefing("check", cwd=built.root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/briefings/bad.md:4:1: error: unknown key 'countires' (did you mean 'countries'?)",
        "::error file=content/briefings/bad.md,line=4,col=1::unknown key 'countires' (did you mean 'countries'?)",
    ]
    assert built.stderr.splitlines()[0] == result.stdout.splitlines()[0]


def test_same_url_twice_names_both_files(site):
    result = site(
        {
            "content/briefings/a.md": entry("Same title", "2025-01-01", countries="India"),
            "content/briefings/b.md": entry("Same title", "2025-05-01", countries="India"),
        }
    )
    assert result.status == 1
    assert (
        "content/briefings/b.md:2:1: error: this entry and content/briefings/a.md both have the address "
        "/briefings/2025/same-title/: give one a different 'slug'"
    ) in result.stderr


def test_two_builds_are_byte_identical(built):
    again = built.rebuild(output="again")
    assert again.ok, again.stderr
    first, second = tree_bytes(built.output), tree_bytes(again.output)
    assert first == second
    # 28 pages and feeds (a weekly and a monthly digest, their two feeds), and the events of 2025
    # and their index (/events/2025/, /events/); /data/ and /calendar/, the digests' email versions
    # (4), the open data (19 files in /data/, 3 per entity page) and calendars (the site's, 1 per entity)
    assert len(first) == 30 + 2 + 4 + (19 + 3 * 5) + (1 + 5) + len(
        [p for p in first if p.startswith(("theme/", "pagefind/"))]
    )
    assert "pagefind/2025-pages/pagefind-entry.json" in first  # the search index is part of the build, identical too


def test_home_paginates_at_twenty(site):
    files = {
        f"content/briefings/e{i:02d}.md": entry(f"Entry {i:02d}", f"2025-03-{i + 1:02d}", countries="India")
        for i in range(21)
    }
    built = site(files)
    assert built.ok, built.stderr
    first, second = built.text("index.html"), built.text("page/2/index.html")
    assert first.count('class="card"') == 20 and second.count('class="card"') == 1
    assert "Entry 00" in second and "Entry 20" in first
    assert '<a rel="next" href="/page/2/">← Older</a>' in first  # older on the left, as in every pager
    assert '<a rel="prev" href="/">Newer →</a>' in second
