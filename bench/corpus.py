"""A synthetic corpus of briefing entries, for the benchmark and the tests that need many entries.

    python bench/corpus.py N OUT --flavor briefing|pelican [--seed 7]

It has the shape of the reference corpus `make bench` compares against (../shared/bench/,
used there when present): entries of 400 to 800 words with a heading, a list, a link and
sometimes a quotation; dates spread over 2015-2025; 1-4 countries, 0-6 officials and 1-3
issues each, drawn so that a few are named often and most rarely (weights 1/rank); about
half the entries report dated events. `briefing` writes our front matter under
OUT/content/briefings/ and a profile for every official named under OUT/content/officials/;
`pelican` writes the same entries in Pelican's own metadata (every name a tag) under
OUT/content/, for vanilla Pelican. The same N and seed give the same bytes; the whole
corpus passes `briefing check` with no error and no warning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from briefing.domain.countries import iso_countries

FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
HEADLINE = ["US", "CN", "RU", "UA", "IN", "GB", "FR", "DE", "JP", "IR", "IL", "TR", "KR", "SA", "BR", "PK"]
SYLLABLES = "an bel cor da el fen gar hol ir jun kal lor mes nor os par quin ras sul tor ul ven wil yar zen".split()
ROLES = ["Foreign Minister", "Deputy Foreign Minister", "Trade Minister", "Ambassador", "Spokesperson", "Envoy"]
TOPICS = "Maritime Nuclear Grain Energy Border Water Cyber Arms Refugee Tariff Climate Satellite Fisheries".split()
ASPECTS = [
    "security",
    "talks",
    "sanctions",
    "export controls",
    "corridor",
    "treaty",
    "cooperation",
    "dispute",
    "financing",
    "monitoring",
    "standards",
    "supply chains",
    "inspections",
    "quotas",
    "access",
    "verification",
    "reconstruction",
    "transit",
    "licensing",
    "investment",
    "safety",
    "exports",
    "imports",
]
VERBS = ["weighs", "backs", "rejects", "tightens", "eases", "revisits", "expands", "pauses", "warns on"]
WORDS = (
    "the ministry said officials would meet again next month while negotiators reviewed a draft text on "
    "delegations from both sides described the exchange as frank and constructive but noted differences over "
    "timelines funding and oversight remained unresolved according to people familiar with the discussions "
    "analysts expect a joint statement before the summit although domestic pressure could delay any agreement "
    "parliament is due to debate the measure after a committee hearing on its costs and regional partners "
    "have asked for guarantees that earlier commitments will be honoured in full"
).split()


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block_list(names: list[str]) -> str:
    return "".join(f"\n  - {quoted(name)}" for name in names) if names else " []"


class Skewed:
    """Draws from a ranked pool with weight 1/rank**s: a few items often, most rarely."""

    def __init__(self, items: list, s: float):
        self.items = items
        self.weights = list(itertools.accumulate(1 / rank**s for rank in range(1, len(items) + 1)))

    def draw(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.weights)[0]

    def distinct(self, rng: random.Random, k: int) -> list:
        picked: list = []
        while len(picked) < k:
            item = self.draw(rng)
            if item not in picked:
                picked.append(item)
        return picked


@dataclass(frozen=True)
class Official:
    name: str
    country: str
    role: str


@dataclass
class Pools:
    countries: Skewed
    officials: Skewed
    issues: Skewed
    by_country: dict[str, list[Official]]


def make_pools(rng: random.Random, n: int) -> Pools:
    countries = {c.alpha2: c.name for c in iso_countries()}
    rest = sorted(code for code in countries if code not in HEADLINE)
    rng.shuffle(rest)
    ranked = [countries[code] for code in HEADLINE + rest]
    country_pool = Skewed(ranked, 1.1)
    names: set[str] = set()
    officials = []
    while len(officials) < min(2000, max(20, n // 5)):
        given = "".join(rng.sample(SYLLABLES, 2)).capitalize()
        family = "".join(rng.sample(SYLLABLES, 3)).capitalize()
        if f"{given} {family}" not in names:
            names.add(f"{given} {family}")
            officials.append(Official(f"{given} {family}", country_pool.draw(rng), rng.choice(ROLES)))
    issues = [f"{topic} {aspect}" for topic in TOPICS for aspect in ASPECTS][:300]
    rng.shuffle(issues)
    by_country: dict[str, list[Official]] = {}
    for official in officials:
        by_country.setdefault(official.country, []).append(official)
    return Pools(country_pool, Skewed(officials, 1.0), Skewed(issues, 0.9), by_country)


def sentence(rng: random.Random, names: list[str]) -> str:
    words = rng.sample(WORDS, rng.randint(9, 18))
    words.insert(rng.randrange(len(words)), rng.choice(names))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, names: list[str], link: str) -> str:
    """400-800 words: paragraphs, one heading, one list, one link, a quotation in about 30%."""
    paragraphs, words, target = [], 0, rng.randint(400, 800)
    while words < target or len(paragraphs) < 3:
        paragraph = " ".join(sentence(rng, names) for _ in range(rng.randint(3, 7)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs[0] = paragraphs[0].replace(".", f" ([report]({link})).", 1)
    paragraphs.insert(rng.randrange(1, len(paragraphs)), "## " + rng.choice(["Background", "Outlook", "Reactions"]))
    paragraphs.insert(rng.randrange(2, len(paragraphs)), "\n".join("- " + sentence(rng, names) for _ in range(4)))
    if rng.random() < 0.3:
        paragraphs.insert(rng.randrange(2, len(paragraphs)), "> " + sentence(rng, names))
    return "\n\n".join(paragraphs) + "\n"


@dataclass
class Entry:
    number: int
    title: str
    date: dt.date
    countries: list[str]
    officials: list[Official]
    issues: list[str]
    summary: str
    body: str
    events: list[tuple[str, str]]

    @property
    def source(self) -> str:
        return f"https://news.example.com/{self.date.year}/{ascii_slug(self.title)}-{self.number:05d}"


def make_entry(number: int, rng: random.Random, pools: Pools, titles: set[str]) -> Entry:
    countries = pools.countries.distinct(rng, rng.choices([1, 2, 3, 4], weights=[40, 35, 17, 8])[0])
    local = [o for c in countries for o in pools.by_country.get(c, [])]
    officials: list[Official] = []
    for _ in range(rng.choices(range(7), weights=[12, 22, 22, 17, 12, 9, 6])[0]):
        official = rng.choice(local) if local and rng.random() < 0.7 else pools.officials.draw(rng)
        if official not in officials:
            officials.append(official)
    issues = pools.issues.distinct(rng, rng.choices([1, 2, 3], weights=[45, 38, 17])[0])
    date = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    title = f"{countries[0]} {rng.choice(VERBS)} {issues[0].lower()}"
    title = next(t for t in itertools.chain([title], (f"{title} ({k})" for k in itertools.count(2))) if t not in titles)
    titles.add(title)
    names = countries + [o.name for o in officials]
    events = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        day = date - dt.timedelta(days=rng.randint(0, 60))
        events.append((f"{day:%Y-%m-%d}" if rng.random() < 0.8 else f"{day:%Y-%m}", sentence(rng, names)))
    link = f"https://example.org/{ascii_slug(countries[0])}/{number:05d}"
    summary = sentence(rng, names)
    return Entry(number, title, date, countries, officials, issues, summary, body(rng, names, link), events)


def briefing_text(entry: Entry) -> str:
    events = "".join(f"\n  - date: {day}\n    what: {quoted(what)}" for day, what in entry.events)
    return (
        f"---\ntitle: {quoted(entry.title)}\ndate: {entry.date:%Y-%m-%d}\nsummary: {quoted(entry.summary)}\n"
        f"countries:{block_list(entry.countries)}\nofficials:{block_list([o.name for o in entry.officials])}\n"
        f"issues:{block_list(entry.issues)}\n"
        + (f"events:{events}\n" if events else "")
        + f"source: {{name: {quoted('news.example.com')}, url: {quoted(entry.source)}}}\n---\n\n{entry.body}"
    )


def pelican_text(entry: Entry) -> str:
    tags = ", ".join(entry.countries + [o.name for o in entry.officials] + entry.issues)
    return (
        f"Title: {entry.title}\nDate: {entry.date:%Y-%m-%d} 09:00\nCategory: briefings\nTags: {tags}\n"
        f"Summary: {entry.summary}\nSource: {entry.source}\n\n{entry.body}"
    )


def official_profile(official: Official) -> str:
    return (
        f"---\nname: {quoted(official.name)}\ncountry: {quoted(official.country)}\n"
        f"roles:\n  - {{title: {quoted(official.role)}, from: 2014-01}}\n---\n"
        f"{official.role} of {official.country}.\n"
    )


def write_corpus(n: int, out: Path, flavor: str, seed: int = 7) -> Path:
    """Write the corpus and return the folder that holds the entries."""
    rng = random.Random(seed)
    pools, titles = make_pools(rng, n), set()
    entries = [make_entry(number, rng, pools, titles) for number in range(n)]
    folder = out / "content" / ("briefings" if flavor == "briefing" else "")
    folder.mkdir(parents=True, exist_ok=True)
    render = briefing_text if flavor == "briefing" else pelican_text
    for entry in entries:
        (folder / f"{entry.number:05d}-{ascii_slug(entry.title)}.md").write_text(render(entry), encoding="utf-8")
    if flavor == "briefing":
        profiles = out / "content" / "officials"
        profiles.mkdir(parents=True, exist_ok=True)
        for official in {o for entry in entries for o in entry.officials}:
            (profiles / f"{ascii_slug(official.name)}.md").write_text(official_profile(official), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--flavor", choices=["briefing", "pelican"], required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    folder = write_corpus(args.n, args.out, args.flavor, args.seed)
    print(f"wrote {args.n} {args.flavor} entries to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
