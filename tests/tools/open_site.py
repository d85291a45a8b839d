"""One small site for issue 20's tests (open data, calendars, relation maps, email digests).

Its build date is 20 June 2025 (the newest published entry). Three events are upcoming: one
known to the month (September 2025), one to the day (10 November 2026), one to the year (2026).
A draft names Japan, an upcoming event and a statement: none may appear in the published data.
China and India are named together in 3 entries (their relation is easing since 21 October
2024); India and the United States in 2 (no relation profile)."""

from __future__ import annotations

from tools.sites import entry

MEA = '{name: Ministry of External Affairs, url: "https://www.mea.gov.in/a.htm"}'
MOFCOM = '{name: MOFCOM, url: "https://english.mofcom.gov.cn/b.html"}'

FILES = {
    "content/issues/rare-earths.md": (
        "---\nname: Rare earth export controls\nstatus:\n  - {date: 2025-04-04, state: escalating, note: Licensing.}\n"
        "---\nControls on rare earths.\n"
    ),
    "content/relations/china--india.md": (
        "---\ncountries: [China, India]\nstatus:\n  - {date: 2020-06, state: escalating}\n"
        "  - {date: 2024-10-21, state: easing, note: Patrols resume.}\n---\nNeighbours.\n"
    ),
    "content/digests/2025-w25.md": (
        "---\ntitle: Magnets and tariffs\nhighlights: [India asks China about magnets.]\n---\n"
        "A week of [trade talk](/issues/trade/) and a picture ![map](/theme/map.png).\n"
    ),
    "content/briefings/a.md": entry(
        "Patrols agreed",
        "2024-10-22",
        countries="[India, China]",
        issues="[Border dispute]",
        events=f"\n  - {{date: 2024-10-21, what: India and China agree on patrolling, source: {MEA}}}",
    ),
    "content/briefings/b.md": entry(
        "Magnet talks",
        "2025-06-12",
        countries="[India, China]",
        officials="\n  - {name: Randhir Jaiswal, country: India, role: Spokesperson}",
        issues="[Rare earth export controls]",
        events=(
            "\n  - {date: 2025-04-04, what: China puts rare earths under licensing, countries: [China]}"
            "\n  - {date: 2026-11-10, what: 'China\u2019s suspension of its controls ends; talks, maybe', "
            f"countries: [China], scheduled: true, source: {MOFCOM}}}"
        ),
        statements=(
            '\n  - {by: Randhir Jaiswal, said: "We are in touch with the Chinese side.", '
            'source: {name: MEA, url: "https://www.mea.gov.in/b.htm"}}'
        ),
        source=MEA,
    ),
    "content/briefings/c.md": entry(
        "Trade with the US",
        "2025-06-20",
        countries="[India, United States]",
        issues="[Trade]",
        events=(
            "\n  - {date: 2025-09, what: India and the United States meet on trade, scheduled: true}"
            "\n  - {date: 2026, what: India hosts the BRICS summit, countries: [India], scheduled: true}"
            "\n  - {date: 2025-06, what: Trade talks go on through June}"
        ),
    ),
    "content/briefings/d.md": entry("Tariff talks", "2025-05-02", countries="[India, United States]", issues="[Trade]"),
    "content/briefings/e.md": entry(
        "Border talks", "2025-03-01", countries="[India, China]", issues="[Border dispute]"
    ),
    "content/briefings/draft.md": entry(
        "Secret plans",
        "2025-06-21",
        status="draft",
        countries="[India, Japan]",
        events="\n  - {date: 2026-01-01, what: A secret summit, scheduled: true}",
        statements='\n  - {by: Randhir Jaiswal, said: "Draft words."}',
    ),
}
UPCOMING = [
    "India and the United States meet on trade",
    "China\u2019s suspension of its controls ends; talks, maybe",
    "India hosts the BRICS summit",
]
