"""Built-in organisations (issue 18, item 4): known without a profile, with their acronyms,
named under `countries`, an `Organization` in JSON-LD, a page each, listed apart in the
countries index; a profile of the same name attaches and adds its text."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from tools.cli import briefing
from tools.sites import ROOT, entry

from briefing.domain.model import COUNTRY
from briefing.domain.organisations import ORGANISATIONS
from briefing.domain.registry import build_registry
from briefing.domain.site import load_site


@pytest.fixture(scope="module")
def registry():
    return build_registry([], [])[0]


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("UN", "United Nations"),
        ("United Nations", "United Nations"),
        ("EU", "European Union"),
        ("African Union", "African Union"),
        ("ASEAN", "ASEAN"),
        ("Association of Southeast Asian Nations", "ASEAN"),
        ("SCO", "Shanghai Cooperation Organisation"),
        ("Shanghai Cooperation Organization", "Shanghai Cooperation Organisation"),
        ("BRICS", "BRICS"),
        ("Quad", "Quad"),
        ("Quadrilateral Security Dialogue", "Quad"),
        ("NATO", "NATO"),
        ("G7", "G7"),
        ("G-20", "G20"),
        ("WTO", "World Trade Organization"),
        ("IMF", "International Monetary Fund"),
        ("World Bank", "World Bank"),
        ("SAARC", "SAARC"),
        ("BIMSTEC", "BIMSTEC"),
        ("OPEC", "OPEC"),
        ("GCC", "Gulf Cooperation Council"),
        ("Arab League", "Arab League"),
        ("Mercosur", "Mercosur"),
    ],
)
def test_each_organisation_is_known_by_name_and_acronym(registry, written, canonical):
    found = registry.find(COUNTRY, written)
    assert (found.name, found.is_bloc, found.iso2, found.profile_path) == (canonical, True, None, None)


def test_an_acronym_that_is_an_iso_code_stays_the_countrys_in_front_matter(registry):
    assert registry.find(COUNTRY, "AU").name == "Australia"  # the contract: codes are aliases
    assert "AU" not in registry.find(COUNTRY, "African Union").aliases


def test_every_organisation_has_its_own_page_address_and_a_description(registry):
    slugs = [registry.find(COUNTRY, o.name).slug for o in ORGANISATIONS]
    assert len(set(slugs)) == len(ORGANISATIONS) == 19
    assert slugs[:6] == [
        "united-nations",
        "european-union",
        "african-union",
        "asean",
        "shanghai-cooperation-organisation",
        "brics",
    ]
    assert all(o.description.endswith(".") and len(o.description) < 200 for o in ORGANISATIONS)
    assert all(o.wikidata is None or re.fullmatch(r"Q[0-9]+", o.wikidata) for o in ORGANISATIONS)


@pytest.mark.parametrize(
    "written, meant",
    [
        ("SCOO", "Shanghai Cooperation Organisation"),  # was: did you mean 'Somalia'?
        ("UNO", "United Nations"),  # was: 'Tunisia', through its code TUN
        ("ASEN", "ASEAN"),
        ("NATOO", "NATO"),
        ("Inida", "India"),
        ("Mercosor", "Mercosur"),
    ],
)
def test_did_you_mean_prefers_organisations_for_capitals_and_never_goes_through_a_code(registry, written, meant):
    assert registry.suggestion(COUNTRY, written) == f" (did you mean '{meant}'?)"


def test_briefing_new_takes_acronyms_and_writes_canonical_names(tmp_path):
    result = briefing(
        "new", "SCO summit opens", "--date", "2025-08-31", "--country", "SCO", "--country", "UN",
        "--country", "brics", cwd=_content(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (tmp_path / result.stdout.strip()).read_text(encoding="utf-8")
    assert "\ncountries: [Shanghai Cooperation Organisation, United Nations, BRICS]\n" in text


def _content(root):
    import shutil

    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("briefings", "digests"))
    return root


ENTRIES = {
    "content/briefings/2025/tianjin.md": entry(
        "Modi and Putin meet at the SCO summit in Tianjin",
        "2025-09-01",
        countries="[India, Russia, SCO, BRICS]",
    ),
    "content/briefings/2025/eu.md": entry("EU and US reach a trade deal", "2025-07-28", countries="[EU, USA]"),
    "content/countries/european-union.md": "---\nname: European Union\nbloc: true\n---\nThe profile's own text.\n",
}


@pytest.fixture(scope="module")
def built(site):
    return site(ENTRIES)


def _json_ld(html: str) -> dict:
    return json.loads(lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']")[0].text)


def test_a_named_organisation_gets_a_page_with_its_description_and_json_ld(built):
    assert built.ok, built.stderr
    html = built.text("countries/shanghai-cooperation-organisation/index.html")
    assert "A Eurasian political and security organisation founded in 2001" in html
    data = _json_ld(html)
    assert (data["@type"], data["name"], data["sameAs"]) == (
        "Organization",
        "Shanghai Cooperation Organisation",
        "https://www.wikidata.org/wiki/Q485207",
    )
    assert data["alternateName"] == ["SCO", "Shanghai Cooperation Organization"]
    assert not built.exists("countries/nato/index.html")  # named by no entry: no page, like ISO countries


def test_a_profile_of_the_same_name_attaches_and_its_text_replaces_the_description(built):
    html = built.text("countries/european-union/index.html")
    assert "The profile&#39;s own text." in html or "The profile's own text." in html
    assert "A political and economic union of 27 member states." not in html


def test_the_countries_index_lists_organisations_under_their_own_heading(built):
    page = lxml.html.fromstring(built.text("countries/index.html"))
    section = page.xpath("//section[h2[@id='organisations']]")[0]
    assert section.xpath(".//li/a/text()") == ["BRICS", "European Union", "Shanghai Cooperation Organisation"]
    states = page.xpath("//section[h2[starts-with(@id,'letter-')]]//li/a/text()")
    assert states == ["India", "Russia", "United States"]
    assert page.xpath("//nav[@class='letters']//a/text()") == ["I", "R", "U", "Organisations"]
    assert page.xpath("//p[@class='stats']/text()")[0].startswith("6 countries (3 states and 3 organisations)")


def test_the_bundled_bloc_profiles_attach_to_the_built_in_organisations():
    from briefing.authoring.known_names import load_registry

    _, problems = load_site(ROOT / "content", render=False)
    assert problems == []
    registry, _ = load_registry(ROOT / "content")
    found = [registry.find(COUNTRY, name) for name in ("EU", "African Union", "Association of Southeast Asian Nations")]
    assert [(e.slug, e.is_bloc, e.profile_path) for e in found] == [
        ("european-union", True, "content/countries/european-union.md"),
        ("african-union", True, "content/countries/african-union.md"),
        ("asean", True, "content/countries/asean.md"),
    ]
