"""Entity pages, built by real Pelican from small sites: which entries each page lists and in
what order, timelines by month, appears-with, profiles, kind indexes, feeds and year pages."""

from __future__ import annotations

import feedparser
import lxml.html
import pytest
from tools.sites import doc, entry, item_text, read, text

from briefing.domain.dates import MONTHS

PROFILES = {
    "content/officials/randhir-jaiswal.md": (
        "---\nname: Randhir Jaiswal\naliases: [MEA spokesperson]\ncountry: India\nroles:\n"
        "  - {title: Joint Secretary, from: 2020-01, to: 2024-03}\n  - {title: Official Spokesperson, from: 2024-03}\n"
        "---\nSpokesperson of India's **Ministry of External Affairs**.\n"
    ),
    "content/countries/india.md": "---\nname: India\naliases: [Hindustan]\n---\nA *federal* republic in South Asia.\n",
    "content/issues/rare-earth-export-controls.md": (
        "---\nname: Rare earth export controls\naliases: [REE controls]\n---\nLicensing of rare-earth exports.\n"
    ),
    "content/issues/space-policy.md": "---\nname: Space policy\n---\nLaunches and satellites.\n",
}

MAGNETS = "/briefings/2025/india-presses-china-on-magnets/"
CHIPS = "/briefings/2025/washington-and-beijing-on-chips/"
PACT = "/briefings/2024/india-and-ivory-coast-sign-pact/"


def small_site() -> dict[str, str]:
    files = dict(PROFILES)
    files.update(
        {
            "content/briefings/2025/magnets.md": entry(
                "India presses China on magnets",
                "2025-06-12",
                countries="[India, China, USA]",
                officials="\n  - Randhir Jaiswal\n  - {name: Sun Weidong, country: China, role: Vice Minister of Foreign Affairs}",
                issues="[REE controls, Supply chains]",
                events=(
                    "\n  - date: 2025-04-04\n    what: China licenses rare earths\n    countries: [China]"
                    "\n  - date: 2025-06\n    what: Talks on magnets continue"
                    "\n  - date: '2025'\n    what: A year of shortages\n    countries: [India]\n    issues: [Supply chains]"
                ),
            ),
            "content/briefings/2025/chips.md": entry(
                "Washington and Beijing on chips",
                "2025-06-10 09:30",
                countries="[United States of America, China]",
                issues="[Supply chains]",
            ),
            "content/briefings/2024/pact.md": entry(
                "India and Ivory Coast sign pact",
                "2024-11-05",
                countries="[Cote d'Ivoire, India]",
                officials="[Sun Weidong]",
                issues="[Trade]",
            ),
            "content/briefings/2024/draft.md": entry(
                "Draft on India", "2024-12-01", countries="[India]", status="draft"
            ),
            "content/briefings/2023/islands.md": entry(
                "Island news", "2023-01-01", countries="[Cuba, Aland Islands, Turkey]"
            ),
        }
    )
    return files


@pytest.fixture(scope="module")
def out(site):
    built = site(small_site())
    assert built.ok, built.stderr
    return built.output


def cards(page) -> list[str]:
    """The entry links of a page's timeline (its months' entry lines), in order."""
    return page.xpath("//section[@aria-labelledby='timeline-heading']//ul[@class='entry-lines']/li/a/@href")


def timeline(page) -> list[tuple[str, list[tuple[str, str, str]], list[str]]]:
    """[(heading id, [(class, date, text) of its events], [its entries' links])] per year-only
    group and per month, in page order."""
    out = []
    section = page.xpath("//section[@aria-labelledby='timeline-heading']")[0]
    for group in section.xpath(".//div[@class='timeline-year'] | .//div[@class='timeline-month']"):
        heading = group.find("h3") if group.get("class") == "timeline-year" else group.find("h4")
        items = [(li.get("class"), li.find("time").get("datetime"), item_text(li)) for li in group.xpath("ol/li")]
        entries = group.xpath("ul[@class='entry-lines']/li/a/@href")
        if items or entries:
            out.append((heading.get("id"), items, entries))
    return out


def appears_with(page) -> dict[str, list[tuple[str, str, str]]]:
    return {
        div.findtext("h3"): [
            (li.find("a").text, li.find("a").get("href"), li.findtext("span")) for li in div.iter("li")
        ]
        for div in page.xpath("//section[@class='appears-with']//div[h3]")
    }


def test_entity_pages_exist_for_named_and_profiled_entities_only(out):
    found = sorted(
        p.parent.relative_to(out).as_posix()
        for kind in ("countries", "officials", "issues")
        for p in (out / kind).glob("*/index.html")
    )
    assert found == [
        "countries/aland-islands",
        "countries/china",
        "countries/cote-divoire",
        "countries/cuba",
        "countries/india",
        "countries/turkiye",
        "countries/united-states",
        "issues/rare-earth-export-controls",
        "issues/space-policy",
        "issues/supply-chains",
        "issues/trade",
        "officials/randhir-jaiswal",
        "officials/sun-weidong",
    ]


def test_country_page_lists_its_published_entries_newest_first(out):
    assert cards(doc(out, "/countries/india/")) == [MAGNETS, PACT]  # the draft is not listed
    assert cards(doc(out, "/countries/china/")) == [MAGNETS, CHIPS]


def test_usa_and_united_states_of_america_lead_to_one_page(out):
    page = doc(out, "/countries/united-states/")
    assert page.findtext(".//h1") == "United States"
    assert cards(page) == [MAGNETS, CHIPS]
    assert not (out / "countries/usa").exists()


def test_diacritics_resolve_and_slug_is_ascii(out):
    page = doc(out, "/countries/cote-divoire/")
    assert page.findtext(".//h1") == "Côte d'Ivoire"
    assert cards(page) == [PACT]


def test_counts_and_since(out):
    assert text(doc(out, "/countries/india/").xpath("//p[@class='stats']")[0]).startswith(
        "Named in 2 entries since 5 November 2024."
    )
    assert text(doc(out, "/officials/randhir-jaiswal/").xpath("//p[@class='stats']")[0]).startswith(
        "Named in 1 entry since 12 June 2025."
    )
    assert text(doc(out, "/issues/space-policy/").xpath("//p[@class='stats']")[0]).startswith(
        "Not yet named in any entry."
    )


def test_official_page_shows_role_country_roles_and_profile(out):
    page = doc(out, "/officials/randhir-jaiswal/")
    line = page.xpath("//p[@class='official-line']")[0]
    assert text(line) == "Official Spokesperson, India"
    assert line.find("a").get("href") == "/countries/india/"
    assert [text(li) for li in page.xpath("//section[@aria-labelledby='roles-heading']//li")] == [
        "Joint Secretary, from January 2020 to March 2024",
        "Official Spokesperson, from March 2024",
    ]
    profile = page.xpath("//section[@class='profile']")[0]
    assert lxml.html.tostring(profile, encoding="unicode").count("<strong>Ministry of External Affairs</strong>") == 1
    assert text(page.xpath("//p[@class='aliases']")[0]) == "Also known as: MEA spokesperson"


def test_official_defined_in_an_entry_has_its_role_and_country(out):
    page = doc(out, "/officials/sun-weidong/")
    assert text(page.xpath("//p[@class='official-line']")[0]) == "Vice Minister of Foreign Affairs, China"
    assert cards(page) == [MAGNETS, PACT]


def test_profile_text_of_country_and_issue_rendered(out):
    profile = doc(out, "/countries/india/").xpath("//section[@class='profile']")[0]
    assert lxml.html.tostring(profile, encoding="unicode").count("A <em>federal</em> republic in South Asia.") == 1
    assert text(doc(out, "/issues/space-policy/").xpath("//section[@class='profile']")[0]) == "Launches and satellites."


def test_timeline_groups_events_and_entries_by_month_newest_first(out):
    # A vague date sorts above the precise dates it spans: "June 2025" is June's first event. The
    # events with lists of their own ("2025", "4 April 2025") name no official: not his.
    assert timeline(doc(out, "/officials/sun-weidong/")) == [
        ("2025-06", [("event", "2025-06", "June 2025 Event Talks on magnets continue")], [MAGNETS]),
        ("2024-11", [], [PACT]),
    ]
    headings = doc(out, "/officials/sun-weidong/").xpath("//h3[@class='year-heading'] | //h4[@class='month-heading']")
    assert [(h.get("id"), h.text) for h in headings] == [
        ("2025", "2025"),
        ("2025-06", "June 2025"),
        ("2024", "2024"),
        ("2024-11", "November 2024"),
    ]


def test_timeline_keeps_only_events_that_concern_the_entity(out):
    # The year-long event names India only, so China's timeline leaves it out.
    assert timeline(doc(out, "/countries/china/")) == [
        ("2025-06", [("event", "2025-06", "June 2025 Event Talks on magnets continue")], [MAGNETS, CHIPS]),
        ("2025-04", [("event", "2025-04-04", "4 April 2025 Event China licenses rare earths")], []),
    ]
    # India's has it, dated to the year only: under the year's heading, above its months.
    assert timeline(doc(out, "/countries/india/"))[0] == (
        "2025",
        [("event", "2025", "2025 Event A year of shortages")],
        [],
    )
    # China's licensing lists its countries and names no issue: it is China's, not the issue's.
    assert timeline(doc(out, "/issues/rare-earth-export-controls/")) == [
        ("2025-06", [("event", "2025-06", "June 2025 Event Talks on magnets continue")], [MAGNETS]),
    ]


def test_appears_with_counts_linked_most_frequent_first(out):
    assert appears_with(doc(out, "/officials/sun-weidong/")) == {
        "Countries": [
            ("India", "/countries/india/", "2"),
            ("China", "/countries/china/", "1"),
            ("Côte d'Ivoire", "/countries/cote-divoire/", "1"),
            ("United States", "/countries/united-states/", "1"),
        ],
        "Officials": [("Randhir Jaiswal", "/officials/randhir-jaiswal/", "1")],
        "Issues": [
            ("Rare earth export controls", "/issues/rare-earth-export-controls/", "1"),
            ("Supply chains", "/issues/supply-chains/", "1"),
            ("Trade", "/issues/trade/", "1"),
        ],
    }
    assert appears_with(doc(out, "/countries/china/"))["Countries"] == [
        ("United States", "/countries/united-states/", "2"),
        ("India", "/countries/india/", "1"),
    ]


def index_rows(out, kind):
    page = doc(out, f"/{kind}/")
    return [
        (li.find("a").text, li.find("a").get("href"), li.findtext("span[@class='count']"))
        for li in page.xpath("//ul[contains(@class,'index-list')]/li")
    ]


def test_kind_indexes_list_every_entity_sorted_by_name_with_counts(out):
    # diacritics do not change the order: Côte d'Ivoire before Cuba, Åland Islands first
    assert index_rows(out, "countries") == [
        ("Åland Islands", "/countries/aland-islands/", "1"),
        ("China", "/countries/china/", "2"),
        ("Côte d'Ivoire", "/countries/cote-divoire/", "1"),
        ("Cuba", "/countries/cuba/", "1"),
        ("India", "/countries/india/", "2"),
        ("Türkiye", "/countries/turkiye/", "1"),
        ("United States", "/countries/united-states/", "2"),
    ]
    assert index_rows(out, "officials") == [
        ("Randhir Jaiswal", "/officials/randhir-jaiswal/", "1"),
        ("Sun Weidong", "/officials/sun-weidong/", "2"),
    ]
    assert index_rows(out, "issues") == [
        ("Rare earth export controls", "/issues/rare-earth-export-controls/", "1"),
        ("Space policy", "/issues/space-policy/", "0"),
        ("Supply chains", "/issues/supply-chains/", "2"),
        ("Trade", "/issues/trade/", "1"),
    ]


def test_kind_index_letters_jump_to_their_sections(out):
    page = doc(out, "/countries/")
    letters = [(a.text, a.get("href")) for a in page.xpath("//nav[@class='letters']//a")]
    assert letters == [
        ("A", "#letter-1"),
        ("C", "#letter-2"),
        ("I", "#letter-3"),
        ("T", "#letter-4"),
        ("U", "#letter-5"),
    ]
    sections = {
        s.findtext("h2"): s.xpath(".//li/a/text()") for s in page.xpath("//section[h2[starts-with(@id,'letter-')]]")
    }
    assert sections == {
        "A": ["Åland Islands"],
        "C": ["China", "Côte d'Ivoire", "Cuba"],
        "I": ["India"],
        "T": ["Türkiye"],
        "U": ["United States"],
    }


def test_entry_page_links_every_named_entity(out):
    page = doc(out, MAGNETS)
    named = {
        dt.text: [(a.text, a.get("href")) for a in dt.getnext().iter("a")]
        for dt in page.xpath("//dl[@class='named']/dt")
    }
    assert named == {
        "Countries": [
            ("India", "/countries/india/"),
            ("China", "/countries/china/"),
            ("United States", "/countries/united-states/"),
        ],
        "Officials": [("Randhir Jaiswal", "/officials/randhir-jaiswal/"), ("Sun Weidong", "/officials/sun-weidong/")],
        "Issues": [
            ("Rare earth export controls", "/issues/rare-earth-export-controls/"),
            ("Supply chains", "/issues/supply-chains/"),
        ],
    }


def test_site_navigation_links_the_kind_indexes(out):
    for url in ("/", MAGNETS, "/countries/india/", "/issues/"):
        nav = doc(out, url).xpath("//nav[@class='site-nav']//a/@href")
        assert nav == ["/digests/", "/countries/", "/officials/", "/issues/", "/relations/"], url


def test_entity_feed_is_valid_atom_of_its_entries(out):
    feed = feedparser.parse(read(out / "officials/sun-weidong/feed.atom.xml"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Briefing Digest: Sun Weidong"
    assert feed.feed.link == "http://127.0.0.1:8000/officials/sun-weidong/"
    assert [e.link for e in feed.entries] == ["http://127.0.0.1:8000" + MAGNETS, "http://127.0.0.1:8000" + PACT]
    assert [t.label for t in feed.entries[1].tags] == ["Côte d'Ivoire", "India", "Sun Weidong", "Trade"]
    head = doc(out, "/officials/sun-weidong/").xpath("//link[@type='application/atom+xml'][@title='Sun Weidong']/@href")
    assert head == ["/officials/sun-weidong/feed.atom.xml"]


def test_feed_of_entity_without_entries_is_valid_and_empty(out):
    feed = feedparser.parse(read(out / "issues/space-policy/feed.atom.xml"))
    assert (feed.bozo, feed.version, len(feed.entries)) == (0, "atom10", 0)


# --- year pages: the newest years fill the main page (50 items), each older year has a page ---


@pytest.fixture(scope="module")
def paged(site):
    files = {}
    dates = [f"2025-01-{1 + i // 2:02d} {i % 24:02d}:00" for i in range(45)]  # 45 in January 2025
    dates += [f"2024-{1 + i:02d}-10" for i in range(10)]  # one a month in 2024
    dates += ["2023-05-01", "2023-05-02", "2023-12-31"]
    for i, date in enumerate(dates):
        issues = "[Water]" if i < 20 or 45 <= i < 47 else "[Trade]"
        files[f"content/briefings/e{i:02d}.md"] = entry(f"Entry {i:02d}", date, countries="[Germany]", issues=issues)
    built = site(files)
    assert built.ok, built.stderr
    return built.output


def titles(page) -> list[str]:
    return page.xpath("//section[@aria-labelledby='timeline-heading']//ul[@class='entry-lines']/li/a/text()")


def pager(page) -> tuple:
    nav = page.xpath("//nav[@class='pagination']")
    if not nav:
        return ()
    return tuple((a.text, a.get("href")) for a in nav[0].iter("a"))


def index(page) -> tuple[list, list]:
    """The period index: [(year, link, count)] and [(month as read aloud, link, count)]."""
    nav = page.xpath("//nav[@class='periods']")
    if not nav:
        return [], []
    rows = [
        [
            (text(a).rsplit(" ", 1)[0], a.get("href"), a.findtext("span[@class='count']"))
            for a in nav[0].xpath(f"ul[@class='{c}']//a")
        ]
        for c in ("period-years", "period-months")
    ]
    return rows[0], rows[1]


def test_a_small_timeline_is_one_page_with_every_year(paged):
    page = doc(paged, "/issues/water/")  # 20 entries in January 2025, 2 in 2024
    assert titles(page) == [f"Entry {i:02d}" for i in range(19, -1, -1)] + ["Entry 46", "Entry 45"]
    assert index(page) == (
        [("2025", "#2025", "20"), ("2024", "#2024", "2")],
        [],  # one month in 2025: nothing to jump between
    )
    assert pager(page) == ()
    assert sorted(p.name for p in (paged / "issues/water").iterdir()) == [
        "calendar.ics",
        "feed.atom.xml",
        "index.html",
        "timeline.csv",
        "timeline.csv-metadata.json",
        "timeline.json",
    ]


def test_older_years_beyond_the_main_page_get_pages_of_their_own(paged):
    main, y2024, y2023 = (
        doc(paged, u) for u in ("/countries/germany/", "/countries/germany/2024/", "/countries/germany/2023/")
    )
    assert titles(main) == [f"Entry {i:02d}" for i in range(44, -1, -1)]  # 45 in 2025; 2024 would pass 50
    assert titles(y2024) == [f"Entry {i:02d}" for i in range(54, 44, -1)]
    assert titles(y2023) == ["Entry 57", "Entry 56", "Entry 55"]
    years = [
        ("2025", "#2025", "45"),
        ("2024", "/countries/germany/2024/#2024", "10"),
        ("2023", "/countries/germany/2023/#2023", "3"),
    ]
    assert index(main) == (years, [])
    assert index(y2024) == (
        [
            ("2025", "/countries/germany/#2025", "45"),
            ("2024", "#2024", "10"),
            ("2023", "/countries/germany/2023/#2023", "3"),
        ],
        [(f"{m} 2024,", f"#2024-{n:02d}", "1") for n, m in reversed(list(enumerate(MONTHS[:10], start=1)))],
    )
    assert index(y2023)[1] == [("December 2023,", "#2023-12", "1"), ("May 2023,", "#2023-05", "2")]
    assert pager(main) == (("← Older: 2024", "/countries/germany/2024/"),)
    assert pager(y2024) == (("← Older: 2023", "/countries/germany/2023/"), ("Newer: 2025 →", "/countries/germany/"))
    assert pager(y2023) == (("Newer: 2024 →", "/countries/germany/2024/"),)
    assert y2024.findtext(".//title") == "Germany in 2024 · Briefing Digest"
    assert text(y2024.xpath("//h1")[0]) == "Germany in 2024"
    assert not y2024.xpath("//figure[@class='chart']") and not y2024.xpath("//section[@class='appears-with']")
    assert text(y2023.xpath("//p[@class='stats']")[0]).startswith("Named in 58 entries since 1 May 2023.")
    assert not (paged / "countries/germany/2025").exists()
    assert not (paged / "countries/germany/page").exists()


# --- one more entry, one more build ---


def test_new_entry_naming_an_official_by_plain_name_lands_on_the_page(site):
    built = site(small_site())
    assert built.ok, built.stderr
    built.write(
        {
            "content/briefings/2025/later.md": entry(
                "Jaiswal briefs on flights",
                "2025-07-01",
                countries="[India]",
                officials="[Randhir Jaiswal]",
                events="\n  - date: 2025-06-30\n    what: Airlines file schedules",
            )
        },
    )
    again = built.rebuild()
    assert again.ok, again.stderr
    page = doc(again.output, "/officials/randhir-jaiswal/")
    assert cards(page) == ["/briefings/2025/jaiswal-briefs-on-flights/", MAGNETS]
    assert timeline(page) == [
        ("2025-07", [], ["/briefings/2025/jaiswal-briefs-on-flights/"]),
        (
            "2025-06",
            [
                ("event", "2025-06", "June 2025 Event Talks on magnets continue"),
                ("event", "2025-06-30", "30 June 2025 Event Airlines file schedules"),
            ],
            [MAGNETS],
        ),
    ]
    assert index_rows(again.output, "officials")[0] == ("Randhir Jaiswal", "/officials/randhir-jaiswal/", "2")
