"""The search index as files: real Pelican builds with real Pagefind, asserted on the bundles.

One bundle per year of entries plus one for entity pages; records carry exact filters;
the index is byte-identical from build to build; an edit re-indexes one year only; the
index can be switched off; a failing indexer fails the build and leaves the old output."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from tools.sites import build_in_process, entry, read, tree_bytes, write_files

from briefing.domain.config import BriefingConfig
from briefing.domain.site import load_site
from briefing.search.canonical import cbor_decode, cbor_encode, read_pagefind_file
from briefing.search.records import site_bundles

FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\ncountry: China\n---\nChina's foreign minister since 2023.\n",
    "content/issues/rare-earths.md": "---\nname: Rare earths\naliases: [REE]\n---\nSeventeen **metals** used in magnets.\n",
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


@pytest.fixture(scope="module")
def small_site(site):
    built = site(FILES, env={"BRIEFING_CACHE": "off"})
    assert built.ok, built.stderr
    return built.root


def test_one_bundle_per_year_and_one_for_entity_pages(small_site):
    output = small_site / "output"
    manifest = json.loads(read(output / "pagefind/bundles.json"))
    assert manifest == {"version": "1.5.2", "bundles": ["entities", "2025", "2024", "2023"], "browse": "zqxjbrowse"}
    assert [bundle_pages(output, y) for y in ("2025", "2024", "2023")] == [1, 2, 1]  # the draft is not indexed
    site, _ = load_site(small_site / "content", BriefingConfig())
    assert bundle_pages(output, "entities") == len(site.views)


def test_filters_hold_canonical_names_years_and_kinds(small_site):
    output = small_site / "output"
    assert filter_values(output, "2024") == {
        "kind": {"entry": 2},
        "year": {"2024": 2},
        "country": {"China": 1, "India": 1, "Japan": 1},
        "official": {"Wang Yi": 1},
        "issue": {"Border dispute": 1, "Trade": 1},
    }
    entities = filter_values(output, "entities")
    assert entities["kind"] == {"country": 4, "official": 2, "issue": 3}
    assert entities["official"] == {"Sun Weidong": 1, "Wang Yi": 1}
    assert entities["country"] == {
        "China": 3,
        "India": 1,
        "Indonesia": 1,
        "Japan": 1,
    }  # China's page and its two officials
    assert "year" not in entities  # entity pages are not dated: a year filter leaves them out


def test_records_come_from_the_model(tmp_path):
    site, _ = load_site(write_files(tmp_path, FILES) / "content", BriefingConfig())
    bundles = {b.name: b for b in site_bundles(site)}
    (record,) = bundles["2025"].records
    assert record["url"] == "/briefings/2025/china-licenses-rare-earth-exports/"
    assert record["filters"] == {
        "kind": ["entry"],
        "country": ["China", "India"],
        "official": ["Sun Weidong"],
        "issue": ["Rare earths", "Trade"],
        "year": ["2025"],
    }
    assert record["meta"]["date"] == "2025-04-07" and record["meta"]["date_label"] == "7 April 2025"
    assert json.loads(record["meta"]["chips"]) == [
        ["country", "China", "/countries/china/"],
        ["country", "India", "/countries/india/"],
        ["official", "Sun Weidong", "/officials/sun-weidong/"],
        ["issue", "Rare earths", "/issues/rare-earths/"],
        ["issue", "Trade", "/issues/trade/"],
    ]
    assert "Seven elements & magnets, 5 < 7, need licences." in record["content"]  # text, not HTML
    issue = next(r for r in bundles["entities"].records if r["url"] == "/issues/rare-earths/")
    assert issue["filters"] == {"kind": ["issue"], "issue": ["Rare earths"]}
    assert "Seventeen metals used in magnets." in issue["content"] and "REE" in issue["content"]
    assert "**" not in issue["content"]
    official = next(r for r in bundles["entities"].records if r["url"] == "/officials/wang-yi/")
    assert official["filters"] == {"kind": ["official"], "official": ["Wang Yi"], "country": ["China"]}


def test_two_builds_give_byte_identical_indexes(small_site):
    again = build_in_process(small_site, output="again", env={"BRIEFING_CACHE": "off"})
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
    first = site(FILES)
    assert first.ok, first.stderr
    tmp_path = first.root
    inodes = {
        p.relative_to(tmp_path / "output").as_posix(): p.stat().st_ino
        for p in (tmp_path / "output/pagefind").glob("*/**/*")
        if p.is_file()
    }  # the bundles' files
    path = tmp_path / "content/briefings/2024/c.md"
    path.write_text(read(path).replace("New licences.", "New licences for lithography tools."), encoding="utf-8")
    second = first.rebuild()
    assert second.ok, second.stderr
    changed = {
        name.split("/")[1]
        for name, inode in inodes.items()
        if not (tmp_path / "output" / name).exists() or (tmp_path / "output" / name).stat().st_ino != inode
    }
    assert changed == {"2024"}  # the other bundles are linked from the cache, not indexed again
    full = first.rebuild(output="full", env={"BRIEFING_CACHE": "off"})
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
