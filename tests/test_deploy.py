"""`make deploy` end to end against a local bare repository: the branch holds exactly the
built site, one commit per change, none when nothing changed, none from a failed build, and
the editor's working tree and index are left alone."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from tools.sites import ROOT, entry, tree_bytes, write_files

pytestmark = pytest.mark.slow

VENV = Path(sys.executable).parent.parent
PROJECT_FILES = ("Makefile", "pyproject.toml", "pelicanconf.py", "publishconf.py", ".gitignore")
PROJECT_FOLDERS = ("content", "plugins", "themes")
BAD_ENTRY = "content/briefings/2025/bad.md"


def clean_env(home: Path) -> dict:
    """No git identity or configuration from this machine: as on a fresh CI runner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "MAKE", "SITEURL"))}
    return {**env, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"}


def run(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def make_deploy(project: Path, env: dict) -> subprocess.CompletedProcess:
    """`make deploy`, as an editor runs it, reusing this test run's virtualenv."""
    return run(
        ["make", "--no-print-directory", "deploy", f"VENV={VENV}", "-o", f"{VENV}/.installed"],
        project,
        env,
        check=False,
    )


def git(*args, cwd, env) -> str:
    return run(["git", *args], cwd, env).stdout.strip()


def branch_files(remote: Path, branch: str, env: dict) -> dict[str, bytes]:
    """Every file on the branch, by path, exactly as git stores it."""
    archive = subprocess.run(
        ["git", "--git-dir", str(remote), "archive", "--format=tar", branch], env=env, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def editor_state(project: Path, env: dict) -> tuple:
    """What deploying must never change: status, index, HEAD and current branch of the project."""
    return (
        run(["git", "status", "--porcelain=v1", "-uall"], project, env).stdout.rstrip("\n"),
        (project / ".git/index").read_bytes(),
        git("rev-parse", "HEAD", cwd=project, env=env),
        git("symbolic-ref", "HEAD", cwd=project, env=env),
    )


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory):
    """A project clone with a bare `origin`, deployed four times: first, unchanged, changed, broken."""
    base = tmp_path_factory.mktemp("deploy")
    home, project, remote = base / "home", base / "project", base / "origin.git"
    home.mkdir()
    env = clean_env(home)
    project.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, project / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    editor = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    git("init", "-q", "-b", "main", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)
    git(*editor, "commit", "-q", "-m", "site", cwd=project, env=env)
    # Settings that would alter or drop files if the deploy went through `git add`.
    git("config", "core.autocrlf", "true", cwd=project, env=env)
    (project / ".git/info/exclude").write_text("*.xml\n*.txt\n", encoding="utf-8")
    git("init", "-q", "--bare", str(remote), cwd=base, env=env)
    git("remote", "add", "origin", str(remote), cwd=project, env=env)
    # The editor's work in progress: a staged file, an unstaged change, an untracked file.
    write_files(project, {"staged.md": "staged\n", "untracked.md": "untracked\n"})
    git("add", "staged.md", cwd=project, env=env)
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as handle:
        handle.write("# an unsaved thought\n")
    before = editor_state(project, env)

    steps = {}

    def record(name, result):
        tip = subprocess.run(
            ["git", "--git-dir", str(remote), "rev-parse", "--verify", "-q", "gh-pages"],
            env=env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        steps[name] = {
            "result": result,
            "tip": tip,
            "files": branch_files(remote, "gh-pages", env) if tip else {},
            "output": tree_bytes(project / "output"),
            "editor": editor_state(project, env),
        }

    record("first", make_deploy(project, env))
    record("unchanged", make_deploy(project, env))
    removed = sorted((project / "content/briefings").rglob("*.md"))[0]
    removed.unlink()
    record("changed", make_deploy(project, env))
    write_files(project, {BAD_ENTRY: entry("Broken", "2025-05-05", countires="[India]")})
    record("broken", make_deploy(project, env))
    return {
        "steps": steps,
        "project": project,
        "remote": remote,
        "env": env,
        "before": before,
        "removed": removed.relative_to(project).as_posix(),
    }


def test_first_deploy_puts_exactly_the_output_on_the_branch(lifecycle):
    first = lifecycle["steps"]["first"]
    assert first["result"].returncode == 0, first["result"].stderr
    assert first["files"] == first["output"]
    assert len(first["files"]) > 200
    assert "feeds/all.atom.xml" in first["files"] and "robots.txt" in first["files"]
    assert (
        f"Deployed output/ ({len(first['output'])} files) to gh-pages on origin: {first['tip'][:12]}"
        in first["result"].stdout
    )


def test_published_build_has_absolute_urls_of_publishconf(lifecycle):
    feed = lifecycle["steps"]["first"]["files"]["feeds/all.atom.xml"].decode()
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://briefing-digest.example.org/">' in feed
    assert "127.0.0.1" not in feed


def test_first_deploy_is_one_root_commit_with_source_and_stand_in_identity(lifecycle):
    remote, env = lifecycle["remote"], lifecycle["env"]
    tip = lifecycle["steps"]["first"]["tip"]
    source = git("rev-parse", "--short=12", "HEAD", cwd=lifecycle["project"], env=env)
    log = git("--git-dir", str(remote), "log", "--format=%P|%an <%ae>|%s", tip, cwd=remote, env=env)
    assert log.splitlines() == [
        f"|Briefing Digest deploy <deploy@briefing-digest.invalid>|Deploy the site built from {source}"
    ]


def test_second_deploy_without_change_makes_no_commit(lifecycle):
    first, unchanged = lifecycle["steps"]["first"], lifecycle["steps"]["unchanged"]
    assert unchanged["result"].returncode == 0, unchanged["result"].stderr
    assert unchanged["tip"] == first["tip"]
    assert (
        f"Nothing to deploy: gh-pages on origin already holds this build ({first['tip'][:12]})"
        in unchanged["result"].stdout
    )


def test_changed_content_is_one_new_commit_on_top_with_removed_pages_gone(lifecycle):
    first, changed = lifecycle["steps"]["first"], lifecycle["steps"]["changed"]
    remote, env = lifecycle["remote"], lifecycle["env"]
    assert changed["result"].returncode == 0, changed["result"].stderr
    assert (
        git("--git-dir", str(remote), "rev-list", "--parents", "-n", "1", changed["tip"], cwd=remote, env=env)
        == f"{changed['tip']} {first['tip']}"
    )
    assert git("--git-dir", str(remote), "rev-list", "--count", "gh-pages", cwd=remote, env=env) == "2"
    assert changed["files"] == changed["output"]
    gone = set(first["files"]) - set(changed["files"])
    assert gone and all(
        path.startswith(("briefings/", "digests/", "relations/", "page/", "pagefind/")) for path in gone
    ), gone


def test_failed_build_deploys_nothing_and_keeps_the_output(lifecycle):
    changed, broken = lifecycle["steps"]["changed"], lifecycle["steps"]["broken"]
    assert broken["result"].returncode != 0
    assert f"{BAD_ENTRY}:4:1: error: unknown key 'countires' (did you mean 'countries'?)" in broken["result"].stderr
    assert "Traceback" not in broken["result"].stderr
    assert "Deployed" not in broken["result"].stdout
    assert broken["tip"] == changed["tip"]
    assert broken["output"] == changed["output"]


def test_deploys_leave_the_editors_work_tree_index_and_branch_alone(lifecycle):
    status, index, head, branch = lifecycle["before"]
    assert status.splitlines() == [" M pelicanconf.py", "A  staged.md", "?? untracked.md"]
    assert branch == "refs/heads/main"
    for name in ("first", "unchanged"):
        assert lifecycle["steps"][name]["editor"] == lifecycle["before"], name
    # After the test deleted an entry, that deletion is the only new line.
    changed_status, *rest = lifecycle["steps"]["changed"]["editor"]
    assert rest == [index, head, branch]
    assert sorted(changed_status.splitlines()) == sorted([*status.splitlines(), f" D {lifecycle['removed']}"])


def deploy_cli(cwd: Path, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", "deploy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env or {**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
    )


def test_deploy_outside_a_git_repository_is_a_clear_error(tmp_path):
    write_files(tmp_path, {"output/index.html": "<!doctype html>"})
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins"), "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    result = deploy_cli(tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr == (
        f"briefing deploy: error: {tmp_path} is not in a git repository: run make deploy in the project's clone\n"
    )


def test_deploy_without_a_built_site_is_a_clear_error(tmp_path):
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins")}
    git("init", "-q", cwd=tmp_path, env=env)
    result = deploy_cli(tmp_path, "site", env=env)
    assert result.returncode == 1
    assert result.stderr == (
        "briefing deploy: error: nothing to deploy: site/index.html is missing; build the site first (make publish)\n"
    )


def test_deploy_to_an_unknown_remote_is_a_clear_error_without_traceback(tmp_path):
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins")}
    git("init", "-q", cwd=tmp_path, env=env)
    write_files(tmp_path, {"output/index.html": "<!doctype html>"})
    result = deploy_cli(tmp_path, "--remote", "nowhere", env=env)
    assert (result.returncode, result.stderr) == (
        1,
        "briefing deploy: error: remote 'nowhere' is not a configured remote (git remote: none), a URL or a folder: "
        "give one with --remote (or DEPLOY_REMOTE)\n",
    )


def test_deploy_refuses_a_link_in_the_output(tmp_path):
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins")}
    git("init", "-q", cwd=tmp_path, env=env)
    write_files(tmp_path, {"output/index.html": "<!doctype html>"})
    (tmp_path / "output/secret").symlink_to("/etc/passwd")
    result = deploy_cli(tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr == "briefing deploy: error: refusing to deploy secret: not a regular file (a link or device)\n"


# --- issue 14, item 7: deploy arguments are checked and passed after `--` ---

INJECTIONS = ["--upload-pack=touch PWNED; false", "--receive-pack=touch PWNED", "ext::sh -c touch% PWNED", "-o"]


@pytest.mark.parametrize("remote", INJECTIONS)
def test_a_remote_that_git_would_read_as_an_option_or_command_is_refused(tmp_path, remote):
    """`briefing deploy output --remote '--upload-pack=touch PWNED; false'` ran the command."""
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins")}
    git("init", "-q", cwd=tmp_path, env=env)
    write_files(tmp_path, {"output/index.html": "<!doctype html>"})
    for args, extra in (([f"--remote={remote}"], {}), ([], {"DEPLOY_REMOTE": remote})):
        result = deploy_cli(tmp_path, *args, env={**env, **extra})
        assert (result.returncode, result.stderr) == (
            1,
            f"briefing deploy: error: remote '{remote}' is not a configured remote (git remote: none), "
            "a URL or a folder: give one with --remote (or DEPLOY_REMOTE)\n",
        )
    assert list(tmp_path.rglob("PWNED")) == [] and not Path("PWNED").exists()


@pytest.mark.parametrize("branch", ["--upload-pack=x", "a..b", "-x", "main:other", "HEAD"])
def test_a_branch_must_be_a_valid_branch_name(tmp_path, branch):
    env = {**clean_env(tmp_path), "PYTHONPATH": str(ROOT / "plugins")}
    git("init", "-q", cwd=tmp_path, env=env)
    git("remote", "add", "origin", str(tmp_path / "elsewhere.git"), cwd=tmp_path, env=env)
    write_files(tmp_path, {"output/index.html": "<!doctype html>"})
    result = deploy_cli(tmp_path, f"--branch={branch}", env=env)
    assert (result.returncode, result.stderr) == (
        1,
        f"briefing deploy: error: branch '{branch}' is not a valid branch name: give one with --branch "
        "(or DEPLOY_BRANCH)\n",
    )


def test_make_deploy_passes_no_remote_through_the_shell(lifecycle):
    """DEPLOY_REMOTE reaches the command through its environment: a quote in it runs nothing."""
    project, env = lifecycle["project"], lifecycle["env"]
    (project / BAD_ENTRY).unlink(missing_ok=True)
    hostile = "x'; touch PWNED; echo '"
    result = run(
        [
            "make",
            "--no-print-directory",
            "deploy",
            f"VENV={VENV}",
            "-o",
            f"{VENV}/.installed",
            f"DEPLOY_REMOTE={hostile}",
        ],
        project,
        env,
        check=False,
    )
    assert result.returncode != 0
    assert "briefing deploy: error: remote 'x'; touch PWNED; echo '' is not a configured remote" in result.stderr
    assert list(project.rglob("PWNED")) == []
