"""The plugin's settings: one upper-case dict (BRIEFING) read once into a frozen value."""

from __future__ import annotations

from dataclasses import dataclass, fields

from .names import did_you_mean

DEFAULT_DATA_LICENCE = (
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): free to share and adapt, "
    "with attribution to {site} ({url})"
)


class ConfigError(ValueError):
    """A BRIEFING setting that is unknown or of the wrong type."""


@dataclass(frozen=True)
class BriefingConfig:
    relations_min_entries: int = 2
    link_mentions: bool = True
    related_entries: int = 5
    appears_with: int = 8
    feed_entries: int = 20
    home_entries: int = 20
    search: bool = True
    search_bundle_records: int = 500  # the fewest records of a search bundle (whole years are grouped)
    # The most records of a year kept in one search bundle: a bigger year is split into bundles
    # of whole months, so that Pagefind's indexer stays well under 3 GiB (0: no ceiling).
    search_bundle_max_records: int = 9000
    cache: bool = True  # reuse unchanged parses, bodies and pages between builds
    workers: int = 0  # 0: one per core, for large sites
    drafts: bool = True  # build `status: draft` entries at /drafts/<slug>/; publishconf.py sets False
    # The licence and attribution line of every open-data file (/data/, per-page downloads);
    # `{site}` and `{url}` become the site's name and its home page's address.
    data_licence: str = DEFAULT_DATA_LICENCE

    @classmethod
    def from_settings(cls, raw: dict | None) -> BriefingConfig:
        """Every problem in one message; unknown keys named with a near miss."""
        raw = dict(raw or {})
        known = {f.name: f for f in fields(cls)}
        problems = []
        for key, value in raw.items():
            if key not in known:
                problems.append(f"unknown BRIEFING key '{key}'{did_you_mean(key, known)}")
                continue
            expected = {"bool": bool, "str": str}.get(str(known[key].type), int)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problems.append(f"BRIEFING['{key}'] must be {expected.__name__}, not {value!r}")
            elif isinstance(value, int) and value < 0:
                problems.append(f"BRIEFING['{key}'] must not be negative")
            elif isinstance(value, str) and not value.strip():
                problems.append(f"BRIEFING['{key}'] must not be empty")
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**raw)
