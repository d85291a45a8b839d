"""The Pelican generator: load the site through the domain, then render every page.

Pelican's own article machinery is not used for entries: the domain loader is the
reader (one parse per file, in parallel for large sites), and this generator renders
the pages with the theme's Jinja environment that Pelican sets up.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pelican.generators import Generator

from ..domain import diagnostics as diag
from ..domain.cache import BuildCache, cache_folder
from ..domain.config import BriefingConfig, ConfigError
from ..domain.site import load_site
from ..search.index import write_search_index
from .datafiles import write_open_data
from .fingerprint import PageRecord, fingerprints, site_salt
from .pages import PageSpec, feed_pages, site_pages
from .render import render_pages
from .templating import install_helpers


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
        try:
            self.config = BriefingConfig.from_settings(self.settings.get("BRIEFING"))
        except ConfigError as exc:  # a settings mistake is one line, not a traceback
            print(f"settings: error: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
        self.timings: dict[str, float] = {}
        use_cache = self.config.cache and os.environ.get("BRIEFING_CACHE") != "off"
        self.cache_dir = cache_folder(self.settings.get("CACHE_PATH")) if use_cache else None
        cache = BuildCache(self.cache_dir) if self.cache_dir else None
        site, problems = load_site(Path(self.path), self.config, timings=self.timings, cache=cache)
        report(problems)
        self.warnings = sum(1 for p in problems if p.severity == diag.WARNING)
        if site is None:
            errors = sum(1 for p in problems if p.severity == diag.ERROR)
            print(f"Build refused: {errors} error(s) in the content; nothing was written.", file=sys.stderr)
            raise SystemExit(1)
        self.site = site
        self.context["briefing_site"] = site

    def generate_output(self, writer):
        install_helpers(self.env, self.site, self.settings, self.config)
        # The index first: the search page names its files, so a reader's browser can fetch
        # them all at once (see search.html).
        search = write_search_index(self.site, self.output_path, self.config, self.cache_dir, self.timings)
        specs = site_pages(self.site, self.config.home_entries, search)
        specs += feed_pages(self.site, self.config.feed_entries)
        sitemap = [s for s in specs if s.public and s.template.endswith(".html")]
        specs.append(PageSpec("/sitemap.xml", "sitemap.xml", "sitemap", {"pages": sitemap}))
        specs.append(PageSpec("/robots.txt", "robots.txt", "robots"))
        pages_started = time.monotonic()
        reuse = None
        previous = (self.run_state or {}).get("previous_output")
        if self.cache_dir and previous:
            record = PageRecord(self.cache_dir, previous)
            salt = site_salt(self.site, self.settings, Path(__file__).resolve().parent.parent, Path(self.theme))
            reuse = record.reuse(specs, fingerprints(specs, salt))
            self.run_state["page_record"] = record
        written = render_pages(self.env, specs, self.output_path, self.config.workers, reuse)
        self.timings["pages"] = time.monotonic() - pages_started
        data_started = time.monotonic()  # open data and calendars: once per build, from the model
        written.update(write_open_data(self.site, self.output_path, self.settings, self.config))
        self.timings["data"] = time.monotonic() - data_started
        if os.environ.get("BRIEFING_TIMINGS"):
            print("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items()), file=sys.stderr)
        if self.run_state is not None:
            self.run_state.update(written=written, started=self.started, warnings=self.warnings)
