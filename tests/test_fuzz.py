"""Property-based tests (hypothesis) of the front-matter parser, the date parsers and the
registry: any input gives a model or diagnostics, never an exception.

`make test` runs the short, derandomized 'briefing-ci' profile; `make test-fast` a shorter one,
'briefing-quick'; `make fuzz` the long 'briefing-fuzz' campaign (HYPOTHESIS_PROFILE=briefing-fuzz)
with fresh random inputs."""

from __future__ import annotations

import datetime as dt
import os
import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefing.domain import diagnostics as diag
from briefing.domain.dates import DateError, PartialDate, parse_datetime, parse_partial_date
from briefing.domain.frontmatter import ENTRY_KEYS, PROFILE_KEYS, parse_entry, parse_profile
from briefing.domain.model import KINDS, EntryDraft, Profile
from briefing.domain.site import load_site
from briefing.domain.views import Site

settings.register_profile(
    "briefing-ci", max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "briefing-quick", max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "briefing-fuzz", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "briefing-ci"))
FEWER = settings(PROFILE, max_examples=max(20, PROFILE.max_examples // 5))  # whole-site loads are slower

PATH = "content/briefings/case.md"

# --- strategies: text that looks like what editors (and attackers) write ---

NAMES = st.sampled_from(
    [
        "India",
        "China",
        "USA",
        "United States of America",
        "US",
        "Côte d'Ivoire",
        "Cote dIvoire",
        "Taiwan",
        "Russia",
        "Russian Federation",
        "European Union",
        "EU",
        "Kosovo",
        "Atlantis",
        "Indai",
        "",
        " ",
        "-",
        "..",
        "Wang Yi",
        "wang yi",
        "Wang  Yi",
        "Xi Jinping",
        "Rare earths",
        "rare Earths",
        "Rare-earths",
        "<b>x</b>",
        "名字",
        "Ñandú",
        "O'Brien",
        "O’Brien",
        "a" * 300,
        "null",
        "~",
        "yes",
        "1",
        "2025-01-01",
    ]
)
SCALARS = st.one_of(
    NAMES,
    st.text(max_size=40),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.from_regex(r"\A\d{1,5}(-\d{1,3}(-\d{1,3})?)?( \d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?)?\Z"),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["name", "country", "role", "date", "what", "url", "issues", "countries", "title", "from", "to", "x"]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
KEYS = st.one_of(st.sampled_from((*ENTRY_KEYS, "countires", "aliases", "name", "Title")), st.text(max_size=8))
YAML_SYNTAX = st.lists(
    st.sampled_from(
        [
            "---",
            "...",
            "- ",
            ": ",
            "&a ",
            "*a",
            "!!python/object:os.system",
            "!x ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "'",
            '"',
            "|",
            ">",
            "#",
            "\t",
            "\n",
            "  ",
            "%YAML 1.1",
            "<<: ",
            "? ",
            "\\",
            "\r",
            "\ufeff",
            "\x00",
            "é",
            *list(string.ascii_letters[:6]),
            "title: ",
            "date: ",
            "countries: ",
            "2025-06-12",
        ]
    ),
    max_size=60,
).map("".join)


def entry_bytes(front: str, body: str = "Body.") -> bytes:
    return f"---\n{front}\n---\n{body}\n".encode("utf-8", "surrogatepass")


@st.composite
def structured_entries(draw) -> bytes:
    """Valid YAML built from entry-like keys and values (some right, most slightly wrong)."""
    data = draw(st.dictionaries(KEYS, VALUES, max_size=8))
    if draw(st.booleans()):
        data.setdefault("title", draw(NAMES))
        data.setdefault("date", draw(SCALARS))
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""
    body = draw(st.text(max_size=200))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + entry_bytes(front, body).replace(b"\n", newline.encode())


def check_outcome(result, model_type) -> None:
    """A model and no error, or no model and at least one error; every diagnostic well-formed."""
    model, problems = result
    assert isinstance(problems, list)
    assert all(isinstance(p, diag.Diagnostic) for p in problems)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and "\n" not in problem.message, problem
        assert problem.severity in (diag.ERROR, diag.WARNING)
    errors = [p for p in problems if p.severity == diag.ERROR]
    if model is None:
        assert errors, "no model, but no error says why"
    else:
        assert isinstance(model, model_type) and not errors
    diag.format_report(problems)  # every diagnostic can be printed


# --- the front-matter parser ---


@settings(PROFILE)
@given(st.binary(max_size=3_000))
def test_entry_parser_survives_any_bytes(raw):
    check_outcome(parse_entry(PATH, raw), EntryDraft)


@settings(PROFILE)
@given(YAML_SYNTAX, st.text(max_size=100))
def test_entry_parser_survives_yaml_like_noise(front, body):
    check_outcome(parse_entry(PATH, entry_bytes(front, body)), EntryDraft)


@settings(PROFILE)
@given(structured_entries())
def test_entry_parser_survives_structured_front_matter(raw):
    check_outcome(parse_entry(PATH, raw), EntryDraft)


@settings(PROFILE)
@given(
    st.sampled_from(KINDS),
    st.dictionaries(
        st.sampled_from([*sorted({k for ks in PROFILE_KEYS.values() for k in ks}), "x", "roles"]), VALUES, max_size=6
    ),
    st.text(max_size=100),
)
def test_profile_parser_survives_structured_front_matter(kind, data, body):
    front = yaml.safe_dump(data, allow_unicode=True) if data else ""
    check_outcome(parse_profile(f"content/{kind.folder}/x.md", entry_bytes(front, body), kind), Profile)


@settings(PROFILE)
@given(NAMES, st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_a_valid_entry_parses_to_exactly_what_was_written(title, day):
    assume(title.strip() and title not in ("null", "~", "yes", "1", "2025-01-01", "-", ".."))
    draft, problems = parse_entry(PATH, entry_bytes(f"title: {yaml.safe_dump(title).split(chr(10))[0]}\ndate: {day}"))
    assert problems == [] and draft is not None
    assert draft.title == " ".join(title.split())
    assert draft.published == dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# --- the date parsers ---

DATE_LIKE = st.one_of(
    st.text(max_size=30),
    st.from_regex(
        r"\A\s?\d{1,5}(-\d{1,3}(-\d{1,3})?)?([Tt ]\d{1,3}:\d{1,3}(:\d{1,3}(\.\d{1,9})?)?\s?"
        r"(Z|z|[+-]\d{1,3}(:?\d{1,3})?)?)?\s?\Z"
    ),
)


@settings(PROFILE)
@given(DATE_LIKE)
def test_partial_date_parser_gives_a_date_or_a_date_error(text):
    try:
        value = parse_partial_date(text)
    except DateError as exc:
        assert str(exc).startswith((f"'{text}' is not", f"'{text}' is out of range"))
        return
    assert isinstance(value, PartialDate)
    assert parse_partial_date(value.iso()) == value
    assert value.first_day() <= value.last_day()
    assert value.label()


@settings(PROFILE)
@given(DATE_LIKE)
def test_datetime_parser_gives_an_aware_datetime_or_a_date_error(text):
    try:
        value = parse_datetime(text)
    except DateError as exc:
        assert str(exc).startswith(f"'{text}'")
        return
    assert isinstance(value, dt.datetime) and value.tzinfo is not None
    assert 1800 <= value.year <= 2200  # the bounds of domain/limits.py


@settings(PROFILE)
@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)), st.integers(0, 2))
def test_partial_dates_round_trip(day, precision):
    text = day.isoformat()[: (4, 7, 10)[precision]]
    value = parse_partial_date(text)
    assert value.iso() == text
    assert value.first_day() <= day <= value.last_day()


# --- the registry and the whole content check ---


@st.composite
def content_folders(draw) -> dict[str, bytes]:
    """A few entries and profiles naming a shared pool of countries, officials and issues."""
    files = {}
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(KINDS))
        data = {"name": draw(NAMES)}
        if draw(st.booleans()):
            data["aliases"] = draw(st.lists(NAMES, max_size=3))
        if kind.name == "official" and draw(st.booleans()):
            data["country"] = draw(NAMES)
        if kind.name == "country" and draw(st.booleans()):
            data["iso2"] = draw(st.sampled_from(["IN", "CN", "XK", "ZZ", "in", ""]))
        files[f"{kind.folder}/p{i}.md"] = entry_bytes(yaml.safe_dump(data, allow_unicode=True))
    for i in range(draw(st.integers(1, 4))):
        data = {
            "title": draw(NAMES) or "T",
            "date": str(draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))),
        }
        for key in ("countries", "issues"):
            if draw(st.booleans()):
                data[key] = draw(st.lists(NAMES, max_size=3))
        if draw(st.booleans()):
            data["officials"] = draw(
                st.lists(
                    st.one_of(
                        NAMES, st.fixed_dictionaries({"name": NAMES}, optional={"country": NAMES, "role": NAMES})
                    ),
                    max_size=3,
                )
            )
        if draw(st.booleans()):
            data["slug"] = draw(st.sampled_from(["same", "same", "x-1", "Bad Slug"]))
        files[f"briefings/e{i}.md"] = entry_bytes(yaml.safe_dump(data, allow_unicode=True), draw(st.text(max_size=80)))
    return files


@FEWER
@given(content_folders())
def test_load_site_gives_a_site_or_errors_for_any_content(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for relative, raw in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(raw)
        site, problems = load_site(root, today=dt.date(2031, 1, 1))
    check_outcome((site, problems), Site)
    if site is not None:
        entries = site.entries + site.drafts
        assert len({e.url for e in entries}) == len(entries)
        for e in entries:
            assert all(site.has_page(key) for key in e.entity_keys)
