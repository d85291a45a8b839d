"""The main intergovernmental organisations, known without a profile, like ISO countries.

They are named under `countries` (they act as states do: they sign, sanction, admit
members), with their acronyms as aliases, and are `Organization`s in JSON-LD. A country
profile with the same name (or one of these aliases) attaches to the built-in organisation
and replaces its one-line description with its own text.

An acronym that is already an ISO 3166-1 code (`AU` is Australia's) stays the country's
in front matter, as the contract says; running text is another matter: there `AU` is far
more often the African Union, so `briefing suggest` reads such acronyms as the
organisation when they are written in capitals (`prose_acronyms`).

Wikidata ids are given only where checked against Wikidata's own table of bodies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    name: str  # canonical: the name a newsroom uses
    aliases: tuple[str, ...]
    description: str  # one sentence of Markdown for its page, until a profile gives more
    wikidata: str | None = None
    prose_acronyms: tuple[str, ...] = ()  # ISO codes in front matter, this organisation in prose


ORGANISATIONS = (
    Organisation(
        "United Nations",
        ("UN", "U.N."),
        "The intergovernmental organisation of 193 member states, founded in 1945 and headquartered in New York.",
        "Q1065",
    ),
    Organisation(
        "European Union",
        ("EU", "E.U."),
        "A political and economic union of 27 member states.",
        "Q458",
    ),
    Organisation(
        "African Union",
        (),
        "A continental body of 55 member states, founded in 2002 as the successor to the "
        "Organisation of African Unity.",
        "Q7159",
        prose_acronyms=("AU",),
    ),
    Organisation(
        "ASEAN",
        ("Association of Southeast Asian Nations",),
        "The Association of Southeast Asian Nations, a regional grouping founded in 1967.",
        "Q7768",
    ),
    Organisation(
        "Shanghai Cooperation Organisation",
        ("SCO", "Shanghai Cooperation Organization"),
        "A Eurasian political and security organisation founded in 2001; India and Pakistan "
        "became full members in 2017.",
        "Q485207",
    ),
    Organisation(
        "BRICS",
        (),
        "A grouping begun by Brazil, Russia, India and China, which South Africa joined in 2010 "
        "and which has admitted more members since 2024.",
    ),
    Organisation(
        "Quad",
        ("Quadrilateral Security Dialogue",),
        "The Quadrilateral Security Dialogue of Australia, India, Japan and the United States.",
    ),
    Organisation(
        "NATO",
        ("North Atlantic Treaty Organization", "North Atlantic Treaty Organisation"),
        "The North Atlantic Treaty Organization, a military alliance founded in 1949.",
        "Q7184",
    ),
    Organisation(
        "G7",
        ("G-7", "Group of Seven"),
        "The Group of Seven: Canada, France, Germany, Italy, Japan, the United Kingdom and the "
        "United States, with the European Union taking part.",
    ),
    Organisation(
        "G20",
        ("G-20", "Group of Twenty"),
        "The Group of Twenty: 19 countries, the European Union and, since 2023, the African Union.",
    ),
    Organisation(
        "World Trade Organization",
        ("WTO", "World Trade Organisation"),
        "The body that administers the rules of trade between its members, established in 1995 and based in Geneva.",
        "Q7825",
    ),
    Organisation(
        "International Monetary Fund",
        ("IMF",),
        "The fund of 191 member states that lends to countries in balance-of-payments difficulty, "
        "founded at Bretton Woods in 1944 and based in Washington.",
        "Q7804",
    ),
    Organisation(
        "World Bank",
        (),
        "The development lender founded at Bretton Woods in 1944 and based in Washington.",
        "Q7164",
    ),
    Organisation(
        "SAARC",
        ("South Asian Association for Regional Cooperation",),
        "The South Asian Association for Regional Cooperation, founded in 1985; Afghanistan "
        "became its eighth member in 2007.",
        "Q145700",
    ),
    Organisation(
        "BIMSTEC",
        ("Bay of Bengal Initiative for Multi-Sectoral Technical and Economic Cooperation",),
        "The Bay of Bengal grouping of Bangladesh, Bhutan, India, Myanmar, Nepal, Sri Lanka and "
        "Thailand, founded in 1997.",
        "Q795985",
    ),
    Organisation(
        "OPEC",
        ("Organization of the Petroleum Exporting Countries",),
        "The Organization of the Petroleum Exporting Countries, founded in Baghdad in 1960 and based in Vienna.",
        "Q7795",
    ),
    Organisation(
        "Gulf Cooperation Council",
        ("GCC", "Cooperation Council for the Arab States of the Gulf"),
        "The grouping of Bahrain, Kuwait, Oman, Qatar, Saudi Arabia and the United Arab Emirates, founded in 1981.",
        "Q217172",
    ),
    Organisation(
        "Arab League",
        ("League of Arab States",),
        "The League of Arab States, founded in Cairo in 1945.",
        "Q7172",
    ),
    Organisation(
        "Mercosur",
        ("Mercosul", "Southern Common Market"),
        "The Southern Common Market, founded in 1991 by Argentina, Brazil, Paraguay and Uruguay.",
        "Q4264",
    ),
)
