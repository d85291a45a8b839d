"""The bundled content as the search tests expect to find it, read from the files themselves
(front matter through PyYAML), independently of the site's own code."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from tools.sites import ROOT

STATEMENTS = re.compile(r"^statements:\n(?:[ \t].*\n|\n)*", re.M)
URLS = re.compile(r"https?://[^\s\"')>]+")


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("\n---", 1)[0].lstrip("-\n"))


def _published() -> list[tuple[dict, str]]:
    """(front matter, whole text) of every entry that is not a draft."""
    out = []
    for path in sorted((ROOT / "content" / "briefings").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = _front(text)
        if front.get("status") != "draft":
            out.append((front, text))
    return out


def _entries() -> list[dict]:
    """Every published entry: title, date, countries, officials, issues, raw text. The text
    leaves out the `statements:` block: statements are search records of their own, so an
    entry is found by the words of its title, body, events and names, not by what it quotes,
    nor by the addresses of its sources."""
    out = []
    for front, text in _published():
        officials = [o["name"] if isinstance(o, dict) else o for o in front.get("officials") or []]
        day = front["date"] if isinstance(front["date"], dt.date) else dt.date.fromisoformat(str(front["date"])[:10])
        out.append(
            {
                "title": front["title"],
                "date": day,
                "countries": front.get("countries") or [],
                "officials": officials,
                "issues": front.get("issues") or [],
                "text": URLS.sub("", STATEMENTS.sub("", text)),
            }
        )
    assert len({e["title"] for e in out}) == len(out)  # titles identify results
    return out


def _events() -> dict[tuple[str, str], str]:
    """Every published event once: {(date, its text normalised): its text as first written}.
    Same date and words (case, punctuation and spacing aside) are one event; `same_as` items add none."""
    found: dict[tuple[str, str], str] = {}
    for front, _ in _published():
        for event in front.get("events") or []:
            if "what" in event:
                words = " ".join(re.sub(r"[^\w\s]", " ", str(event["what"]).casefold()).split())
                found.setdefault((str(event["date"]), words), " ".join(str(event["what"]).split()))
    return found


def _statements() -> list[dict]:
    """Every published statement: who said it (`by`), its date (ISO) and what it is `on`."""
    return [
        {"by": s["by"], "date": str(s["date"]), "on": s.get("on", s.get(True)) or []}  # YAML 1.1 reads `on` as true
        for front, _ in _published()
        for s in front.get("statements") or []
    ]


ENTRIES = _entries()
EVENTS = _events()
STATEMENT_LIST = _statements()


def titles(predicate) -> set[str]:
    return {e["title"] for e in ENTRIES if predicate(e)}


def newest_first(predicate) -> list[str]:
    return [e["title"] for e in sorted((e for e in ENTRIES if predicate(e)), key=lambda e: e["date"], reverse=True)]


def mentions_rare_earth(e) -> bool:
    return bool(re.search(r"\brare\b", e["text"], re.I) and re.search(r"\bearths?\b", e["text"], re.I))
