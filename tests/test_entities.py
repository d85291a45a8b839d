"""Entity pages, built by real Pelican from small sites: which entries each page lists and in
what order, timelines, appears-with, profiles, kind indexes, feeds and pagination."""

from __future__ import annotations

import feedparser
import lxml.html
import pytest
from tools.sites import entry, item_text, read

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


def doc(out, url):
    return lxml.html.fromstring(read(out / url.strip("/") / "index.html"))


def cards(page) -> list[str]:
    """The entry links of a page's entry list, in order."""
    return page.xpath("//section[@aria-labelledby='entries-heading']//h3[@class='card-title']/a/@href")


def timeline(page) -> list[tuple[str, str, str]]:
    return [
        (li.get("class"), li.find("time").get("datetime"), item_text(li))
        for li in page.xpath("//section[@aria-labelledby='timeline-heading']//ol/li")
    ]


def appears_with(page) -> dict[str, list[tuple[str, str, str]]]:
    return {
        div.findtext("h3"): [
            (li.find("a").text, li.find("a").get("href"), li.findtext("span")) for li in div.iter("li")
        ]
        for div in page.xpath("//section[@class='appears-with']//div[h3]")
    }


def text(node) -> str:
    return " ".join(node.text_content().split())


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


def test_timeline_mixes_events_and_entries_newest_first_with_partial_dates(out):
    # A vague date sorts above the precise dates it spans: "June 2025" > "12 June 2025". The
    # events with lists of their own ("2025", "4 April 2025") name no official: not his.
    assert timeline(doc(out, "/officials/sun-weidong/")) == [
        ("event", "2025-06", "June 2025 Event Talks on magnets continue"),
        ("entry", "2025-06-12", "12 June 2025 Entry India presses China on magnets"),
        ("entry", "2024-11-05", "5 November 2024 Entry India and Ivory Coast sign pact"),
    ]


def test_timeline_keeps_only_events_that_concern_the_entity(out):
    # The year-long event names India only, so China's timeline leaves it out.
    assert timeline(doc(out, "/countries/china/")) == [
        ("event", "2025-06", "June 2025 Event Talks on magnets continue"),
        ("entry", "2025-06-12", "12 June 2025 Entry India presses China on magnets"),
        ("entry", "2025-06-10", "10 June 2025 Entry Washington and Beijing on chips"),
        ("event", "2025-04-04", "4 April 2025 Event China licenses rare earths"),
    ]
    # China's licensing lists its countries and names no issue: it is China's, not the issue's.
    assert [i[2] for i in timeline(doc(out, "/issues/rare-earth-export-controls/"))] == [
        "June 2025 Event Talks on magnets continue",
        "12 June 2025 Entry India presses China on magnets",
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


# --- pagination: 20 entries fit on one page, 21 need two, 41 need three ---


@pytest.fixture(scope="module")
def paged(site):
    files = {}
    for i in range(41):
        issues = [name for name, size in (("Energy", 21), ("Water", 20)) if i < size]
        files[f"content/briefings/e{i:02d}.md"] = entry(
            f"Entry {i:02d}",
            f"2025-01-01 {i // 60:02d}:{i % 60:02d}",
            countries="[Germany]",
            issues="[" + ", ".join(issues) + "]" if issues else "[Trade]",
        )
    built = site(files)
    assert built.ok, built.stderr
    return built.output


def titles(page) -> list[str]:
    return [a.text for a in page.xpath("//section[@aria-labelledby='entries-heading']//h3/a")]


def pager(page) -> tuple:
    nav = page.xpath("//nav[@class='pagination']")
    if not nav:
        return ()
    return (*tuple((a.get("rel"), a.get("href")) for a in nav[0].iter("a")), nav[0].findtext("span"))


def test_twenty_entries_make_one_page(paged):
    page = doc(paged, "/issues/water/")
    assert titles(page) == [f"Entry {i:02d}" for i in range(19, -1, -1)]
    assert pager(page) == ()
    assert not (paged / "issues/water/page").exists()


def test_twenty_one_entries_make_two_pages(paged):
    first, second = doc(paged, "/issues/energy/"), doc(paged, "/issues/energy/page/2/")
    assert titles(first) == [f"Entry {i:02d}" for i in range(20, 0, -1)]
    assert titles(second) == ["Entry 00"]
    assert pager(first) == (("next", "/issues/energy/page/2/"), "Page 1 of 2")
    assert pager(second) == (("prev", "/issues/energy/"), "Page 2 of 2")
    assert not (paged / "issues/energy/page/3").exists()
    assert not (paged / "issues/energy/page/1").exists()


def test_forty_one_entries_make_three_pages(paged):
    pages = [
        doc(paged, url) for url in ("/countries/germany/", "/countries/germany/page/2/", "/countries/germany/page/3/")
    ]
    assert [titles(p) for p in pages] == [
        [f"Entry {i:02d}" for i in range(40, 20, -1)],
        [f"Entry {i:02d}" for i in range(20, 0, -1)],
        ["Entry 00"],
    ]
    assert [pager(p) for p in pages] == [
        (("next", "/countries/germany/page/2/"), "Page 1 of 3"),
        (("prev", "/countries/germany/"), ("next", "/countries/germany/page/3/"), "Page 2 of 3"),
        (("prev", "/countries/germany/page/2/"), "Page 3 of 3"),
    ]
    assert pages[1].findtext(".//title") == "Germany (page 2) · Briefing Digest"
    assert not pages[1].xpath("//section[@aria-labelledby='timeline-heading']")  # the timeline is on page 1
    assert text(pages[2].xpath("//p[@class='stats']")[0]).startswith("Named in 41 entries since 1 January 2025.")


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
    assert timeline(page)[:4] == [
        ("entry", "2025-07-01", "1 July 2025 Entry Jaiswal briefs on flights"),
        ("event", "2025-06", "June 2025 Event Talks on magnets continue"),
        ("event", "2025-06-30", "30 June 2025 Event Airlines file schedules"),
        ("entry", "2025-06-12", "12 June 2025 Entry India presses China on magnets"),
    ]
    assert index_rows(again.output, "officials")[0] == ("Randhir Jaiswal", "/officials/randhir-jaiswal/", "2")
