"""`briefing new` and `briefing suggest`: the editor's commands, thin over the domain.

Errors are one line each on stderr, `briefing <command>: error: ...`, with what to do;
never a traceback. Output meant for the editor to copy (a path, YAML) goes to stdout.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..authoring.known_names import canonical_names, load_content, load_registry, registry_with
from ..authoring.merge import MergeError, merge_front_matter, rejections
from ..authoring.new_entry import NewEntry
from ..authoring.suggest import Context, suggest
from ..authoring.suggest_memory import SuggestMemory, item_label
from ..authoring.suggest_yaml import suggestion_yaml
from ..domain import diagnostics as diag
from ..domain.cache import cache_folder
from ..domain.dates import DateError, parse_partial_date
from ..domain.frontmatter import decode, read_entry
from ..domain.frontmatter.source import invisible_character
from ..domain.limits import MAX_FILE_BYTES
from ..domain.model import COUNTRY, ISSUE, OFFICIAL, entry_url
from ..domain.names import MAX_SLUG_LENGTH, is_slug, name_key, slugify
from ..domain.resolve import resolve_entry
from ..safety import UnsafeFile, read_regular_file, write_atomically


def print_error(command: str, message: str):
    print(f"briefing {command}: error: {message}", file=sys.stderr)


def _day(command: str, text: str | None) -> dt.date | None:
    """--date as a day; None (after printing why) if it is not one. An entry's date is a
    day, so a month or a year is refused with the day to write instead."""
    if text is None:
        return dt.date.today()
    try:
        date = parse_partial_date(text)
    except DateError as exc:
        message = str(exc).replace("write YYYY, YYYY-MM or YYYY-MM-DD", "write the day as YYYY-MM-DD")
        print_error(command, f"--date: {message}")
        return None
    if not date.day:
        example = date.first_day().isoformat()
        print_error(command, f"--date '{text}' is not a day: an entry is dated by its day, e.g. --date {example}")
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
    new = NewEntry(title, date, slug, tuple(countries), tuple(officials), tuple(issues), slug_given=bool(args.slug))
    path = new.path(content)
    if path.exists():
        print_error("new", f"{_shown(path)} already exists; refusing to overwrite it (give another --slug)")
        return 1
    for draft in drafts:
        if draft.published and draft.published.year == date.year and (draft.slug or draft.default_slug) == slug:
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


def _read_entry_text(args, shown: str, raw: bytes, text: str):
    """(draft or None, body, first body line) of what suggest reads; None after printing why
    when the front matter cannot be used. A front matter with errors still gives its date
    and names (read_entry), so suggest prints proposals for an entry being fixed; --write
    waits until the front matter itself reads without error (a name the registry does not
    know is no obstacle: --write does not make it worse, and says so)."""
    if not text.startswith("---"):
        if args.write:
            print_error("suggest", f"{shown} has no front matter to add to: start the entry with 'briefing new'")
            return None
        return None, text, 1
    draft, problems = read_entry(shown, raw)
    if draft is None or (draft.published is None and not args.date) or (args.write and diag.has_errors(problems)):
        print(diag.format_report(problems), file=sys.stderr)
        print_error("suggest", "fix the front matter first (the lines above say where)")
        return None  # (--write edits only a front matter that reads without error)
    return draft, draft.body, draft.body_line


def _rejected(registry, labels) -> frozenset[str]:
    """Name keys (canonical, whatever spelling the editor used) and dates rejected."""
    keys = set()
    for label in labels:
        keys.add(name_key(label))
        for kind in (COUNTRY, OFFICIAL, ISSUE):
            entity = registry.find(kind, label)
            if entity is not None:
                keys.add(name_key(entity.name))
    return frozenset(keys)


def _listed_labels(registry, draft) -> set[str]:
    """What the front matter lists now: canonical names, official names as written, event dates."""
    labels = {e.date.iso() for e in draft.events} | {o.name.name for o in draft.officials}
    for kind, refs in (
        (COUNTRY, draft.countries),
        (ISSUE, draft.issues),
        (OFFICIAL, [o.name for o in draft.officials]),
    ):
        for ref in refs:
            entity = registry.find(kind, ref.name)
            labels.add(entity.name if entity else ref.name)
    return labels


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
    entry = _read_entry_text(args, shown, raw, text)
    if entry is None:
        return 1
    draft, body, body_line = entry
    anchor = _day("suggest", args.date) if args.date or draft is None else draft.published.date()
    if anchor is None:
        return 1
    if not Path(args.content).is_dir():
        return _no_content("suggest", args.content)
    registry, drafts, profiles = load_content(Path(args.content))
    memory = SuggestMemory(cache_folder()) if args.write else None
    deleted = []
    if memory is not None and draft is not None:
        listed = _listed_labels(registry, draft)
        deleted = [label for label in memory.added_before(shown) if label not in listed]
    labels = [*rejections(text), *deleted]
    context = Context(registry, anchor, draft, draft.title if draft else "", tuple(drafts), _rejected(registry, labels))
    found = suggest(body, body_line, context)
    print(suggestion_yaml(found, shown), end="")
    if memory is None:
        return 0
    written = _write(shown, raw, text, found.additions(), deleted, (profiles, drafts))
    if written == 0:
        kept = [label for label in memory.added_before(shown) if label not in deleted]
        memory.remember(shown, kept + [item_label(v) for values in found.additions().values() for v in values])
    return written


def _errors_of(shown: str, data: bytes, content) -> list:
    """The check's errors for the entry `data` at `shown`, among the rest of the content
    (`content`: its profiles and entries)."""
    draft, problems = read_entry(shown, data)
    if draft is not None:
        profiles, drafts = content
        problems += resolve_entry(registry_with(profiles, drafts, draft), draft)[1]
    return [p for p in problems if p.severity == diag.ERROR]


def _write(shown: str, raw: bytes, text: str, additions: dict, deleted: list[str], content) -> int:
    if not additions and not deleted:
        print(f"Nothing to add: {shown} already lists everything suggested.", file=sys.stderr)
        return 0
    try:
        merged = merge_front_matter(text, additions, deleted)
    except MergeError as exc:
        print_error("suggest", f"{shown}: {exc}")
        return 1
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    newline = "\r\n" if b"\r\n" in raw else "\n"
    data = (bom + merged.replace("\n", newline)).encode("utf-8")
    before = {p.message for p in _errors_of(shown, raw, content)}
    new = [p for p in _errors_of(shown, data, content) if p.message not in before]
    if new:  # never add what the check would refuse; errors that were there already are not ours
        print(diag.format_report(new), file=sys.stderr)
        print_error("suggest", f"not written: what it would add to {shown} would not pass the check")
        return 1
    write_atomically(shown, data, mode_from=shown)
    added = "; ".join(f"{key} {', '.join(item_label(v) for v in values)}" for key, values in additions.items())
    if added:
        print(f"Added to {shown}: {added}", file=sys.stderr)
    if deleted:
        print(f"Not added again (deleted since the last --write): {', '.join(deleted)}", file=sys.stderr)
    if before:
        print(f"{shown} still has {len(before)} error(s) of its own: run 'briefing check' to see them", file=sys.stderr)
    return 0
