"""schema.org JSON-LD, parsed back with extruct as a search engine would: NewsArticle on entry
pages (with the Events it reports), Person / Country / Organization / DefinedTerm on entity pages."""

from __future__ import annotations

import extruct
import pytest
from tools.sites import entry, read

BASE = "http://127.0.0.1:8000"
ARTICLE = "/briefings/2025/eu-and-india-on-magnets/"

FILES = {
    "content/countries/india.md": "---\nname: India\nwikidata: Q668\n---\nA republic.\n",
    "content/countries/european-union.md": "---\nname: European Union\naliases: [EU]\nbloc: true\n---\nA union.\n",
    "content/countries/kosovo.md": "---\nname: Kosovo\n---\nA republic outside ISO 3166-1.\n",
    "content/officials/randhir-jaiswal.md": (
        "---\nname: Randhir Jaiswal\ncountry: India\nroles:\n  - {title: Joint Secretary, from: 2020-01, to: 2024-03}\n"
        "  - {title: Official Spokesperson, from: 2024-03}\n---\n"
    ),
    "content/briefings/a.md": entry(
        "EU and India on magnets",
        "2025-06-12",
        summary='"Talks on <rare> earths & magnets."',
        countries="[India, EU, Kosovo]",
        issues="[Rare earth export controls]",
        officials="\n  - Randhir Jaiswal\n  - {name: Sun Weidong, country: China, role: Vice Minister}",
        sources=(
            '\n  - {name: MEA, url: "https://www.mea.gov.in/briefings.htm"}'
            '\n  - {name: Phone call, url: "ftp://example.org/notes"}'
        ),
        events=(
            "\n  - date: 2025-04-04\n    what: China licenses rare earths\n    countries: [China]"
            "\n  - date: 2025-05\n    what: Talks in Brussels\n  - date: '2024'\n    what: A year of shortages"
        ),
    ),
    "content/briefings/b.md": entry("Timed entry", "2025-06-13 09:30:15+05:30", countries="[India]"),
}


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def json_ld(out, url) -> list:
    html = read(out / url.strip("/") / "index.html")
    return extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld"], uniform=True)["json-ld"]


@pytest.fixture(scope="module")
def graph(out):
    (data,) = json_ld(out, ARTICLE)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def ref(kind, name, url=None):
    data = {"@type": kind, "name": name}
    if url:
        data["url"] = BASE + url
    return data


def test_entry_page_is_a_news_article(graph):
    article = graph[0]
    assert article["@type"] == "NewsArticle"
    assert article["@id"] == article["url"] == article["mainEntityOfPage"] == BASE + ARTICLE
    assert article["headline"] == "EU and India on magnets"
    assert article["datePublished"] == "2025-06-12"
    assert article["description"] == "Talks on <rare> earths & magnets."
    assert article["publisher"] == {"@type": "Organization", "name": "Briefing Digest"}


def test_article_is_about_its_issues_and_countries_and_mentions_its_officials(graph):
    article = graph[0]
    assert article["about"] == [
        ref("DefinedTerm", "Rare earth export controls", "/issues/rare-earth-export-controls/"),
        ref("Country", "India", "/countries/india/"),
        ref("Organization", "European Union", "/countries/european-union/"),
        ref("Country", "Kosovo", "/countries/kosovo/"),
    ]
    assert article["mentions"] == [
        ref("Person", "Randhir Jaiswal", "/officials/randhir-jaiswal/"),
        ref("Person", "Sun Weidong", "/officials/sun-weidong/"),
    ]


def test_article_cites_its_sources(graph):
    assert graph[0]["citation"] == [
        {"@type": "CreativeWork", "name": "MEA", "url": "https://www.mea.gov.in/briefings.htm"},
        {"@type": "CreativeWork", "name": "Phone call"},  # not http(s): no URL
    ]


def test_events_with_partial_start_dates_recorded_in_the_article(graph):
    events = graph[1:]
    assert [(e["@type"], e["name"], e["startDate"]) for e in events] == [
        ("Event", "Talks in Brussels", "2025-05"),
        ("Event", "China licenses rare earths", "2025-04-04"),
        ("Event", "A year of shortages", "2024"),
    ]
    assert all(e["recordedIn"] == {"@id": BASE + ARTICLE} for e in events)
    # China is named by no entry, but the event concerns it: it has a page for its events
    assert events[1]["location"] == [ref("Country", "China", "/countries/china/")]
    assert events[0]["location"][0] == ref("Country", "India", "/countries/india/")
    assert events[0]["about"] == [
        ref("DefinedTerm", "Rare earth export controls", "/issues/rare-earth-export-controls/")
    ]


def test_time_and_offset_kept_in_date_published(out):
    (data,) = json_ld(out, "/briefings/2025/timed-entry/")
    article = data["@graph"][0]
    assert article["datePublished"] == "2025-06-13T09:30:15+05:30"
    assert "citation" not in article and "mentions" not in article  # nothing to list: no empty arrays
    assert len(data["@graph"]) == 1


def test_official_is_a_person_with_job_title_and_nationality(out):
    assert json_ld(out, "/officials/randhir-jaiswal/") == [
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": "Randhir Jaiswal",
            "url": BASE + "/officials/randhir-jaiswal/",
            "jobTitle": "Official Spokesperson",
            "nationality": {"@type": "Country", "name": "India"},
        }
    ]
    (sun,) = json_ld(out, "/officials/sun-weidong/")
    assert (sun["jobTitle"], sun["nationality"]) == ("Vice Minister", {"@type": "Country", "name": "China"})


def test_iso_country_has_its_alpha2_identifier_and_wikidata_same_as(out):
    (india,) = json_ld(out, "/countries/india/")
    assert india["@type"] == "Country"
    assert india["identifier"] == "IN"
    assert india["sameAs"] == "https://www.wikidata.org/wiki/Q668"
    assert india["name"] == "India" and india["url"] == BASE + "/countries/india/"
    assert "IN" not in india["alternateName"] and "Republic of India" in india["alternateName"]


def test_bloc_is_an_organization_and_non_iso_country_has_no_identifier(out):
    assert json_ld(out, "/countries/european-union/") == [
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "European Union",
            "url": BASE + "/countries/european-union/",
            "alternateName": ["EU", "E.U."],
            "sameAs": "https://www.wikidata.org/wiki/Q458",
        }
    ]
    assert json_ld(out, "/countries/kosovo/") == [
        {"@context": "https://schema.org", "@type": "Country", "name": "Kosovo", "url": BASE + "/countries/kosovo/"}
    ]


def test_issue_is_a_defined_term_in_the_issues_set(out):
    assert json_ld(out, "/issues/rare-earth-export-controls/") == [
        {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "name": "Rare earth export controls",
            "url": BASE + "/issues/rare-earth-export-controls/",
            "inDefinedTermSet": BASE + "/issues/",
        }
    ]


def test_script_block_cannot_be_closed_by_content(out):
    html = read(out / ARTICLE.strip("/") / "index.html")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert "\\u003crare\\u003e earths \\u0026 magnets" in block
