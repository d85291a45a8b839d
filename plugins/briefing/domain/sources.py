"""Every content file read and parsed, kept by path: what load_site() assembles into a Site,
and what the live preview keeps between saves, re-reading only the files that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache
from .content_files import ContentFiles, find_content
from .loader import parse_editorial, parse_entries, parse_profiles


@dataclass
class Sources:
    """Each entry, profile and editorial file's parse result, `(draft or profile or None,
    diagnostics)`, by its path, in the order load_site() reads them."""

    files: ContentFiles
    entries: dict[Path, tuple] = field(default_factory=dict)
    profiles: dict[Path, tuple] = field(default_factory=dict)
    editorial: dict[Path, tuple] = field(default_factory=dict)  # digest summaries and site pages

    @property
    def strays(self) -> list:
        return self.files.strays

    def owner(self, path: Path):
        """The draft or profile read from `path` (None when it had errors or is not ours)."""
        found = self.entries.get(path) or self.profiles.get(path) or self.editorial.get(path)
        return found[0] if found else None

    def result(self, path: Path) -> tuple:
        """(what `path` was read as, its diagnostics); (None, []) for a file that is not ours."""
        return self.entries.get(path) or self.profiles.get(path) or self.editorial.get(path) or (None, [])


def read_sources(content_dir: Path, workers: int = 0, cache: BuildCache | None = None) -> Sources:
    """Find, read and parse every content file (in parallel on large sites, cached by hash)."""
    files = find_content(content_dir)
    sources = Sources(files)

    def profiles_and_editorial():  # (read here while workers parse the entries)
        sources.profiles = dict(zip(files.profiles, parse_profiles(files.profiles, files.root), strict=True))
        sources.editorial = dict(zip(files.editorial, parse_editorial(files.editorial, files.root), strict=True))

    entries = parse_entries(files.entries, workers, cache, files.root, profiles_and_editorial)
    sources.entries = dict(zip(files.entries, entries, strict=True))
    return sources


def reread(sources: Sources, changed: list[Path]) -> Sources:
    """`sources` after the files in `changed` were saved, added or deleted: a file that was
    there and still is is parsed again alone; an added or deleted one lists the folder anew.
    Every other file keeps its result, copied without a test per file when none was added
    or deleted (at 100,000 entries, such tests cost each of the preview's saves 0.1 s)."""
    saved = set(changed)
    known = (sources.entries, sources.profiles, sources.editorial)
    if any(not any(path in results for results in known) or not path.is_file() for path in saved):
        files = find_content(sources.files.root)
    else:
        files = sources.files
    root = files.root
    fresh = Sources(files)
    for paths, results, new, parse in (
        (files.entries, sources.entries, fresh.entries, lambda path: parse_entries([path], 1, None, root)[0]),
        (files.profiles, sources.profiles, fresh.profiles, lambda path: parse_profiles([path], root)[0]),
        (files.editorial, sources.editorial, fresh.editorial, lambda path: parse_editorial([path], root)[0]),
    ):
        if files is sources.files:  # the same files: a copy (in their order), the saved ones parsed
            new.update(results)
            new.update((path, parse(path)) for path in saved if path in results)
        else:
            new.update((path, parse(path) if path in saved or path not in results else results[path]) for path in paths)
    return fresh
