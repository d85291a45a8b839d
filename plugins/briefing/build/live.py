"""The live preview's site: parsed files, the derived Site and every page, kept in memory
between saves, with the content files each page reads (the dependency map).

The first build is an ordinary Pelican build run with `live` on (generator.py), which leaves
here the parsed files, the Site, every page's spec and fingerprint, and for each page the
closures of the content files it reads (fingerprint.Digester). A save then costs what it
changes:

- a body edit (front matter as it was) renders that one body and updates its entry in place;
  the pages looked at are those whose closures hold the file;
- any other content edit (front matter, a profile, a file added or deleted) assembles the site
  again from the parsed files in memory (each other body comes from memory: no Markdown); the
  pages looked at are the candidates candidates.py finds by comparing the two models (every
  page when the edit cannot be bounded: the build date moved, a site page's title), after the
  pages of the saved entries and of the entities they name, which are written first
  (first_pages.py);
- a template edit looks at every page (only those whose templates include it change).

Of the pages looked at, those whose fingerprint changed are rendered, and each is written
with write-then-rename when its bytes differ, so a reader never sees half a page. Pages
gone from the site are removed. The open data and calendars are made again by a forked worker
(live_data.py); in the preview server, once the saves pause. The settings and the theme's
static files take a full build.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import diagnostics as diag
from ..domain.cache import BuildCache
from ..domain.content_files import shown_path
from ..domain.derive import mention_targets
from ..domain.loader import render_bodies
from ..domain.model import Entry, EntryDraft
from ..domain.resolutions import Resolutions
from ..domain.site import assemble_site
from ..domain.sources import reread
from .candidates import Changes, Described, candidates, kept_chronicles, pages_reading
from .collector import with_fewer_collections
from .digester import Digester
from .fingerprint import TemplateDigests, fingerprints_and_inputs
from .first_pages import named_pages, write_first
from .kept_shapes import kept_entry_dates, kept_entry_pages, kept_shapes
from .live_data import LiveDataFiles
from .output import PageWriter
from .render import render_in_place
from .shapes import shapes_of
from .templating import install_helpers


@dataclass
class Update:
    """What one save did: `ok` False when the content has errors (the last good site stays)."""

    ok: bool
    how: str  # "body", "site", "templates", "nothing"
    rendered: list[str] = field(default_factory=list)  # URLs rendered again
    written: list[str] = field(default_factory=list)  # URLs whose file changed (rendered and different, or removed)
    problems: list = field(default_factory=list)
    years: set[int] | None = None  # the years whose search bundles may have changed (None: every bundle)
    looked: int = 0  # the pages fingerprinted again (the candidates; every page when none could be chosen)


class LiveSite(LiveDataFiles):
    """The site as the preview keeps it; update() brings it and the output folder up to date."""

    def __init__(self, live: dict, output: Path):
        self.generator = live["generator"]
        self.output = Path(output)
        self.specs = live["specs"]
        self.prints = dict(zip((s.url for s in self.specs), live["prints"], strict=True))
        self.inputs = live["inputs"]
        self.bodies = BuildCache(None)  # every body rendered so far, in memory only
        cache = getattr(self.generator, "cache", None)
        if cache is not None:
            self.bodies.bodies = dict(cache.bodies)
        self.theme = Path(self.generator.theme).resolve()
        self.content = Path(self.generator.path).resolve()
        # code and settings, as the first build hashed them: the code this process runs (hashing the
        # files again would see a file edited since, and every candidate would look changed)
        self.salt = getattr(self.generator, "built_salt", None) or self.generator.salt()
        self.last: Update | None = None
        self.templates = TemplateDigests(self.generator.env)  # parsed again only when a template changes
        self._data: dict[str, str] = live.get("data") or self.generator.data_digests
        self.background_data = False  # True: the data files owed by an update, made once the saves pause
        self._pending = None
        self.owed = None
        self.looked: set[int] = set()  # the pages body edits fingerprinted again (rebuild.py keeps them)
        self.search_set = False  # set_search() changed the search page's manifest
        self.shapes: dict | None = None  # each page's context as keys (candidates.py), made when first needed
        self.described: Described | None = None  # the model as candidates.py compares it, idem
        self.replaced: list = []  # what the last update replaced, until release()
        self._by_path: tuple = (None, {})  # (the site, its entries and drafts by path): _entry_at
        # the entries as resolved, kept while the registry is as it was (the first build's)
        self.resolutions = getattr(self.generator, "resolutions", None) or Resolutions()

    @classmethod
    def restore(cls, pelican, model: dict, config, cache_dir) -> LiveSite:
        """The live site of a model saved by an earlier build (rebuild.py), with a generator made
        as Pelican makes ours (its Jinja environment), the site and search manifest installed."""
        from .generator import BriefingGenerator

        output = Path(pelican.output_path).resolve()
        generator = BriefingGenerator(
            context=pelican.settings.copy(),
            settings=pelican.settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=str(output),
        )
        generator.config, generator.cache, generator.cache_dir = config, None, cache_dir
        generator.site, generator.data_digests = model["site"], model["data"]
        generator.context["briefing_site"] = model["site"]
        generator.search_manifest = model.get("search")
        specs = model["specs"]
        if model.get("set_search"):  # an earlier quick rebuild indexed the search bundles again
            at = next(i for i, spec in enumerate(specs) if spec.template == "search.html")
            specs[at] = dataclasses.replace(
                specs[at], context={**specs[at].context, "search_index": generator.search_manifest}
            )
        live = {"generator": generator, "specs": specs, "prints": model["prints"], "inputs": model["inputs"]}
        restored = cls({**live, "data": model["data"]}, output)
        restored.templates.seed(model["templates"])  # the theme is as it was (the model's salt)
        return restored

    @with_fewer_collections  # (the model is not frozen yet: each full collection walks it all)
    def prepare(self):
        """What the first front-matter edit would otherwise make first (each page's shape, the
        model's descriptions): made once after the first build, before any save."""
        if self.shapes is None:
            self.shapes = shapes_of(self.specs)
        if self.described is None:
            self.described = Described(self.site)

    def kinds_of(self, urls: list[str]) -> list[str]:
        """What the build summary calls each written file."""
        kinds = {spec.url: spec.kind for spec in self.specs}
        other = {"/pagefind/": "search"}
        return [
            kinds.get(url) or other.get(url[:10]) or ("calendar" if url.endswith(".ics") else "data") for url in urls
        ]

    @property
    def site(self):
        return self.generator.site

    # --- what changed ---

    def classify(self, changed: list[str]) -> str:
        """ "content", "templates", "full" (settings, theme static files) or "nothing"."""
        kinds = set()
        for name in changed:
            path = Path(os.path.abspath(name))
            if path.is_relative_to(self.content):
                kinds.add("content")
            elif path.is_relative_to(self.theme / "templates"):
                kinds.add("templates")
            else:
                kinds.add("full")
        if "full" in kinds:
            return "full"
        return "templates" if "templates" in kinds and "content" not in kinds else ("content" if kinds else "nothing")

    @with_fewer_collections  # as a build is: the model is the size of one
    def update(self, changed: list[str]) -> Update:
        """Bring the model and the output up to date after `changed` files were saved."""
        self.last = self._update(changed)
        return self.last

    def _update(self, changed: list[str]) -> Update:
        self.release()
        if self.classify(changed) == "templates":
            self.templates = TemplateDigests(self.generator.env)
            return self._look_again(None, Update(True, "templates"))
        paths = [Path(os.path.abspath(name)) for name in changed]
        sources = reread(self.generator.sources, paths)
        old, self.generator.sources = self.generator.sources, sources
        problems = [p for path in paths for p in sources.result(path)[1]]
        bodies = self._body_edits(old, sources, paths)
        if bodies is not None:
            return self.edit_bodies(bodies, problems)
        return self._reassemble({shown_path(path) for path in paths})

    def _body_edits(self, old, new, paths: list[Path]) -> list[tuple[Entry, EntryDraft]] | None:
        """[(entry, its new draft)] when every saved file is a built entry whose front matter is
        as it was (only its body changed); None when the site must be assembled again."""
        if new.files is not old.files:  # a file added or deleted
            return None
        edits = []
        for path in paths:
            before, after = old.entries.get(path), new.entries.get(path)
            if before is None or after is None or before[0] is None or after[0] is None:
                return None
            if diag.has_errors(before[1]) or diag.has_errors(after[1]) or not after[0].complete:
                return None
            same = dataclasses.replace(after[0], body=before[0].body, source_hash=before[0].source_hash)
            entry = self._entry_at(shown_path(path))
            if same != before[0] or entry is None:
                return None
            edits.append((entry, after[0]))
        return edits

    def _entry_at(self, path: str) -> Entry | None:
        """The built entry or draft read from `path`; the map is made once per site (a dict of
        every entry made at each save cost 0.1 s at 100,000 entries)."""
        site = self.site
        if self._by_path[0] is not site:
            self._by_path = (site, {e.path: e for e in (*site.entries, *site.drafts)})
        return self._by_path[1].get(path)

    # --- the two ways a model changes ---

    def edit_bodies(self, edits: list[tuple[Entry, EntryDraft]], problems: list) -> Update:
        """Bodies changed, front matter as it was: render them, look at the pages that read them."""
        site, config = self.site, self.generator.config
        jobs = [
            (d.body, tuple(mention_targets(e, site.registry, site.views)) if config.link_mentions else ())
            for e, d in edits
        ]
        summaries = [e.summary for e, _ in edits]
        for (entry, draft), rendered in zip(edits, render_bodies(jobs, 1, self.bodies), strict=True):
            entry.body, entry.source_hash = draft.body, draft.source_hash
            entry.html, entry.text = rendered.html, rendered.text
            entry.summary = draft.summary or rendered.first_paragraph
        files = {e.path for e, _ in edits}
        if self.described is not None:  # its entries changed in place: their descriptions are made again
            self.described.describe_entries([e for e, _ in edits])
        candidates = pages_reading(self.inputs, files)
        years = {e.date.year for e, _ in edits if not e.is_draft}
        update = self._look_again(candidates, Update(True, "body", problems=problems, years=years))
        if summaries != [e.summary for e, _ in edits]:  # the data files hold summaries, not bodies
            self.owed = None  # (made now, from the whole model)
            self.wait_data()
            self._rewrite_data(update, self.changed_data())
        return update

    def _reassemble(self, files: set[str]) -> Update:
        """The site assembled again; the pages looked at are the candidates of what changed
        between the two models (candidates.py), each other page keeps its fingerprint."""
        generator = self.generator
        old = self.described = self.described or Described(self.site)  # the old site's, before assembling
        site, problems = assemble_site(
            generator.sources, generator.config, cache=self.bodies, previous=self.site, resolutions=self.resolutions
        )
        if site is None:
            return Update(False, "site", problems=problems)
        generator.site = site
        generator.context["briefing_site"] = site
        self._by_path = (None, {})  # (it held the old site, which must be freed: release())
        update = Update(True, "site", problems=problems)
        install_helpers(generator.env, site, generator.settings, generator.config)
        digester = Digester(site)  # the update's: what the first pages and the candidates share is digested once
        update.rendered, update.written, first = write_first(self, named_pages(old.site, site, files), digester)
        if self.shapes is None:
            self.shapes = shapes_of(self.specs)
        described = Described(site)
        changes = Changes(old, described, files)
        self.described = described
        if not self.background_data:  # made by a forked worker while this process renders the pages
            self._start_data(update)
        entry_pages = kept_entry_pages(old, described, self.shapes)
        specs = generator.page_specs(kept_chronicles(self.specs, changes), kept_entry_dates(self.specs, entry_pages))
        kept = entry_pages | kept_shapes(old, described, self.shapes, specs, changes.keys)
        self.replaced.append(self.shapes)  # (freed after the report, as the old site: release())
        chosen, self.shapes = candidates(self.specs, self.inputs, self.shapes, specs, changes, kept)
        self._look_again(chosen, update, specs, (first, digester))
        if self.background_data:  # the server forks the worker once the saves pause (live_data.py)
            self.owed = update
        else:
            self.wait_data()
        self.replaced.append(old)  # (and the old site)
        return update

    def release(self):
        """Free the replaced model (0.2 s at 10k) after the "Rebuilt" line; else the next update does."""
        self.replaced.clear()

    # --- pages ---

    def _look_again(
        self, candidates: list[int] | None, update: Update, new_specs: list | None = None, first: tuple = ({}, None)
    ) -> Update:
        """Fingerprint the pages looked at (all when None; of `new_specs`, a new site's pages,
        when given: `first` is then what write_first fingerprinted and its digester), render
        those that changed, write those whose bytes differ, remove pages gone from the site."""
        generator = self.generator
        if new_specs is None:  # (a new site's are installed before its first pages: _reassemble)
            install_helpers(generator.env, self.site, generator.settings, generator.config)  # fresh fragments
        if candidates is None:
            specs = new_specs or generator.page_specs()
            prints, inputs = fingerprints_and_inputs(
                specs, self.salt, self.site, generator.env, self.templates, first[1]
            )
            gone = self.prints.keys() - {s.url for s in specs}
            looked = list(range(len(specs)))
            self.shapes = None if new_specs is None else self.shapes
        elif new_specs is not None:
            specs, looked = new_specs, candidates
            prints, inputs = self._keep_others(specs, candidates, *first)
            gone = self.prints.keys() - {s.url for s in specs}
        else:
            specs, inputs = self.specs, self.inputs  # (the same pages: only the candidates' change)
            chosen = [specs[i] for i in candidates]
            prints_of, inputs_of = fingerprints_and_inputs(chosen, self.salt, self.site, generator.env, self.templates)
            prints = dict(zip(candidates, prints_of, strict=True))  # (indexed as the lists are)
            for i, closures in zip(candidates, inputs_of, strict=True):
                inputs[i] = closures
            gone, looked = set(), candidates
            self.looked.update(candidates)
        todo = [specs[i] for i in looked if self.prints.get(specs[i].url) != prints[i]]
        update.looked = len(looked)
        update.rendered += [s.url for s in todo]
        update.written += render_in_place(generator.env, todo, self.output, generator.config.workers)
        update.written += self._remove(gone)
        if isinstance(prints, dict):  # the candidates' alone
            self.prints.update((specs[i].url, fp) for i, fp in prints.items())
        else:
            self.replaced.append((self.specs, self.inputs, self.prints))
            self.specs, self.inputs = specs, inputs
            self.prints = dict(zip((s.url for s in specs), prints, strict=True))
        return update

    def _keep_others(self, specs: list, candidates: list[int], known: dict, digester) -> tuple[list, list]:
        """Fingerprints and closures of a new site's pages: the candidates' made again (those
        `known` already, write_first's, taken from it), each other page's as it was (nothing it
        shows changed)."""
        generator, old_at = self.generator, {s.url: i for i, s in enumerate(self.specs)}
        prints = [self.prints.get(s.url) for s in specs]
        inputs = [self.inputs[old_at[s.url]] if s.url in old_at else () for s in specs]
        chosen = [i for i in candidates if specs[i].url not in known]
        prints_of, inputs_of = fingerprints_and_inputs(
            [specs[i] for i in chosen], self.salt, self.site, generator.env, self.templates, digester
        )
        for i, fp, closures in zip(chosen, prints_of, inputs_of, strict=True):
            prints[i], inputs[i] = fp, closures
        if known:
            for i, spec in enumerate(specs):
                if spec.url in known:
                    prints[i], inputs[i] = known[spec.url]
        return prints, inputs

    def set_search(self, manifest: dict | None) -> list[str]:
        """The search index was refreshed: the search page names its files anew (written if changed)."""
        self.generator.search_manifest = manifest
        at = next(i for i, spec in enumerate(self.specs) if spec.template == "search.html")
        old = self.specs[at]
        self.specs[at] = dataclasses.replace(old, context={**old.context, "search_index": manifest})
        if self.shapes is not None:
            self.shapes.update(shapes_of([self.specs[at]]))
        self.search_set = True
        return self._look_again([at], Update(True, "search")).written

    def _remove(self, urls) -> list[str]:
        writer = PageWriter(self.output)
        removed = []
        for url in sorted(urls):
            path = Path(writer.path_for(url))
            if path.is_file():
                path.unlink()
                removed.append(url)
            folder = path.parent
            while folder != Path(writer.root) and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        return removed
