"""Which files under content/ the build reads, which it skips, and reading them safely.

Entries are `content/briefings/**/*.md`; profiles are `content/<kind folder>/*.md`; digest
summaries are `content/digests/*.md` and the site's own pages `content/pages/*.md`. Dot-files
and editor back-ups (`.#india.md`, `india.md~`, `.india.md.swp`, `#india.md#`) are skipped
silently; any other file the build would not read (a wrong extension or case, a wrong folder,
a sub-folder of a profile folder) is a warning that names it and says where it belongs.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..safety import UnsafeFile, read_regular_file
from . import diagnostics as diag
from .limits import MAX_FILE_BYTES
from .model import KINDS
from .names import did_you_mean

ENTRY_FOLDER = "briefings"
RELATION_FOLDER = "relations"  # relation profiles: content/relations/<slug-a>--<slug-b>.md
PROFILE_FOLDERS = (*(kind.folder for kind in KINDS), RELATION_FOLDER)
DIGEST_FOLDER = "digests"  # digest summaries: content/digests/2025-06.md, content/digests/2025-w24.md
PAGE_FOLDER = "pages"  # the site's own pages: content/pages/about.md is /about/
EDITORIAL_FOLDERS = (DIGEST_FOLDER, PAGE_FOLDER)
FLAT_FOLDERS = (*PROFILE_FOLDERS, *EDITORIAL_FOLDERS)  # folders read without sub-folders
EXTENSION = ".md"


@dataclass
class ContentFiles:
    """Entry and profile files (each sorted by path), and a warning for each stray file."""

    root: Path
    entry_texts: list[str] = field(default_factory=list)  # each entry's path as os.walk gives it
    profiles: list[Path] = field(default_factory=list)
    editorial: list[Path] = field(default_factory=list)  # digest summaries, then pages
    strays: list = field(default_factory=list)

    @functools.cached_property
    def entries(self) -> list[Path]:
        """The entries' paths, made when asked: the check reads their texts alone (making
        100,000 `Path` objects was 0.45 s before its two processes could start)."""
        return [Path(text) for text in self.entry_texts]


def working_directory() -> str:
    return os.path.realpath(os.getcwd()) + os.sep


def is_editor_litter(name: str) -> bool:
    """Dot-files, lock files and back-ups editors leave beside the files they edit."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def shown_path(path: Path | str, cwd: str | None = None) -> str:
    """A path as editors see it: relative to the working directory when inside it. `cwd`, the
    working directory's real path and a separator, saves looking it up for each of many paths."""
    cwd = cwd or working_directory()
    full = os.path.abspath(path)
    if not full.startswith(cwd):
        full = os.path.realpath(path)
    return full[len(cwd) :].replace(os.sep, "/") if full.startswith(cwd) else Path(path).as_posix()


def _stray(path: Path, relative: tuple[str, ...], root: Path) -> diag.Diagnostic:
    """The warning for a file the build does not read, saying where it would be read."""
    top, name = relative[0], relative[-1]
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    if len(relative) > 1 and top == ENTRY_FOLDER:
        message = f"not read: only '{EXTENSION}' files are read; rename it to '{stem}{EXTENSION}' if it is an entry"
    elif len(relative) == 2 and top in FLAT_FOLDERS:
        what = "a profile" if top in PROFILE_FOLDERS else "a digest summary" if top == DIGEST_FOLDER else "a page"
        message = f"not read: only '{EXTENSION}' files are read; rename it to '{stem}{EXTENSION}' if it is {what}"
    elif len(relative) > 2 and top in FLAT_FOLDERS:
        what = "profiles" if top in PROFILE_FOLDERS else "digest summaries" if top == DIGEST_FOLDER else "pages"
        message = (
            f"not read: {what} are read only directly in content/{top}/; move it to content/{top}/{stem}{EXTENSION}"
        )
    else:
        hint = did_you_mean(top, (ENTRY_FOLDER, *FLAT_FOLDERS)) if len(relative) > 1 else ""
        message = (
            "not read: entries go under content/briefings/, profiles in "
            f"content/{'/, content/'.join(PROFILE_FOLDERS)}/, digest summaries in content/{DIGEST_FOLDER}/ "
            f"and pages in content/{PAGE_FOLDER}/{hint}"
        )
    return diag.warning(shown_path(path), 1, 1, message)


def find_content(content_dir: Path) -> ContentFiles:
    """Every content file, classified; folders that are links are not followed (warned)."""
    root = Path(content_dir)
    found = ContentFiles(root)
    entries: list[tuple[tuple[str, ...], str, list[str]]] = []  # (folder's parts, its path, entry names)
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        relative_folder = here.relative_to(root).parts
        dirs[:] = sorted(d for d in dirs if not is_editor_litter(d))
        for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            dirs.remove(name)
            found.strays.append(
                diag.warning(shown_path(here / name), 1, 1, "not read: a link to a folder is not followed")
            )
        rest = sorted(names)
        if relative_folder[:1] == (ENTRY_FOLDER,):
            taken, rest = _entry_names(rest)
            entries.append((relative_folder, os.path.join(folder, ""), taken))
        for name in rest:
            if is_editor_litter(name):
                continue
            relative = (*relative_folder, name)
            if name.endswith(EXTENSION) and len(relative) == 2 and relative[0] in PROFILE_FOLDERS:
                found.profiles.append(here / name)
            elif name.endswith(EXTENSION) and len(relative) == 2 and relative[0] in EDITORIAL_FOLDERS:
                found.editorial.append(here / name)
            else:
                found.strays.append(_stray(here / name, relative, root))
    found.entry_texts = _in_path_order(entries)
    found.profiles.sort(key=lambda p: (PROFILE_FOLDERS.index(p.parent.name), p))
    found.editorial.sort(key=lambda p: (EDITORIAL_FOLDERS.index(p.parent.name), p))
    return found


_ENTRY_NAME = re.compile(rf"^[^.\n][^\n]*{re.escape(EXTENSION)}$", re.MULTILINE)  # not a dot-file


def _entry_names(names: list[str]) -> tuple[list[str], list[str]]:
    """(the entry files, the other names) of a folder under briefings/, in the order given:
    the entries found by one search over the joined names, in C (a test per name in Python
    was 0.25 s of a listing of 100,000 entries). A name that holds a newline takes the test
    per name."""
    joined = "\n".join(names)
    if joined.count("\n") != len(names) - 1:
        taken = [n for n in names if n.endswith(EXTENSION) and not is_editor_litter(n)]
    else:
        taken = _ENTRY_NAME.findall(joined)
    if len(taken) == len(names):
        return taken, []
    chosen = set(taken)
    return taken, [n for n in names if n not in chosen]


def _in_path_order(entries: list[tuple[tuple[str, ...], str, list[str]]]) -> list[str]:
    """The entries' paths sorted as their parts compare: a folder's names are sorted already,
    so only entries in more than one folder are sorted again."""
    if len(entries) == 1:
        _, prefix, names = entries[0]
        return [prefix + name for name in names]
    every = [((*parts, name), prefix + name) for parts, prefix, names in entries for name in names]
    return [text for _, text in sorted(every)]


def read_content_file(
    path: Path | str, shown: str, root: Path | None, problems: list, looked: os.stat_result | None = None
) -> bytes | None:
    """The file's bytes, or None with the reason as an error: only regular files (links only
    into the content folder), never more than the size limit. `looked`: its lstat, if just taken."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES, root, looked)
    except UnsafeFile as unsafe:
        problems.append(diag.error(shown, 1, 1, _unsafe_message(unsafe)))
    except OSError as exc:
        problems.append(diag.error(shown, 1, 1, f"cannot read the file: {exc.strerror}"))
    return None


def _unsafe_message(unsafe: UnsafeFile) -> str:
    if unsafe.reason == UnsafeFile.TOO_LARGE:
        return f"file is {unsafe.size:,} bytes; a content file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MiB"
    if unsafe.reason == UnsafeFile.LINK_OUTSIDE:
        return f"not read: a link to {unsafe.detail}, outside the content folder (copy the file in instead)"
    if unsafe.reason == UnsafeFile.LINK_MISSING:
        return f"not read: a link to {unsafe.detail}, which does not exist"
    return f"not read: a {unsafe.detail}, not a regular file (a content file is a plain text file)"
