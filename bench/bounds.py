"""`make bench` rows for what one hostile entry may cost (issue 14): bounded by design.

    BENCH_ONLY=bounds python bench/run.py      # these rows alone, appended to bench/RESULTS.md

- "20,000-name entry refused": an entry whose `issues:` lists 20,000 names (190 KB), once
  `briefing check` 194 s and a build that wrote 26 GB; now one error line (target: under 1 s).
- "2 MiB body, 2,000 names": an entry of 2 MiB naming 200 countries, 200 officials and 200
  issues (600 mention targets), whose body mentions 2,000 distinct names, each several
  times, beside 20 ordinary entries; once quadratic in names x text (target: under 5 s).
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from measuring import count_pages, measure, median, pelican_build  # noqa: E402

from briefing.domain.countries import iso_countries  # noqa: E402
from briefing.domain.limits import MAX_FILE_BYTES  # noqa: E402

WORDS = [
    *("talks", "ministers", "agreed", "border", "trade", "visit", "summit", "delegation", "statement"),
    *("framework", "dialogue", "security", "investment", "energy", "cooperation", "envoy", "bilateral"),
    *("review", "agenda", "pledge", "official", "meeting"),
]


def _flow(names) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


def _entry(title: str, date: str, body: str, **keys) -> str:
    front = [f'title: "{title}"', f"date: {date}", *(f"{k}: {v}" for k, v in keys.items())]
    return "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"


def many_names_entry() -> str:
    return _entry("Many", "2025-06-12", "Text.", countries="[India]", issues=_flow(f"i{n:05d}" for n in range(20_000)))


def big_body_entry() -> str:
    """2 MiB: front matter naming 600 entities, a body mentioning 2,000 distinct names."""
    rng = random.Random(14)
    countries = [c.name for c in iso_countries()][:200]
    officials = [f"Official {n:03d} Envoy" for n in range(200)]
    issues = [f"Topic {n:03d} question" for n in range(200)]
    others = [f"Unlisted {n:04d} matter" for n in range(1_400)]  # named in the text only
    mentioned = countries + officials + issues + others
    front = {
        "countries": _flow(countries),
        "officials": "[" + ", ".join(f'{{name: "{o}", country: India}}' for o in officials) + "]",
        "issues": _flow(issues),
    }
    head = _entry("A very long briefing", "2025-06-12", "", **front)
    paragraphs, size = [], len(head.encode())
    while True:
        names = rng.sample(mentioned, 3)
        words = " ".join(rng.choice(WORDS) for _ in range(40))
        paragraph = f"On {names[0]}, {words}; {names[1]} and {names[2]} {words}."
        if size + len(paragraph) + 2 > MAX_FILE_BYTES - 1024:
            break
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return head + "\n\n".join(paragraphs) + "\n"


def ordinary_entries(count: int = 20) -> dict[str, str]:
    return {
        f"entry-{n:02d}.md": _entry(
            f"Ordinary briefing {n}", f"2025-05-{n + 1:02d}", f"Talks on trade {n}.", countries="[India, China]"
        )
        for n in range(count)
    }


def bounds_sites(scratch: Path, settings_for) -> dict[str, Path]:
    """{'many names': site, 'big body': site}, each with content/ and our pelicanconf.py."""
    sites = {
        "many names": {"many.md": many_names_entry()},
        "big body": {"big.md": big_body_entry(), **ordinary_entries()},
    }
    made = {}
    for label, files in sites.items():
        site = scratch / label.replace(" ", "-")
        shutil.rmtree(site, ignore_errors=True)
        (site / "content" / "briefings").mkdir(parents=True)
        for name, text in files.items():
            (site / "content" / "briefings" / name).write_text(text, encoding="utf-8")
        settings_for(site)
        made[label] = site
    return made


def bench_bounds(repeat: int, scratch: Path, settings_for) -> dict:
    """The rows, each the median of `repeat` runs: {label: {wall, cpu, rss_mib, pages}}."""
    sites = bounds_sites(scratch, settings_for)
    build = pelican_build(sys.executable)
    check = [sys.executable, "-m", "briefing", "check", "--no-cache", "content"]
    plans = [
        ("20,000-name entry refused: briefing check", sites["many names"], check, {}, 1),
        ("20,000-name entry refused: build", sites["many names"], build, {"BRIEFING_CACHE": "off"}, 1),
        ("2 MiB body, 2,000 names: briefing check", sites["big body"], check, {}, 0),
        (
            "2 MiB body, 2,000 names: full build, no search",
            sites["big body"],
            build,
            {"BRIEFING_CACHE": "off", "BRIEFING_SEARCH": "off"},
            0,
        ),
        ("2 MiB body, 2,000 names: full build, with search", sites["big body"], build, {"BRIEFING_CACHE": "off"}, 0),
    ]
    rows = {}
    for label, site, command, env, status in plans:
        runs = []
        for _ in range(repeat):
            shutil.rmtree(site / "output", ignore_errors=True)
            runs.append(measure(command, site, env, expect=status))
        output = site / "output"
        rows[label] = {**median(runs), "pages": count_pages(output) if output.is_dir() else 0}
    return rows
