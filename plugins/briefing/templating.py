"""Helpers the theme's templates call: links, dates, entity look-ups. Template fragments only."""

from __future__ import annotations

import datetime as dt
import json

from markupsafe import Markup

from .chart import entries_chart
from .domain.dates import long_date
from .domain.model import KINDS
from .jsonld import entity_ld, entry_ld, event_ld


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_ld(data) -> Markup:
    """JSON for a <script type="application/ld+json"> block: '<' escaped so no tag can close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def install_helpers(env, site, settings):
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    feed_domain = (settings.get("FEED_DOMAIN") or siteurl or "http://127.0.0.1:8000").rstrip("/")

    def url(path: str) -> str:
        return siteurl + path

    def abs_url(path: str) -> str:
        return feed_domain + path

    env.globals.update(
        SITE=site, SITENAME=settings.get("SITENAME", "Briefing Digest"), SITEURL=siteurl,
        SITE_DESCRIPTION=settings.get("SITE_DESCRIPTION", ""), FEED_DOMAIN=feed_domain,
        KINDS=KINDS, url=url, abs_url=abs_url, entity=site.entity, has_page=site.has_page,
        json_ld=_json_ld, chart=entries_chart,
        entry_ld=lambda entry: entry_ld(entry, site.registry.entities, abs_url, site.has_page, env.globals["SITENAME"]),
        entity_ld=lambda entity: entity_ld(entity, site.registry.entities, abs_url),
        event_ld=lambda event: event_ld(event, site.registry.entities, abs_url, site.has_page),
    )
    env.filters.update(longdate=long_date, isodate=lambda d: d.isoformat(), rfc3339=_rfc3339)
