"""Events, statements and status on a small whole site (issue 15): one event reported three
times, an event with and without its own lists and the exact pages it lands on, statements on
entry, official and issue pages, in feeds and in JSON-LD (parsed back), status and "last
updated" from fixed dates, and a relation profile."""

from __future__ import annotations

import re

import extruct
import feedparser
import lxml.html
import pytest
from tools.sites import entry, item_text

A = "/briefings/2025/china-licenses-rare-earths/"
B = "/briefings/2025/india-in-touch-with-china/"
C = "/briefings/2025/magnet-shortages/"
LICENSING = "event-ree-licensing-2025-04-04"
TARIFFS = "event-2025-04-02-the-united-states-announces-tariffs-on-imports-from-most"
DELHI = "event-2025-04-05-officials-meet-in-delhi"
CARMAKERS = "event-2025-06-10-indian-carmakers-warn-that-magnet-stocks-run-low"
FROM_TODAY = "event-2025-04-04-china-puts-seven-rare-earths-under-export-licensing-from"
QUOTE = "statement-2025-06-12-randhir-jaiswal-we-are-in-touch-with-the-chinese-side-to"
MEA = '{name: MEA, url: "https://www.mea.gov.in/media-briefings.htm"}'

FILES = {
    "content/officials/randhir-jaiswal.md": (
        "---\nname: Randhir Jaiswal\ncountry: India\nroles:\n  - {title: Joint Secretary, from: 2020-01, to: 2024-03}\n"
        "  - {title: Official Spokesperson, from: 2024-03}\n---\nSpokesperson.\n"
    ),
    "content/issues/rare-earth-export-controls.md": (
        "---\nname: Rare earth export controls\nstatus:\n"
        "  - {date: 2025-04-04, state: escalating, note: China puts seven rare earths under licensing.}\n"
        "  - {date: 2025-06-07, state: easing, note: Beijing approves some licences.}\n---\nLicensing.\n"
    ),
    "content/relations/china--india.md": (
        "---\ncountries: [India, China]\naliases: [Sino-Indian relations]\nstatus:\n"
        "  - {date: 2020-06, state: escalating}\n  - {date: 2024-10-21, state: easing, note: Patrols resume.}\n"
        "---\nTwo neighbours with a long border.\n"
    ),
    "content/briefings/a.md": entry(
        "China licenses rare earths",
        "2025-04-07",
        countries="[China, India, United States]",
        issues="[Rare earth export controls]",
        source='{name: MOFCOM, url: "https://english.mofcom.gov.cn/"}',
        events=(
            "\n  - date: 2025-04-04\n    what: China puts seven rare earths under export licensing."
            "\n    issues: [Rare earth export controls]\n    id: ree-licensing-2025-04-04"
            "\n  - date: 2025-04-02"
            "\n    what: The United States announces tariffs on imports from most trading partners, including China."
            "\n  - date: 2025-04-05\n    what: Officials meet in Delhi.\n    countries: [India]"
        ),
    ),
    "content/briefings/b.md": entry(
        "India in touch with China",
        "2025-06-12",
        countries="[India, China]",
        officials="[Randhir Jaiswal]",
        issues="[Rare earth export controls]",
        source=MEA,
        events=(
            "\n  - same_as: ree-licensing-2025-04-04"
            "\n  - {date: 2025-06-10, what: Indian carmakers warn that magnet stocks run low, countries: [India]}"
        ),
        statements=(
            "\n  - by: Randhir Jaiswal"
            "\n    said: We are in touch with the Chinese side to make supplies of rare-earth magnets predictable."
            '\n    source: {name: MEA briefing, url: "https://www.mea.gov.in/media-briefings.htm?dtl=1"}'
            "\n  - {by: Randhir Jaiswal, said: India wants a stable supply., paraphrase: true, date: 2025-06-11}"
        ),
    ),
    "content/briefings/c.md": entry(
        "Magnet shortages",
        "2025-06-14",
        countries="[India, China]",
        issues="[Rare earth export controls]",
        source='{name: Rediff, url: "https://www.rediff.com/"}',
        events=(
            "\n  - {date: 2025-06-10, what: 'indian carmakers warn that magnet stocks run low!'}"
            "\n  - {date: 2025-04-04, what: China puts seven rare earths under export licensing from today.}"
        ),
    ),
}


@pytest.fixture(scope="module")
def built(site):
    made = site(FILES)
    assert made.ok, made.stderr
    return made


def doc(built, url):
    return lxml.html.fromstring(built.text(url.strip("/") + "/index.html"))


def pages_with(built, anchor: str) -> list[str]:
    """The URL of every page that marks `anchor` (an id), sorted."""
    found = []
    for path in sorted(built.output.rglob("index.html")):
        if f'id="{anchor}"' in path.read_text(encoding="utf-8"):
            found.append("/" + path.parent.relative_to(built.output).as_posix().removesuffix(".") + "/")
    return sorted(u.replace("//", "/") for u in found)


def events_of(built, url, section="timeline-heading") -> list[str]:
    return [
        li.get("id") for li in doc(built, url).xpath(f"//section[@aria-labelledby='{section}']//li[@class='event']")
    ]


# --- one event, many reports ---


def test_the_near_duplicate_is_a_warning_naming_the_earlier_event(built):
    warnings = [line for line in built.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    assert re.fullmatch(
        r".*content/briefings/c\.md:9:5: warning: this event looks like the one at .*content/briefings/a\.md:8:5 "
        r"\(same date, 'China'\); write the same text to merge them",
        warnings[0],
    )


def test_the_year_page_lists_each_event_once_with_its_anchor(built):
    ids = [li.get("id") for li in doc(built, "/events/2025/").xpath("//li[@class='event']")]
    assert ids == [
        CARMAKERS,
        DELHI,
        FROM_TODAY,
        LICENSING,
        TARIFFS,
    ]
    assert doc(built, "/events/").xpath("//article[@class='events-index']//li/a/@href") == ["/events/2025/"]


def test_the_year_page_groups_its_events_by_month_newest_first_with_an_index(built):
    page = doc(built, "/events/2025/")
    months = [
        (s.find("h2").get("id"), s.findtext("h2"), s.xpath("ol/li/@id"))
        for s in page.xpath("//section[@class='event-month']")
    ]
    assert months == [
        ("2025-06", "June 2025", [CARMAKERS]),
        ("2025-04", "April 2025", [DELHI, FROM_TODAY, LICENSING, TARIFFS]),
    ]
    index = [(a.get("href"), " ".join(a.text_content().split())) for a in page.xpath("//nav[@class='periods']//a")]
    assert index == [("#2025-06", "June 2025, 1"), ("#2025-04", "April 2025, 4")]  # as read aloud


def test_an_event_reported_twice_in_the_same_words_lists_both_entries(built):
    (li,) = doc(built, B).xpath(f"//li[@id='{CARMAKERS}']")
    refs = li.xpath("span[@class='event-refs']")[0]
    assert " ".join(refs.text_content().split()) == (
        "Reported in 2 entries: India in touch with China; Magnet shortages · Source: MEA · Source: Rediff · Permalink"
    )
    assert refs.xpath("a/@href") == [
        B,
        C,
        "https://www.mea.gov.in/media-briefings.htm",
        "https://www.rediff.com/",
        f"/events/2025/#{CARMAKERS}",
    ]


def test_same_as_reuses_the_event_and_its_anchor_on_every_page(built):
    (li,) = doc(built, B).xpath(f"//li[@id='{LICENSING}']")
    assert item_text(li) == "4 April 2025 Event China puts seven rare earths under export licensing."
    assert li.xpath("span[@class='event-refs']/a/@href")[:2] == [A, B]
    assert pages_with(built, LICENSING) == [
        A,
        B,
        "/countries/china/",
        "/digests/2025-04/",  # the monthly digest of the event's month
        "/events/2025/",
        "/issues/rare-earth-export-controls/",
        "/relations/china--india/",
    ]


# --- which entities an event concerns, and where it lands ---


def test_an_event_without_its_own_lists_concerns_the_entities_its_text_names(built):
    # In an entry naming China, India and the United States, the tariffs event names two of them.
    assert pages_with(built, TARIFFS) == [
        A,
        "/countries/china/",
        "/countries/united-states/",
        "/digests/2025-04/",
        "/events/2025/",
    ]
    (li,) = doc(built, A).xpath(f"//li[@id='{TARIFFS}']")
    assert li.xpath("span[@class='event-tags']/a/text()") == ["China", "United States"]


def test_an_event_with_its_own_countries_takes_of_the_other_kinds_only_what_its_text_names(built):
    # It names no issue, so it is not on the rare-earth page although its entry is.
    assert pages_with(built, DELHI) == [
        A,
        "/countries/india/",
        "/digests/2025-04/",
        "/events/2025/",
        "/relations/china--india/",
    ]


def test_the_relation_page_shows_only_events_of_the_pair(built):
    # Not the tariffs: they concern the United States and China, another pair. On one date, by anchor.
    assert events_of(built, "/relations/china--india/") == [CARMAKERS, DELHI, LICENSING, FROM_TODAY]


# --- statements ---


def test_statements_on_the_entry_quote_and_paraphrase(built):
    figures = doc(built, B).xpath("//section[@aria-labelledby='statements-heading']/figure")
    quote, paraphrase = figures
    assert quote.xpath("blockquote/p/text()") == [
        "We are in touch with the Chinese side to make supplies of rare-earth magnets predictable."
    ]
    assert quote.xpath("blockquote/@cite") == ["https://www.mea.gov.in/media-briefings.htm?dtl=1"]
    caption = " ".join(quote.xpath("figcaption")[0].text_content().split())
    assert caption.startswith("Randhir Jaiswal, Official Spokesperson (India), 12 June 2025. MEA briefing · Entry")
    assert paraphrase.get("class") == "statement paraphrase" and not paraphrase.xpath(".//blockquote")
    said = " ".join(paraphrase.xpath("p[@class='said']")[0].text_content().split())
    assert said == "In paraphrase: India wants a stable supply."
    assert "“" not in lxml.html.tostring(paraphrase, encoding="unicode")


def test_statements_are_on_the_timeline_of_the_speaker_and_the_issue_newest_first(built):
    for url in ("/officials/randhir-jaiswal/", "/issues/rare-earth-export-controls/"):
        page = doc(built, url)
        figures = page.xpath("//section[@aria-labelledby='timeline-heading']//li[@class='statement-item']/figure")
        assert [f.xpath(".//time/@datetime")[0] for f in figures] == ["2025-06-12", "2025-06-11"], url
        assert figures[0].xpath("ancestor::div[@class='timeline-month']/h4/@id") == ["2025-06"]
    assert pages_with(built, "statement-2025-06-11-randhir-jaiswal-india-wants-a-stable-supply") == [
        B,
        "/issues/rare-earth-export-controls/",
        "/officials/randhir-jaiswal/",
        "/relations/china--india/",
    ]


def test_statements_are_in_the_speaker_s_feed(built):
    feed = feedparser.parse(built.text("officials/randhir-jaiswal/feed.atom.xml"))
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [
        "http://127.0.0.1:8000" + B,  # the same day as the statement: entries first, then by address
        "http://127.0.0.1:8000" + B + "#" + QUOTE,
        "http://127.0.0.1:8000" + B + "#statement-2025-06-11-randhir-jaiswal-india-wants-a-stable-supply",
    ]
    assert (
        feed.entries[2].summary
        == "In paraphrase: India wants a stable supply. (Randhir Jaiswal, Official Spokesperson, 11 June 2025; MEA)"
    )


def test_statements_are_quotations_in_json_ld(built):
    (data,) = extruct.extract(built.text(B.strip("/") + "/index.html"), syntaxes=["json-ld"], uniform=True)["json-ld"]
    quotes = [item for item in data["@graph"] if item["@type"] == "Quotation"]
    speaker = {"@type": "Person", "name": "Randhir Jaiswal", "url": "http://127.0.0.1:8000/officials/randhir-jaiswal/"}
    assert (
        quotes[0]["text"] == "We are in touch with the Chinese side to make supplies of rare-earth magnets predictable."
    )
    assert quotes[0]["spokenByCharacter"] == quotes[0]["creator"] == speaker
    assert quotes[0]["dateCreated"] == "2025-06-12"
    assert quotes[0]["citation"] == {
        "@type": "CreativeWork",
        "name": "MEA briefing",
        "url": "https://www.mea.gov.in/media-briefings.htm?dtl=1",
    }
    assert "text" not in quotes[1] and quotes[1]["abstract"] == "India wants a stable supply."
    (official,) = extruct.extract(built.text("officials/randhir-jaiswal/index.html"), syntaxes=["json-ld"])["json-ld"]
    assert [item["@type"] for item in official["@graph"]] == ["Person", "Quotation", "Quotation"]


# --- status, last updated, latest; the relation profile ---


def standing(built, url) -> dict:
    box = doc(built, url).xpath("//section[@class='standing']")[0]
    text = lambda path: " ".join(box.xpath(path)[0].text_content().split())  # noqa: E731
    return {
        "now": text("p[@class='status-now']"),
        "strip": [" ".join(li.text_content().split()) for li in box.xpath("ol[@class='status-strip']/li")],
        "history": [" ".join(li.text_content().split()) for li in box.xpath("details[@class='status-history']//li")],
        "updated": text("p[@class='last-updated']"),
        "latest": [" ".join(p.text_content().split()) for p in box.xpath("p[@class='latest']")],
    }


def latest_block(built, url) -> list[str]:
    block = doc(built, url).xpath("//section[@class='latest-block']/ul/li")
    return [" ".join(li.text_content().split()) for li in block]


def test_an_issue_page_opens_with_its_status_history_last_update_and_latest(built):
    assert standing(built, "/issues/rare-earth-export-controls/") == {
        "now": "Status: Easing since 7 June 2025: Beijing approves some licences.",
        "strip": ["4 April 2025 Escalating", "7 June 2025 Easing"],
        "history": [
            "4 April 2025, escalating: China puts seven rare earths under licensing.",
            "7 June 2025, easing: Beijing approves some licences.",
        ],
        "updated": "Last updated 14 June 2025.",
        "latest": [],  # the "Latest" block just below lists it, with its source
    }
    assert latest_block(built, "/issues/rare-earth-export-controls/") == [
        "12 June 2025 Statement Randhir Jaiswal: “We are in touch with the Chinese side to make supplies of"
        " rare-earth magnets predictable.” (MEA briefing)",
        "11 June 2025 Statement Randhir Jaiswal (in paraphrase): India wants a stable supply. (MEA)",
        "10 June 2025 Event Indian carmakers warn that magnet stocks run low (MEA)",
        "4 April 2025 Event China puts seven rare earths under export licensing. (MOFCOM)",
    ]


def test_the_status_box_names_the_newest_event_only_when_the_latest_block_does_not(site):
    # Five statements in the last 30 days fill the "Latest" block and the newest event is
    # older, so the status box says it, with its source and permalink.
    said = "".join(f"\n  - {{by: Randhir Jaiswal, said: Remark {n}., date: 2025-11-0{n}}}" for n in range(1, 6))
    files = {
        "content/officials/randhir-jaiswal.md": FILES["content/officials/randhir-jaiswal.md"],
        "content/issues/rare-earth-export-controls.md": FILES["content/issues/rare-earth-export-controls.md"],
        "content/briefings/a.md": entry(
            "Remarks",
            "2025-11-07",
            countries="[China, India]",
            officials="[Randhir Jaiswal]",
            issues="[Rare earth export controls]",
            source=MEA,
            events="\n  - {date: 2025-08-01, what: China widens the licensing., issues: [Rare earth export controls]}",
            statements=said,
        ),
    }
    made = site(files)
    assert made.ok, made.stderr
    assert standing(made, "/issues/rare-earth-export-controls/")["latest"] == [
        "Latest: 1 August 2025 China widens the licensing. (MEA) Permalink"
    ]
    assert latest_block(made, "/issues/rare-earth-export-controls/") == [
        f"{n} November 2025 Statement Randhir Jaiswal: “Remark {n}.” (MEA)" for n in range(5, 0, -1)
    ]


def test_the_relation_page_has_its_profile_issues_officials_and_feed(built):
    page = doc(built, "/relations/china--india/")
    assert standing(built, "/relations/china--india/")["now"] == "Status: Easing since 21 October 2024: Patrols resume."
    assert page.xpath("//section[@class='profile']/p/text()") == ["Two neighbours with a long border."]
    assert page.xpath("//p[@class='aliases']/text()") == ["Also known as: Sino-Indian relations"]
    issues = page.xpath("//section[@aria-labelledby='issues-heading']//li")
    assert [(li.xpath("a/text()")[0], li.xpath("span/text()")[0]) for li in issues] == [
        ("Rare earth export controls", "5")
    ]
    sides = page.xpath("//section[@aria-labelledby='officials-heading']//div[h3]")
    assert [(d.findtext("h3"), d.xpath(".//a/text()")) for d in sides] == [
        ("China", []),
        ("India", ["Randhir Jaiswal"]),
    ]
    feed = feedparser.parse(built.text("relations/china--india/feed.atom.xml"))
    assert [e.link for e in feed.entries] == ["http://127.0.0.1:8000" + u for u in (C, B, A)]


def test_last_updated_counts_a_statement_newer_than_every_entry():
    from briefing.domain.dates import PartialDate
    from briefing.domain.views import EntityView

    class Dated:
        def __init__(self, date):
            self.date = date

    view = EntityView(
        entity=None,
        registry=None,
        entries=[],
        events=[Dated(PartialDate(2025, 6))],
        statements=[Dated(PartialDate(2025, 6, 20))],
    )
    assert view.last_updated == PartialDate(2025, 6, 20)
    view = EntityView(None, None, [], events=view.events, statements=[Dated(PartialDate(2025, 6, 1))])
    assert view.last_updated == PartialDate(2025, 6, 1)  # as new as "June 2025", and more precise


# --- search records ---


def test_events_and_statements_are_search_records_linking_to_their_anchors(built):
    from briefing.domain.site import load_site
    from briefing.search.records import site_bundles

    loaded, _ = load_site(built.root / "content")
    records = {r["url"]: r for b in site_bundles(loaded) for r in b.records}
    event = records[f"/events/2025/#{LICENSING}"]
    assert event["filters"] == {  # the kind is a filter, drawn from the result's filters
        "kind": ["event"],
        "country": ["China"],
        "issue": ["Rare earth export controls"],
        "year": ["2025"],
        "month": ["2025-04"],
    }
    quote = records[B + "#" + QUOTE]
    assert quote["filters"] == {
        "kind": ["statement"],
        "country": ["India"],
        "official": ["Randhir Jaiswal"],
        "issue": ["Rare earth export controls"],
        "year": ["2025"],
        "month": ["2025-06"],
    }
    assert "rare-earth magnets" in quote["content"]


# --- the bundled content ---


def _event_items(page):
    return page.xpath("//li[@class='event']")


def test_no_page_of_the_bundled_site_shows_the_same_event_twice(bundled_site):
    from briefing.domain.events import normalise

    anchors: dict[tuple[str, str], str] = {}
    for path in sorted(bundled_site.rglob("index.html")):
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        items = _event_items(page)
        ids = [li.get("id") for li in items]
        assert len(ids) == len(set(ids)), path
        for li in items:
            key = (li.find("time").get("datetime"), normalise(li.xpath("span[@class='event-what']")[0].text_content()))
            assert anchors.setdefault(key, li.get("id")) == li.get("id"), f"{path}: {key} has two anchors"
    assert len(anchors) > 50


def test_no_bundled_event_is_on_the_relation_page_of_a_pair_it_does_not_concern(bundled_site):
    for path in sorted((bundled_site / "relations").glob("*/index.html")):
        page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        pair = {f"/countries/{slug}/" for slug in path.parent.name.split("--")}
        for li in _event_items(page):
            countries = {
                href for href in li.xpath("span[@class='event-tags']/a/@href") if href.startswith("/countries/")
            }
            assert countries & pair, f"{path.parent.name}: {li.get('id')} concerns neither country"
            assert pair <= countries or len(countries) == 1, f"{path.parent.name}: {li.get('id')} is another pair's"


def test_check_explain_notes_which_entities_each_event_concerns_and_why(tmp_path):
    import json

    from tools.cli import briefing
    from tools.sites import write_files

    write_files(tmp_path, {"content/briefings/a.md": FILES["content/briefings/a.md"]})
    result = briefing("check", "--explain", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "checked 1 entry and 0 profiles: no problems\n")
    assert result.stdout.splitlines() == [
        "content/briefings/a.md:8:5: note: this event concerns China (named in its text); "
        "Rare earth export controls (its own list)",
        "content/briefings/a.md:12:5: note: this event concerns China, United States (named in its text)",
        "content/briefings/a.md:14:5: note: this event concerns India (its own list)",
    ]
    as_json = json.loads(briefing("check", "--explain", "--format", "json", cwd=tmp_path).stdout)
    assert [(d["line"], d["severity"]) for d in as_json] == [(8, "note"), (12, "note"), (14, "note")]
    assert briefing("check", "--format", "json", cwd=tmp_path).stdout.strip() == "[]"


def test_an_event_without_lists_of_its_own_concerns_what_its_text_names_or_else_all_its_entry_names(tmp_path):
    from tools.cli import briefing
    from tools.sites import entry, write_files

    events = (
        "\n  - {date: 2025-06-10, what: Talks resume in Geneva}"
        "\n  - {date: 2025-06-11, what: China sends an envoy}"
        "\n  - {date: 2025-06-12, what: India and China sign a memorandum}"
    )
    text = entry("Talks", "2025-06-12", countries="[India, China]", issues="[Border dispute]", events=events)
    write_files(tmp_path, {"content/briefings/a.md": text})
    result = briefing("check", "--explain", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "content/briefings/a.md:7:5: note: this event concerns India, China, Border dispute "
        "(its entry's: its text names none of them)",
        "content/briefings/a.md:8:5: note: this event concerns China (named in its text)",
        "content/briefings/a.md:9:5: note: this event concerns India, China (named in its text)",
    ]
