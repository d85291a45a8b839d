"""Resolved entries kept between the preview's assemblies of the site (build/live.py).

Resolving an entry reads its own draft and the registry alone (as the check's records say,
check_site.py). So while the registry's state (check_site.registry_key: every entity's fields
that names, messages and pages read, every name and where it was first given) is as it was,
an entry whose draft is the very object parsed before resolves as it did: its resolution is
copied, not made again. An edit that changes the registry (a profile renamed, an alias or an
official added or taken away, a name another file gave first) resolves every draft again.
"""

from __future__ import annotations

from .check_site import registry_key
from .model import Entry, EntryDraft
from .resolve import resolve_entry


class Resolutions:
    """Each draft's resolution as resolve_entry made it, kept with the registry state it was
    made against; resolver() hands out copies that later steps may change."""

    def __init__(self):
        self.key: str | None = None
        self.kept: dict[str, tuple[EntryDraft, Entry | None, tuple]] = {}  # path -> (draft, pristine entry, problems)
        self.reused = 0  # of the last assembly (tests)

    def resolver(self, registry):
        """resolve_entry for this assembly's registry: a kept resolution when it is exact."""
        key = registry_key((), registry)
        kept = self.kept if key == self.key else {}
        fresh: dict[str, tuple[EntryDraft, Entry | None, tuple]] = {}
        self.key, self.kept, self.reused = key, fresh, 0

        def resolve(registry, draft: EntryDraft) -> tuple[Entry | None, list]:
            found = kept.get(draft.path)
            if found is not None and found[0] is draft:
                self.reused += 1
                fresh[draft.path] = found
                return _copied(found[1]), list(found[2])
            entry, problems = resolve_entry(registry, draft)
            fresh[draft.path] = (draft, _copied(entry), tuple(problems))
            return entry, problems

        return resolve


def _copied(entry: Entry | None) -> Entry | None:
    """A copy of a just-resolved entry that later steps may change: merging sets its events and
    statements and each of its statements' reports and anchor, rendering its HTML and text.
    (copy.copy's work without its generic protocol: 10,000 of them on every assembly.)"""
    if entry is None:
        return None
    twin = _shallow(entry)
    said = []
    for statement in entry.said:
        copied = _shallow(statement)
        copied.reports = list(statement.reports)
        said.append(copied)
    twin.said = tuple(said)
    return twin


def _shallow(value):
    twin = object.__new__(type(value))
    twin.__dict__.update(value.__dict__)
    return twin
