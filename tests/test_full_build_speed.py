"""Issue 19, item 2 (third part): the full build's cheaper paths give the same bytes.

The bodies' plain text (only search reads it) is not made when search is off and no cache
keeps it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.domain.cache import BuildCache
from briefing.domain.loader import render_bodies
from briefing.domain.markdown import render_markdown

BODY = "## Heading\n\nIndia *and* `China` met.\nAgain.\n\n- a list\n- of two\n\n> Quoted.\n"


def test_without_plain_text_the_html_and_first_paragraph_are_the_same_and_the_text_is_empty():
    full, short = render_markdown(BODY), render_markdown(BODY, (), plain_text=False)
    assert full.text == "Heading\nIndia and China met. Again.\na list\nof two\nQuoted."
    assert (short.html, short.first_paragraph, short.text) == (full.html, "India and China met. Again.", "")


def test_a_body_a_cache_keeps_has_its_text_even_when_this_build_needs_none():
    cache = BuildCache(None)
    [kept] = render_bodies([(BODY, ())], 1, cache, plain_text=False)
    assert kept.text == "Heading\nIndia and China met. Again.\na list\nof two\nQuoted."
    [plain] = render_bodies([(BODY, ())], 1, None, plain_text=False)
    assert plain.text == ""


# --- the head links, header and footer of base.html, rendered once and spliced ---

HEAD = """<meta name="color-scheme" content="light dark">
<link rel="canonical" href="https://desk.example/desk{url}"><link rel="stylesheet" href="/desk/theme/css/site.css">
<link rel="icon" type="image/svg+xml" href="/desk/theme/favicon.svg">
<link rel="stylesheet" href="/desk/theme/css/print.css" media="print">
<link rel="alternate" type="application/atom+xml" title="The Desk: all entries" href="/desk/feeds/all.atom.xml">
"""
HEADER = """<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="site-name" href="/desk/">The Desk</a>
    <nav class="site-nav" aria-label="Site">
      <ul>
        <li><a href="/desk/digests/">Digests</a></li>
<li><a href="/desk/countries/">Countries</a></li>
<li><a href="/desk/officials/">Officials</a></li>
<li><a href="/desk/issues/">Issues</a></li>
<li><a href="/desk/relations/">Relations</a></li>
      </ul>
    </nav>
"""
FORM = """    </nav>
<form class="site-search" role="search" aria-label="Site search" action="/desk/search/" method="get">"""
FOOTER = """</main>
<footer class="site-footer">
  <div class="wrap">
    <p>The Desk: Who met whom.</p>
    <nav aria-label="About and feeds">
      <ul class="footer-links">
<li><a href="/desk/about/">About this desk</a></li>
<li><a href="/desk/search/">Search</a></li>
        <li><a href="/desk/events/">Events by year</a></li>
        <li><a href="/desk/calendar/">Calendar</a></li>
        <li><a href="/desk/data/">Open data</a></li>
        <li><a href="/desk/feeds/all.atom.xml">Atom feed</a></li>
        <li><a href="/desk/digests/monthly.atom.xml">Monthly digest feed</a></li>
        <li><a href="/desk/digests/feed.atom.xml">Weekly digest feed</a></li>
      </ul>
    </nav>
  </div>
</footer>
"""


def test_every_page_has_the_site_s_header_and_footer_its_own_canonical_link_and_a_search_form_but_the_search_page(
    site,
):
    from tools.sites import entry

    built = site(
        {
            "content/briefings/a.md": entry("Patrols agreed", "2024-10-22", countries="[India, China]"),
            "content/pages/about.md": "---\ntitle: About this desk\n---\nWho we are.\n",
        },
        SITENAME="The Desk",
        SITE_DESCRIPTION="Who met whom.",
        SITEURL="/desk",
        FEED_DOMAIN="https://desk.example/desk",
    )
    assert built.ok, built.stderr
    pages = sorted(p for p in built.output.rglob("*.html") if p.name != "email.html")
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        url = "/" + str(path.relative_to(built.output)).removesuffix("index.html")
        assert HEAD.format(url=url) in html, path
        assert HEADER in html and FOOTER in html, path
        assert (FORM in html) == (url != "/search/"), path


# --- issue 19, item 2 (fourth part): without a cache the parse workers read the files ---


def test_workers_that_read_the_files_themselves_give_what_the_parent_s_reading_gives(tmp_path, monkeypatch):
    from tools.sites import entry

    from briefing.domain.diagnostics import format_report
    from briefing.domain.loader import parse_entries

    content = tmp_path / "content"
    folder = content / "briefings" / "2025"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(entry("Border talks", "2025-06-12", countries="[India, China]"))
    (folder / "b.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    (tmp_path / "outside.md").write_text(entry("Outside", "2025-06-13", countries="[India]"))
    (folder / "c.md").symlink_to(tmp_path / "outside.md")
    (folder / "d.md").write_text(entry("Trade", "2025-06-14", countries="[China]"))
    paths = sorted(folder.iterdir())
    monkeypatch.chdir(tmp_path)

    def described(results):
        return [(draft.title if draft else None, format_report(problems)) for draft, problems in results]

    in_parent = described(parse_entries(paths, 1, BuildCache(None), content))  # the parent reads and hashes
    in_workers = described(parse_entries(paths, 2, None, content))  # each worker reads its share
    assert in_workers == in_parent
    assert [title for title, _ in in_workers] == ["Border talks", None, None, "Trade"]
    assert in_workers[2][1] == (
        f"content/briefings/2025/c.md:1:1: error: not read: a link to {tmp_path / 'outside.md'}, "
        "outside the content folder (copy the file in instead)"
    )


def test_the_profiles_are_read_while_the_workers_parse_the_entries(tmp_path, monkeypatch):
    """read_sources reads the profiles and editorial files in the parent while the workers
    parse the entries (before, after them: 0.1 s at 10,000 entries with the other core idle)."""
    import multiprocessing

    from tools.sites import entry

    from briefing.domain import sources

    content = tmp_path / "content"
    (content / "briefings").mkdir(parents=True)
    for n in range(310):  # parse_entries pools from 300 files
        (content / "briefings" / f"{n:03d}.md").write_text(entry(f"Talks {n}", "2025-06-12", countries="[India]"))
    (content / "countries").mkdir()
    (content / "countries" / "india.md").write_text("---\nname: India\n---\nA profile.\n")
    seen = []
    parse_profiles = sources.parse_profiles
    monkeypatch.setattr(
        sources, "parse_profiles", lambda *a: seen.append(len(multiprocessing.active_children())) or parse_profiles(*a)
    )
    read = sources.read_sources(content, 2)
    assert seen == [2]  # the two workers were parsing
    assert len(read.entries) == 310 and [p.name for p in read.profiles] == ["india.md"]
    assert all(draft is not None for draft, _ in read.entries.values())
    read = sources.read_sources(content, 1)
    assert seen == [2, 0] and len(read.entries) == 310 and len(read.profiles) == 1


# --- the `pelican` command exits without freeing its heap once the build succeeded ---


def test_the_command_ends_with_its_summary_and_status_and_a_failed_build_still_fails(tmp_path):
    from tools.sites import entry, run_pelican, write_files

    write_files(tmp_path, {"content/briefings/a.md": entry("Border talks", "2025-06-12", countries="[India]")})
    built = run_pelican(tmp_path, env={"BRIEFING_CACHE": "off", "BRIEFING_SEARCH": "off"})
    assert built.returncode == 0
    assert built.stderr.splitlines()[-1].startswith("Built ")  # flushed before the process ended
    assert (tmp_path / "output" / "countries" / "india" / "index.html").is_file()
    write_files(tmp_path, {"content/briefings/b.md": entry("Talks", "2025-06-13", countries="[Indiaa]")})
    failed = run_pelican(tmp_path, env={"BRIEFING_CACHE": "off", "BRIEFING_SEARCH": "off"})
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == "Build refused: 1 error(s) in the content; nothing was written."


# --- the listing sorts entries by their parts (tuples of strings), as paths compare ---


def test_entries_in_sub_folders_are_listed_in_the_order_their_paths_compare(tmp_path):
    from briefing.domain.content_files import find_content

    names = ["b.md", "a/x.md", "a.md", "c/y.md", "a/b/z.md", "a-b.md", "A.md"]
    for name in names:
        path = tmp_path / "content" / "briefings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: T\ndate: 2025-01-01\n---\n")
    listed = find_content(tmp_path / "content").entries
    assert [str(p.relative_to(tmp_path / "content" / "briefings")) for p in listed] == [
        "A.md",
        "a/b/z.md",
        "a/x.md",
        "a-b.md",
        "a.md",
        "b.md",
        "c/y.md",
    ]
    assert listed == sorted(listed)


@pytest.mark.parametrize("newline", [False, True])
def test_one_folder_of_entries_is_listed_as_a_test_per_name_would(tmp_path, newline):
    """Entries of one folder are found by one search over its joined names: dot-files and
    back-ups are skipped, other names are strays, and a name holding a newline is tested alone."""
    from briefing.domain.content_files import find_content

    folder = tmp_path / "content" / "briefings"
    folder.mkdir(parents=True)
    names = [
        "b.md",
        ".a.md",
        "a.md~",
        "#c.md#",
        "x.MD",
        "notes.txt",
        "d.md",
        ".md",
        "#e.md",
        *(["n\nl.md"] if newline else []),
    ]
    for name in names:
        (folder / name).write_text("---\ntitle: T\ndate: 2025-01-01\n---\n")
    files = find_content(tmp_path / "content")
    entries = ["#e.md", "b.md", "d.md", *(["n\nl.md"] if newline else [])]
    assert files.entry_texts == [os.path.join(str(folder), name) for name in entries]
    assert [s.path.rsplit("/", 1)[-1] for s in files.strays] == ["notes.txt", "x.MD"]


@pytest.mark.parametrize("given", ["content", "./content", "content/", "ABSOLUTE", "."])
def test_the_entries_texts_are_their_paths_however_the_folder_is_named(tmp_path, monkeypatch, given):
    """The check reads the entries' paths as os.walk gives them, never making `Path` objects:
    each names its entry, and is shown as that entry's path is."""
    from briefing.domain.check import _shown
    from briefing.domain.content_files import find_content

    for name in ("b.md", "a/x.md"):
        path = tmp_path / "content" / "briefings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: T\ndate: 2025-01-01\n---\n")
    monkeypatch.chdir(tmp_path / "content" if given == "." else tmp_path)
    files = find_content(Path(str(tmp_path / "content") if given == "ABSOLUTE" else given))
    assert [Path(text).resolve() for text in files.entry_texts] == [
        tmp_path / "content" / "briefings" / "a" / "x.md",
        tmp_path / "content" / "briefings" / "b.md",
    ]
    assert files.entries == [Path(text) for text in files.entry_texts]
    inside = "" if given == "." else "content/"
    assert (
        _shown(files.entry_texts) == _shown(files.entries) == [f"{inside}briefings/a/x.md", f"{inside}briefings/b.md"]
    )
