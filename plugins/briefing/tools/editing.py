"""`briefing new` and `briefing suggest`: the editor's commands, thin over the domain.

Errors are one line each on stderr, `briefing <command>: error: ...`, with what to do;
never a traceback. Output meant for the editor to copy (a path, YAML) goes to stdout.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..authoring.known_names import canonical_names, load_registry
from ..authoring.merge import MergeError, merge_front_matter
from ..authoring.new_entry import NewEntry
from ..authoring.suggest import suggest, suggestion_yaml
from ..domain import diagnostics as diag
from ..domain.dates import DateError, parse_partial_date
from ..domain.frontmatter import decode, parse_entry
from ..domain.frontmatter.source import invisible_character
from ..domain.limits import MAX_FILE_BYTES
from ..domain.model import COUNTRY, ISSUE, OFFICIAL, entry_url
from ..domain.names import MAX_SLUG_LENGTH, is_slug, slugify
from ..domain.resolve import resolve_entry
from ..safety import UnsafeFile, read_regular_file, write_atomically


def print_error(command: str, message: str):
    print(f"briefing {command}: error: {message}", file=sys.stderr)


def _day(command: str, text: str | None) -> dt.date | None:
    """--date as a day; None (after printing why) if it is not one."""
    if text is None:
        return dt.date.today()
    try:
        date = parse_partial_date(text)
    except DateError as exc:
        print_error(command, f"--date: {exc}")
        return None
    if not date.day:
        print_error(command, f"--date '{text}' needs a day: write YYYY-MM-DD")
        return None
    return date.first_day()


def _no_content(command: str, folder: str) -> int:
    print_error(command, f"content folder '{folder}' not found: run this in the site's folder, or give --content")
    return 1


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _invisible(what: str, text: str) -> bool:
    """Refuse what the check would refuse in the file written: a control character."""
    found = invisible_character(text)
    if found:
        print_error("new", f"{what} contains {found}: type it again without it")
    return found is not None


def cmd_new(args) -> int:
    title = " ".join(args.title.split())
    date = _day("new", args.date)
    if date is None:
        return 1
    if _invisible("the title", args.title) or any(_invisible(f"--new-issue {n!r}", n) for n in args.new_issue):
        return 1
    if not title:
        print_error("new", 'the title is empty: give it in quotes, e.g. briefing new "India and China resume flights"')
        return 1
    slug = args.slug or slugify(title)
    if not slug:
        print_error("new", "the title has no letters or digits for a page address: add --slug")
        return 1
    if not is_slug(slug):
        print_error(
            "new",
            f"slug '{slug}' must be lowercase letters, digits and single hyphens, at most {MAX_SLUG_LENGTH} characters",
        )
        return 1
    content = Path(args.content)
    if not content.is_dir():
        return _no_content("new", args.content)
    registry, drafts = load_registry(content)
    problems: list[str] = []
    countries, unknown = canonical_names(registry, COUNTRY, args.country)
    problems += unknown
    officials, unknown = canonical_names(registry, OFFICIAL, args.official)
    problems += unknown
    issues, unknown = canonical_names(registry, ISSUE, args.issue)
    problems += [f"{message}; for an issue no entry has named yet, use --new-issue" for message in unknown]
    for written in args.new_issue:
        name = " ".join(written.split())
        known = registry.find(ISSUE, name)
        if name and (known.name if known else name) not in issues:
            issues.append(known.name if known else name)
    for message in problems:
        print_error("new", message)
    if problems:
        return 1
    new = NewEntry(title, date, slug, tuple(countries), tuple(officials), tuple(issues))
    path = new.path(content)
    if path.exists():
        print_error("new", f"{_shown(path)} already exists; refusing to overwrite it (give another --slug)")
        return 1
    for draft in drafts:
        if draft.published.year == date.year and (draft.slug or draft.default_slug) == slug:
            address = entry_url(slug, date.year)
            print_error("new", f"{draft.path} already has the address {address}: give another --slug")
            return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text(_shown(path)))
    except FileExistsError:
        print_error("new", f"{_shown(path)} already exists; refusing to overwrite it (give another --slug)")
        return 1
    print(_shown(path))
    return 0


def _read_input(command: str, name: str) -> tuple[str, bytes] | None:
    if name == "-":
        return "<stdin>", sys.stdin.buffer.read()
    try:
        return name, read_regular_file(name, MAX_FILE_BYTES)
    except UnsafeFile as unsafe:
        too_large = unsafe.reason == UnsafeFile.TOO_LARGE
        why = f"it is {unsafe.size:,} bytes (at most 2 MiB)" if too_large else f"it is a {unsafe.detail}"
        print_error(command, f"cannot read {name}: {why}")
    except OSError as exc:
        print_error(command, f"cannot read {name}: {exc.strerror}")
    return None


def cmd_suggest(args) -> int:
    read = _read_input("suggest", args.file)
    if read is None:
        return 1
    shown, raw = read
    if args.write and args.file == "-":
        print_error("suggest", "--write needs a file: briefing suggest --write content/briefings/<YYYY>/<file>.md")
        return 1
    problems: list = []
    text = decode(shown, raw, problems)
    if text is None:
        print(diag.format_report(problems), file=sys.stderr)
        return 1
    draft = None
    body, body_line = text, 1
    if text.startswith("---"):
        draft, problems = parse_entry(shown, raw)
        if draft is None:
            print(diag.format_report(problems), file=sys.stderr)
            print_error("suggest", "fix the front matter first (the lines above say where)")
            return 1
        body, body_line = draft.body, draft.body_line
    elif args.write:
        print_error("suggest", f"{shown} has no front matter to add to: start the entry with 'briefing new'")
        return 1
    anchor = _day("suggest", args.date) if args.date or draft is None else draft.published.date()
    if anchor is None:
        return 1
    if not Path(args.content).is_dir():
        return _no_content("suggest", args.content)
    registry, _ = load_registry(Path(args.content))
    found = suggest(body, body_line, registry, anchor, draft)
    print(suggestion_yaml(found, shown), end="")
    if not args.write:
        return 0
    return _write(shown, raw, text, found.additions(), registry)


def _write(shown: str, raw: bytes, text: str, additions: dict, registry) -> int:
    if not additions:
        print(f"Nothing to add: {shown} already lists everything suggested.", file=sys.stderr)
        return 0
    try:
        merged = merge_front_matter(text, additions)
    except MergeError as exc:
        print_error("suggest", f"{shown}: {exc}")
        return 1
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    newline = "\r\n" if b"\r\n" in raw else "\n"
    data = (bom + merged.replace("\n", newline)).encode("utf-8")
    draft, problems = parse_entry(shown, data)
    if draft is not None:
        problems += resolve_entry(registry, draft)[1]
    if diag.has_errors(problems):  # never write a file the check would refuse
        print(diag.format_report(problems), file=sys.stderr)
        print_error("suggest", f"not written: the merged front matter of {shown} would not pass the check")
        return 1
    write_atomically(shown, data, mode_from=shown)
    added = "; ".join(
        f"{key} {', '.join(v if isinstance(v, str) else v['date'] for v in values)}"
        for key, values in additions.items()
    )
    print(f"Added to {shown}: {added}", file=sys.stderr)
    return 0
