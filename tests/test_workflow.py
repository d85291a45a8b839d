"""The GitHub Actions workflow: valid for actionlint, deploys only on push to main, and thin
(its steps call the make targets the tests run, with every action pinned to a commit)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tools.sites import ROOT

WORKFLOW = ROOT / ".github/workflows/site.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(text: str) -> subprocess.CompletedProcess:
    binary = ACTIONLINT if ACTIONLINT.exists() else shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint is not installed: it is in the test extra of pyproject.toml (make setup)")
    # shellcheck and pyflakes are left out so the result does not depend on what else is installed
    return subprocess.run(
        [
            str(binary),
            "-no-color",
            "-oneline",
            "-shellcheck=",
            "-pyflakes=",
            "-stdin-filename",
            ".github/workflows/site.yml",
            "-",
        ],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def test_actionlint_finds_nothing(workflow):
    result = actionlint(WORKFLOW.read_text(encoding="utf-8"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_would_catch_a_mistake():
    broken = WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url", "steps.page.outputs.base_url")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'property "page" is not defined' in result.stdout


def test_the_build_cache_is_kept_between_runs_keyed_on_the_plugin_code(workflow):
    steps = workflow["jobs"]["site"]["steps"]
    names = [step.get("name") for step in steps]
    cache = steps[names.index("Keep the build cache between runs")]
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"] == {
        "path": "cache/briefing",
        "key": "briefing-${{ hashFiles('plugins/**/*.py') }}-${{ github.sha }}",
        "restore-keys": "briefing-${{ hashFiles('plugins/**/*.py') }}-",
    }
    assert names.index("Keep the build cache between runs") < names.index("Check the content")  # before any build


def test_runs_on_pull_requests_and_on_push_to_main_only(workflow):
    assert triggers(workflow) == {"pull_request": None, "push": {"branches": ["main"]}}


# --- A small evaluator for the `if:` expressions the workflow uses, to run them on real events ---

TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w.-]*))")


def evaluate(expression: str, github: dict) -> bool:
    """GitHub's expression syntax, the part of it used here: contexts, strings, ==, !=, !, &&, ||."""
    expression = expression.strip()
    if expression.startswith("${{") and expression.endswith("}}"):
        expression = expression[3:-2]
    tokens, position = [], 0
    while position < len(expression.rstrip()):
        match = TOKEN.match(expression, position)
        assert match, f"cannot read {expression[position:]!r}"
        operator, string, name = match.groups()
        if operator:
            tokens.append(("op", operator))
        elif string is not None:
            tokens.append(("value", string.replace("''", "'")))
        elif name in ("true", "false"):
            tokens.append(("value", name == "true"))
        else:
            assert name.startswith("github."), f"the test knows no context {name!r}"
            tokens.append(("value", github[name.removeprefix("github.")]))
        position = match.end()

    def parse_or(i):
        left, i = parse_and(i)
        while i < len(tokens) and tokens[i] == ("op", "||"):
            right, i = parse_and(i + 1)
            left = left or right
        return left, i

    def parse_and(i):
        left, i = parse_compare(i)
        while i < len(tokens) and tokens[i] == ("op", "&&"):
            right, i = parse_compare(i + 1)
            left = left and right
        return left, i

    def parse_compare(i):
        left, i = parse_unary(i)
        while i < len(tokens) and tokens[i] in (("op", "=="), ("op", "!=")):
            right, j = parse_unary(i + 1)
            same = str(left).casefold() == str(right).casefold()
            left, i = (same if tokens[i][1] == "==" else not same), j
        return left, i

    def parse_unary(i):
        if tokens[i] == ("op", "!"):
            value, i = parse_unary(i + 1)
            return not value, i
        if tokens[i] == ("op", "("):
            value, i = parse_or(i + 1)
            assert tokens[i] == ("op", ")")
            return value, i + 1
        return tokens[i][1], i + 1

    value, end = parse_or(0)
    assert end == len(tokens), f"unread tokens in {expression!r}"
    return bool(value)


EVENTS = {
    "pull request into main": {"event_name": "pull_request", "ref": "refs/pull/7/merge", "base_ref": "main"},
    "pull request from a branch named main": {
        "event_name": "pull_request",
        "ref": "refs/pull/8/merge",
        "head_ref": "main",
        "base_ref": "main",
    },
    "push to a feature branch": {"event_name": "push", "ref": "refs/heads/feature"},
    "push of a tag": {"event_name": "push", "ref": "refs/tags/main"},
    "push to main": {"event_name": "push", "ref": "refs/heads/main"},
}


def runs(job_or_step: dict, event: dict) -> bool:
    return evaluate(job_or_step["if"], event) if "if" in job_or_step else True


def test_expression_evaluator_reads_what_it_is_given():
    event = EVENTS["push to main"]
    assert evaluate("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}", event) is True
    assert evaluate("github.event_name != 'push' || !(github.ref == 'refs/heads/main')", event) is False
    assert evaluate("github.event_name == 'PUSH'", event) is True  # GitHub compares strings ignoring case


@pytest.mark.parametrize("name", [n for n in EVENTS if n != "push to main"])
def test_deploy_job_cannot_run_except_on_push_to_main(workflow, name):
    deploying = [
        job
        for job, spec in workflow["jobs"].items()
        if runs(spec, EVENTS[name])
        and any(
            "deploy-pages" in step.get("uses", "") or "upload-pages-artifact" in step.get("uses", "")
            for step in spec["steps"]
            if runs(step, EVENTS[name])
        )
    ]
    assert deploying == []


def test_deploy_job_runs_on_push_to_main_after_the_build(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert runs(deploy, EVENTS["push to main"])
    assert deploy["needs"] == "site"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = [s for s in workflow["jobs"]["site"]["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert len(upload) == 1 and runs(upload[0], EVENTS["push to main"]) and upload[0]["with"] == {"path": "output/"}


def test_permissions_are_least_and_deploys_never_overlap(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["site"]["permissions"] == {"contents": "read", "pages": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["concurrency"]["group"] == "site-${{ github.ref }}"


def test_every_action_is_pinned_to_a_commit(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(uses) == 6
    for use in uses:
        assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", use), use
    text = WORKFLOW.read_text(encoding="utf-8")
    for use in uses:  # the version the commit is, said next to it for readers
        assert re.search(re.escape(use) + r" # v\d+\.\d+\.\d+\n", text), use


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M))


def test_steps_check_then_test_then_publish_through_make(workflow):
    runs_make = [
        step["run"].strip() for step in workflow["jobs"]["site"]["steps"] if step.get("run", "").startswith("make ")
    ]
    assert runs_make == ["make check", "make test", "make publish"]
    assert {command.split()[1] for command in runs_make} <= makefile_targets()
    steps = {step.get("run", "").strip(): step for step in workflow["jobs"]["site"]["steps"]}
    assert steps["make check"]["env"] == {"GITHUB_ACTIONS": "true"}
    assert steps["make publish"]["env"] == {"SITEURL": "${{ steps.pages.outputs.base_url }}"}
    assert "if" not in steps["make publish"]  # pull requests are built too


def test_ci_installs_only_what_make_test_cannot(workflow):
    """`make test` installs what the tests need; CI adds git and make, nothing else."""
    site = workflow["jobs"]["site"]
    assert site["container"]["image"].endswith("-bookworm")  # Debian, for Debian's chromium
    install = next(step["run"] for step in site["steps"] if "apt-get install" in step.get("run", ""))
    assert install.split("apt-get install", 1)[1].split(">")[0].split() == ["-y", "-qq", "git", "make"]
    ci_run = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "apt-get" not in ci_run
    assert ci_run.rstrip().splitlines()[-1] == "exec make test"


def fake_commands(folder: Path, **scripts: str) -> dict[str, str]:
    """An environment whose PATH finds these shell scripts first (e.g. id, sudo, apt-get)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in scripts.items():
        path = folder / name.replace("_", "-")
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def make_deps(env: dict, chromium: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "deps", f"CHROMIUM={chromium}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_deps_does_nothing_when_chromium_is_there(tmp_path):
    env = fake_commands(tmp_path / "bin", apt_get=f'echo "$*" >> {tmp_path / "apt.log"}')
    result = make_deps(env, "/bin/sh")  # any executable stands for an installed chromium
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (tmp_path / "apt.log").exists()


def test_make_deps_installs_chromium_as_root(tmp_path):
    log = tmp_path / "apt.log"
    env = fake_commands(tmp_path / "bin", id="echo 0", apt_get=f'echo "$*" >> {log}')
    result = make_deps(env, str(tmp_path / "no-chromium"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "make deps: apt-get install -y chromium\n", "")
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]


def test_make_deps_uses_sudo_without_a_password(tmp_path):
    log = tmp_path / "apt.log"
    env = fake_commands(tmp_path / "bin", id="echo 1000", sudo=f'echo "sudo $*" >> {log}')
    result = make_deps(env, str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "sudo -n true",
        "sudo -n apt-get update -qq",
        "sudo -n apt-get install -y -qq chromium",
    ]


def test_make_deps_without_root_or_sudo_names_the_command_and_stops(tmp_path):
    env = fake_commands(tmp_path / "bin", id="echo 1000", sudo="exit 1")
    result = make_deps(env, str(tmp_path / "no-chromium"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "make deps: chromium is missing; run as root: apt-get install -y chromium"


def test_make_compiles_the_plugin_even_where_python_would_write_no_bytecode():
    """`make bytecode` (which every target that builds, checks or tests runs first) compiles
    a module whose bytecode is gone, with PYTHONDONTWRITEBYTECODE set, and leaves the variable
    to the recipes (the Makefile's note)."""
    module = ROOT / "plugins/briefing/build/compress.py"
    compiled = Path(importlib.util.cache_from_source(str(module)))
    compiled.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    probe = 'probe: ; @echo "$${PYTHONDONTWRITEBYTECODE-unset}"'
    result = subprocess.run(
        ["make", "-s", "--eval", probe, "bytecode", "probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1\n", "")
    assert compiled.is_file() and compiled.stat().st_mtime >= module.stat().st_mtime


def test_make_bytecode_never_stops_a_build_where_it_cannot_compile(tmp_path):
    """A plugin folder that cannot be written (here: a compiler that fails) leaves the target
    silent and successful; Python then compiles in memory, as without it."""
    failing = tmp_path / "python"
    failing.write_text("#!/bin/sh\necho 'cannot write' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    result = subprocess.run(
        ["make", "-s", "bytecode", f"PY={failing}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_pip_downloads_are_cached_by_the_pinned_requirements(workflow):
    cache = next(step for step in workflow["jobs"]["site"]["steps"] if "actions/cache@" in step.get("uses", ""))
    assert cache["with"]["path"] == "~/.cache/pip"
    assert "hashFiles('pyproject.toml')" in cache["with"]["key"]
