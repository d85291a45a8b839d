"""The Pelican generator: load the site through the domain, then render every page.

Pelican's own article machinery is not used for entries: the domain loader is the
reader (one parse per file, in parallel for large sites), and this generator renders
the pages with the theme's Jinja environment that Pelican sets up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import sys
import time
from pathlib import Path

from pelican.generators import Generator

from ..domain import diagnostics as diag
from ..domain.cache import BuildCache, cache_folder
from ..domain.config import BriefingConfig, ConfigError
from ..domain.resolutions import Resolutions
from ..domain.site import _Clock, assemble_site
from ..domain.sources import read_sources
from ..memory import give_back_freed_memory
from ..search.background import BackgroundIndex
from ..search.index import search_enabled, write_search_index
from .datafiles import DataSink, open_data
from .fingerprint import PageRecord, TemplateDigests, fingerprints_and_inputs, site_salt
from .pages import PageSpec, feed_pages, site_pages
from .render import compile_templates, render_pages
from .saved_model import flat_file_hashes
from .templating import install_helpers


def _write_data(site, settings, config, root) -> tuple[dict[str, str], dict[str, str]]:
    """({URL: kind} written, {URL: digest}) of the open data and calendars."""
    sink = DataSink(root)
    open_data(site, settings, config, sink)
    return sink.writer.written, sink.digests


def report(problems, stream=None):
    """Print diagnostics gcc style (and as GitHub annotations in GitHub Actions)."""
    if problems:
        text = diag.format_report(problems, github=os.environ.get("GITHUB_ACTIONS") == "true")
        print(text, file=stream or sys.stderr)


class BriefingGenerator(Generator):
    """Turns the content folder into entry, entity, relation, digest and feed pages."""

    run_state: dict | None = None  # set per run by register()'s get_generators

    def generate_context(self):
        self.started = time.monotonic()
        self.started_ns, self.today = time.time_ns(), dt.date.today()  # a saved model is checked against them
        try:
            self.config = BriefingConfig.from_settings(self.settings.get("BRIEFING"))
        except ConfigError as exc:  # a settings mistake is one line, not a traceback
            print(f"settings: error: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
        self.timings: dict[str, float] = {}
        self.listed: list[PageSpec] | None = None  # the page list, when made while the bodies render
        use_cache = self.config.cache and os.environ.get("BRIEFING_CACHE") != "off"
        # absolute: the preview's search thread reads it whatever the working folder is then
        self.cache_dir = cache_folder(self.settings.get("CACHE_PATH")).absolute() if use_cache else None
        live = (self.run_state or {}).get("live")
        # the preview keeps every rendered body in memory (a cache without a folder)
        self.cache = BuildCache(self.cache_dir) if self.cache_dir else (BuildCache(None) if live else None)
        cache = self.cache
        clock = _Clock(self.timings)
        kept = self.cache_dir is not None and not live  # a model is kept for the next build (rebuild.py)
        self.flat_hashes = flat_file_hashes(Path(self.path)) if kept else {}
        self.sources = read_sources(Path(self.path), self.config.workers, cache)
        clock.lap("parse")
        self.resolutions = Resolutions() if live else None  # the preview's next assemblies reuse them
        site, problems = assemble_site(
            self.sources,
            self.config,
            clock=clock,
            cache=cache,
            resolutions=self.resolutions,
            plain_text=cache is not None or search_enabled(self.config),  # only search reads it
            meanwhile=self._list_pages,
        )
        report(problems)
        self.problems = problems
        self.warnings = sum(1 for p in problems if p.severity == diag.WARNING)
        if site is None:
            errors = sum(1 for p in problems if p.severity == diag.ERROR)
            print(f"Build refused: {errors} error(s) in the content; nothing was written.", file=sys.stderr)
            raise SystemExit(1)
        self.site = site
        self.context["briefing_site"] = site

    def _list_pages(self, site):
        """The helpers, the page list and its templates compiled, made while other processes
        render the bodies (assemble_site's `meanwhile`: a build without a cache, which writes its
        search index in the background, so no page names the index yet)."""
        self.site = site
        install_helpers(self.env, site, self.settings, self.config)
        self.search_manifest = None
        self.listed = self.page_specs()
        compile_templates(self.env, self.listed)

    def _drop_unshown(self, search_text: bool):
        """A build that keeps no model (the preview and a cached build keep one) needs neither
        the parsed files nor the entries' Markdown once the site is assembled (dropped before
        the search step, whose records reuse their memory), nor what the site keeps for a next
        assembly (each body's Markdown and rendering, the merged events), nor their plain text
        once the search index is written: no page shows them. At 100,000 entries they are over
        a gigabyte that each process forked after (the search step, the page workers) would
        otherwise count."""
        self.sources = None
        self.site.bodies, self.site.kept_events = {}, None
        for entry in (*self.site.entries, *self.site.drafts):
            entry.body = ""
            if search_text:
                entry.text = ""

    def page_specs(self, chronicles: dict | None = None, entry_dates: dict | None = None) -> list[PageSpec]:
        """Every page of the site, feeds, sitemap and robots.txt included; the search page names
        the search index's files (self.search_manifest, None while there is no index);
        `chronicles` and `entry_dates`: see pages.site_pages."""
        specs = site_pages(self.site, self.config.home_entries, self.search_manifest, chronicles, entry_dates)
        specs += feed_pages(self.site, self.config.feed_entries)
        sitemap = [s for s in specs if s.public and s.template.endswith(".html")]
        specs.append(PageSpec("/sitemap.xml", "sitemap.xml", "sitemap", {"pages": sitemap}))
        # what it reads of the site is in its context, so that its fingerprint and shape see it
        specs.append(PageSpec("/robots.txt", "robots.txt", "robots", {"drafts": bool(self.site.drafts)}))
        return specs

    def salt(self) -> str:
        return site_salt(self.settings, Path(__file__).resolve().parent.parent)

    def _start_search(self, state: dict, keeps_model: bool) -> BackgroundIndex | None:
        """The search step. Its index comes before the search page, which names its files so that
        a reader's browser can fetch them all at once (see search.html); the preview writes it
        after serving the pages. A build that keeps no model indexes in a forked process while
        the pages render (search/background.py: returned here, the search page waits for it);
        one that keeps a model indexes first, as it fingerprints every page."""
        if state.get("defer_search") or not search_enabled(self.config):
            return None
        if not keeps_model:
            return BackgroundIndex(self.site, self.output_path, self.config)
        self.search_manifest = write_search_index(
            self.site, self.output_path, self.config, self.cache_dir, self.timings
        )
        return None

    def _finish_search(self, background: BackgroundIndex, search_page: PageSpec, written: dict) -> PageSpec:
        """Wait for the index written beside the pages, then render the search page with its manifest."""
        self.search_manifest = background.result(self.timings)
        search_page = dataclasses.replace(
            search_page, context={**search_page.context, "search_index": self.search_manifest}
        )
        written.update(render_pages(self.env, [search_page], self.output_path, 1)[0])
        return search_page

    def generate_output(self, writer):
        if self.listed is None:  # else installed, and the pages listed, while the bodies rendered
            install_helpers(self.env, self.site, self.settings, self.config)
            self.search_manifest = None
        state = self.run_state if self.run_state is not None else {}
        # a build's templates cannot change under it: no stat of the template file on each page
        # (the preview's environment lives on and must see edits)
        self.env.auto_reload = bool(state.get("live"))
        keeps_model = bool(state.get("live") or self.cache_dir)
        if not keeps_model:
            self._drop_unshown(search_text=False)
        background = self._start_search(state, keeps_model)
        if not keeps_model:
            self._drop_unshown(search_text=True)
            give_back_freed_memory()  # before the page workers fork
        specs = self.listed if self.listed is not None else self.page_specs()
        search_page = _take_search_page(specs) if background else None
        pages_started = time.monotonic()
        reuse, prints, inputs = None, None, None
        previous = state.get("previous_output")
        if self.cache_dir or state.get("live"):  # what is kept: each page's fingerprint and the files it reads
            self.templates = TemplateDigests(self.env)
            self.built_salt = self.salt()  # the preview fingerprints its saves with this very salt
            prints, inputs = fingerprints_and_inputs(specs, self.built_salt, self.site, self.env, self.templates)
        if self.cache_dir and previous:
            record = PageRecord(self.cache_dir, previous)
            reuse = record.reuse(specs, prints)
            state["page_record"] = record
        # open data and calendars: made and written by a worker while the other renders pages;
        # their digests are kept (the preview and the next quick rebuild compare them)
        write_data = functools.partial(_write_data, self.site, self.settings, self.config, self.output_path)
        try:
            written, (data_written, self.data_digests) = render_pages(
                self.env, specs, self.output_path, self.config.workers, reuse, write_data
            )
        except BaseException:
            if background is not None:
                background.stop()
            raise
        written.update(data_written)
        self.timings["pages"] = time.monotonic() - pages_started
        if background is not None:
            specs.append(self._finish_search(background, search_page, written))
        if state.get("live"):  # the preview keeps the model, its pages and what each reads
            state["live"] = {"generator": self, "specs": specs, "prints": prints, "inputs": inputs}
        elif self.cache_dir:  # and so does the cache, for the next `make html` (rebuild.py)
            state["model"] = {"generator": self, "specs": specs, "prints": prints, "inputs": inputs}
        if os.environ.get("BRIEFING_TIMINGS"):
            print("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items()), file=sys.stderr)
        state.update(written=written, started=self.started, warnings=self.warnings)


def _take_search_page(specs: list[PageSpec]) -> PageSpec:
    """Remove the search page from `specs` and return it: it is rendered once the index is written."""
    at = next(i for i, spec in enumerate(specs) if spec.template == "search.html")
    return specs.pop(at)
