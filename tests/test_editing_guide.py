"""docs/EDITING.md cannot drift from the code: every key the schema accepts is documented in
its section, every example file in it passes `briefing check --strict`, every message the
check and the editor's commands can print is listed, and the `briefing suggest` output it
shows is what the command prints."""

from __future__ import annotations

import ast
import re
import shutil

import pytest
from tools.cli import briefing
from tools.sites import ROOT

from briefing.domain import frontmatter

GUIDE = ROOT / "docs" / "EDITING.md"
PLUGIN = ROOT / "plugins" / "briefing"
MESSAGE_CALLS = {"error", "warning", "fail", "warn", "_record", "DateError", "MergeError", "print_error"}
MESSAGE_SOURCES = [*sorted((PLUGIN / "domain").rglob("*.py")), PLUGIN / "tools" / "editing.py"]


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text under a heading (any level) up to the next heading of the same or a higher level."""
    text = guide()
    match = re.search(rf"^(#+) {re.escape(title)}\n", text, re.M)
    assert match, f"docs/EDITING.md has no section '{title}'"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


SCHEMA = [
    ("Entry front matter", frontmatter.ENTRY_KEYS),
    ("An official", frontmatter.OFFICIAL_KEYS),
    ("An event", frontmatter.EVENT_KEYS),
    ("A statement", frontmatter.STATEMENT_KEYS),
    ("A source", frontmatter.SOURCE_KEYS),
    ("Country profiles", frontmatter.PROFILE_KEYS["country"]),
    ("Official profiles", frontmatter.PROFILE_KEYS["official"] + tuple(f"roles: {k}" for k in frontmatter.ROLE_KEYS)),
    ("Issue profiles", frontmatter.PROFILE_KEYS["issue"]),
    ("Status", frontmatter.STATUS_KEYS),
    ("Relation profiles", frontmatter.RELATION_KEYS),
    ("Digest summaries", frontmatter.DIGEST_SUMMARY_KEYS),
    ("Pages", frontmatter.SITE_PAGE_KEYS),
]


@pytest.mark.parametrize("title, keys", SCHEMA, ids=[s[0] for s in SCHEMA])
def test_every_key_the_schema_accepts_has_a_row_in_its_section(title, keys):
    """Each key is the first cell of a table row (`| `key` | what | example |`) in its section."""
    rows = {m.group(1) for m in re.finditer(r"^\| `([^`]+)` \|", section(title), re.M)}
    documented = {row.replace("roles: ", "") for row in rows}
    wanted = {key.split(": ")[-1] for key in keys}
    assert wanted <= documented, f"undocumented in '{title}': {sorted(wanted - documented)}"
    assert documented <= wanted, f"documented in '{title}' but not accepted: {sorted(documented - wanted)}"


def examples() -> list[tuple[str, str]]:
    """(path, text) of every ```markdown block that is a whole file (starts with ---)."""
    found = []
    for match in re.finditer(r"^```markdown(?: (\S+))?\n(.*?)^```$", guide(), re.M | re.S):
        path, text = match.group(1), match.group(2)
        if text.startswith("---\n"):
            assert path, f"an example file in docs/EDITING.md needs its path after ```markdown:\n{text[:200]}"
            found.append((path, text))
    return found


def test_the_guide_has_example_entries_and_profiles_of_every_kind():
    paths = [path for path, _ in examples()]
    assert len(paths) == len(set(paths))
    for folder in ("briefings", "countries", "officials", "issues", "relations", "digests", "pages"):
        assert any(p.startswith(f"content/{folder}/") for p in paths), folder


def test_every_example_in_the_guide_passes_the_check(tmp_path):
    """All examples together, on top of the bundled profiles, pass `briefing check --strict`.
    The bundled relation profiles stay out with the bundled entries: a relation needs entries
    naming its pair, and the guide's few example entries name only some pairs."""
    shutil.copytree(
        ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("briefings", "relations", "digests")
    )
    for path, text in examples():
        target = tmp_path / path
        if target.exists():
            target.unlink()  # an example profile replaces the bundled one of the same name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = briefing("check", "--strict", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.endswith(" profiles: no problems\n")


# --- every message the tools can print ---------------------------------------------------------


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _is_message_call(call: ast.Call) -> bool:
    """A diagnostic (`diag.error(...)`, `f.fail(...)`), a raised error, or a CLI error line;
    not a log call such as `log.warning`."""
    name = _name(call)
    if name in ("error", "warning"):
        return (
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "diag"
        )
    if name == "attempt":
        return bool(call.args) and isinstance(call.args[0], ast.Attribute) and call.args[0].attr == "fail"
    return name in MESSAGE_CALLS


def _message_args(call: ast.Call) -> list:
    if _name(call) == "print_error":  # print_error(command, message)
        return call.args[1:]
    if _name(call) == "attempt":  # f.attempt(f.fail, node, message)
        return call.args[2:]
    return call.args


def _template(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


class _Messages:
    """Message templates: string arguments of the diagnostic calls, followed through local
    variables and through the functions that build them (`_unknown`, `claim`, ...)."""

    def __init__(self):
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        self.trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in MESSAGE_SOURCES}
        for tree in self.trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    self.functions.setdefault(node.name, []).append(node)

    def of(self, node, scope, seen) -> list[str]:
        text = _template(node)
        if text is not None:  # and the parts put into it: " (did you mean '{}'?)"
            inner = (
                [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
                if isinstance(node, ast.JoinedStr)
                else []
            )
            return [text] + [m for part in inner for m in self.of(part, scope, seen)]
        if isinstance(node, ast.IfExp):
            return self.of(node.body, scope, seen) + self.of(node.orelse, scope, seen)
        if isinstance(node, (ast.BinOp, ast.BoolOp)):
            parts = [node.left, node.right] if isinstance(node, ast.BinOp) else node.values
            return [m for part in parts for m in self.of(part, scope, seen)]
        if isinstance(node, ast.Call) and _name(node) in self.functions and _name(node) not in seen:
            seen = seen | {_name(node)}
            return [
                m
                for fn in self.functions[_name(node)]
                for ret in ast.walk(fn)
                if isinstance(ret, ast.Return) and ret.value is not None
                for m in self.of(ret.value, fn, seen)
            ]
        if isinstance(node, ast.Name) and scope is not None:
            return [
                m
                for a in ast.walk(scope)
                if isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
                for m in self.of(a.value, scope, seen | {node.id})
            ]
        return []

    def all(self) -> dict[str, str]:
        """template -> file it comes from"""
        found = {}
        for path, tree in self.trees.items():
            for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
                for call in ast.walk(function):
                    if isinstance(call, ast.Call) and _is_message_call(call):
                        for arg in _message_args(call):
                            for template in self.of(arg, function, frozenset()):
                                found.setdefault(template, path.name)
        return found


def fragments(template: str) -> list[str]:
    """The fixed words of a template, in the form the guide must show them."""
    parts = (p.strip(" '\"()[]:;,.") for p in template.split("{}"))
    return [p for p in parts if sum(ch.isalpha() for ch in p) >= 3]


MESSAGES = _Messages().all()


def test_messages_are_found_in_the_code():
    """The extraction itself: known messages of each kind are among those found."""
    for expected in (
        "unknown key '{}'{}",
        "dated in the future ({})",
        "unknown {} '{}'{}",
        "name '{}' is claimed by both {} '{}' and '{}' ({})",
        " (did you mean '{}'?)",
        "{} already exists; refusing to overwrite it (give another --slug)",
        "'{}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
    ):
        assert expected in MESSAGES, expected
    assert len(MESSAGES) > 60


@pytest.mark.parametrize("template", sorted(t for t in MESSAGES if " " in t.strip() and fragments(t)))
def test_every_message_is_in_the_guide(template):
    text = " ".join(section("Every message, and how to fix it").split())
    missing = [f for f in fragments(template) if f not in text]
    assert not missing, f"{MESSAGES[template]}: {template!r} is not in docs/EDITING.md (missing {missing})"


# --- the walkthrough shows real output ---------------------------------------------------------


def test_the_suggest_output_shown_in_the_guide_is_what_the_command_prints(tmp_path):
    shown = re.search(r"^\$ briefing suggest (\S+)\n(.*?)^```$", guide(), re.M | re.S)
    assert shown, "docs/EDITING.md shows no `$ briefing suggest FILE` run"
    path, output = shown.group(1), shown.group(2)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "tests" / "fixtures" / "suggest" / "mea-rare-earth-briefing.md", tmp_path / path)
    result = briefing("suggest", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert output == result.stdout


def test_the_new_entry_shown_in_the_guide_is_what_briefing_new_writes(tmp_path):
    import shlex

    command = re.search(r"^(briefing new .*?)\n```", guide(), re.M | re.S).group(1).replace("\\\n", " ")
    args = shlex.split(command)[2:]
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("briefings", "digests"))
    result = briefing("new", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip()
    shown = dict(examples())[path]
    assert (tmp_path / path).read_text(encoding="utf-8") == shown
