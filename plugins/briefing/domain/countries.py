"""The ISO 3166-1 countries, named as a newsroom names them.

pycountry gives the ISO data; this table gives the common English names it lacks
(Russia, not "Russian Federation") and the other names editors use (USA, Burma).
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

# alpha-2 -> canonical common English name, where pycountry's name is not it.
COMMON_NAMES = {
    "BN": "Brunei",
    "BO": "Bolivia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "ST": "São Tomé and Príncipe",
    "SX": "Sint Maarten",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Holy See",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "VN": "Vietnam",
    "CI": "Côte d'Ivoire",
    "CV": "Cabo Verde",
    "CZ": "Czechia",
    "TR": "Türkiye",
    "SZ": "Eswatini",
    "MM": "Myanmar",
    "MK": "North Macedonia",
    "CC": "Cocos (Keeling) Islands",
}

# alpha-2 -> other names in common use.
EXTRA_ALIASES = {
    "US": ("USA", "US", "U.S.", "U.S.A.", "United States of America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "MM": ("Burma",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "TR": ("Turkey",),
    "CZ": ("Czech Republic",),
    "VA": ("Vatican", "Vatican City"),
    "KR": ("Republic of Korea", "ROK"),
    "KP": ("DPRK",),
    "CN": ("PRC", "People's Republic of China"),
    "RU": ("Russian Federation",),
    "MK": ("Macedonia",),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "AE": ("UAE",),
    "IN": ("Bharat", "Republic of India"),
    "TL": ("East Timor",),
    "NL": ("Holland",),
    "PS": ("State of Palestine",),
    "TW": ("Republic of China",),
    "VN": ("Viet Nam",),
    "LA": ("Lao PDR",),
}


def names_in_text(entity) -> tuple[str, ...]:
    """The names by which text mentions an entity: its name and aliases, less its bare ISO
    codes (two or three letters are too often something else) unless one is also a name in
    common use ("USA")."""
    codes = {entity.iso2, entity.iso3} - set(EXTRA_ALIASES.get(entity.iso2 or "", ()))
    return tuple(n for n in (entity.name, *entity.aliases) if n not in codes)


@dataclass(frozen=True)
class IsoCountry:
    """An ISO 3166-1 country as the registry knows it: its codes, canonical name and aliases."""

    name: str
    aliases: tuple[str, ...]
    alpha2: str
    alpha3: str


def iso_countries() -> list[IsoCountry]:
    """Every ISO 3166-1 country with its canonical name and aliases, in alpha-2 order."""
    out = []
    for record in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = record.alpha_2
        name = COMMON_NAMES.get(code) or getattr(record, "common_name", None) or record.name
        aliases = [
            record.name,
            getattr(record, "common_name", None),
            getattr(record, "official_name", None),
            code,
            record.alpha_3,
            *EXTRA_ALIASES.get(code, ()),
        ]
        unique = tuple(dict.fromkeys(a for a in aliases if a and a != name))
        out.append(IsoCountry(name=name, aliases=unique, alpha2=code, alpha3=record.alpha_3))
    return out
