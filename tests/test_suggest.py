"""`briefing suggest`: names and dated events proposed from a realistic report, and `--write`.

The sample (tests/fixtures/suggest/) is an MEA briefing on China's rare-earth export
controls, written in our own words: a spokesperson, an ambassador, a foreign secretary, a
vice minister, and dates in every form editors meet.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from markdown_it.utils import read_fixture_file
from tools.cli import briefing
from tools.sites import ROOT

from briefing.authoring.known_names import load_registry
from briefing.authoring.merge import MergeError, merge_front_matter
from briefing.authoring.prose import passages
from briefing.authoring.prose_dates import find_dates, tense_of
from briefing.authoring.prose_names import NameFinder
from briefing.domain.frontmatter import parse_entry

FIXTURE = Path(__file__).parent / "fixtures" / "suggest" / "mea-rare-earth-briefing.md"
PARAGRAPHS = Path(__file__).parent / "fixtures" / "suggest" / "wire-paragraphs.md"
ENTRY = "content/briefings/2025/mea-rare-earth-briefing.md"
WHAT = {  # each date's clause, as the event's first draft
    "thursday": "India is in touch with China in both New Delhi and Beijing to make supplies of rare-earth magnets "
    "predictable again, Ministry of External Affairs spokesperson Randhir Jaiswal told reporters at the "
    "weekly briefing on Thursday",
    "april": "China's commerce ministry placed seven medium and heavy rare-earth elements, and the magnets made "
    "from them, under export licensing on April 4",
    "june": "Industry bodies warned in June that their stocks of magnets could run out",
    "january": "He noted that Foreign Secretary Vikram Misri had raised trade concerns with Vice Minister Sun "
    "Weidong when the two met in Beijing in January",
    "geneva": "The United States and China agreed in Geneva on May 12 to scale back the tariffs they had imposed "
    "on each other in April",
    "approvals": "China's commerce ministry said on June 7 that it had approved a number of compliant applications "
    "and would speed up its reviews",
    "december": "In December 2024 China banned exports of gallium, germanium and antimony to the United States",
}
# The bundled content already has this event (same date, nearly the same words): its words are
# proposed, so the new entry reports the same event instead of a near-duplicate of it.
BUNDLED_APRIL = (
    "China's commerce ministry places seven medium and heavy rare-earth elements "
    "and related magnets under export licensing."
)
EVENTS = [
    {"date": dt.date(2025, 6, 12), "what": WHAT["thursday"]},
    {"date": dt.date(2025, 4, 4), "what": BUNDLED_APRIL},
    {"date": "2025-06", "what": WHAT["june"]},
    {"date": "2025-01", "what": WHAT["january"]},
    {"date": dt.date(2025, 5, 12), "what": WHAT["geneva"]},
    {"date": "2025-04", "what": WHAT["geneva"]},
    {"date": dt.date(2025, 6, 7), "what": WHAT["approvals"]},
    {"date": "2024-12", "what": WHAT["december"]},
]
COUNTRIES = ["China", "India", "United States"]  # India: by name and as "Indian"
OFFICIALS = ["Randhir Jaiswal", "Xu Feihong", "Sun Weidong", "Vikram Misri"]  # each introduced with a title


def _site(root: Path) -> Path:
    """The bundled content (its registry) with the sample entry added."""
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(FIXTURE, root / ENTRY)
    return root


@pytest.fixture(scope="module")
def suggest_folder(tmp_path_factory):
    return _site(tmp_path_factory.mktemp("suggest"))


@pytest.fixture(scope="module")
def suggested(suggest_folder):
    result = briefing("suggest", ENTRY, cwd=suggest_folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_suggest_finds_exactly_the_registry_names_the_report_mentions(suggested):
    found = yaml.safe_load(suggested)
    assert found["countries"] == COUNTRIES
    assert found["officials"] == OFFICIALS
    assert found["issues"] == ["Supply chains", "Rare earth export controls"]


def test_suggest_says_how_often_and_where_each_name_is_mentioned(suggested):
    lines = suggested.splitlines()
    assert lines[0] == f"# Suggested front matter for {ENTRY} (dates resolved against 2025-06-12)."
    assert "  - China  # 6 mentions, lines 18, 22, 27, 32, 34, 45" in lines  # line 27: "Chinese Ambassador"
    assert "  - United States  # 2 mentions, lines 32, 46" in lines  # the second is a link's text, not its URL
    assert "  - India  # 4 mentions, lines 18, 23, 28, 36; already listed" in lines  # and "Indian"
    assert "  - Randhir Jaiswal  # 3 mentions, lines 20, 27, 39" in lines  # by name, then the alias "Jaiswal"
    assert "  - Rare earth export controls  # 1 mention, line 38" in lines  # "rare-earth export controls"
    assert "  - Supply chains  # 1 mention, line 35" in lines  # "supply\nchains", across a line break


def test_suggest_resolves_dates_against_the_entry_and_quotes_their_clause(suggested):
    assert yaml.safe_load(suggested)["events"] == EVENTS
    lines = suggested.splitlines()
    assert '  - date: 2025-06-12  # "on Thursday", line 20' in lines
    assert '  - date: 2025-04-04  # "April 4", lines 23, 44' in lines  # and as 2025-04-04 in the notes
    assert '  - date: 2025-06  # "in June", line 24' in lines
    assert '  - date: 2024-12  # "December 2024", line 45' in lines


def test_suggest_reads_a_pasted_report_on_stdin(suggest_folder):
    body = FIXTURE.read_text(encoding="utf-8").split("---\n", 2)[2]
    result = briefing("suggest", "--date", "2025-06-12", cwd=suggest_folder, stdin=body)
    assert result.returncode == 0, result.stderr
    found = yaml.safe_load(result.stdout)
    assert found["countries"] == COUNTRIES
    assert found["events"] == EVENTS
    assert result.stdout.splitlines()[0] == "# Suggested front matter for <stdin> (dates resolved against 2025-06-12)."
    assert "  - Randhir Jaiswal  # 3 mentions, lines 6, 13, 25" in result.stdout.splitlines()  # lines of the paste


def test_write_adds_what_is_missing_keeps_every_byte_and_passes_the_check(tmp_path):
    suggest_folder = _site(tmp_path)
    original = (suggest_folder / ENTRY).read_text(encoding="utf-8")
    result = briefing("suggest", "--write", ENTRY, cwd=suggest_folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"Added to {ENTRY}: countries China, United States; officials Randhir Jaiswal, "
        "Xu Feihong, Sun Weidong, Vikram Misri; issues Supply chains, Rare earth export "
        "controls; events 2025-06-12, 2025-04-04, 2025-06, 2025-01, 2025-05-12, 2025-04, "
        "2025-06-07, 2024-12\n"
    )
    written = (suggest_folder / ENTRY).read_text(encoding="utf-8")
    events = "".join(f"  - date: {e['date']}\n    what: {e['what']}\n" for e in EVENTS)
    expected = (
        original.replace("countries: [India]\n", "countries: [India, China, United States]\n")
        .replace("officials: []\n", "officials: [Randhir Jaiswal, Xu Feihong, Sun Weidong, Vikram Misri]\n")
        .replace("issues: []\n", "issues: [Supply chains, Rare earth export controls]\n")
        .replace(
            "events:     # dated facts the entry reports, one item each:\n",
            "events:     # dated facts the entry reports, one item each:\n" + events,
        )
    )
    assert written == expected
    check = briefing("check", "--strict", cwd=suggest_folder)
    assert (check.returncode, check.stdout) == (0, "")
    assert check.stderr.endswith(" profiles: no problems\n")
    again = briefing("suggest", "--write", ENTRY, cwd=suggest_folder)
    assert again.returncode == 0
    assert again.stderr == f"Nothing to add: {ENTRY} already lists everything suggested.\n"
    assert (suggest_folder / ENTRY).read_text(encoding="utf-8") == written


def test_write_keeps_crlf_line_ends_and_the_bom(tmp_path):
    suggest_folder = _site(tmp_path)
    raw = b"\xef\xbb\xbf" + FIXTURE.read_bytes().replace(b"\n", b"\r\n")
    (suggest_folder / ENTRY).write_bytes(raw)
    assert briefing("suggest", "--write", ENTRY, cwd=suggest_folder).returncode == 0
    written = (suggest_folder / ENTRY).read_bytes()
    assert written.startswith(raw.split(b"countries:")[0])
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert written.endswith(raw.split(b"---\r\n", 2)[2])
    assert briefing("check", "--strict", cwd=suggest_folder).returncode == 0


def test_write_refuses_stdin_and_a_file_without_front_matter(suggest_folder, tmp_path):
    result = briefing("suggest", "--write", cwd=suggest_folder, stdin="India and China talk.")
    assert (result.returncode, result.stderr) == (
        1,
        "briefing suggest: error: --write needs a file: briefing suggest --write content/briefings/<YYYY>/<file>.md\n",
    )
    report = tmp_path / "report.txt"
    report.write_text("India and China talk.\n", encoding="utf-8")
    result = briefing("suggest", "--write", str(report), "--content", str(suggest_folder / "content"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.endswith("has no front matter to add to: start the entry with 'briefing new'\n")
    assert report.read_text(encoding="utf-8") == "India and China talk.\n"


def test_suggest_stops_at_front_matter_the_check_refuses(tmp_path):
    suggest_folder = _site(tmp_path)
    (suggest_folder / ENTRY).write_text(
        FIXTURE.read_text(encoding="utf-8").replace("countries:", "countires:"), encoding="utf-8"
    )
    result = briefing("suggest", "--write", ENTRY, cwd=suggest_folder)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{ENTRY}:5:1: error: unknown key 'countires' (did you mean 'countries'?)",
        "briefing suggest: error: fix the front matter first (the lines above say where)",
    ]


def test_suggest_without_write_still_proposes_for_a_front_matter_being_fixed(tmp_path):
    suggest_folder = _site(tmp_path)
    (suggest_folder / ENTRY).write_text(
        FIXTURE.read_text(encoding="utf-8").replace("countries:", "countires:"), encoding="utf-8"
    )
    result = briefing("suggest", ENTRY, cwd=suggest_folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert yaml.safe_load(result.stdout)["countries"] == COUNTRIES


# --- the pieces, on small texts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On April 4, 2025 talks opened.", [("2025-04-04", "April 4, 2025")]),
        ("talks on 4 April and on June 5", [("2025-04-04", "4 April"), ("2025-06-05", "June 5")]),
        ("the 4th of April 2024", [("2024-04-04", "4th of April 2024")]),
        ("in January and in December", [("2025-01", "in January"), ("2024-12", "in December")]),
        ("mid-March, then from June 5 to 7", [("2025-03", "mid-March"), ("2025-06-05", "June 5")]),
        (
            "in December 2024, in 2023, 2025-04-04",
            [("2024-12", "December 2024"), ("2023", "in 2023"), ("2025-04-04", "2025-04-04")],
        ),
        ("said on Thursday; met on Monday", [("2025-06-12", "on Thursday"), ("2025-06-09", "on Monday")]),
        ("February 30, the 2024-25 budget, India may act, 45 working days, at 10:30", []),
        ("Sept. 3 and September 2, 2024", [("2024-09-03", "Sept. 3"), ("2024-09-02", "September 2, 2024")]),
        # abbreviated months, with or without a point (issue 18, item 3)
        (
            "Aug. 27, Oct 26, Jan. 5, Sep. 3 and Dec 2 were named.",
            [
                ("2024-08-27", "Aug. 27"),
                ("2024-10-26", "Oct 26"),
                ("2025-01-05", "Jan. 5"),
                ("2024-09-03", "Sep. 3"),
                ("2024-12-02", "Dec 2"),
            ],
        ),
        ("Jan Lipavský met him in Mar. and in May.", [("2025-05", "in May")]),  # a name, not a month
        # the tense of the clause says which way a date without a year goes
        (
            "Modi will travel to Tianjin on August 31 and September 1.",
            [("2025-08-31", "August 31"), ("2025-09-01", "September 1")],
        ),
        ("ahead of Modi's trip to Tianjin on August 31", [("2025-08-31", "August 31")]),
        ("The ministers were due to hold talks on Tuesday.", [("2025-06-17", "on Tuesday")]),
        ("Putin would travel to India in December.", [("2025-12", "in December")]),
        ("Putin is expected to travel to India in December.", [("2025-12", "in December")]),
        ("The two sides met on Tuesday.", [("2025-06-10", "on Tuesday")]),
        (
            "The summit will open next Thursday and closed last Thursday.",
            [("2025-06-19", "next Thursday"), ("2025-06-05", "last Thursday")],
        ),
        ("They agreed last October on patrols.", [("2024-10", "last October")]),
        ("The order, which he had threatened to impose from June 20, stands.", [("2025-06-20", "June 20")]),
        ("A visit planned for June 10 was called off.", [("2025-06-10", "June 10")]),
        ("on June 13", [("2025-06-13", "June 13")]),  # no sign of tense: tomorrow, far nearer than a year ago
        ("in October", [("2024-10", "in October")]),  # ... but not four months ahead against eight back
    ],
)
def test_dates_in_prose_resolved_against_the_entry(text, expected):
    found = [(d.date.iso(), d.written) for d in find_dates(text, dt.date(2025, 6, 12), tense_of(text))]
    assert found == expected


@pytest.mark.parametrize(
    "text, clause",
    [
        ("TIANJIN, Sept 1 (Reuters) -- Modi and Putin met on Monday.", "Modi and Putin met on Monday"),
        ("NEW DELHI, Aug 27 — Tariffs rose on Wednesday, officials said.", "Tariffs rose on Wednesday, officials said"),
        (
            "Carmakers waited weeks, and industry bodies warned in June that stocks could run out.",
            "Industry bodies warned in June that stocks could run out",
        ),
        ("Talks went well; a deal was signed on June 3.", "A deal was signed on June 3"),
        (
            "Timor-Leste applied in 2011, and was granted observer status in 2022.",  # a shared subject: one clause
            "Timor-Leste applied in 2011, and was granted observer status in 2022",
        ),
        (
            "China put rare earths, and the magnets made from them, under licensing on April 4.",  # an aside
            "China put rare earths, and the magnets made from them, under licensing on April 4",
        ),
        ("He said, adding that trade began in 1954, more.", "He said, adding that trade began in 1954, more"),
        ("Officials said trade resumed, adding that the pass opened in 1954", "The pass opened in 1954"),
    ],
)
def test_an_events_what_is_the_clause_of_its_date_without_the_dateline(text, clause):
    from briefing.authoring.suggest import Context, suggest

    registry, _ = load_registry(ROOT / "content")
    found = suggest(text, 1, Context(registry, dt.date(2025, 9, 1)))
    assert [e.what for e in found.events][:1] == [clause]
    assert all(e.date.iso() != "2025-09-01" or "Monday" in text for e in found.events)  # a dateline is no event


@pytest.fixture(scope="module")
def finder():
    registry, _ = load_registry(ROOT / "content")
    return NameFinder(registry), registry


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Patrols in the South China Sea", ["South China Sea"]),  # the longest name wins: not China
        ("Indian firms and Chinese buyers", []),  # adjectives are not names
        ("Trade between the US and the U.K. and the USA", ["United States", "United Kingdom", "United States"]),
        ("Exports from IN and CHN", []),  # bare ISO codes are not names in prose
        ("RARE-EARTH export controls and the sco", ["Rare earth export controls"]),  # acronyms match as written
        # a name two entities share names both: the organisation and the issue
        ("Talks at the SCO on supply chains", ["Shanghai Cooperation Organisation", "SCO diplomacy", "Supply chains"]),
        ("The AU and Australia; the EU and the UN", ["African Union", "Australia", "European Union", "United Nations"]),
        ("The People\u2019s Republic of China and the PRC", ["China", "China"]),
        ("Doval met Wang Yi; Mr. Jaiswal briefed", ["Ajit Doval", "Wang Yi", "Randhir Jaiswal"]),
    ],
)
def test_names_in_prose(finder, text, expected):
    names, registry = finder
    found = [registry.entities[m.key].name for m in names.mentions(passages(text))]
    assert found == expected


def test_link_targets_and_code_are_not_searched(finder):
    names, _ = finder
    text = "See [the report](https://example.org/india-china) and `China` in code.\n\n    China in a code block\n"
    assert names.mentions(passages(text)) == []


CASES = [
    (
        "block list",
        "countries:\n  - India\n  - China   # note\ntitle: T\n",
        {"countries": ["Japan"]},
        "countries:\n  - India\n  - China   # note\n  - Japan\ntitle: T\n",
    ),
    (
        "indentless block list",
        "officials:\n- Wang Yi\ndate: 2025-01-01\n",
        {"officials": ["Xi Jinping"]},
        "officials:\n- Wang Yi\n- Xi Jinping\ndate: 2025-01-01\n",
    ),
    (
        "empty value",
        "countries:   # fill in\n",
        {"countries": ["India", "Bonaire, Sint Eustatius and Saba"]},
        'countries: [India, "Bonaire, Sint Eustatius and Saba"]   # fill in\n',
    ),
    ("one name", "issues: 'Supply chains'\n", {"issues": ["G20"]}, "issues: ['Supply chains', G20]\n"),
    ("empty flow list", "issues: []\n", {"issues": ["G20"]}, "issues: [G20]\n"),
    (
        "flow list over lines",
        "countries: [India,\n  China]\n",
        {"countries": ["Japan"]},
        "countries: [India,\n  China, Japan]\n",
    ),
    (
        "events after a folded what",
        "events:\n  - date: 2025\n    what: >\n      Long\n      text\n\n# end\n",
        {"events": [{"date": "2025-04-04", "what": "Yes: this"}]},
        "events:\n  - date: 2025\n    what: >\n      Long\n      text\n"
        '  - date: 2025-04-04\n    what: "Yes: this"\n\n# end\n',
    ),
    (
        "empty events with a comment",
        "events:   # one item each\n#  - date: x\nstatus: draft\n",
        {"events": [{"date": "2025-04", "what": "Talks"}]},
        "events:   # one item each\n  - date: 2025-04\n    what: Talks\n#  - date: x\nstatus: draft\n",
    ),
    (
        "flow events",
        "events: [{date: 2024, what: A}]\n",
        {"events": [{"date": "2025", "what": "B, C"}]},
        'events: [{date: 2024, what: A}, {date: 2025, what: "B, C"}]\n',
    ),
    (
        "missing keys",
        "title: T",
        {"issues": ["No"], "events": [{"date": "2025", "what": "true"}]},
        'title: T\nissues: ["No"]\nevents:\n  - date: 2025\n    what: "true"\n',
    ),
]


@pytest.mark.parametrize("front, additions, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_merge_edits_the_text_in_the_lists_own_style(front, additions, expected):
    merged = merge_front_matter(
        f"---\n{front}---\nBody.\n" if front.endswith("\n") else f"---\n{front}\n---\nBody.\n", additions
    )
    want = f"---\n{expected}---\nBody.\n"
    assert merged == want
    assert yaml.safe_load(merged.split("---\n")[1]) is not None


def test_merge_result_of_a_real_entry_parses_with_every_value_read_back():
    text = FIXTURE.read_text(encoding="utf-8")
    what = 'He said: "no date" #1, [sic] {yes}'
    merged = merge_front_matter(
        text, {"events": [{"date": "2025-06-12", "what": what}], "countries": ["Côte d'Ivoire"]}
    )
    draft, problems = parse_entry("x.md", merged.encode("utf-8"))
    assert problems == []
    assert [e.what for e in draft.events] == [what]
    assert [c.name for c in draft.countries] == ["India", "Côte d'Ivoire"]


def test_merge_refuses_a_single_mapping_and_text_without_front_matter():
    with pytest.raises(MergeError, match="'events' is a single mapping"):
        merge_front_matter("---\nevents: {date: 2024, what: A}\n---\n", {"events": [{"date": "2025", "what": "B"}]})
    with pytest.raises(MergeError, match="no front matter"):
        merge_front_matter("India and China.\n", {"countries": ["India"]})


def test_the_sample_is_a_briefing_new_file_with_its_source_filled_in_and_the_report_pasted(tmp_path):
    """The sample is what an editor has after steps 2 and 3 of docs/EDITING.md."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("briefings", "digests"))
    result = briefing(
        "new",
        "India says it is working with China to ease rare-earth magnet shortages",
        "--date",
        "2025-06-12",
        "--country",
        "India",
        "--slug",
        "mea-rare-earth-briefing",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    started = (
        (tmp_path / ENTRY)
        .read_text(encoding="utf-8")
        .replace(
            'source:     # {name: Ministry of External Affairs, url: "https://www.mea.gov.in/"}',
            'source: {name: Ministry of External Affairs, url: "https://www.mea.gov.in/media-briefings.htm"}',
        )
    )
    sample = FIXTURE.read_text(encoding="utf-8")
    assert sample.startswith(started)
    assert sample[len(started) :].startswith("\nIndia is in touch with China")


# --- wire copy, paragraph by paragraph: tests/fixtures/suggest/wire-paragraphs.md ------------------
# Each case is a paragraph of wire copy on a real 2025 event, written for these tests, under the
# day it was filed, and the exact report `briefing suggest` gives for it against the bundled content.


@pytest.fixture(scope="module")
def bundled():
    return load_registry(ROOT / "content")


@pytest.mark.parametrize(
    "text, expected",
    [pytest.param(text, expected, id=title) for _, title, text, expected in read_fixture_file(PARAGRAPHS)],
)
def test_suggest_reads_wire_copy(bundled, text, expected):
    from briefing.authoring.suggest import Context, suggest
    from briefing.authoring.suggest_yaml import suggestion_yaml

    registry, drafts = bundled
    date, paragraph = text.split("\n", 1)
    found = suggest(paragraph, 2, Context(registry, dt.date.fromisoformat(date), drafts=tuple(drafts)))
    assert "".join(suggestion_yaml(found, "<stdin>").splitlines(True)[2:]) == expected


def test_there_are_at_least_ten_paragraphs_of_wire_copy():
    assert len(read_fixture_file(PARAGRAPHS)) >= 10


def test_suggest_proposes_the_words_of_a_known_event_it_looks_like():
    from briefing.authoring.suggest import Context, suggest
    from briefing.domain.dates import PartialDate
    from briefing.domain.model import EntryDraft, EventDraft
    from briefing.domain.registry import build_registry

    registry, _ = build_registry([], [])
    body = (
        "China's commerce ministry placed seven medium and heavy rare-earth elements, and the magnets made "
        "from them, under export licensing on April 4."
    )
    day = PartialDate(2025, 4, 4)
    alone = suggest(body, 1, Context(registry, dt.date(2025, 6, 12)))
    assert [e.what for e in alone.events] == [WHAT["april"]]
    other = EntryDraft(
        "content/briefings/other.md", "Other", dt.datetime(2025, 4, 5, tzinfo=dt.UTC), False, None, (), (), (),
        (EventDraft(day, "China bans gallium.", None, None, 6, 5), EventDraft(day, BUNDLED_APRIL, None, None, 8, 5)),
        (), None, "published", "", 10,
    )  # fmt: skip
    known = suggest(body, 1, Context(registry, dt.date(2025, 6, 12), drafts=(other,)))
    assert [e.what for e in known.events] == [BUNDLED_APRIL]
