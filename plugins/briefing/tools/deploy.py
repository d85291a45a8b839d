"""Publish the built site as one new commit on a branch of a git remote (`make deploy`), for
hosts that serve a branch rather than a GitHub Pages artifact.

Only git plumbing is used (hash-object, a temporary index, write-tree, commit-tree, push), so
the editor's working tree, index and current branch are never touched, and no ignore rule,
line-ending setting or filter of theirs can change a byte of what is published.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "Briefing Digest deploy",
    "GIT_AUTHOR_EMAIL": "deploy@briefing-digest.invalid",
    "GIT_COMMITTER_NAME": "Briefing Digest deploy",
    "GIT_COMMITTER_EMAIL": "deploy@briefing-digest.invalid",
}


class DeployError(Exception):
    """A deploy that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class DeployResult:
    commit: str  # the branch's tip after the deploy
    files: int
    created: bool  # False when the branch already held exactly this output


def git(repo: Path, *args: str, env: dict | None = None, stdin: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, input=stdin, capture_output=True, env={**os.environ, **(env or {})}
    )
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip() or f"exit code {result.returncode}"
        raise DeployError(f"git {args[0]} failed: {detail}")
    return result.stdout.decode("utf-8", "replace").strip()


def site_files(output: Path) -> list[tuple[str, Path]]:
    """(path in the tree, file) for every file of the built site, sorted; refuses what git would alter."""
    if not (output / "index.html").is_file():
        raise DeployError(f"nothing to deploy: {output}/index.html is missing; build the site first (make publish)")
    output = output.resolve()  # git runs in the repository, which need not be the working directory
    files = []
    for folder, dirs, names in os.walk(output):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder, name)
            relative = path.relative_to(output).as_posix()
            if not stat.S_ISREG(path.lstat().st_mode):
                raise DeployError(f"refusing to deploy {relative}: not a regular file (a link or device)")
            if "\n" in str(path) or relative.split("/")[0] == ".git":
                raise DeployError(f"refusing to deploy {relative!r}: git cannot store this path as it is")
            files.append((relative, path))
    return sorted(files)


def write_tree(repo: Path, files: list[tuple[str, Path]]) -> str:
    """Store the files as blobs, byte for byte, and return the id of a tree holding them."""
    paths = b"".join(os.fsencode(path) + b"\n" for _, path in files)
    blobs = git(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths).split()
    entries = b"".join(
        f"{'100755' if path.stat().st_mode & 0o111 else '100644'} {blob}\t".encode() + os.fsencode(relative) + b"\0"
        for (relative, path), blob in zip(files, blobs, strict=True)
    )
    with tempfile.TemporaryDirectory(prefix="briefing-deploy-") as scratch:
        index = {"GIT_INDEX_FILE": os.path.join(scratch, "index")}  # never the editor's index
        git(repo, "update-index", "--add", "-z", "--index-info", env=index, stdin=entries)
        return git(repo, "write-tree", env=index)


def remote_tip(repo: Path, remote: str, branch: str) -> str | None:
    """The branch's current commit on the remote, fetched locally; None when it does not exist yet."""
    listing = git(repo, "ls-remote", "--heads", "--", remote, f"refs/heads/{branch}")
    if not listing:
        return None
    tip = listing.split()[0]
    git(repo, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", remote, f"refs/heads/{branch}")
    return tip


_URL = re.compile(r"(?:https?|ssh|git|file)://[^\s]+", re.IGNORECASE)
_SCP_LIKE = re.compile(r"(?:[\w.-]+@)?[\w.-]+:(?!:)[^\s]*")  # user@host:path, as git reads it


def check_target(repo: Path, remote: str, branch: str):
    """Refuse what git would read as an option or a command: a remote must be a configured
    remote's name, a URL (http(s), ssh, git, file) or an existing folder; a branch a valid
    branch name. Both are passed after `--` as well."""
    configured = git(repo, "remote").split()
    is_remote = (
        remote in configured
        or (_URL.fullmatch(remote) or _SCP_LIKE.fullmatch(remote)) is not None
        or (Path(remote).is_dir() if not remote.startswith("-") else False)
    )
    if remote.startswith("-") or "::" in remote or not is_remote:
        known = ", ".join(configured) or "none"
        raise DeployError(
            f"remote '{remote}' is not a configured remote (git remote: {known}), a URL or a folder: "
            "give one with --remote (or DEPLOY_REMOTE)"
        )
    if (
        branch.startswith("-")
        or subprocess.run(
            ["git", "check-ref-format", "--branch", branch], cwd=repo, capture_output=True, check=False
        ).returncode
    ):
        raise DeployError(f"branch '{branch}' is not a valid branch name: give one with --branch (or DEPLOY_BRANCH)")


def identity(repo: Path) -> dict:
    """The editor's git identity when they have one, else a clear stand-in (CI machines often have none)."""
    probe = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=repo, capture_output=True)
    return {} if probe.returncode == 0 else FALLBACK_IDENTITY


def source_commit(repo: Path) -> str | None:
    probe = subprocess.run(
        ["git", "rev-parse", "--short=12", "--verify", "--quiet", "HEAD"], cwd=repo, capture_output=True, text=True
    )
    return probe.stdout.strip() or None


def deploy(output: Path, remote: str = "origin", branch: str = "gh-pages", repo: Path | None = None) -> DeployResult:
    """Make `branch` on `remote` hold exactly the files of `output`, as one new commit on top of
    its current tip; no commit when it already does."""
    repo = Path(repo or Path.cwd())
    if shutil.which("git") is None:
        raise DeployError("git is not installed: deploy publishes through git")
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=repo, capture_output=True).returncode != 0:
        raise DeployError(f"{repo} is not in a git repository: run make deploy in the project's clone")
    files = site_files(Path(output))
    check_target(repo, remote, branch)
    tree = write_tree(repo, files)
    parent = remote_tip(repo, remote, branch)
    if parent and git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return DeployResult(parent, len(files), created=False)
    source = source_commit(repo)
    message = f"Deploy the site built from {source}" if source else "Deploy the site"
    commit = git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, env=identity(repo))
    git(repo, "push", "--quiet", "--", remote, f"{commit}:refs/heads/{branch}")
    return DeployResult(commit, len(files), created=True)
