"""Every page the site publishes, as (URL, template, context): what goes where, nothing drawn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter, methodcaller

from ..domain.model import KINDS
from ..domain.names import name_key
from ..domain.views import Site


@dataclass(slots=True)  # not frozen: 17,000 made on every page list at 10,000 entries, 3x faster
class PageSpec:
    url: str
    template: str
    kind: str  # for the build summary: entry, country, digest, feed ...
    context: dict = field(default_factory=dict)
    lastmod: dt.date | None = None  # the newest entry date the page shows (for the sitemap)
    public: bool = True  # listed in the sitemap
    listing: bool = False  # shows what it lists by name and count only (an index): see digester.py


def _newest(entries) -> dt.date | None:
    return max(map(_DATE, entries), default=None)


_DATE, _ENTRY = attrgetter("date"), attrgetter("entry")


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    items: list
    base_url: str

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None


def paginate(items: list, per_page: int, base_url: str) -> list[Pagination]:
    per_page = max(1, per_page)
    count = max(1, -(-len(items) // per_page))
    return [Pagination(n + 1, count, items[n * per_page : (n + 1) * per_page], base_url) for n in range(count)]


def by_letter(views: list) -> list[tuple[str, list]]:
    """Views sorted by name, grouped by first letter without diacritics (Åland Islands under A)."""
    groups: dict[str, list] = {}
    for view in views:
        groups.setdefault(name_key(view.entity.name)[:1].upper() or "#", []).append(view)
    return list(groups.items())


def site_pages(
    site: Site,
    home_entries: int,
    search: dict | None = None,
    chronicles: dict | None = None,
    entry_dates: dict | None = None,
) -> list[PageSpec]:
    """Every HTML page: home, entries, entities and relations (a main page and a page per older
    year), the indexes, digests (weekly and monthly), events, the site's own pages, search;
    `search` is the search index's manifest (None: search is off); `chronicles` the dates of
    the entities' and relations' pages an edit left as they were (see chronicle_pages), and
    `entry_dates` those of the entry pages it left as they were (by URL)."""
    pages: list[PageSpec] = []
    brief = site.brief
    for page in paginate(site.entries, home_entries, "/"):
        first = page.number == 1
        context = {
            "pagination": page,
            "digest": brief if first else None,
            "standings": site.standings if first else [],
            "updated": site.build_date if first else None,
            "upcoming": site.upcoming if first else [],
        }
        shown = page.items + (brief.entries if brief and page.number == 1 else [])
        pages.append(PageSpec(page.url, "home.html", "home", context, _newest(shown)))
    dated = (entry_dates or {}).get
    pages += [entry_page(site, entry, dated(entry.url)) for entry in site.entries + site.drafts]
    pages += [page for view in site.views.values() for page in view_pages(view, chronicles)]
    pages += index_pages(site)
    for relation in site.relations:
        pages += chronicle_pages(relation, "relation.html", "relation", "relation", chronicles)
    pages += event_pages(site)
    pages += digest_pages(site)
    for site_page in site.pages:
        pages.append(PageSpec(site_page.url, "site_page.html", "page", {"page": site_page}, site.build_date))
    pages += open_data_pages(site)
    pages.append(PageSpec("/search/", "search.html", "search", {"search_index": search}))
    pages.append(PageSpec("/404.html", "404.html", "404", public=False))
    return pages


def entry_page(site: Site, entry, newest: dt.date | None = None) -> PageSpec:
    """An entry's page (a draft's under /drafts/, left out of the sitemap), with its related
    entries; `newest` its date when known (the newest of the entry's and theirs)."""
    related = site.related_entries(entry)
    return PageSpec(
        entry.url,
        "entry.html",
        "draft" if entry.is_draft else "entry",
        {"entry": entry, "related": related},
        newest or _newest([entry, *map(_ENTRY, related)]),
        public=not entry.is_draft,
    )


def view_pages(view, chronicles: dict | None = None) -> list[PageSpec]:
    """An entity's main page and its year pages (chronicle_pages)."""
    return chronicle_pages(view, *_view_page(view), chronicles)


def view_main_page(view) -> PageSpec:
    """An entity's main page alone, its dates not counted: a page to render, not to list (the
    sitemap's lastmod is left out)."""
    return main_page(view, *_view_page(view))


def _view_page(view) -> tuple[str, str, str]:
    return "entity.html", view.entity.kind.name, "view"


def main_page(subject, template: str, kind: str, name: str, newest: dt.date | None = None) -> PageSpec:
    """An entity's or a relation's main page (its newest years), `newest` its sitemap date."""
    return PageSpec(subject.page_url, template, kind, {name: subject, "year": None}, newest)


def chronicle_pages(subject, template: str, kind: str, name: str, known: dict | None = None) -> list[PageSpec]:
    """An entity's or a relation's main page, and a page for each older year of its timeline.
    `known`: {page URL: chronicle_dates() of a subject whose items and build date are as
    they were} (the preview's page list after an edit that did not touch it): not counted again."""
    dates = known.get(subject.page_url) if known else None
    if dates is None or dates[0] != _counts(subject):
        dates = chronicle_dates(subject)
    _, newest, years = dates
    # the main page holds the newest year, so its newest entry is the subject's; the years
    # with pages of their own are counted, not grouped (a timeline is made when a page is drawn)
    pages = [main_page(subject, template, kind, name, newest)]
    for url, year, lastmod in years:
        pages.append(PageSpec(url, template, kind, {name: subject, "year": year}, lastmod))
    return pages


def _counts(subject) -> tuple[int, int, int]:
    return len(subject.entries), len(subject.events), len(subject.statements)


def chronicle_dates(subject) -> tuple:
    """(its counts of entries, events and statements, its newest entry's date, its year pages
    as (URL, year, newest entry's date)): what an entity's or relation's pages are listed by."""
    return _counts(subject), _newest(subject.entries), subject.year_pages()


def known_chronicles(specs: list[PageSpec], unchanged) -> dict[str, tuple]:
    """{page URL: chronicle_dates()} of the subjects of `specs` (a page list) for which
    `unchanged(subject)` holds, read from their pages' dates (no subject's entries read)."""
    known: dict[str, tuple] = {}
    for spec in specs:
        if spec.template not in CHRONICLES:
            continue
        subject, year = spec.context[CHRONICLES[spec.template]], spec.context["year"]
        if year is None:
            if unchanged(subject):
                known[spec.url] = (_counts(subject), spec.lastmod, [])
        elif subject.page_url in known:  # its main page comes first
            known[subject.page_url][2].append((spec.url, year, spec.lastmod))
    return known


CHRONICLES = {"entity.html": "view", "relation.html": "relation"}


def index_pages(site: Site) -> list[PageSpec]:
    """The index of each kind, and of relations."""
    pages = []
    for kind in KINDS:
        views = sorted(site.of_kind(kind), key=lambda v: (name_key(v.entity.name), v.entity.slug))
        newest = max((v.entries[0].date for v in views if v.entries), default=None)
        organisations = [v for v in views if v.entity.is_bloc]  # listed apart, under their own heading
        states = [v for v in views if not v.entity.is_bloc]
        context = {"kind": kind, "views": views, "letters": by_letter(states), "organisations": organisations}
        pages.append(PageSpec(f"/{kind.folder}/", "kind_index.html", "index", context, newest, listing=True))
    newest = max((r.entries[0].date for r in site.relations), default=None)
    context = {"relations": site.relations}
    pages.append(PageSpec("/relations/", "relations.html", "index", context, newest, listing=True))
    return pages


def digest_pages(site: Site) -> list[PageSpec]:
    """Weekly and monthly digests, and their index (months, each with its weeks)."""
    pages = []
    for digest in [*site.digests, *site.month_digests]:
        newest = _newest(digest.entries)
        pages.append(PageSpec(digest.url, "digest.html", "digest", {"digest": digest}, newest))
        # the same digest, ready to send: one self-contained HTML file and its plain-text twin
        for name in ("email.html", "email.txt"):
            pages.append(PageSpec(digest.url + name, name, "email", {"digest": digest}, newest, public=False))
    newest = site.digests[0].entries if site.digests else []
    context = {"weeks": len(site.digests), "months": site.month_digests}  # weeks by their months
    pages.append(PageSpec("/digests/", "digests.html", "index", context, _newest(newest), listing=True))
    return pages


def open_data_pages(site: Site) -> list[PageSpec]:
    """/data/ (what the open-data files hold, with their counts) and /calendar/ (the upcoming
    events and how to subscribe); the files themselves are written by build/datafiles.py."""
    counts = {
        "entries": len(site.entries),
        "events": len(site.events),
        "statements": len(site.statements),
        "entities": len(site.views) + len(site.relations),
    }
    context = {"upcoming": site.upcoming, "build_date": site.build_date}
    return [
        PageSpec("/data/", "data.html", "page", {"counts": counts}, site.build_date),
        PageSpec("/calendar/", "calendar.html", "page", context, site.build_date),
    ]


def event_pages(site: Site) -> list[PageSpec]:
    """One page per year of events (each event's permalink is its anchor there), and their index."""
    years: dict[int, list] = {}
    for event in site.events:  # newest first
        years.setdefault(event.date.year, []).append(event)
    pages = []
    for year, events in sorted(years.items(), reverse=True):
        newest = _newest(r for e in events for r in e.reports)  # not the events' dates: some are to come
        pages.append(
            PageSpec(f"/events/{year:04d}/", "events_year.html", "events", {"year": year, "events": events}, newest)
        )
    listed = sorted(years.items(), reverse=True)
    newest = pages[0].lastmod if pages else None
    pages.append(PageSpec("/events/", "events.html", "index", {"years": listed}, newest, listing=True))
    return pages


def _feed(url: str, title: str, alternate: str, items: list, with_content: bool = False) -> PageSpec:
    context = {
        "feed_title": title,
        "feed_url": url,
        "alternate_url": alternate,
        "entries": items,
        "with_content": with_content,
    }
    return PageSpec(url, "atom.xml", "feed", context)


_SORT_KEY = methodcaller("sort_key")


def feed_url(page_url: str) -> str:
    """The address of the feed of an entity's or a relation's page."""
    return f"{page_url}feed.atom.xml"


def feed_pages(site: Site, limit: int) -> list[PageSpec]:
    """Atom feeds: the whole site, the digests, and one per entity page."""
    feeds = [
        PageSpec(
            "/feeds/all.atom.xml",
            "atom.xml",
            "feed",
            {
                "feed_title": "All entries",
                "feed_url": "/feeds/all.atom.xml",
                "alternate_url": "/",
                "entries": site.entries[:limit],
                "with_content": True,
            },
        )
    ]
    for url, title, digests in (
        ("/digests/feed.atom.xml", "Weekly digests", site.digests),
        ("/digests/monthly.atom.xml", "Monthly digests", site.month_digests),
    ):
        context = {"feed_title": title, "feed_url": url, "alternate_url": "/digests/", "digests": digests[:limit]}
        feeds.append(PageSpec(url, "digest_atom.xml", "feed", context))
    for view in site.views.values():  # summaries only: 2,000+ feeds
        items = sorted([*view.entries[:limit], *view.statements[:limit]], key=_SORT_KEY)[:limit]
        feeds.append(_feed(feed_url(view.entity.url), view.entity.name, view.entity.url, items))
    for relation in site.relations:
        feeds.append(_feed(feed_url(relation.url), relation.name, relation.url, relation.entries[:limit]))
    return feeds
