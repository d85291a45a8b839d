"""Open data (issue 20, item 1): /data/entries, events, statements and entities as JSON (valid
against the schemas in /data/schema/) and CSV (with CSVW metadata), each page's own timeline
files, a licence line from BRIEFING["data_licence"] in every file, counts that match the
pages, no draft anywhere, and the same bytes from the same content."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import lxml.html
import pytest
from tools.open_site import FILES
from tools.sites import read

BASE = "http://127.0.0.1:8000"
SITE_FILES = ("entries", "events", "statements", "entities")
LICENCE = (
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): free to share and adapt, "
    "with attribution to Briefing Digest (http://127.0.0.1:8000/)"
)


@pytest.fixture(scope="module")
def built(open_site):
    return open_site


@pytest.fixture(scope="module")
def out(open_site):
    return open_site.output


def load(out, url: str) -> dict:
    return json.loads(read(out / url.lstrip("/")))


def validate(out, document: dict, name: str):
    schema = load(out, f"/data/schema/{name}.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def csv_rows(out, url: str) -> tuple[list[str], list[dict]]:
    raw = (out / url.lstrip("/")).read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 4180 line ends
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def page_ids(out, folder: str) -> list[str]:
    return sorted(p.parent.name for p in (out / folder).glob("*/index.html"))


@pytest.mark.parametrize("name", SITE_FILES)
def test_each_site_file_validates_against_its_published_schema(out, name):
    document = load(out, f"/data/{name}.json")
    validate(out, document, name)
    meta = document["meta"]
    assert meta["licence"] == LICENCE
    assert meta["schema"] == f"{BASE}/data/schema/{name}.json"
    assert meta["csv"] == f"{BASE}/data/{name}.csv"
    assert meta["build_date"] == "2025-06-20"
    assert meta["count"] == len(document[name])


@pytest.mark.parametrize("name", SITE_FILES)
def test_each_csv_twin_has_the_json_records_in_the_same_order_and_csvw_metadata(out, name):
    header, rows = csv_rows(out, f"/data/{name}.csv")
    document = load(out, f"/data/{name}.json")
    assert [row["id"] for row in rows] == [record["id"] for record in document[name]]
    metadata = load(out, f"/data/{name}.csv-metadata.json")
    assert metadata["url"] == f"{name}.csv"
    assert metadata["dc:license"] == LICENCE
    assert [c["name"] for c in metadata["tableSchema"]["columns"]] == header
    assert metadata["tableSchema"]["primaryKey"] == "id"


def test_counts_match_the_pages(out):
    entries = load(out, "/data/entries.json")["entries"]
    assert sorted(e["url"] for e in entries) == sorted(
        f"{BASE}/briefings/{p.parent.parent.name}/{p.parent.name}/" for p in out.glob("briefings/*/*/index.html")
    )
    events_on_pages = [
        anchor
        for page in out.glob("events/*/index.html")
        for anchor in lxml.html.fromstring(read(page)).xpath("//li[@class='event']/@id")
    ]
    assert sorted(e["id"] for e in load(out, "/data/events.json")["events"]) == sorted(events_on_pages)
    entities = load(out, "/data/entities.json")["entities"]
    by_kind = {kind: sorted(e["url"] for e in entities if e["kind"] == kind) for kind in ("country", "relation")}
    assert by_kind["country"] == [f"{BASE}/countries/{slug}/" for slug in page_ids(out, "countries")]
    assert by_kind["relation"] == [f"{BASE}/relations/{slug}/" for slug in page_ids(out, "relations")]
    assert len(entities) == sum(len(page_ids(out, kind)) for kind in ("countries", "officials", "issues", "relations"))
    statements_on_pages = lxml.html.fromstring(read(out / "briefings/2025/magnet-talks/index.html")).xpath(
        "//*[starts-with(@id, 'statement-')]/@id"
    )
    assert [s["id"] for s in load(out, "/data/statements.json")["statements"]] == statements_on_pages


def test_an_entry_record_has_the_site_s_ids_urls_and_iso_dates(out):
    (record,) = [e for e in load(out, "/data/entries.json")["entries"] if e["id"] == "2025/magnet-talks"]
    assert record == {
        "id": "2025/magnet-talks",
        "url": f"{BASE}/briefings/2025/magnet-talks/",
        "title": "Magnet talks",
        "date": "2025-06-12",
        "summary": "Body text.",
        "countries": ["country:india", "country:china"],
        "officials": ["official:randhir-jaiswal"],
        "issues": ["issue:rare-earth-export-controls"],
        "events": [
            "event-2026-11-10-chinas-suspension-of-its-controls-ends-talks-maybe",
            "event-2025-04-04-china-puts-rare-earths-under-licensing",
        ],
        "statements": ["statement-2025-06-12-randhir-jaiswal-we-are-in-touch-with-the-chinese-side"],
        "sources": [{"name": "Ministry of External Affairs", "url": "https://www.mea.gov.in/a.htm"}],
    }


def test_events_say_how_precise_their_date_is_and_whether_they_are_upcoming(out):
    events = {e["what"]: e for e in load(out, "/data/events.json")["events"]}
    summary = {what: (e["date"], e["precision"], e["upcoming"]) for what, e in events.items()}
    assert summary == {
        "India hosts the BRICS summit": ("2026", "year", True),
        "China\u2019s suspension of its controls ends; talks, maybe": ("2026-11-10", "day", True),
        "India and the United States meet on trade": ("2025-09", "month", True),
        "Trade talks go on through June": ("2025-06", "month", False),  # June 2025 holds the build date
        "China puts rare earths under licensing": ("2025-04-04", "day", False),
        "India and China agree on patrolling": ("2024-10-21", "day", False),
    }
    assert list(events) == list(summary)  # newest first, as /events/ lists them
    assert events["India and China agree on patrolling"]["entries"] == ["2024/patrols-agreed"]


def test_entities_carry_their_status_history_and_their_own_files(out):
    entities = {e["id"]: e for e in load(out, "/data/entities.json")["entities"]}
    assert list(entities) == [
        "country:china",
        "country:india",
        "country:united-states",
        "official:randhir-jaiswal",
        "issue:border-dispute",
        "issue:rare-earth-export-controls",
        "issue:trade",
        "relation:china--india",
        "relation:india--united-states",
    ]
    relation = entities["relation:china--india"]
    assert (relation["kind"], relation["countries"], relation["entries"]) == (
        "relation",
        ["country:china", "country:india"],
        3,
    )
    assert relation["status"] == [
        {"date": "2020-06", "state": "escalating", "note": None},
        {"date": "2024-10-21", "state": "easing", "note": "Patrols resume."},
    ]
    assert (relation["state"], relation["state_since"]) == ("easing", "2024-10-21")
    assert relation["timeline_csv"] == f"{BASE}/relations/china--india/timeline.csv"
    official = entities["official:randhir-jaiswal"]
    assert (official["countries"], official["role"], official["statements"]) == (["country:india"], "Spokesperson", 1)
    # last updated never lies in the future, even for India, whose events run to 2026
    assert entities["country:india"]["last_updated"] == "2025-06-20"
    _, status = csv_rows(out, "/data/status.csv")
    assert status == [
        {"id": "issue:rare-earth-export-controls", "date": "2025-04-04", "state": "escalating", "note": "Licensing."},
        {"id": "relation:china--india", "date": "2020-06", "state": "escalating", "note": ""},
        {"id": "relation:china--india", "date": "2024-10-21", "state": "easing", "note": "Patrols resume."},
    ]


def test_csv_cells_hold_lists_with_the_separators_the_metadata_names(out):
    _, rows = csv_rows(out, "/data/entities.csv")
    india = next(row for row in rows if row["id"] == "country:india")
    assert india["aliases"] == "Republic of India | IN | IND | Bharat"
    columns = {c["name"]: c for c in load(out, "/data/entities.csv-metadata.json")["tableSchema"]["columns"]}
    assert (columns["aliases"]["separator"], columns["countries"]["separator"]) == (" | ", " ")
    assert columns["entries"]["datatype"] == "integer"
    _, events = csv_rows(out, "/data/events.csv")
    licensing = next(row for row in events if row["id"].startswith("event-2025-04-04"))
    assert (licensing["countries"], licensing["upcoming"], licensing["entries"]) == (
        "country:china",
        "false",
        "2025/magnet-talks",
    )


def test_every_entity_and_relation_page_links_its_own_timeline_files(out):
    entities = load(out, "/data/entities.json")["entities"]
    for record in entities:
        path = record["url"].removeprefix(BASE)
        page = lxml.html.fromstring(read(out / path.lstrip("/") / "index.html"))
        (line,) = page.xpath("//p[@class='downloads']")
        assert " ".join(line.text_content().split()).startswith("Download this timeline (CSV, JSON)"), path
        assert line.xpath("a/@href")[:3] == [f"{path}timeline.csv", f"{path}timeline.json", f"{path}calendar.ics"]
        document = load(out, f"{path}timeline.json")
        validate(out, document, "timeline")
        assert document["meta"]["subject"] == {"id": record["id"], "name": record["name"], "url": record["url"]}
        assert document["meta"]["count"] == record["entries"] + record["events"] + record["statements"]
        _header, rows = csv_rows(out, f"{path}timeline.csv")
        assert [row["id"] for row in rows] == [item["id"] for item in document["items"]]
        assert load(out, f"{path}timeline.csv-metadata.json")["dc:license"] == LICENCE


def test_a_page_timeline_lists_its_items_newest_first(out):
    items = load(out, "/relations/china--india/timeline.json")["items"]
    assert [(i["kind"], i["date"], i["text"]) for i in items] == [
        ("event", "2026-11-10", "China\u2019s suspension of its controls ends; talks, maybe"),
        ("statement", "2025-06-12", "We are in touch with the Chinese side."),
        ("entry", "2025-06-12", "Magnet talks"),
        ("event", "2025-04-04", "China puts rare earths under licensing"),
        ("entry", "2025-03-01", "Border talks"),
        ("entry", "2024-10-22", "Patrols agreed"),
        ("event", "2024-10-21", "India and China agree on patrolling"),
    ]
    statement = items[1]
    assert (statement["by"], statement["paraphrase"], statement["sources"]) == (
        "official:randhir-jaiswal",
        False,
        [{"name": "MEA", "url": "https://www.mea.gov.in/b.htm"}],
    )


def test_no_draft_appears_in_any_data_file(out):
    """The local build shows drafts at /drafts/; the data files never name them."""
    assert (out / "drafts/secret-plans/index.html").is_file()
    data = [p for p in out.rglob("*") if p.suffix in (".json", ".csv", ".ics")]
    assert len(data) > 40
    for path in data:
        text = read(path)
        for trace in ("Secret plans", "secret-plans", "secret summit", "Draft words", "Japan", "japan"):
            assert trace not in text, (path, trace)


def test_the_licence_line_is_a_setting_with_the_site_s_name_and_address(site):
    line = "Open Government Licence: cite {site} at {url}, {nothing}"
    built = site(FILES, BRIEFING={"data_licence": line}, SITENAME="Desk Notes", FEED_DOMAIN="https://desk.example.org")
    assert built.ok, built.stderr
    expected = "Open Government Licence: cite Desk Notes at https://desk.example.org/, {nothing}"
    assert json.loads(built.text("data/events.json"))["meta"]["licence"] == expected
    assert json.loads(built.text("countries/india/timeline.json"))["meta"]["licence"] == expected
    assert json.loads(built.text("data/status.csv-metadata.json"))["dc:license"] == expected
    assert f"<strong>Licence:</strong> {expected}" in built.text("data/index.html")


def test_a_licence_that_is_not_text_is_refused_in_one_line(site):
    built = site({"content/briefings/a.md": FILES["content/briefings/a.md"]}, BRIEFING={"data_licence": 4})
    assert not built.ok
    assert built.stderr.splitlines()[0] == "settings: error: BRIEFING['data_licence'] must be str, not 4"
    assert "Traceback" not in built.stderr


def test_the_data_page_lists_every_file_with_its_count(out):
    page = lxml.html.fromstring(read(out / "data/index.html"))
    rows = [
        (row.xpath("td[1]")[0].text_content(), row.xpath("td[2]//a/@href"))
        for row in page.xpath("//table[@class='data-files']/tbody/tr")
    ]
    assert rows == [
        ("5", ["/data/entries.json", "/data/entries.csv", "/data/schema/entries.json"]),
        ("6", ["/data/events.json", "/data/events.csv", "/data/schema/events.json"]),
        ("1", ["/data/statements.json", "/data/statements.csv", "/data/schema/statements.json"]),
        ("9", ["/data/entities.json", "/data/entities.csv", "/data/schema/entities.json"]),
        ("", ["/data/status.csv"]),
    ]


def test_bundled_entries_json_validates_and_lists_every_published_entry(bundled_site):
    document = load(bundled_site, "/data/entries.json")
    validate(bundled_site, document, "entries")
    published = sorted(p.parent.name for p in bundled_site.glob("briefings/*/*/index.html"))
    assert sorted(e["id"].split("/")[1] for e in document["entries"]) == published
    assert document["meta"]["count"] == len(published) >= 30
    for name in ("events", "statements", "entities"):
        validate(bundled_site, load(bundled_site, f"/data/{name}.json"), name)
