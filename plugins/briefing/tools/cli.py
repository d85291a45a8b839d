"""The `briefing` command: check content, preview the site, help editors write entries, and
find a digest's email version."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from ..domain import diagnostics as diag
from ..domain.cache import cache_folder
from ..domain.check import check_content
from ..domain.content_files import DIGEST_FOLDER
from . import digest_email

CACHE_FOLDER = cache_folder()  # the build's cache, shared with it


def _count(number: int, noun: str, plural: str) -> str:
    return f"{number:,} {noun if number == 1 else plural}"


def check_summary(entries: int, profiles: int, errors: int, warnings: int, summaries: int = 0, pages: int = 0) -> str:
    """`checked 35 entries and 61 profiles: no problems` (or the count of each kind); digest
    summaries and pages are counted when there are any: `checked 35 entries, 2 digest
    summaries, 1 page and 61 profiles: 1 warning`."""
    found = [_count(errors, "error", "errors")] if errors else []
    found += [_count(warnings, "warning", "warnings")] if warnings else []
    files = [_count(entries, "entry", "entries")]
    files += [_count(summaries, "digest summary", "digest summaries")] if summaries else []
    files += [_count(pages, "page", "pages")] if pages else []
    files.append(_count(profiles, "profile", "profiles"))
    checked = "checked " + (", ".join(files[:-1]) + " and " + files[-1])
    return f"{checked}: {', '.join(found) or 'no problems'}"


def cmd_check(args) -> int:
    gc.disable()  # a short run whose objects form few cycles: collecting them costs a third of its CPU
    cache = None if args.no_cache else CACHE_FOLDER
    checked = check_content(Path(args.content), cache, explain=args.explain, later=True)
    problems = checked.problems
    if args.format == "json":
        print(diag.format_report(problems, as_json=True))
    elif problems:
        print(diag.format_report(problems, github=os.environ.get("GITHUB_ACTIONS") == "true"))
    errors = sum(1 for p in problems if p.severity == diag.ERROR)
    warnings = sum(1 for p in problems if p.severity == diag.WARNING)
    if args.format != "json" and checked.files is not None:
        files = checked.files
        summaries = sum(1 for p in files.editorial if p.parent.name == DIGEST_FOLDER)
        pages = len(files.editorial) - summaries
        line = check_summary(len(files.entry_texts), len(files.profiles), errors, warnings, summaries, pages)
        print(line, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    checked.write_cache()  # the drafts files, by processes that outlive this one: the answer is out
    code = 1 if errors or (args.strict and warnings) else 0
    if args.leave:  # the program: gone at once, not freeing every draft one by one (seconds at 100,000)
        os._exit(code)
    return code


def cmd_new(args) -> int:
    from .editing import cmd_new as new  # imported when used: the check starts without it

    return new(args)


def cmd_suggest(args) -> int:
    from .editing import cmd_suggest as suggest

    return suggest(args)


def cmd_serve(args) -> int:
    from .preview import serve

    return serve(
        Path(args.content), Path(args.output), args.settings, args.host, args.port, watch_files=not args.no_watch
    )


def cmd_deploy(args) -> int:
    from .deploy import DeployError, deploy

    try:
        result = deploy(Path(args.output), args.remote, args.branch)
    except DeployError as exc:
        print(f"briefing deploy: error: {exc}", file=sys.stderr)
        return 1
    if result.created:
        print(f"Deployed {args.output}/ ({result.files} files) to {args.branch} on {args.remote}: {result.commit[:12]}")
    else:
        print(f"Nothing to deploy: {args.branch} on {args.remote} already holds this build ({result.commit[:12]})")
    return 0


def _add_deploy(commands):
    """briefing deploy: its options default to the environment CI sets."""
    deploy = commands.add_parser("deploy", help="publish a built site as one commit on a branch of a git remote")
    deploy.add_argument("output", nargs="?", default="output", help="the built site (default: output)")
    deploy.add_argument(
        "--remote",
        default=os.environ.get("DEPLOY_REMOTE") or "origin",
        help="git remote name, URL or folder (default: $DEPLOY_REMOTE, else origin)",
    )
    deploy.add_argument(
        "--branch",
        default=os.environ.get("DEPLOY_BRANCH") or "gh-pages",
        help="branch to publish to (default: $DEPLOY_BRANCH, else gh-pages)",
    )
    deploy.set_defaults(run=cmd_deploy)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Briefing Digest tools for editors.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check every content file; print each problem as path:line:col")
    check.add_argument("content", nargs="?", default="content", help="content folder (default: content)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--explain", action="store_true", help="also note which entities each event concerns, and why")
    check.add_argument("--no-cache", action="store_true", help=f"do not reuse or update {CACHE_FOLDER}/")
    check.set_defaults(run=cmd_check)

    new = commands.add_parser("new", help="start an entry: content/briefings/<YYYY>/<slug>.md with its front matter")
    new.add_argument("title", help="the entry's title, in quotes")
    new.add_argument("--date", help="publication date, YYYY-MM-DD (default: today)")
    new.add_argument("--country", action="append", default=[], metavar="NAME", help="a country it names (repeat)")
    new.add_argument("--official", action="append", default=[], metavar="NAME", help="an official it names (repeat)")
    new.add_argument("--issue", action="append", default=[], metavar="NAME", help="a known issue (repeat)")
    new.add_argument(
        "--new-issue",
        action="append",
        default=[],
        metavar="NAME",
        help="an issue no entry or profile has named yet (repeat)",
    )
    new.add_argument("--slug", help="the page address (default: from the title)")
    new.add_argument("--content", default="content", help="content folder (default: content)")
    new.set_defaults(run=cmd_new)

    suggest = commands.add_parser("suggest", help="propose front matter (names, events) from an entry's text")
    suggest.add_argument("file", nargs="?", default="-", help="an entry or a pasted report (default: - for stdin)")
    suggest.add_argument("--date", help="resolve dates against this day, YYYY-MM-DD (default: the entry's date)")
    suggest.add_argument("--write", action="store_true", help="add what the front matter lacks to FILE")
    suggest.add_argument("--content", default="content", help="content folder (default: content)")
    suggest.set_defaults(run=cmd_suggest)

    serve = commands.add_parser("serve", help="build, serve on http://127.0.0.1:8000 and rebuild on change")
    serve.add_argument("--content", default="content")
    serve.add_argument("--output", default="output")
    serve.add_argument("--settings", default="pelicanconf.py")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-watch", action="store_true", help="serve without rebuilding on change")
    serve.set_defaults(run=cmd_serve)

    _add_deploy(commands)
    digest_email.add_parser(commands)
    return parser


def main(argv=None) -> int:
    """The command; run as the program (no `argv`), a check leaves by os._exit once its
    answer is out and flushed (cmd_check)."""
    args = build_parser().parse_args(argv)
    args.leave = argv is None
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
