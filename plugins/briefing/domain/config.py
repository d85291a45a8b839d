"""The plugin's settings: one upper-case dict (BRIEFING) read once into a frozen value."""

from __future__ import annotations

from dataclasses import dataclass, fields

from .names import did_you_mean


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
    cache: bool = True  # reuse unchanged parses, bodies and pages between builds
    workers: int = 0  # 0: one per core, for large sites
    drafts: bool = True  # build `status: draft` entries at /drafts/<slug>/; publishconf.py sets False

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
            expected = bool if known[key].type in ("bool", bool) else int
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problems.append(f"BRIEFING['{key}'] must be {expected.__name__}, not {value!r}")
            elif expected is int and value < 0:
                problems.append(f"BRIEFING['{key}'] must not be negative")
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**raw)
