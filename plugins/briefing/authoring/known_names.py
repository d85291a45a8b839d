"""The registry of a content folder, for the editor's tools (`briefing new`, `briefing suggest`).

Built exactly as the check builds it (same parser, same registry), so a name these tools
accept is a name the check accepts. Problems elsewhere in the content do not stop it: an
editor can start a new entry while another one is still being fixed.
"""

from __future__ import annotations

from pathlib import Path

from ..domain.content_files import find_content
from ..domain.loader import parse_entries, parse_profiles
from ..domain.model import OFFICIAL, EntryDraft, Kind, Profile
from ..domain.registry import Registry, build_registry


def load_registry(content_dir: Path) -> tuple[Registry, list[EntryDraft]]:
    """The registry every check would build from `content_dir`, and the entries that parsed."""
    registry, drafts, _ = load_content(content_dir)
    return registry, drafts


def load_content(content_dir: Path) -> tuple[Registry, list[EntryDraft], list[Profile]]:
    """The registry, the entries and the profiles that the check reads from `content_dir`."""
    files = find_content(Path(content_dir))
    drafts = [draft for draft, _ in parse_entries(files.entries, root=files.root) if draft is not None]
    profiles = [profile for profile, _ in parse_profiles(files.profiles, files.root) if profile is not None]
    registry, _ = build_registry(profiles, drafts)
    return registry, drafts, profiles


def registry_with(profiles: list[Profile], drafts: list[EntryDraft], draft: EntryDraft) -> Registry:
    """The registry as it would be with `draft` in place of the entry at its path (the
    officials and issues it introduces included), to check an edit before it is written."""
    others = [d for d in drafts if d.path != draft.path]
    return build_registry(profiles, [*others, draft])[0]


def canonical_names(registry: Registry, kind: Kind, names) -> tuple[list[str], list[str]]:
    """(canonical names, in order and without repeats; a message for each unknown name)."""
    found: list[str] = []
    unknown: list[str] = []
    for name in names:
        entity = registry.find(kind, name)
        if entity is None:
            hint = registry.suggestion(kind, name)
            extra = (
                ""
                if hint or kind is not OFFICIAL
                else (": add a profile in content/officials/ first, or name them in an entry with their country")
            )
            unknown.append(f"unknown {kind.name} '{name}'{hint}{extra}")
        elif entity.name not in found:
            found.append(entity.name)
    return found, unknown
