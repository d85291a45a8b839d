"""Relation maps (issue 20, item 2): each country's page draws its partners around it (line
width by shared entries, colour and dash by the relation's current state, each partner a
link) with the same figures as a table; /relations/ draws the most active pairs. Static SVG,
no script, the same layout from the same data."""

from __future__ import annotations

import pytest
from tools.open_site import FILES
from tools.sites import doc, entry

from briefing.build.relation_map import NETWORK_NODES


@pytest.fixture(scope="module")
def out(site):
    built = site(FILES)
    assert built.ok, built.stderr
    return built.output


def section(page):
    (found,) = page.xpath("//section[@class='relation-map']")
    return found


def lines(svg) -> list[tuple[str, float, str]]:
    """(title, stroke width, class) of each line drawn."""
    return [
        (line.findtext("title"), float(line.get("stroke-width")), line.get("class"))
        for line in svg.xpath(".//*[local-name()='line']")
    ]


def test_a_country_page_draws_its_partners_weighted_and_coloured_by_state(out):
    svg = section(doc(out, "/countries/india/")).xpath(".//*[local-name()='svg']")[0]
    # no role="img": its partners are links, which an image's children cannot be
    assert svg.get("role") is None and (svg.get("aria-labelledby"), svg.get("aria-describedby")) == (
        "map-title",
        "map-desc",
    )
    assert svg.xpath("./*[local-name()='title']/text()") == ["India and the countries and organisations named with it"]
    assert lines(svg) == [
        ("China and India: 3 entries; easing since 21 October 2024", 9.0, "map-line state-line-easing"),
        ("India and United States: 2 entries; no status recorded", 6.5, "map-line state-line-none"),
    ]
    links = svg.xpath(".//*[local-name()='a']/@href")
    assert links == ["/countries/china/", "/countries/united-states/"]
    labels = [" ".join(t.xpath("string()").split()) for t in svg.xpath(".//*[local-name()='text']")]
    assert labels == ["China 3 entries · easing", "United States 2 entries", "India"]


def test_the_heaviest_partner_sits_at_the_top_and_the_layout_is_fixed(out):
    svg = section(doc(out, "/countries/india/")).xpath(".//*[local-name()='svg']")[0]
    dots = [(c.get("cx"), c.get("cy")) for c in svg.xpath(".//*[local-name()='circle']")]
    assert dots == [("200.0", "45.0"), ("200.0", "285.0"), ("200.0", "165.0")]  # China above India, the US below


def test_the_table_beside_the_map_says_the_same_in_words(out):
    table = section(doc(out, "/countries/india/")).xpath(".//table")[0]
    rows = [[" ".join(cell.text_content().split()) for cell in row] for row in table.xpath("tbody/tr")]
    assert rows == [["China", "3", "Easing since 21 October 2024"], ["United States", "2", "No status"]]
    assert table.xpath("tbody/tr/td[1]/a/@href") == ["/relations/china--india/", "/relations/india--united-states/"]
    legend = [" ".join(li.text_content().split()) for li in section(doc(out, "/countries/india/")).xpath(".//ul/li")]
    assert legend == ["Easing", "No status recorded"]


def test_no_map_without_relations_and_none_for_people_or_issues(out):
    assert not doc(out, "/officials/randhir-jaiswal/").xpath("//section[@class='relation-map']")
    assert not doc(out, "/issues/trade/").xpath("//section[@class='relation-map']")
    assert doc(out, "/countries/united-states/").xpath("//section[@class='relation-map']")


def test_maps_are_static_svg_without_script_or_style(out):
    for url in ("/countries/india/", "/relations/"):
        found = section(doc(out, url))
        assert not found.xpath(".//script | .//*[@style] | .//*[starts-with(name(@*), 'on')]")


def test_the_relations_index_draws_the_most_active_pairs(out):
    found = section(doc(out, "/relations/"))
    svg = found.xpath(".//*[local-name()='svg']")[0]
    assert lines(svg) == [  # the heaviest drawn last, on top
        ("India and United States: 2 entries; no status recorded", 6.5, "map-line state-line-none"),
        ("China and India: 3 entries; easing since 21 October 2024", 9.0, "map-line state-line-easing"),
    ]
    nodes = [" ".join(t.xpath("string()").split()) for t in svg.xpath(".//*[local-name()='text']")]
    assert nodes == ["India 5 entries", "China 3 entries", "United States 2 entries"]
    rows = [[" ".join(c.text_content().split()) for c in row] for row in found.xpath(".//table/tbody/tr")]
    assert rows == [["China and India", "3", "Easing"], ["India and United States", "2", "No status"]]


def test_the_network_joins_at_most_twelve_countries(site):
    """14 pairs of India with another country: the 12 most named fit the drawing, all are listed."""
    others = [
        "Japan", "Brazil", "Chile", "Peru", "Kenya", "Ghana", "Nepal", "Bhutan",
        "Oman", "Qatar", "Fiji", "Samoa", "Tonga", "Palau",
    ]  # fmt: skip
    files = {
        f"content/briefings/{slug}{n}.md": entry(f"{name} {n}", f"2025-01-{i + 1:02d}", countries=f"[India, {name}]")
        for i, name in enumerate(others)
        for slug in [name.lower()]
        for n in range(2 + (i < 3))  # Japan, Brazil and Chile are named three times
    }
    built = site(files)
    assert built.ok, built.stderr
    found = section(doc(built.output, "/relations/"))
    svg = found.xpath(".//*[local-name()='svg']")[0]
    names = [t.text.strip() for t in svg.xpath(".//*[local-name()='text']")]
    assert len(names) == NETWORK_NODES == 12
    assert names[:4] == ["India", "Brazil", "Chile", "Japan"]  # by weight, then by name
    assert len(doc(built.output, "/relations/").xpath("//ul[contains(@class, 'index-list')]/li")) == 14


def test_bundled_india_shows_china_at_the_thickest_line_in_the_india_china_state(bundled_site):
    page = doc(bundled_site, "/countries/india/")
    svg = section(page).xpath(".//*[local-name()='svg']")[0]
    drawn = lines(svg)
    thickest = max(drawn, key=lambda line: line[1])
    assert thickest[0].startswith("China and India: ")
    relation = doc(bundled_site, "/relations/china--india/")
    state = relation.xpath("//p[@class='status-now']/strong/text()")[0].lower()
    assert thickest[2] == f"map-line state-line-{state}"
    assert svg.xpath(".//*[local-name()='a']/@href")[0] == "/countries/china/"
