"""Mention links on built entry pages: the first mention of each entity the entry names (its
name or an alias, whole words, not in links, code or headings) links to its page; off with
BRIEFING["link_mentions"] = False."""

from __future__ import annotations

import lxml.html
import pytest
from tools.sites import entry

BODY = """\
## India in focus

Indian officials said the USA and India met. `India` stayed in code, [India](https://example.org/india) stayed a link.

Later India spoke again, and so did the United States of America. Japan was only mentioned.

Minister Wang spoke on ree controls and Rare earth export controls.

> Bharat and Minister Wang again.
"""

FILES = {
    "content/officials/wang-yi.md": "---\nname: Wang Yi\naliases: [Minister Wang]\ncountry: China\n---\n",
    "content/issues/ree.md": "---\nname: Rare earth export controls\naliases: [REE controls]\n---\n",
    "content/briefings/talks.md": entry(
        "Talks",
        "2025-06-12",
        body=BODY,
        countries="[India, USA]",
        officials="[Wang Yi]",
        issues="[Rare earth export controls]",
    ),
    "content/briefings/japan.md": entry("Japan page", "2025-06-01", countries="[Japan]"),
}


def talks_page(site, **settings):
    built = site(FILES, **settings)
    assert built.ok, built.stderr
    return lxml.html.fromstring(built.text("briefings/2025/talks/index.html"))


@pytest.fixture(scope="module")
def body(site):
    return talks_page(site).xpath("//div[@class='body']")[0]


def mentions(node) -> list[tuple[str, str]]:
    return [(a.text, a.get("href")) for a in node.xpath(".//a[@class='mention']")]


def test_first_mention_of_each_named_entity_links_to_its_page(body):
    assert mentions(body) == [
        ("USA", "/countries/united-states/"),  # an alias: the first mention of the United States
        ("India", "/countries/india/"),  # "Indian" is not a whole-word mention
        ("Minister Wang", "/officials/wang-yi/"),  # an official's alias
        ("ree controls", "/issues/rare-earth-export-controls/"),  # issues match whatever the case
    ]


def test_later_mentions_stay_text(body):
    second = body.xpath("p")[1]
    assert second.xpath(".//a") == []
    assert " ".join(second.text_content().split()) == (
        "Later India spoke again, and so did the United States of America. Japan was only mentioned."
    )
    assert body.xpath("blockquote//a") == []


def test_no_mention_links_in_headings_code_or_links(body):
    assert body.xpath("h2")[0].xpath(".//a") == []
    assert body.xpath(".//code")[0].text == "India"
    link = body.xpath(".//a[@href='https://example.org/india']")[0]
    assert (link.text, link.get("class"), len(link)) == ("India", None, 0)


def test_entities_the_entry_does_not_name_are_not_linked(body):
    # Japan has a page (another entry names it) but this entry does not name it.
    assert body.xpath(".//a[@href='/countries/japan/']") == []


def test_mentions_can_be_switched_off(site):
    page = talks_page(site, BRIEFING={"link_mentions": False})
    body = page.xpath("//div[@class='body']")[0]
    assert mentions(body) == []
    assert body.xpath(".//a/@href") == ["https://example.org/india"]
    # the entity links in the entry's header stay
    assert "/countries/india/" in page.xpath("//dl[@class='named']//a/@href")


def test_every_bundled_entry_page_links_mentions(bundled_site):
    pages = sorted(bundled_site.glob("briefings/*/*/index.html"))
    assert len(pages) >= 30
    unlinked = []
    for path in pages:
        page = lxml.html.fromstring(path.read_bytes())
        named = set(page.xpath("//dl[@class='named']//a/@href"))
        linked = page.xpath("//div[@class='body']//a[@class='mention']/@href")
        if not linked or not set(linked) <= named or len(linked) != len(set(linked)):
            unlinked.append(path.parent.name)  # none, one to an entity not named, or one twice
    assert unlinked == []


def test_no_bundled_mention_link_stops_before_the_rest_of_the_name(bundled_site):
    # "President Xi" is an alias, but "President Xi Jinping" must link whole, not "President Xi"
    # and a bare "Jinping" after it: the alias and the name overlap, and join (domain/mentions.py).
    kazan = lxml.html.fromstring(
        (
            bundled_site
            / "briefings/2024/modi-and-xi-hold-first-formal-talks-in-five-years-at-kazan-brics-summit/index.html"
        ).read_bytes()
    )
    first = kazan.xpath("//div[@class='body']//a[@href='/officials/xi-jinping/']")
    assert [(a.text_content(), a.tail[:4]) for a in first] == [("President Xi Jinping", " met")]
    cut = []
    for path in sorted(bundled_site.glob("briefings/*/*/index.html")):
        page = lxml.html.fromstring(path.read_bytes())
        for link in page.xpath("//div[@class='body']//a[@class='mention'][starts-with(@href, '/officials/')]"):
            name = page.xpath(f"//dl[@class='named']//a[@href='{link.get('href')}']/text()")[0]
            words, after = link.text_content().split(), (link.tail or "").split()[:1]
            if after and words[-1] != name.split()[-1] and after[0].strip(".,;:'’") == name.split()[-1]:
                cut.append((path.parent.name, link.text_content(), after[0]))
    assert cut == []
