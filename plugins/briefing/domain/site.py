"""load_site(): every content file in, one checked and cross-linked Site out.

The content check and the build both call it, so they can never disagree: find and parse
every file, build the registry, resolve names, then (for a build) derive the views and
render the bodies.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

from . import diagnostics as diag
from .cache import BuildCache
from .config import BriefingConfig
from .derive import derive_site, link_target, mention_targets
from .early_bodies import EarlyBodies, start_early
from .editorial import DigestSummary, SitePage, summary_warnings
from .entry_warnings import entry_warnings
from .events_kept import merge_events_kept
from .loader import render_bodies
from .model import Entry, Profile, RelationProfile
from .near_misses import near_miss_warnings
from .registry import build_registry
from .relation_profiles import check_relation_profiles
from .resolutions import Resolutions
from .resolve import basis_text, resolve_entry
from .sources import Sources, read_sources
from .statements import merge_statements
from .views import Site


def load_site(
    content_dir, config: BriefingConfig | None = None, *, timings: dict | None = None, **options
) -> tuple[Site | None, list]:
    """(Site, diagnostics); the Site is None when any diagnostic is an error. `options` are
    assemble_site's: with render=False only the checks run (what `briefing check` needs); with
    explain=True the diagnostics also hold a note per event saying which entities it concerns."""
    config = config or BriefingConfig()
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        return None, [diag.error(str(content_dir), 1, 1, "content folder not found")]
    clock = _Clock(timings)
    sources = read_sources(content_dir, config.workers, options.get("cache"))
    clock.lap("parse")
    return assemble_site(sources, config, clock=clock, **options)


def assemble_site(
    sources: Sources,
    config: BriefingConfig,
    *,
    render: bool = True,
    today: dt.date | None = None,
    clock: _Clock | None = None,
    cache: BuildCache | None = None,
    explain: bool = False,
    previous: Site | None = None,
    resolutions: Resolutions | None = None,
    plain_text: bool = True,
    meanwhile: Callable[[Site], None] | None = None,
) -> tuple[Site | None, list]:
    """Registry, names resolved, reports merged, views derived and bodies rendered, from the
    files already read: the whole build after parsing (the preview runs it on every save that
    changes front matter; `cache` then holds every body rendered so far, `previous` the site it
    had: see derive_site, and `resolutions` the entries it resolved: see Resolutions). Without
    `plain_text` the entries' text (for search only) is not made, unless `cache` keeps it.
    `meanwhile(site)` runs while other processes render the bodies, if they do (no cache): the
    build's page list, which reads no body, instead of after them with a core idle."""
    clock = clock or _Clock(None)
    problems: list = list(sources.strays)
    drafts = _drafts(sources, problems)
    profiles, relation_profiles = _sorted_out(sources.profiles.values(), problems, Profile, RelationProfile)
    summaries, pages = _sorted_out(sources.editorial.values(), problems, DigestSummary, SitePage)
    registry = _registry(profiles, drafts, previous, problems)
    clock.lap("registry")
    quick = render and not cache and previous is None and resolutions is None and not diag.has_errors(problems)
    early = _start_early(registry, drafts, config, plain_text) if quick else None
    entries, complete = _resolved(registry, drafts, resolutions, problems)
    early = _expected(early, registry, entries, config)
    problems += near_miss_warnings(registry, drafts, profiles)
    warned = resolutions.warnings if resolutions is not None else None
    problems += entry_warnings(entries, complete, today or dt.date.today(), warned)
    problems += _duplicate_urls(entries, complete)
    merged, found, kept_events = _merge_reports(registry, entries, relation_profiles, config, explain, previous)
    problems += found
    problems += summary_warnings(summaries, [e for e in entries if not e.is_draft])
    clock.lap("resolve")
    if diag.has_errors(problems) or not render:
        if early is not None:
            early.stop()
        if cache:
            cache.save()
        return None, sorted(set(problems))
    site = derive_site(registry, entries, config, **merged, summaries=summaries, pages=pages, previous=previous)
    site.kept_events = kept_events
    clock.lap("derive")
    if early is not None and meanwhile is not None:
        _while_rendering(meanwhile, site, early, clock)
    _render(site, config, cache, previous.bodies if previous is not None else {}, plain_text, early)
    registry.kept_targets = {}  # (read by _render alone)
    clock.lap("markdown")
    if cache:
        cache.save()
    return site, sorted(set(problems))


def _drafts(sources: Sources, problems: list) -> list:
    """Every entry file's draft (what was read of it); the problems of reading them into `problems`."""
    drafts = []
    for draft, found in sources.entries.values():
        problems += found
        if draft is not None:
            drafts.append(draft)
    return drafts


def _while_rendering(meanwhile: Callable[[Site], None], site: Site, early: EarlyBodies, clock: _Clock):
    """`meanwhile(site)` while `early`'s first child renders the bodies; the child stopped
    with the build when it fails (a theme that does not compile)."""
    try:
        meanwhile(site)
    except BaseException:
        early.stop()
        raise
    clock.lap("meanwhile")


def _registry(profiles: list, drafts: list, previous: Site | None, problems: list):
    """Every entity and name of the profiles and entries; its problems into `problems`."""
    registry, found = build_registry(profiles, drafts)
    problems += found
    if previous is not None:
        registry.keep_typos(previous.registry)
        registry.kept_targets = previous.registry.link_targets
    return registry


def _resolved(registry, drafts: list, resolutions: Resolutions | None, problems: list) -> tuple[list, list]:
    """(the entries, the drafts they come from) of every draft that was read, so that each
    file's names are checked against all; their problems into `problems`."""
    entries, complete = [], []
    resolve = resolutions.resolver(registry) if resolutions is not None else resolve_entry
    for draft in drafts:
        entry, found = resolve(registry, draft)
        problems += found
        if entry is not None:
            entries.append(entry)
            complete.append(draft)
    return entries, complete


def _sorted_out(parsed, problems: list, *kinds: type) -> tuple[list, ...]:
    """The files that could be read, one list per kind (entity and relation profiles; digest
    summaries and site pages); their problems into `problems`."""
    lists: tuple[list, ...] = tuple([] for _ in kinds)
    for found, found_problems in parsed:
        problems += found_problems
        for kind, into in zip(kinds, lists, strict=True):
            if isinstance(found, kind):
                into.append(found)
    return lists


def _merge_reports(
    registry, entries: list[Entry], relation_profiles: list, config: BriefingConfig, explain: bool, previous
):
    """Events and statements merged across entries, relation profiles checked against them:
    ({events, statements, profiles} for derive_site, diagnostics, what the next merge keeps);
    with `explain`, a note per event saying which entities it concerns and why. After an edit
    (`previous`), only the events the changed entries report are merged again (events_kept.py)."""
    published = [e for e in entries if not e.is_draft]
    unpublished = [e for e in entries if e.is_draft]
    names = lambda key: registry.entities[key].name  # noqa: E731
    kept = previous.kept_events if previous is not None else None
    events, problems, kept = merge_events_kept(published, unpublished, names, kept)
    statements = merge_statements(published, unpublished, lambda key: registry.entities[key].slug)
    profiles, found = check_relation_profiles(registry, relation_profiles, published, config.relations_min_entries)
    problems += found
    if explain:
        problems += [
            diag.note(r.path, r.line, r.column, f"this event concerns {basis_text(registry, r)}")
            for e in entries
            for r in e.reports
            if r.same_as is None
        ]
    return {"events": events, "statements": statements, "profiles": profiles}, problems, kept


class _Clock:
    """Phase timings for `make bench` profiles (BRIEFING_TIMINGS=1); a no-op otherwise."""

    def __init__(self, timings: dict | None):
        import time

        self._now = time.perf_counter
        self.timings = timings
        self.last = self._now()

    def lap(self, name: str):
        if self.timings is not None:
            now = self._now()
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
            self.last = now


def _duplicate_urls(entries: list[Entry], drafts) -> list:
    seen: dict[str, Entry] = {}
    out = []
    for entry, draft in zip(entries, drafts, strict=True):
        first = seen.setdefault(entry.url, entry)
        if first is not entry:
            line = draft.slug_line if draft.slug else draft.title_line
            out.append(
                diag.error(
                    entry.path,
                    line,
                    1,
                    f"this entry and {first.path} both have the address {entry.url}: give one a different 'slug'",
                )
            )
    return out


def _start_early(registry, drafts: list, config: BriefingConfig, plain_text: bool) -> EarlyBodies | None:
    """The published bodies started on while the names are resolved and the site derived
    (early_bodies.py), or None. The child resolves each entry it takes itself, in its copy of
    the registry: forked before the main process resolves them all, it has a core that would
    otherwise wait (0.3-0.5 s at 10,000 entries)."""
    published = [draft for draft in drafts if draft.status != "draft"]  # (as Entry.is_draft)

    def job(at: int) -> tuple:
        entry, _ = resolve_entry(registry, published[at])
        return _early_job(entry, registry, config)

    return start_early([draft.path for draft in published], job, config.workers, plain_text)


def _early_job(entry: Entry | None, registry, config: BriefingConfig) -> tuple:
    if entry is None:  # (a draft with errors: the build is refused and the child stopped)
        return "", ()
    return entry.body, tuple(mention_targets(entry, registry)) if config.link_mentions else ()


def _expected(early: EarlyBodies | None, registry, entries: list[Entry], config: BriefingConfig) -> EarlyBodies | None:
    """`early` told the jobs the main process makes of the entries it resolved (finish compares
    each body's with them), or stopped when they are not those of the bodies it took."""
    if early is None:
        return None
    published = [entry for entry in entries if not entry.is_draft]
    if early.expect([entry.path for entry in published], [_early_job(e, registry, config) for e in published]):
        return early
    early.stop()
    return None


def _render(
    site: Site,
    config: BriefingConfig,
    cache: BuildCache | None,
    kept: dict[str, tuple],
    plain_text: bool = True,
    early: EarlyBodies | None = None,
):
    """Every body rendered: an entry's from `kept` (the previous site's, see Site.bodies) when
    its source and mention targets are as they were and it has the plain text this assembly
    wants, without hashing it; the rest by `early` (the bodies started on while the site was
    derived) or through render_bodies (the cache, or Markdown)."""
    plain_text = plain_text or cache is not None  # as render_bodies decides it
    everything = site.entries + site.drafts
    bodies = _kept_bodies(site, everything, kept, plain_text, config.link_mentions)
    todo = [at for at, found in enumerate(bodies) if len(found) == 2]  # (jobs: not kept)
    described, others = _described(site)
    made = early.finish([(everything[at].path, bodies[at]) for at in todo], others) if early else None
    if made is None:
        made = (
            render_bodies([bodies[at] for at in todo], config.workers, cache, plain_text),
            render_bodies(others, 1, cache),
        )
    for at, rendered in zip(todo, made[0], strict=True):
        bodies[at] = (*bodies[at], plain_text, rendered, everything[at].entity_keys)
    for entry, found in zip(everything, bodies, strict=True):
        site.bodies[entry.path] = found
        rendered = found[3]
        entry.html = rendered.html
        entry.text = rendered.text
        if not entry.summary:
            entry.summary = rendered.first_paragraph
    for set_html, rendered in zip(described, made[1], strict=True):
        set_html(rendered.html)


def _kept_bodies(site: Site, everything: list[Entry], kept: dict[str, tuple], plain_text: bool, links: bool) -> list:
    """For each entry, its kept body (source, mention targets, whether its plain text was made,
    the body rendered, the entity keys it named), or the (source, mention targets) job to render.
    A published entry that names the very keys its kept body did, none of whose link targets
    changed (_changed_targets), has that body's targets: they are not made again (10,000 entries'
    at each front-matter edit)."""
    changed = _changed_targets(site.registry) if links and kept else set()
    out: list[tuple] = []
    for entry in everything:
        found = kept.get(entry.path)
        if found is None or found[2] < plain_text or found[0] != entry.body:
            out.append(_job(site, entry, links))
        elif (
            found[4] is entry.entity_keys
            and not entry.is_draft
            and len(found[1]) == (len(entry.entity_keys) if links else 0)  # (none filtered out as a draft's were)
            and changed.isdisjoint(entry.entity_keys)
        ):
            out.append(found)
        else:
            job = _job(site, entry, links)
            out.append((*job, *found[2:4], entry.entity_keys) if job[1] == found[1] else job)
    return out


def _job(site: Site, entry: Entry, links: bool) -> tuple:
    return entry.body, tuple(mention_targets(entry, site.registry, site.views)) if links else ()


def _changed_targets(registry) -> set[str]:
    """The entities whose link target is not the previous assembly's very object: made now for
    each entity the previous assembly made one for (derive.link_target)."""
    entities = registry.entities
    return {
        key
        for key, target in registry.kept_targets.items()
        if key not in entities or link_target(registry, key) is not target
    }


def _described(site: Site) -> tuple[list, list[tuple]]:
    """(a setter of each profile's, digest summary's, site page's and relation profile's HTML,
    their (body, no mention targets) jobs) for those with a body."""
    setters: list = []
    jobs: list[tuple] = []
    for view in site.views.values():
        if view.entity.profile_body.strip():
            setters.append(functools.partial(setattr, view.entity, "profile_html"))
            jobs.append((view.entity.profile_body, ()))
    editorial: list[DigestSummary | SitePage] = [*site.pages]
    editorial += [s for d in [*site.digests, *site.month_digests] if (s := d.summary) and s.body.strip()]
    for item in editorial:
        setters.append(functools.partial(setattr, item, "html"))
        jobs.append((item.body, ()))
    for relation in site.relations:
        if relation.profile and relation.profile.body.strip():
            setters.append(functools.partial(setattr, relation, "profile_html"))
            jobs.append((relation.profile.body, ()))
    return setters, jobs
