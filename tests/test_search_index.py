"""The search index as files: real Pelican builds with real Pagefind, asserted on the bundles.

Whole years grouped into bundles of a least `search_bundle_records` records (a small site is one
bundle; with a minimum of 1, one per year plus one for the entity pages); records carry exact
filters; the search page names every file it needs; the index is byte-identical from build to
build; an edit re-indexes one bundle only; the index can be switched off; a failing indexer
fails the build and leaves the old output."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import stat
import sys

import pytest
from tools.search_page import bundle_inodes, rewritten_bundles
from tools.sites import build_in_process, entry, read, tree_bytes, write_files

from briefing.domain.config import BriefingConfig
from briefing.domain.model import KINDS
from briefing.domain.site import load_site
from briefing.search.bundle_writer import read_pagefind_file
from briefing.search.cbor import cbor_decode, cbor_encode
from briefing.search.index import LiveIndex, bundle_key
from briefing.search.periods import group_years
from briefing.search.records import Bundle, inert, record_json, site_bundles
from briefing.search.service import _record_message, index_records

FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\nChina's foreign minister since 2023.\n",
    "content/issues/rare-earths.md": (
        "---\nname: Rare earths\naliases: [REE]\n---\nSeventeen **metals** used in magnets.\n"
    ),
    "content/briefings/2023/a.md": entry(
        "Jakarta hosts ASEAN talks",
        "2023-09-05",
        body="Leaders met in Jakarta.",
        countries="[Indonesia, China]",
        issues="[Trade]",
    ),
    "content/briefings/2024/b.md": entry(
        "India and China agree on patrolling",
        "2024-10-21",
        body="Disengagement at Depsang and Demchok.",
        countries="[India, China]",
        officials="[Wang Yi]",
        issues="[Border dispute]",
    ),
    "content/briefings/2024/c.md": entry(
        "Japan curbs chip tool exports", "2024-04-02", body="New licences.", countries="[Japan]", issues="[Trade]"
    ),
    "content/briefings/2025/d.md": entry(
        "China licenses rare earth exports",
        "2025-04-07",
        body="Seven elements & magnets, 5 < 7, need licences.",
        countries="[China, India]",
        issues="[Rare earths, Trade]",
        officials="[{name: Sun Weidong, country: China}]",
    ),
    "content/briefings/2025/draft.md": entry("Unpublished note", "2025-05-01", countries="[India]", status="draft"),
}


def pagefind_tree(output) -> dict[str, bytes]:
    return tree_bytes(output / "pagefind")


def bundle_pages(output, name) -> int:
    return json.loads(read(output / "pagefind" / name / "pagefind-entry.json"))["languages"]["en"]["page_count"]


def filter_values(output, name) -> dict[str, dict[str, int]]:
    """{filter: {value: number of pages}} read back from a bundle's own files."""
    folder = output / "pagefind" / name
    entry_info = json.loads(read(folder / "pagefind-entry.json"))["languages"]["en"]
    meta = read_pagefind_file(folder / f"pagefind.{entry_info['hash']}.pf_meta")
    out = {}
    for filter_name, file_hash in meta[3]:
        name_in_file, values = read_pagefind_file(folder / "filter" / f"{file_hash}.pf_filter")
        assert name_in_file == filter_name
        out[filter_name] = {value: len(pages) for value, pages in values}
    return out


PER_YEAR = {"search_bundle_records": 1}  # every year its own bundle, and the entity pages apart


@pytest.fixture(scope="module")
def small_site(site):
    built = site(FILES, env={"BRIEFING_CACHE": "off"}, BRIEFING=PER_YEAR)
    assert built.ok, built.stderr
    return built.root


def search_manifest(output) -> dict:
    page = read(output / "search" / "index.html")
    return json.loads(re.search(r"data-manifest='([^']*)'", page).group(1))


def test_a_small_site_is_one_bundle(site):
    built = site(FILES, env={"BRIEFING_CACHE": "off"})
    assert built.ok, built.stderr
    (bundle,) = search_manifest(built.output)["bundles"]
    assert (bundle["name"], bundle["years"], bundle["pages"]) == ("2023-2025-pages", ["2025", "2024", "2023"], True)
    model, _ = load_site(built.root / "content", BriefingConfig())
    assert bundle_pages(built.output, bundle["name"]) == 4 + len(model.views)  # the draft is not indexed
    assert sorted(p.name for p in (built.output / "pagefind").iterdir()) == ["2023-2025-pages"]


def test_one_bundle_per_year_and_one_for_entity_pages(small_site):
    output = small_site / "output"
    manifest = search_manifest(output)
    assert [(b["name"], b["years"], b["pages"]) for b in manifest["bundles"]] == [
        ("2025", ["2025"], False),
        ("2024", ["2024"], False),
        ("2023", ["2023"], False),
        ("pages", [], True),
    ]
    assert (manifest["version"], manifest["browse"]) == ("1.5.2", "zqxjbrowse")
    assert [bundle_pages(output, y) for y in ("2025", "2024", "2023")] == [1, 2, 1]  # the draft is not indexed
    site, _ = load_site(small_site / "content", BriefingConfig())
    assert bundle_pages(output, "pages") == len(site.views)


def test_the_search_page_asks_for_every_file_it_needs_at_once(small_site):
    """Preload links for the scripts (the page's own first), the WebAssembly and each bundle's
    entry and metadata files (named in the manifest): the browser fetches them together, before
    any script runs."""
    output = small_site / "output"
    page = read(output / "search" / "index.html")
    links = re.findall(r'<link rel="(preload|modulepreload)" href="([^"]+)"', page)
    expected = [
        ("modulepreload", f"/theme/js/{name}.js")
        for name in ("search", "search-index", "search-results", "search-state")
    ]
    expected.append(("modulepreload", "/pagefind/2025/pagefind.js"))
    expected.append(("preload", "/pagefind/2025/wasm.en.pagefind"))
    for bundle in search_manifest(output)["bundles"]:
        folder = output / "pagefind" / bundle["name"]
        language = json.loads(read(folder / "pagefind-entry.json"))["languages"]["en"]
        assert bundle["meta"] == language["hash"]
        expected.append(("preload", f"/pagefind/{bundle['name']}/pagefind-entry.json?ts={bundle['tag']}"))
        expected.append(("preload", f"/pagefind/{bundle['name']}/pagefind.{bundle['meta']}.pf_meta"))
    assert links == expected
    for _, href in links:
        assert (output / href.lstrip("/").split("?")[0]).is_file(), href
    # Only what the page loads (no web worker, no WebAssembly for other languages, no UI), and
    # a gzip sibling of the script for hosts that serve one.
    assert sorted(p.name for p in (output / "pagefind" / "2025").iterdir() if p.is_file()) == [
        "pagefind-entry.json",
        f"pagefind.{search_manifest(output)['bundles'][0]['meta']}.pf_meta",
        "pagefind.js",
        "pagefind.js.gz",
        "wasm.en.pagefind",
    ]
    script = output / "pagefind" / "2025" / "pagefind.js"
    assert gzip.decompress((output / "pagefind" / "2025" / "pagefind.js.gz").read_bytes()) == script.read_bytes()
    assert sorted(p.relative_to(output).as_posix() for p in (output / "theme").rglob("*.gz")) == [
        "theme/css/print.css.gz",
        "theme/css/site.css.gz",
        "theme/favicon.svg.gz",
        "theme/js/search-index.js.gz",
        "theme/js/search-results.js.gz",
        "theme/js/search-state.js.gz",
        "theme/js/search.js.gz",
    ]


@pytest.mark.parametrize(
    "counts, minimum, groups",
    [
        ({2020: 3, 2021: 1, 2024: 5}, 500, [[2020, 2021, 2024]]),  # small: one group
        ({2015: 900, 2016: 910, 2017: 40}, 500, [[2015], [2016, 2017]]),  # a new year joins the one before
        ({2015: 900, 2016: 910, 2017: 600}, 500, [[2015], [2016], [2017]]),  # ... until it is big enough
        ({2015: 200, 2016: 200, 2017: 200, 2018: 200}, 500, [[2015, 2016, 2017, 2018]]),
        ({2015: 300, 2016: 300, 2017: 300, 2018: 300}, 500, [[2015, 2016], [2017, 2018]]),
        ({2015: 1, 2016: 1}, 1, [[2015], [2016]]),
        ({}, 500, []),
    ],
)
def test_years_are_grouped_oldest_first(counts, minimum, groups):
    assert group_years(counts, minimum) == groups


def test_a_growing_newest_year_regroups_only_the_newest_bundles():
    before = group_years({2015: 900, 2016: 910, 2017: 450, 2018: 30}, 500)
    after = group_years({2015: 900, 2016: 910, 2017: 450, 2018: 60}, 500)
    assert before == [[2015], [2016, 2017, 2018]]  # 2017 and 2018 together are still too few
    assert after == [[2015], [2016], [2017, 2018]]  # now they are enough: 2015's bundle is untouched
    assert group_years({2015: 900, 2016: 910, 2017: 450, 2018: 520}, 500) == [[2015], [2016], [2017, 2018]]
    assert group_years({2015: 900, 2016: 910, 2017: 520, 2018: 520}, 500) == [[2015], [2016], [2017], [2018]]


def test_filters_hold_canonical_names_years_and_kinds(small_site):
    output = small_site / "output"
    assert filter_values(output, "2024") == {
        "kind": {"entry": 2},
        "year": {"2024": 2},
        "month": {"2024-04": 1, "2024-10": 1},
        "country": {"China": 1, "India": 1, "Japan": 1},
        "official": {"Wang Yi": 1},
        "issue": {"Border dispute": 1, "Trade": 1},
    }
    entities = filter_values(output, "pages")
    assert entities["kind"] == {"country": 4, "official": 2, "issue": 3}
    assert entities["official"] == {"Sun Weidong": 1, "Wang Yi": 1}
    assert entities["country"] == {
        "China": 3,
        "India": 1,
        "Indonesia": 1,
        "Japan": 1,
    }  # China's page and its two officials
    assert "year" not in entities and "month" not in entities  # undated: a year filter leaves them out


def test_records_come_from_the_model(tmp_path):
    site, _ = load_site(write_files(tmp_path, FILES) / "content", BriefingConfig())
    bundles = {b.name: b for b in site_bundles(site, 1)}
    (record,) = bundles["2025"].records
    assert record["url"] == "/briefings/2025/china-licenses-rare-earth-exports/"
    assert record["filters"] == {
        "kind": ["entry"],
        "country": ["China", "India"],
        "official": ["Sun Weidong"],
        "issue": ["Rare earths", "Trade"],
        "year": ["2025"],
        "month": ["2025-04"],
    }
    assert record["meta"] == {
        "title": "China licenses rare earth exports",
        "date": "2025-04-07",
        "date_label": "7 April 2025",
        "summary": "Seven elements & magnets, 5 < 7, need licences.",
        "chips": '[["c","China","china"],["c","India","india"],["o","Sun Weidong","sun-weidong"],'
        '["i","Rare earths","rare-earths"],["i","Trade","trade"]]',
    }
    assert record["sort"] == {"order": "d000000"}
    # The title is matched as metadata (weighted by the page); the text holds the date and names.
    assert record["content"] == (
        "Seven elements & magnets, 5 < 7, need licences.\nSeven elements & magnets, 5 < 7, need licences.\n"
        "China · India · Sun Weidong · Rare earths · Trade\n7 April 2025\nzqxjbrowse"
    )
    issue = next(r for r in bundles["pages"].records if r["url"] == "/issues/rare-earths/")
    assert issue["filters"] == {"kind": ["issue"], "issue": ["Rare earths"]}
    assert "Seventeen metals used in magnets." in issue["content"] and "REE" in issue["content"]
    assert "**" not in issue["content"]
    assert issue["sort"] == {"order": "prare earths /issues/rare-earths/"}  # after every dated record
    official = next(r for r in bundles["pages"].records if r["url"] == "/officials/wang-yi/")
    assert official["filters"] == {"kind": ["official"], "official": ["Wang Yi"], "country": ["China"]}


DATED = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\nForeign minister.\n",
    "content/briefings/a.md": entry(
        "Patrolling agreed",
        "2024-10-21",
        countries="[India, China]",
        issues="[Border dispute]",
        events=(
            "\n  - {date: 2024-10-21, what: India and China agree on patrolling.}"
            "\n  - {date: 2024-10, what: Talks went on all month.}"
            "\n  - {date: 2024, what: A year of meetings.}"
        ),
        statements="\n  - {by: Wang Yi, said: We welcome the agreement., on: [Border dispute]}",
    ),
    "content/briefings/b.md": entry("Kazan summit", "2024-10-23", countries="[India, China, Russia]"),
}


def test_events_and_statements_are_records_of_their_own(tmp_path):
    site, _ = load_site(write_files(tmp_path, DATED) / "content", BriefingConfig())
    (bundle,) = site_bundles(site)
    by_kind = {r["filters"]["kind"][0]: r for r in reversed(bundle.records)}  # the first of each kind
    event = next(r for r in bundle.records if r["meta"]["title"] == "India and China agree on patrolling.")
    assert event["url"].startswith("/events/2024/#")
    assert event["filters"] == {  # what its text names (SPEC 5: an event concerns its own actors)
        "kind": ["event"],
        "country": ["India", "China"],
        "year": ["2024"],
        "month": ["2024-10"],
    }
    assert event["meta"]["summary"] == "Reported in 1 entry"
    vague = next(r for r in bundle.records if r["meta"]["title"] == "A year of meetings.")
    assert (vague["meta"]["date"], vague["meta"]["date_label"]) == ("2024", "2024")
    assert "month" not in vague["filters"]  # a year only: no month to match "October 2024"
    statement = by_kind["statement"]
    assert statement["url"] == "/briefings/2024/patrolling-agreed/#" + statement["url"].split("#")[1]
    assert statement["meta"]["title"] == "Wang Yi: We welcome the agreement."
    assert statement["meta"]["summary"] == "\u201cWe welcome the agreement.\u201d"
    assert statement["filters"] == {
        "kind": ["statement"],
        "country": ["China"],
        "official": ["Wang Yi"],
        "issue": ["Border dispute"],
        "year": ["2024"],
        "month": ["2024-10"],
    }


def test_newest_first_mixes_every_dated_kind_by_date(tmp_path):
    """By date; a vague date above the precise dates it spans (as timelines); on one day entries,
    then events, then statements."""
    site, _ = load_site(write_files(tmp_path, DATED) / "content", BriefingConfig())
    (bundle,) = site_bundles(site)
    dated = sorted((r for r in bundle.records if r["sort"]["order"].startswith("d")), key=lambda r: r["sort"]["order"])
    assert [(r["filters"]["kind"][0], r["meta"]["date"]) for r in dated] == [
        ("event", "2024"),
        ("event", "2024-10"),
        ("entry", "2024-10-23"),
        ("entry", "2024-10-21"),
        ("event", "2024-10-21"),
        ("statement", "2024-10-21"),
    ]


def test_chips_name_each_kind_by_a_distinct_initial():
    """The search page draws a chip's link from its kind's initial (search-results.js CHIP_KINDS)."""
    assert sorted(kind.name[0] for kind in KINDS) == ["c", "i", "o"]


def test_dated_records_rank_newest_first_within_a_bundle(tmp_path):
    site, _ = load_site(write_files(tmp_path, FILES) / "content", BriefingConfig())
    (bundle,) = site_bundles(site)
    orders = [(r["sort"]["order"], r["url"]) for r in bundle.records]
    assert orders[:4] == [
        ("d000000", "/briefings/2025/china-licenses-rare-earth-exports/"),
        ("d000001", "/briefings/2024/india-and-china-agree-on-patrolling/"),
        ("d000002", "/briefings/2024/japan-curbs-chip-tool-exports/"),
        ("d000003", "/briefings/2023/jakarta-hosts-asean-talks/"),
    ]
    assert all(order.startswith("p") for order, _ in orders[4:])


@pytest.mark.parametrize(
    "text, indexed",
    [
        ("___PAGEFIND_WEIGHT___10 loud", "_ PAGEFIND_WEIGHT___10 loud"),
        ("a ___END_PAGEFIND_WEIGHT___ b", "a _ END_PAGEFIND_WEIGHT___ b"),
        ("x___PAGEFIND_ANCHOR___div:1", "x_ PAGEFIND_ANCHOR___div:1"),
        ("snake_case __dunder__ ___three", "snake_case __dunder__ ___three"),
    ],
)
def test_editor_text_cannot_instruct_the_indexer(text, indexed):
    """Pagefind reads words starting `___PAGEFIND_` as weights or anchors and drops them."""
    assert inert(text) == indexed


def test_a_weight_marker_in_a_body_stays_text(tmp_path):
    files = {"content/briefings/a.md": entry("Loud", "2025-01-02", body="___PAGEFIND_WEIGHT___10 Zebrafish swim.")}
    site, _ = load_site(write_files(tmp_path, files) / "content", BriefingConfig())
    (bundle,) = site_bundles(site)
    built = index_records([record_json(r) for r in bundle.records if r["url"].startswith("/briefings/")])
    (fragment,) = [data for name, data in built.items() if name.startswith("fragment/")]
    content = json.loads(gzip.decompress(fragment)[len(b"pagefind_dcd") :])["content"]
    assert content.startswith("_ PAGEFIND_WEIGHT___10 Zebrafish swim.")  # kept, not read as a weight


def test_a_record_is_sent_as_the_json_its_digest_hashes():
    """A record is encoded once (record_json), for the bundle's digest and for the service's
    message, into which its text is spliced: the message reads as the record's own fields
    beside the message's."""
    record = {"url": "/a/", "content": 'Zoë said "no" </script>', "meta": {"title": "ä"}, "filters": {"kind": ["e"]}}
    message = _record_message(5, 3, record_json(record))
    assert message.endswith(b",") and message.count(b",") == 1
    payload = {"type": "AddRecord", "index_id": 3, **record}
    assert json.loads(base64.b64decode(message[:-1])) == {"message_id": 5, "payload": payload}
    empty = {"message_id": 2, "payload": {"type": "AddRecord", "index_id": 0}}
    assert json.loads(base64.b64decode(_record_message(2, 0, "{}")[:-1])) == empty
    other = {"url": "/b/", "content": "b"}
    bundle = Bundle("2025", (record, other))
    assert bundle.texts == (record_json(record), '{"content":"b","url":"/b/"}')
    array = "[" + ",".join(bundle.texts) + "]"
    assert bundle.digest == hashlib.sha1(("2025\n" + array).encode()).hexdigest()


def test_the_previews_refresh_keeps_one_bundles_texts_at_a_time(tmp_path):
    """The preview's refresh holds every bundle's records; the texts made of a bundle's records,
    for its key and its index, are let go once that bundle is done."""
    site, _ = load_site(write_files(tmp_path, FILES) / "content", BriefingConfig())
    bundles = site_bundles(site, 1)
    _, indexed = LiveIndex(tmp_path / "output", None).refresh(bundles, [b.name for b in bundles])
    assert indexed == [b.name for b in bundles] and len(bundles) > 1
    assert ["texts" in vars(b) for b in bundles] == [False] * len(bundles)
    keys = [bundle_key(b) for b in bundles]  # the digests were kept: no texts made again for them
    assert ["texts" in vars(b) for b in bundles] == [False] * len(bundles)
    assert keys[0] == bundle_key(Bundle(bundles[0].name, bundles[0].records))
    assert bundles[0].texts == tuple(map(record_json, bundles[0].records))  # made again when asked


def test_two_builds_give_byte_identical_indexes(small_site):
    again = build_in_process(small_site, output="again", env={"BRIEFING_CACHE": "off"}, BRIEFING=PER_YEAR)
    assert again.ok, again.stderr
    first, second = pagefind_tree(small_site / "output"), pagefind_tree(small_site / "again")
    assert first == second
    assert any(path.startswith("2024/filter/") for path in first)  # the unstable part is in it
    assert not any(name.endswith(("pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js")) for name in first)


def test_cbor_round_trip():
    value = [
        "1.5.2",
        [["en_abc", 600], ["en_def", 0]],
        {"k": [1, 23, 24, 255, 256, 65536, 2**32]},
        "Côte d'Ivoire",
        -3,
        True,
        None,
    ]
    assert cbor_decode(cbor_encode(value)) == value
    assert cbor_encode(23) == b"\x17" and cbor_encode(24) == b"\x18\x18" and cbor_encode(256) == b"\x19\x01\x00"


@pytest.mark.slow
def test_one_edit_reindexes_one_year_and_equals_a_full_build(site):
    first = site(FILES, BRIEFING=PER_YEAR)
    assert first.ok, first.stderr
    tmp_path = first.root
    inodes = bundle_inodes(tmp_path / "output")
    path = tmp_path / "content/briefings/2024/c.md"
    path.write_text(read(path).replace("New licences.", "New licences for lithography tools."), encoding="utf-8")
    second = first.rebuild(BRIEFING=PER_YEAR)
    assert second.ok, second.stderr
    assert rewritten_bundles(tmp_path / "output", inodes) == {
        "2024"
    }  # the other bundles are linked from the cache, not indexed again
    full = first.rebuild(output="full", env={"BRIEFING_CACHE": "off"}, BRIEFING=PER_YEAR)
    assert full.ok, full.stderr
    assert pagefind_tree(tmp_path / "output") == pagefind_tree(tmp_path / "full")
    assert bundle_pages(tmp_path / "output", "2024") == 2


@pytest.mark.parametrize("switch", ["environment", "setting"])
def test_search_can_be_switched_off(site, switch):
    if switch == "environment":
        result = site(FILES, env={"BRIEFING_SEARCH": "off"})
    else:
        result = site(FILES, BRIEFING={"search": False})
    assert result.ok, result.stderr
    assert not result.exists("pagefind")
    assert result.exists("search/index.html")  # the page still says where to browse instead


def _failing_binary(folder, script: str):
    path = folder / "fake-pagefind"
    path.write_text(f"#!{sys.executable}\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


FAILURES = {
    "crashes": "import sys; sys.stderr.write('pagefind exploded\\n'); sys.exit(3)",
    "refuses": (
        "import base64, json, sys\n"
        "msg = json.dumps({'message_id': 1, 'payload': {'type': 'Error', 'message': 'bad record'}})\n"
        "sys.stdout.write(base64.b64encode(msg.encode()).decode() + ','); sys.stdout.flush()"
    ),
    "garbles": "import sys; sys.stdout.write('this is not base64 at all,'); sys.stdout.flush()",
}


@pytest.mark.slow
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failed_indexing_fails_the_build_and_keeps_the_old_output(site, failure):
    good = site(FILES)
    assert good.ok, good.stderr
    tmp_path = good.root
    before = tree_bytes(tmp_path / "output")
    path = tmp_path / "content/briefings/2024/c.md"
    path.write_text(read(path).replace("New licences.", "Changed."), encoding="utf-8")
    binary = _failing_binary(tmp_path, FAILURES[failure])
    bad = good.rebuild(env={"PAGEFIND_BINARY_PATH": binary})
    assert bad.status == 1
    assert "error: search index:" in bad.stderr
    assert {
        "crashes": "stopped before answering (exit code 3): pagefind exploded",
        "refuses": "pagefind refused a request: bad record",
        "garbles": "pagefind sent an unreadable answer",
    }[failure] in bad.stderr
    assert "Traceback" not in bad.stderr
    assert tree_bytes(tmp_path / "output") == before


def test_missing_binary_is_a_clear_error(site, tmp_path):
    result = site(FILES, env={"PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere" / "pagefind")})
    assert result.status == 1
    assert f"error: search index: cannot run {tmp_path / 'nowhere' / 'pagefind'}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not result.output.exists()
