"""Our bundle writer against Pagefind itself: for the same records, the same files.

The writer (search/bundle_writer.py) makes each bundle's index in place of Pagefind's own
indexer, so each test here runs the real Pagefind 1.5.2 on the same records and compares the
two bundles file by file: names, and each file's bytes uncompressed (the word index is
compressed at another level). Records come from the bundled site and from texts written to
try every rule: compounds, capitals inside a word, diacritics in text and meta fields, emoji,
zero-width and unusual spaces, a record at a URL twice, a text longer than 65,536 words."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from tools.pagefind_reference import reference_bundle, uncompressed
from tools.sites import ROOT

from briefing.domain.config import BriefingConfig
from briefing.domain.site import load_site
from briefing.search import packing, service
from briefing.search.bundle_writer import write_bundle
from briefing.search.cbor import cbor_decode, encode_heads, head_bytes
from briefing.search.records import site_bundles
from briefing.search.service import INDEX_CHUNK, VERSION, BundleFormatError
from briefing.search.words import WordRules, pieces, split


def ours(records, chunk: int = INDEX_CHUNK, rules: WordRules | None = None) -> dict[str, bytes]:
    return uncompressed(write_bundle(records, chunk, rules or WordRules(), VERSION))


def differences(records, chunk: int = INDEX_CHUNK) -> list[str]:
    mine, theirs = ours(records, chunk), reference_bundle(records)
    return sorted(set(mine) ^ set(theirs)) + [
        name for name in sorted(set(mine) & set(theirs)) if mine[name] != theirs[name]
    ]


def record(url: str, content: str, **meta: str) -> dict:
    return {
        "url": url,
        "content": content,
        "language": "en",
        "meta": {"title": url.strip("/") or "home", **meta},
        "filters": {"kind": ["entry"]},
        "sort": {"order": f"d{url}"},
    }


TEXTS = {
    "/compounds/": "Al-Sayed met the G7 and U.S.-led NATO's envoys; e.g. WKWebView, iPhone, COVID-19, 1990s, "
    "McDonald's, snake_case, __dunder__, x86-64, H2O and 3M. Hyphen-ated words—dashes—and ‘quotes’.",
    "/diacritics/": "José Müller of Türkiye met Zoë in São Tomé; café, naïve, Ægir, ΣΟΦΙΑ ΟΔΟΣ, İstanbul, straße, "
    "e\u0301te\u0301 (decomposed), Ǆemal, ﬁnance.",
    "/emoji/": "Talks 🌦️ resumed 👋👨‍👩‍👧‍👦 in 🇺🇦 Kyiv ✈️ and 1️⃣ 🤝🏽 ok",
    "/spaces/": "zero\u200bwidth \u200b alone non\u00a0breaking em\u2003space ideographic\u3000space "
    "unit\x1fseparator tab\tand\nnew lines   many",
    "/numbers/": "On 2025-03-14 at 10:30, 1,200 troops; 3.5% of GDP, $4bn, No. 7, 24/7, 1st, 2nd, 3rd.",
    "/markers/": "_ PAGEFIND_WEIGHT___10 loud _ END_PAGEFIND_WEIGHT___ quiet",
}


def tricky_records() -> list[dict]:
    records = [record(url, text) for url, text in TEXTS.items()]
    records.append(
        record(
            "/meta/", "Plain words only.", summary="José's Al-Sayed visit to Türkiye", chips='[["c","Côte d\'Ivoire"]]'
        )
    )
    records.append(record("/compounds/", TEXTS["/compounds/"] + " again"))  # the same URL: the later one stays
    return records


def test_the_bundled_sites_bundles_are_pagefinds_own():
    site, problems = load_site(ROOT / "content", BriefingConfig())
    assert site is not None, problems
    bundles = site_bundles(site, minimum=1)
    assert len(bundles) >= 3
    for bundle in bundles:
        assert differences(bundle.records) == [], bundle.name


def test_texts_of_every_kind_give_pagefinds_own_bundle():
    assert differences(tricky_records()) == []


def test_small_chunks_are_cut_and_named_as_pagefind_does(monkeypatch):
    """Chunks of 40 locations: many chunk bounds, each cut to the shortest distinct prefix."""
    monkeypatch.setattr(service, "INDEX_CHUNK", 40)  # Pagefind's own, through its environment
    records = tricky_records()
    mine = ours(records, chunk=40)
    assert len([name for name in mine if name.startswith("index/")]) > 5
    assert differences(records, chunk=40) == []


def test_a_bundle_packed_a_few_words_at_a_time_is_the_same(monkeypatch):
    """A big bundle's positions are packed in parts of about PART_ROWS, cut between words."""
    records = tricky_records()
    whole = ours(records)
    monkeypatch.setattr(packing, "PART_ROWS", 7)
    assert ours(records) == whole


def test_a_text_of_more_than_65536_words_gives_pagefinds_own_bundle():
    """Positions past 65,535 take five-byte heads."""
    words = " ".join(f"w{n % 997} Al-Sayed" if n % 1000 == 0 else f"w{n % 997}" for n in range(70_000))
    assert differences([record("/long/", words), record("/short/", "w1 w2 w3")]) == []


def test_pieces_are_worked_out_once_and_kept_for_the_next_bundle():
    records = tricky_records()
    distinct = {piece for r in records for piece in pieces(r["content"])}
    distinct |= {piece for r in records for value in r["meta"].values() for piece in split(value)}
    rules = WordRules()
    first = ours(records, rules=rules)
    assert set(rules.known) == distinct
    assert ours(records, rules=rules) == first  # the same bytes from what was kept
    assert set(rules.known) == distinct


@pytest.mark.parametrize(
    "change, message",
    [
        ({"language": "fr"}, "/x/: only 'en' records are written"),
        ({"content": "— … ·"}, "/x/: a record without words (Pagefind would leave it out)"),
        ({"sort": {"order": "12"}}, "sort 'order': numbers are sorted as numbers by Pagefind, not written here"),
    ],
)
def test_records_pagefind_would_treat_otherwise_are_refused(change, message):
    with pytest.raises(BundleFormatError) as raised:
        write_bundle([{**record("/x/", "words"), **change}], INDEX_CHUNK, WordRules(), VERSION)
    assert str(raised.value) == message


@pytest.mark.parametrize("argument", [0, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**40])
@pytest.mark.parametrize("major", [0, 1, 4])
def test_heads_encoded_at_once_equal_heads_encoded_one_by_one(major, argument):
    values = np.array([argument, 5, argument], dtype=np.int64)
    data, starts = encode_heads(np.full(3, major, dtype=np.int64), values)
    one = head_bytes(major, argument)
    assert data == one + head_bytes(major, 5) + one
    assert starts.tolist() == [0, len(one), len(one) + 1]
    if major == 0:
        assert cbor_decode(one) == argument


def test_bundle_files_are_gzip_without_a_timestamp():
    files = write_bundle(tricky_records(), INDEX_CHUNK, WordRules(), VERSION)
    gzipped = [data for name, data in files.items() if name.endswith((".pf_fragment", ".pf_index", ".pf_meta"))]
    assert gzipped and all(data[4:8] == b"\0\0\0\0" for data in gzipped)
    assert all(gzip.decompress(data).startswith(b"pagefind_dcd") for data in gzipped)
