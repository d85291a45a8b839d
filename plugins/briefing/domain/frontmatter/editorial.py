"""The schemas of digest summaries (content/digests/<period>.md: `title`, `highlights`) and of
the site's own pages (content/pages/<slug>.md: `title`, `summary`)."""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml

from .. import diagnostics as diag
from ..editorial import RESERVED_PAGE_SLUGS, DigestSummary, SitePage, period_of
from ..limits import MAX_HIGHLIGHTS
from ..names import is_slug
from .fields import Fields, FrontMatterError, open_front_matter

DIGEST_SUMMARY_KEYS = ("title", "highlights")
SITE_PAGE_KEYS = ("title", "summary")


def read_digest_summary(path: str, raw: bytes) -> tuple[DigestSummary | None, list]:
    """Check one digest summary; None on any error."""
    problems: list = []
    stem = PurePosixPath(path).stem
    period = period_of(stem)
    if period is None:
        problems.append(
            diag.error(
                path,
                1,
                1,
                f"a digest summary is named after its period: content/digests/2025-06.md (a month) or "
                f"content/digests/2025-w24.md (an ISO week, lowercase w), not '{stem}.md'",
            )
        )
    opened = open_front_matter(path, raw, DIGEST_SUMMARY_KEYS, "a digest summary", problems)
    if opened is None:
        return None, problems
    f, found, body, body_line = opened
    title = _title(f, found, path, problems)
    highlights = f.attempt(_highlights, f, found["highlights"][1], default=()) if "highlights" in found else ()
    if diag.has_errors(problems) or title is None or period is None:
        return None, problems
    return DigestSummary(path, period, title, highlights, body, body_line), problems


def read_site_page(path: str, raw: bytes) -> tuple[SitePage | None, list]:
    """Check one page of the site's own; None on any error."""
    problems: list = []
    slug = PurePosixPath(path).stem
    if not is_slug(slug) or slug in RESERVED_PAGE_SLUGS:
        why = "is taken by the site" if is_slug(slug) else "is not a slug (lowercase letters, digits and hyphens)"
        problems.append(
            diag.error(path, 1, 1, f"a page's file name is its address: '{slug}' {why}; rename the file, e.g. about.md")
        )
    opened = open_front_matter(path, raw, SITE_PAGE_KEYS, "a page", problems)
    if opened is None:
        return None, problems
    f, found, body, body_line = opened
    title = _title(f, found, path, problems)
    summary = f.attempt(f.long_text, found["summary"][1], "summary") if "summary" in found else None
    if diag.has_errors(problems) or title is None:
        return None, problems
    return SitePage(path, slug, title, " ".join(summary.split()) if summary else None, body, body_line), problems


def _title(f: Fields, found: dict, path: str, problems: list) -> str | None:
    if "title" not in found:
        problems.append(diag.error(path, 1, 1, "missing required key 'title'"))
        return None
    return f.attempt(f.text, found["title"][1], "title")


def _highlights(f: Fields, node) -> tuple[str, ...]:
    """A list of short texts (one text is a list of one), at most MAX_HIGHLIGHTS."""
    if f.is_null(node):
        return ()
    f.check_tag(node)
    if isinstance(node, yaml.ScalarNode):
        return (f.text(node, "highlights"),)
    if not isinstance(node, yaml.SequenceNode):
        f.fail(node, "'highlights' must be a list of texts")
    if len(node.value) > MAX_HIGHLIGHTS:
        f.fail(node, f"'highlights' has {len(node.value)} items; a summary may have at most {MAX_HIGHLIGHTS}")
    out = []
    for item in node.value:
        try:
            out.append(f.text(item, "highlights"))
        except FrontMatterError:
            continue
    return tuple(out)
