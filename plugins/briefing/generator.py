"""The Pelican generator: load the site through the domain, then render every page.

Pelican's own article machinery is not used for entries: the domain loader is the
reader (one parse per file, in parallel for large sites), and this generator renders
the pages with the theme's Jinja environment that Pelican sets up.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from pelican.generators import Generator

from .domain import diagnostics as diag
from .domain.config import BriefingConfig
from .domain.site import load_site
from .output import PageWriter
from .pages import feed_pages, site_pages
from .templating import install_helpers

log = logging.getLogger(__name__)


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
        self.config = BriefingConfig.from_settings(self.settings.get("BRIEFING"))
        site, problems = load_site(Path(self.path), self.config)
        report(problems)
        self.warnings = sum(1 for p in problems if p.severity == diag.WARNING)
        if site is None:
            errors = sum(1 for p in problems if p.severity == diag.ERROR)
            print(f"Build refused: {errors} error(s) in the content; nothing was written.", file=sys.stderr)
            raise SystemExit(1)
        self.site = site
        self.context["briefing_site"] = site

    def generate_output(self, writer):
        out = PageWriter(Path(self.output_path))
        install_helpers(self.env, self.site, self.settings)
        specs = site_pages(self.site, self.config.entries_per_page, self.config.home_entries)
        specs += feed_pages(self.site, self.config.feed_entries)
        for spec in specs:
            template = self.env.get_template(spec.template)
            out.write(spec.url, template.render(page_url=spec.url, **spec.context), spec.kind)
        sitemap = [s for s in specs if s.public and s.template.endswith(".html")]
        out.write("/sitemap.xml", self.env.get_template("sitemap.xml").render(pages=sitemap), "sitemap")
        out.write("/robots.txt", self.env.get_template("robots.txt").render(), "robots")
        if self.run_state is not None:
            self.run_state.update(written=out.written, started=self.started, warnings=self.warnings)
