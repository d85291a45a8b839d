"""`briefing suggest` names (issue 18, item 4): people introduced with a title, adjectives of
nationality, countries inside longer proper names, issues of the entries most like this one,
and `# suggest: no` rejections with `--write`'s memory of what it added."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from tools.cli import briefing
from tools.sites import ROOT, entry, write_files

from briefing.authoring.known_names import load_registry
from briefing.authoring.merge import merge_front_matter, rejections
from briefing.authoring.prose import passages
from briefing.authoring.prose_names import NameFinder, demonym_mentions, inside_longer_name
from briefing.authoring.prose_people import titled_people
from briefing.authoring.suggest import Context, suggest
from briefing.domain.model import COUNTRY


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "content")[0]


@pytest.mark.parametrize(
    "text, name, role, country",
    [
        ("US President Donald Trump said", "Donald Trump", "President", "United States"),
        ("U.S. Secretary of State Marco Rubio said", "Marco Rubio", "Secretary of State", "United States"),
        ("Russian President Vladimir Putin arrived", "Vladimir Putin", "President", "Russia"),
        ("EU Trade Commissioner Maroš Šefčovič said", "Maroš Šefčovič", "Trade Commissioner", "European Union"),
        (
            "Thai acting Prime Minister Phumtham Wechayachai met",
            "Phumtham Wechayachai",
            "Acting Prime Minister",
            "Thailand",
        ),
        (
            "India's Commerce and Industry Minister Piyush Goyal said",
            "Piyush Goyal",
            "Commerce and Industry Minister",
            "India",
        ),
        ("Timor-Leste Prime Minister Xanana Gusmão spoke", "Xanana Gusmão", "Prime Minister", "Timor-Leste"),
        ("Jordan's King Abdullah II told him", "Abdullah II", "King", "Jordan"),
        ("NATO Secretary-General Mark Rutte said", "Mark Rutte", "Secretary-General", "NATO"),
        (
            "Russia's Minister of Foreign Affairs Sergei Lavrov said",
            "Sergei Lavrov",
            "Minister of Foreign Affairs",
            "Russia",
        ),
        (
            "Treasury Secretary Scott Bessent said",
            "Scott Bessent",
            "Treasury Secretary",
            None,
        ),  # no country: shown only
        ("Italian Prime Minister Giorgia Meloni's visit", "Giorgia Meloni", "Prime Minister", "Italy"),
    ],
)
def test_a_title_gives_a_persons_name_role_and_country(registry, text, name, role, country):
    [person] = titled_people(text, registry)
    assert (person.name, person.role, person.country.name if person.country else None) == (name, role, country)


def test_known_officials_are_found_by_their_title_too_and_names_end_where_the_next_title_starts(registry):
    text = "US President Donald Trump and European Commission President Ursula von der Leyen met."
    people = titled_people(text, registry)
    assert [(p.name, p.known.name if p.known else None) for p in people] == [
        ("Donald Trump", None),
        ("Ursula von der Leyen", "Ursula von der Leyen"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russian oil and Chinese buyers", ["Russia", "China"]),
        ("Thai acting Prime Minister", ["Thailand"]),  # a title follows
        ("the Indian Ocean and the Japanese Grand Prix", []),  # longer proper names
        ("the Indian Army and the Chinese Embassy", ["India", "China"]),  # institutions
    ],
)
def test_adjectives_of_nationality_name_their_country(registry, text, expected):
    found = demonym_mentions(passages(text), registry)
    assert [registry.entities[m.key].name for m in found] == expected


@pytest.mark.parametrize(
    "text, country, inside",
    [
        ("The governor of New Jersey said", "Jersey", True),
        ("Officials in New Mexico agreed", "Mexico", True),
        ("Georgia Meloni told reporters", "Georgia", True),  # a person
        ("the Japan Innovation Party", "Japan", True),  # a party
        ("a rally in Atlanta, Georgia, US, on Friday", "Georgia", True),  # a US state
        ("In Georgia, protests went on", "Georgia", False),
        ("Jordan's King Abdullah II", "Jordan", False),
        ("the China Coast Guard", "China", False),
        ("India and China", "India", False),
    ],
)
def test_a_countrys_name_inside_a_longer_proper_name_is_not_the_country(text, country, inside):
    start = text.index(country)
    assert inside_longer_name(text, start, start + len(country)) is inside


def _suggested(registry, text, **context):
    found = suggest(text, 1, Context(registry, dt.date(2025, 9, 1), **context))
    return {key: [f.name for f in names if f.proposed] for key, names in found.names.items()}


def test_suggest_proposes_people_and_the_countries_their_titles_name(registry):
    text = (
        "TIANJIN, Sept 1 (Briefing wire) -- Prime Minister Narendra Modi met Russian President Vladimir "
        "Putin on Monday.\n\nPutin said talks went well. Earlier, French Prime Minister François Bayrou "
        "spoke of New Jersey and Georgia Meloni."
    )
    found = _suggested(registry, text)
    assert found["countries"] == ["Russia", "France"]  # France: the country of a proposed person
    assert found["officials"] == ["Vladimir Putin", "Narendra Modi", "François Bayrou"]


def test_a_country_named_once_in_passing_after_the_first_paragraph_is_shown_not_proposed(registry):
    text = "India and China held talks in Delhi.\n\nIndia said so. Indonesia was not there."
    found = suggest(text, 1, Context(registry, dt.date(2025, 9, 1)))
    countries = {f.name: (f.proposed, f.note) for f in found.names["countries"]}
    assert countries == {
        "India": (True, ""),
        "China": (True, ""),
        "Indonesia": (False, "named once, in passing: not proposed"),
    }


def test_issues_come_from_the_entries_most_like_this_one_when_the_text_touches_their_topic(registry):
    _, drafts = load_registry(ROOT / "content")
    text = "India and China discussed the dispute. Wang Yi and Ajit Doval met in Delhi, Jaishankar said."
    found = suggest(text, 1, Context(registry, dt.date(2025, 9, 1), drafts=tuple(drafts)))
    issues = [(f.name, f.note) for f in found.names["issues"]]
    assert issues and issues[0][0] == "Border dispute"
    assert issues[0][1].startswith("in ") and issues[0][1].endswith(" entries most like this one")
    without = suggest(
        text.replace("dispute", "weather"), 1, Context(registry, dt.date(2025, 9, 1), drafts=tuple(drafts))
    )
    assert "Border dispute" not in [f.name for f in without.names["issues"]]


# --- rejections and --write ----------------------------------------------------------------------

ENTRY = "content/briefings/2025/talks.md"
TEXT = (
    "NEW DELHI, Aug 18 (Briefing wire) -- India and China held talks on Monday, and Russian President "
    "Vladimir Putin spoke to Modi on Sunday. India and China will meet again on Aug. 25.\n"
)


@pytest.fixture
def editor_site(tmp_path):
    shutil.copytree(
        ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("briefings", "relations", "digests")
    )
    return write_files(tmp_path, {ENTRY: entry("Talks", "2025-08-18", body=TEXT, countries="[India]")})


def test_rejections_are_read_from_the_front_matter_comments():
    text = "---\ntitle: A\n# suggest: no Jordan\n#suggest:  no 2025-08-17  \n---\n# suggest: no body\n"
    assert rejections(text) == ["Jordan", "2025-08-17"]
    merged = merge_front_matter("---\ntitle: A\n---\nBody.\n", {}, ["China", "2025-08"])
    assert merged == "---\ntitle: A\n# suggest: no China\n# suggest: no 2025-08\n---\nBody.\n"


def test_write_never_puts_back_what_the_editor_deleted_and_says_so_in_the_file(editor_site):
    first = briefing("suggest", "--write", ENTRY, cwd=editor_site)
    assert first.returncode == 0, first.stderr
    written = (editor_site / ENTRY).read_text(encoding="utf-8")
    front = yaml.safe_load(written.split("---\n")[1])
    assert [e["date"] for e in front["events"]] == [dt.date(2025, 8, 18), dt.date(2025, 8, 17)]
    assert front["countries"] == ["India", "China", "Russia"]
    # The editor cuts the event of 17 August and China, then runs --write again.
    cut = written.replace("countries: [India, China, Russia]", "countries: [India, Russia]")
    cut = cut.replace(f"  - date: 2025-08-17\n    what: {front['events'][1]['what']}\n", "")
    (editor_site / ENTRY).write_text(cut, encoding="utf-8")
    second = briefing("suggest", "--write", ENTRY, cwd=editor_site)
    assert second.returncode == 0, second.stderr
    assert "Not added again (deleted since the last --write): " in second.stderr
    again = (editor_site / ENTRY).read_text(encoding="utf-8")
    assert again == cut.replace("---\n\n", "# suggest: no 2025-08-17\n# suggest: no China\n---\n\n", 1) or (
        again == cut.replace("---\n\n", "# suggest: no China\n# suggest: no 2025-08-17\n---\n\n", 1)
    )
    third = briefing("suggest", "--write", ENTRY, cwd=editor_site)
    assert third.stderr == f"Nothing to add: {ENTRY} already lists everything suggested.\n"
    assert (editor_site / ENTRY).read_text(encoding="utf-8") == again
    shown = briefing("suggest", ENTRY, cwd=editor_site).stdout
    assert "#  - China  # 2 mentions, line 13; rejected: '# suggest: no' in the front matter" in shown.splitlines()
    check = briefing("check", "--strict", cwd=editor_site)
    assert check.returncode == 0, check.stdout


def test_a_rejection_written_by_hand_holds_whatever_spelling_it_uses(editor_site):
    text = (editor_site / ENTRY).read_text(encoding="utf-8")
    (editor_site / ENTRY).write_text(text.replace("---\n\n", "# suggest: no PRC\n---\n\n", 1), encoding="utf-8")
    briefing("suggest", "--write", ENTRY, cwd=editor_site)
    front = yaml.safe_load((editor_site / ENTRY).read_text(encoding="utf-8").split("---\n")[1])
    assert front["countries"] == ["India", "Russia"]


def test_write_adds_to_a_file_with_an_error_it_did_not_cause_and_blames_nothing_of_its_own(editor_site):
    text = (editor_site / ENTRY).read_text(encoding="utf-8").replace("countries: [India]", "countries: [Inida]")
    (editor_site / ENTRY).write_text(text, encoding="utf-8")
    result = briefing("suggest", "--write", ENTRY, cwd=editor_site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Added to {ENTRY}: countries China, India, Russia; officials Narendra Modi, Vladimir Putin; "
        "events 2025-08-18, 2025-08-17",
        f"{ENTRY} still has 1 error(s) of its own: run 'briefing check' to see them",
    ]
    check = briefing("check", cwd=editor_site)
    assert check.stdout == f"{ENTRY}:4:13: error: unknown country 'Inida' (did you mean 'India'?)\n"


def test_a_new_officials_mapping_goes_one_a_line_into_an_empty_list():
    merged = merge_front_matter(
        "---\nofficials: []\n---\n",
        {"officials": [{"name": "Hun Manet", "country": "Cambodia", "role": "Prime Minister"}, "Xi"]},
    )
    assert merged == "---\nofficials:\n  - {name: Hun Manet, country: Cambodia, role: Prime Minister}\n  - Xi\n---\n"


def test_the_finder_names_an_acronym_the_organisation_in_prose(registry):
    found = NameFinder(registry).mentions(passages("The AU and the EU met."))
    assert [registry.entities[m.key].name for m in found] == ["African Union", "European Union"]
    assert registry.find(COUNTRY, "AU").name == "Australia"
