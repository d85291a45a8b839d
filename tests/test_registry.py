"""The registry: ISO countries with newsroom names, profiles, officials and issues, and the
exact diagnostics for unknown names, conflicts and typos. Domain only (no Pelican), except
the benchmark corpus, which goes through the `briefing check` command."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from slugify import slugify as python_slugify
from tools.cli import briefing
from tools.sites import ROOT, entry, write_files

from briefing.domain.countries import iso_countries
from briefing.domain.diagnostics import format_report
from briefing.domain.model import COUNTRY, ISSUE, OFFICIAL
from briefing.domain.names import MAX_SLUG_LENGTH, is_slug, slugify
from briefing.domain.registry import build_registry
from briefing.domain.site import load_site

CORPUS_GENERATOR = ROOT / "bench" / "corpus.py"  # the benchmark corpus, our own generator


@pytest.fixture(scope="module")
def iso_registry():
    registry, problems = build_registry([], [])
    assert problems == []
    return registry


def load(root: Path, monkeypatch, files: dict[str, str]):
    """(Site | None, report lines) for a content folder written from `files`, paths relative."""
    write_files(root, files)
    monkeypatch.chdir(root)
    site, problems = load_site(Path("content"), today=dt.date(2026, 1, 1))
    report = format_report(problems)
    return site, report.splitlines() if report else []


# --- countries known without any file ---

COMMON_NAMES = [
    ("RU", "Russia"),
    ("IR", "Iran"),
    ("SY", "Syria"),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("VN", "Vietnam"),
    ("LA", "Laos"),
    ("TW", "Taiwan"),
    ("BO", "Bolivia"),
    ("VE", "Venezuela"),
    ("TZ", "Tanzania"),
    ("MD", "Moldova"),
    ("BN", "Brunei"),
    ("FM", "Micronesia"),
    ("PS", "Palestine"),
    ("VA", "Holy See"),
    ("CZ", "Czechia"),
    ("TR", "Türkiye"),
    ("CD", "Democratic Republic of the Congo"),
    ("CG", "Congo"),
    ("CI", "Côte d'Ivoire"),
    ("CV", "Cabo Verde"),
    ("SZ", "Eswatini"),
    ("MM", "Myanmar"),
    ("MK", "North Macedonia"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("IN", "India"),
    ("CN", "China"),
    ("DE", "Germany"),
]


def test_every_iso_country_is_known_with_a_unique_slug():
    countries = iso_countries()
    assert len(countries) == 249
    slugs = [c.name for c in countries]
    assert len(set(slugs)) == 249
    registry, _ = build_registry([], [])
    entities = [e for e in registry.of_kind(COUNTRY) if not e.is_bloc]
    assert len({e.slug for e in entities}) == 249
    assert all(is_slug(e.slug) for e in entities)


@pytest.mark.parametrize("alpha2,name", COMMON_NAMES, ids=[c for c, _ in COMMON_NAMES])
def test_canonical_name_is_the_common_english_name(iso_registry, alpha2, name):
    entity = iso_registry.find(COUNTRY, alpha2)
    assert (entity.name, entity.iso2) == (name, alpha2)


ALIASES = [
    ("USA", "United States"),
    ("US", "United States"),
    ("United States of America", "United States"),
    ("usa", "United States"),
    ("UK", "United Kingdom"),
    ("Britain", "United Kingdom"),
    ("GBR", "United Kingdom"),
    ("Burma", "Myanmar"),
    ("Ivory Coast", "Côte d'Ivoire"),
    ("Cape Verde", "Cabo Verde"),
    ("Swaziland", "Eswatini"),
    ("Turkey", "Türkiye"),
    ("Czech Republic", "Czechia"),
    ("Vatican", "Holy See"),
    ("Russian Federation", "Russia"),
    ("RUS", "Russia"),
    ("Taiwan, Province of China", "Taiwan"),
    ("Korea, Republic of", "South Korea"),
    ("Iran, Islamic Republic of", "Iran"),
    ("Viet Nam", "Vietnam"),
    ("Republic of India", "India"),
    ("Lao People's Democratic Republic", "Laos"),
    ("Holy See (Vatican City State)", "Holy See"),
    ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
    # diacritics, case, curly apostrophes and spacing are ignored
    ("Cote d'Ivoire", "Côte d'Ivoire"),
    ("cote d\u2019ivoire", "Côte d'Ivoire"),
    ("Turkiye", "Türkiye"),
    ("Sao Tome and Principe", "São Tomé and Príncipe"),
    ("  united   kingdom ", "United Kingdom"),
]


@pytest.mark.parametrize("written,canonical", ALIASES, ids=[a for a, _ in ALIASES])
def test_iso_names_codes_and_alternatives_lead_to_one_country(iso_registry, written, canonical):
    assert iso_registry.find(COUNTRY, written).name == canonical


def test_slugs_are_transliterated_ascii(iso_registry):
    assert iso_registry.find(COUNTRY, "Côte d'Ivoire").slug == "cote-divoire"
    assert iso_registry.find(COUNTRY, "Türkiye").slug == "turkiye"
    assert iso_registry.find(COUNTRY, "São Tomé and Príncipe").slug == "sao-tome-and-principe"
    assert iso_registry.find(COUNTRY, "Kosovo") is None  # not in ISO 3166-1: a profile defines it


# Texts of the characters slugify makes slugs of itself (repeated past the slug's length now
# and then), and with those it leaves to python-slugify: quotes, entities, accents.
PLAIN_SLUG_TEXT = st.text(st.sampled_from("aZ09 ,.:;!?()/-"), max_size=40).map(lambda t: t * (1 + len(t) % 7))
SLUG_TEXT = PLAIN_SLUG_TEXT | st.text(st.sampled_from("aZ09 ,.:;!?()/-'’&\"é_#\t"), max_size=40)


@given(SLUG_TEXT)
@example("Trade &amp; aid")
@example("Summit " * 30)
def test_slugs_made_without_python_slugify_are_the_slugs_it_makes(text):
    expected = python_slugify(
        text.replace("'", "").replace("’", ""),
        lowercase=True,
        separator="-",
        max_length=MAX_SLUG_LENGTH,
        word_boundary=True,
    )
    assert slugify.__wrapped__(text) == expected


def test_a_plain_title_and_a_comma_between_digits():
    assert (
        slugify.__wrapped__("Talks on 1,000 troops: the (new) deal/plan!") == "talks-on-1000-troops-the-new-deal-plan"
    )
    assert slugify.__wrapped__("A, b") == "a-b"


# --- profiles, officials and issues, resolved on a whole content folder ---

PROFILES = {
    "content/countries/kosovo.md": "---\nname: Kosovo\naliases: [Republic of Kosovo]\n---\nDeclared independence in 2008.\n",
    "content/countries/european-union.md": "---\nname: European Union\naliases: [EU]\nbloc: true\n---\nA union.\n",
    "content/countries/india.md": "---\nname: India\naliases: [Hindustan]\nwikidata: Q668\n---\nA republic.\n",
    "content/officials/xi-jinping.md": (
        "---\nname: Xi Jinping\naliases: [President Xi]\ncountry: PRC\n"
        "roles:\n  - {title: President, from: 2013-03}\n---\nGeneral Secretary.\n"
    ),
    "content/issues/trade.md": "---\nname: Trade and investment\naliases: [Trade]\n---\nTrade.\n",
}


@pytest.fixture
def resolved(tmp_path, monkeypatch):
    files = dict(PROFILES)
    files["content/briefings/2025/a.md"] = entry(
        "First",
        "2025-03-01",
        countries="[Kosovo, EU, Hindustan, USA]",
        officials="\n  - {name: Sun Weidong, country: China, role: Vice Minister}\n  - President Xi",
        issues="[trade, Border dispute]",
    )
    files["content/briefings/2025/b.md"] = entry(
        "Second",
        "2025-03-02",
        countries="[United States of America, republic of kosovo]",
        officials="[sun weidong, Xi Jinping]",
        issues="[border Dispute, Water]",
        events="\n  - date: 2025-02\n    what: Talks\n    issues: [water, Dams]",
    )
    files["content/briefings/2024/c.md"] = entry("Third", "2024-01-01", countries="India", issues="[dams]")
    site, report = load(tmp_path, monkeypatch, files)
    assert report == []
    return site


def names_of(site, keys):
    return [site.entity(k).name for k in keys]


def test_profiles_define_actors_outside_iso_and_add_aliases(resolved):
    first = next(e for e in resolved.entries if e.title == "First")
    assert names_of(resolved, first.countries) == ["Kosovo", "European Union", "India", "United States"]
    kosovo, union, india = (resolved.entity(k) for k in first.countries[:3])
    assert (kosovo.slug, kosovo.iso2, kosovo.is_bloc, kosovo.aliases) == ("kosovo", None, False, ["Republic of Kosovo"])
    assert (union.slug, union.is_bloc, union.aliases) == ("european-union", True, ["EU", "E.U."])
    assert (union.profile_path, union.profile_body, union.wikidata) == (
        "content/countries/european-union.md",
        "A union.\n",
        "Q458",
    )
    assert (india.iso2, india.wikidata, india.profile_path) == ("IN", "Q668", "content/countries/india.md")
    assert "Hindustan" in india.aliases and "IND" in india.aliases


def test_alias_and_full_name_resolve_to_one_entity(resolved):
    united_states = [k for e in resolved.entries for k in e.countries if resolved.entity(k).iso2 == "US"]
    assert united_states == ["country:united-states", "country:united-states"]
    assert [e.title for e in resolved.views["country:united-states"].entries] == ["Second", "First"]
    assert [e.title for e in resolved.views["country:kosovo"].entries] == ["Second", "First"]


def test_official_from_an_entry_then_plain_name_elsewhere(resolved):
    sun = resolved.entity("official:sun-weidong")
    assert (sun.name, sun.country, sun.role) == ("Sun Weidong", "country:china", "Vice Minister")
    assert [e.title for e in resolved.views["official:sun-weidong"].entries] == ["Second", "First"]
    xi = resolved.entity("official:xi-jinping")
    assert (xi.country, xi.current_role, xi.aliases) == ("country:china", "President", ["President Xi"])
    assert [e.title for e in resolved.views["official:xi-jinping"].entries] == ["Second", "First"]


def test_issue_canonical_name_is_the_profile_name_or_first_spelling_by_path(resolved):
    # 2024/c.md sorts before 2025/*.md, so its "dams" is the first spelling of that issue
    issues = {e.slug: e.name for e in resolved.registry.of_kind(ISSUE)}
    assert issues == {
        "trade-and-investment": "Trade and investment",
        "border-dispute": "Border dispute",
        "water": "Water",
        "dams": "dams",
    }
    second = next(e for e in resolved.entries if e.title == "Second")
    assert names_of(resolved, second.issues) == ["Border dispute", "Water"]
    assert names_of(resolved, second.events[0].issues) == ["Water", "dams"]


def test_entity_pages_only_for_named_or_profiled_entities(resolved):
    # China is only an official's country, never an entry's: no page; Kosovo and the EU are named;
    # India is named and profiled.
    assert sorted(resolved.views) == [
        "country:european-union",
        "country:india",
        "country:kosovo",
        "country:united-states",
        "issue:border-dispute",
        "issue:dams",
        "issue:trade-and-investment",
        "issue:water",
        "official:sun-weidong",
        "official:xi-jinping",
    ]


# --- diagnostics: exact lines, as data ---

DIAGNOSTIC_CASES = {
    "typo in a country with a near miss": (
        {"content/briefings/a.md": entry("A", "2025-01-01", countries="[Inida, China]")},
        ["content/briefings/a.md:4:13: error: unknown country 'Inida' (did you mean 'India'?)"],
    ),
    "typo in an alias": (
        {"content/briefings/a.md": entry("A", "2025-01-01", countries="[Swaziand]")},
        ["content/briefings/a.md:4:13: error: unknown country 'Swaziand' (did you mean 'Eswatini'?)"],
    ),
    "official with no country from anywhere": (
        {"content/briefings/a.md": entry("A", "2025-01-01", countries="[China]", officials="[Li Qiang]")},
        [
            "content/briefings/a.md:5:13: error: unknown official 'Li Qiang': give their country once, as "
            "{name: Li Qiang, country: ...}, or add a profile in content/officials/"
        ],
    ),
    "official given two countries by two entries": (
        {
            "content/briefings/a.md": entry(
                "A", "2025-01-01", countries="[China]", officials="\n  - {name: Sun Weidong, country: China}"
            ),
            "content/briefings/b.md": entry(
                "B", "2025-01-02", countries="[China]", officials="\n  - {name: Sun Weidong, country: India}"
            ),
        },
        [
            "content/briefings/b.md:6:34: error: official 'Sun Weidong' is given country 'India' here but "
            "'China' in content/briefings/a.md:6:34"
        ],
    ),
    "official given another country than the profile's": (
        {
            "content/officials/xi.md": "---\nname: Xi Jinping\ncountry: China\n---\n",
            "content/briefings/a.md": entry(
                "A", "2025-01-01", countries="[China]", officials="\n  - {name: Xi Jinping, country: Taiwan}"
            ),
        },
        [
            "content/briefings/a.md:6:33: error: official 'Xi Jinping' is given country 'Taiwan' here but "
            "'China' in content/officials/xi.md:3:10"
        ],
    ),
    "official profile without a country": (
        {"content/officials/nobody.md": "---\nname: Nobody\n---\n"},
        ["content/officials/nobody.md:2:7: error: official 'Nobody' needs a 'country'"],
    ),
    "official profile with a misspelt country": (
        {"content/officials/wang.md": "---\nname: Wang Yi\ncountry: Chna\n---\n"},
        ["content/officials/wang.md:3:10: error: unknown country 'Chna' (did you mean 'China'?)"],
    ),
    "alias claimed by a profile and an ISO country": (
        {"content/countries/kosovo.md": "---\nname: Kosovo\naliases: [Republic of Kosovo, Congo]\n---\n"},
        [
            "content/countries/kosovo.md:3:31: error: name 'Congo' is claimed by both country 'Kosovo' and "
            "'Congo' (ISO 3166-1)"
        ],
    ),
    "alias claimed by two profiles": (
        {
            "content/officials/wang.md": "---\nname: Wang Yi\naliases: [Minister Wang]\ncountry: China\n---\n",
            "content/officials/wang-wentao.md": "---\nname: Wang Wentao\naliases: [minister wang]\ncountry: China\n---\n",
        },
        [
            "content/officials/wang.md:3:11: error: name 'Minister Wang' is claimed by both official 'Wang Yi' and "
            "'Wang Wentao' (content/officials/wang-wentao.md:3:11)"
        ],
    ),
    "issue alias claimed by two issue profiles": (
        {
            "content/issues/a.md": "---\nname: Rare earth export controls\naliases: [REE]\n---\n",
            "content/issues/b.md": "---\nname: Rare earth elements\naliases: [ree]\n---\n",
        },
        [
            "content/issues/b.md:3:11: error: name 'ree' is claimed by both issue 'Rare earth elements' and "
            "'Rare earth export controls' (content/issues/a.md:3:11)"
        ],
    ),
    "new issue spelt almost like a known one": (
        {
            "content/issues/a.md": "---\nname: Supply chains\n---\n",
            "content/briefings/a.md": entry("A", "2025-01-01", countries="[India]", issues="[Suply chains]"),
        },
        [
            "content/briefings/a.md:5:10: warning: issue 'Suply chains' (named in 1 file) is very like "
            "'Supply chains' (named in 1 file, first at content/issues/a.md:2:7): a typo? "
            "(different spellings make different issue pages)"
        ],
    ),
    "country profile for an unknown ISO code": (
        {"content/countries/x.md": "---\nname: Atlantis\niso2: XX\n---\n"},
        ["content/countries/x.md:3:7: error: 'XX' is not an ISO 3166-1 alpha-2 code"],
    ),
}


@pytest.mark.parametrize("files,expected", DIAGNOSTIC_CASES.values(), ids=DIAGNOSTIC_CASES.keys())
def test_registry_diagnostics(tmp_path, monkeypatch, files, expected):
    site, report = load(tmp_path, monkeypatch, files)
    assert report == expected
    assert (site is None) == any(": error: " in line for line in expected)


def test_every_problem_in_one_run(tmp_path, monkeypatch):
    files = {
        name: text
        for case in (
            "typo in a country with a near miss",
            "official profile without a country",
            "alias claimed by a profile and an ISO country",
        )
        for name, text in DIAGNOSTIC_CASES[case][0].items()
    }
    _, report = load(tmp_path, monkeypatch, files)
    assert len(report) == 3


# --- the benchmark corpus (bench/corpus.py) ---


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    result = subprocess.run(
        [sys.executable, str(CORPUS_GENERATOR), "1000", str(root), "--flavor", "briefing"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.slow
def test_benchmark_corpus_passes_the_check_with_zero_problems(corpus):
    result = briefing("check", "content", cwd=corpus)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.startswith("checked 1,000 entries and ") and result.stderr.endswith(": no problems\n")


@pytest.mark.slow
def test_benchmark_corpus_resolves_every_name(corpus):
    site, problems = load_site(corpus / "content", today=dt.date(2030, 1, 1))
    assert problems == []
    assert len(site.entries) == 1000
    countries = {k for e in site.entries for k in e.countries}
    assert all(site.entity(k).iso2 for k in countries)  # every corpus country is an ISO country
    officials = site.registry.of_kind(OFFICIAL)
    assert all(o.country for o in officials)


def test_country_profile_attaches_by_iso2_and_may_rename(tmp_path, monkeypatch):
    site, report = load(
        tmp_path,
        monkeypatch,
        {
            "content/countries/taipei.md": "---\nname: Chinese Taipei\niso2: tw\naliases: [Formosa]\n---\nSports name.\n",
            "content/briefings/a.md": entry("A", "2025-01-01", countries="[Formosa]"),
            "content/briefings/b.md": entry("B", "2025-01-02", countries="[Taiwan]"),
            "content/briefings/c.md": entry("C", "2025-01-03", countries="[TWN]"),
        },
    )
    assert report == []
    taipei = site.entity("country:taiwan")  # the page keeps the ISO country's address
    assert (taipei.name, taipei.iso2, taipei.profile_path) == ("Chinese Taipei", "TW", "content/countries/taipei.md")
    assert {"Taiwan", "Formosa", "TWN"} <= set(taipei.aliases)
    assert [e.title for e in site.views["country:taiwan"].entries] == ["C", "B", "A"]
