"""What the theme's templates call: addresses, settings, JSON-LD, charts, and the HTML fragments
that are the same on every page (rendered once per build)."""

from __future__ import annotations

import datetime as dt
import itertools

from markupsafe import Markup, escape

from ..compact_json import compact_sorted
from ..domain.dates import MONTHS, long_date
from ..domain.limits import CARD_CHIPS, CARD_NAMES, EMAIL_NAMES, LD_STATEMENTS
from ..domain.model import KINDS, Statement, digest_url
from ..domain.opendata import SubjectFiles
from ..domain.periods import events_by_month
from .chart import activity_chart, chart_html
from .csp import CSP, EMAIL_CSP
from .email import html_text, standalone_html, wrap
from .ics import SITE_CALENDAR, webcal
from .jinja_speed import speed_up
from .jsonld import entity_ld, entry_ld, event_ld
from .relation_map import DASHES, MAP_PARTNERS, map_svg, network, partner_map


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_ld(data) -> Markup:
    """JSON for a <script type="application/ld+json"> block: '<' escaped so no tag can close it."""
    text = compact_sorted(data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# Partials that code (not a template) renders into pages, each with the template globals
# (SharedFragments) that render it: a page's template digest holds a partial when the page's
# templates name one of its globals (fingerprint.TemplateDigests).
FRAGMENT_GLOBALS = {
    "partials/card.html": ("entry_cards",),
    "partials/chips.html": ("entity_chips",),
    "partials/entry_line.html": ("entry_lines",),
    "partials/atom_entry.xml": ("atom_entry", "atom_entries"),
    "partials/atom_statement.xml": ("atom_entry", "atom_entries"),
    "partials/event.html": ("timeline_item", "timeline_items", "event_item"),
    "partials/statement.html": ("timeline_item", "timeline_items", "statement_item"),
    "partials/site_head.html": ("site_head",),
    "partials/site_header.html": ("site_header",),
    "partials/site_footer.html": ("site_footer",),
}
FRAGMENTS = tuple(FRAGMENT_GLOBALS)


class SharedFragments:
    """HTML that is the same wherever it appears (an entity's link, an entry's card, chips and
    feed entry, an event or a statement, the head links, header and footer of every page):
    rendered once per build, not once per page."""

    def __init__(self, env, site, url):
        self.env, self.site, self.url = env, site, url
        self.links: dict[str, Markup] = {}
        self.cards: dict[str, Markup] = {}
        self.chips: dict[str, Markup] = {}
        self.lines: dict[str, Markup] = {}
        self.atom_entries: dict[tuple[str, bool], Markup] = {}
        self.items: dict[tuple[str, int], Markup] = {}
        self.frame: dict[str, Markup] = {}  # the parts of base.html that no page changes

    def entity_link(self, key: str) -> Markup:
        """An entity's name, linked when it has a page."""
        if key not in self.links:
            entity = self.site.entity(key)
            self.links[key] = (
                Markup('<a href="%s">%s</a>') % (self.url(entity.url), entity.name)
                if self.site.has_page(key)
                else escape(entity.name)
            )
        return self.links[key]

    def site_part(self, template: str) -> Markup:
        """A part of base.html that is the same on every page (partials/site_*.html: nothing in
        them reads the page; the page's title, canonical link and search form stay in base.html)."""
        if template not in self.frame:
            self.frame[template] = Markup(self.env.get_template(template).render())
        return self.frame[template]

    def fragment(self, cache: dict, template: str, entry) -> Markup:
        """An entry's card, chips or line."""
        if entry.url not in cache:
            cache[entry.url] = Markup(self.env.get_template(template).render(entry=entry))
        return cache[entry.url]

    def atom_entry(self, entry, with_content: bool) -> Markup:
        """An entry's (or a statement's) <entry> element: the same in every feed that lists it."""
        key = (entry.url, with_content)
        if key not in self.atom_entries:
            is_statement = isinstance(entry, Statement)
            name = "partials/atom_statement.xml" if is_statement else "partials/atom_entry.xml"
            self.atom_entries[key] = Markup(self.env.get_template(name).render(entry=entry, with_content=with_content))
        return self.atom_entries[key]

    def shared_item(self, template: str, name: str, value) -> Markup:
        """An event's or a statement's HTML."""
        key = (template, id(value))  # not the anchor: a draft's copy of an event lists the draft too
        if key not in self.items:
            self.items[key] = Markup(self.env.get_template(template).render(**{name: value}))
        return self.items[key]

    def timeline_item(self, item) -> Markup:
        """An event or a statement on a timeline (a call in Python: a Jinja macro per item cost
        more than the item's HTML, which is rendered once per build)."""
        if item.is_event:
            return self.shared_item("partials/event.html", "event", item.value)
        statement = self.shared_item("partials/statement.html", "statement", item.value)
        return Markup('<li class="statement-item">') + statement + Markup("</li>")

    def timeline_items(self, items) -> Markup:
        """Items' HTML in a row: one call for a month's items (a Jinja loop cost more per item
        than its look-up). Each is Markup already: joined as it is."""
        return Markup("".join([self.timeline_item(item) for item in items]))

    def joined(self, cache: dict, template: str, entries) -> Markup:
        """Entries' cards or lines in a row (see timeline_items)."""
        return Markup("".join([self.fragment(cache, template, entry) for entry in entries]))

    def caches(self) -> tuple[dict, ...]:
        return (self.links, self.cards, self.chips, self.lines, self.atom_entries, self.items, self.frame)

    def jobs(self, specs) -> list[tuple]:
        """The fragments a build's pages show, for render_all: every published entry's card and
        timeline line, every event and statement, and each feed's entries."""
        feeds = {
            (item.url, spec.context["with_content"]): ("atom", item, spec.context["with_content"])
            for spec in specs
            if spec.template == "atom.xml"
            for item in spec.context["entries"]
        }
        entries = self.site.entries
        return [
            *(("card", entry) for entry in entries),
            *(("line", entry) for entry in entries),
            *(("event", event) for event in self.site.events),
            *(("statement", statement) for statement in self.site.statements),
            *feeds.values(),
        ]

    def render_all(self, jobs: list[tuple]) -> tuple[dict, ...]:
        """Render each ("card" | "line", entry), ("atom", entry, with_content) or ("event" |
        "statement", value) job into the caches; what they then hold (a forked worker's: only
        these), as plain strings for absorb(); only what this call added (a worker renders several
        parts: what it rendered for the earlier ones was sent with them)."""
        sent = (self.links, self.cards, {}, self.lines, self.atom_entries, self.items, {})  # chips: inside the cards
        before = [len(cache) for cache in sent]
        for kind, value, *rest in jobs:
            if kind == "card":
                self.fragment(self.cards, "partials/card.html", value)
            elif kind == "line":
                self.fragment(self.lines, "partials/entry_line.html", value)
            elif kind == "atom":
                self.atom_entry(value, rest[0])
            elif kind == "event":
                self.shared_item("partials/event.html", "event", value)
            else:
                self.shared_item("partials/statement.html", "statement", value)
        return tuple(
            {key: str(html) for key, html in itertools.islice(cache.items(), start, None)}
            for cache, start in zip(sent, before, strict=True)
        )

    def absorb(self, caches: tuple[dict, ...]):
        """Take fragments a worker rendered (the same bytes this process would render), sent as
        plain strings: a Markup is pickled and unpickled through Python calls (15,000 fragments
        of 1.1 kB, about one worker's share at 10,000 entries: 0.18 s as Markup, 0.06 s as
        strings, while the page workers wait to fork)."""
        for mine, theirs in zip(self.caches(), caches, strict=True):
            mine.update({key: str.__new__(Markup, html) for key, html in theirs.items()})

    def forget(self):
        """Drop every fragment (once the page workers that inherited them are done with them)."""
        for cache in self.caches():
            cache.clear()

    def template_globals(self) -> dict:
        return {
            "timeline_item": self.timeline_item,
            "timeline_items": self.timeline_items,
            "entry_lines": lambda entries: self.joined(self.lines, "partials/entry_line.html", entries),
            "atom_entry": self.atom_entry,
            "atom_entries": lambda entries, content: Markup("".join([self.atom_entry(e, content) for e in entries])),
            "entity_link": self.entity_link,
            "entity_chips": lambda entry: self.fragment(self.chips, "partials/chips.html", entry),
            "entry_cards": lambda entries: self.joined(self.cards, "partials/card.html", entries),
            "event_item": lambda event: self.shared_item("partials/event.html", "event", event),
            "statement_item": lambda statement: self.shared_item("partials/statement.html", "statement", statement),
            "site_head": lambda: self.site_part("partials/site_head.html"),
            "site_header": lambda: self.site_part("partials/site_header.html"),
            "site_footer": lambda: self.site_part("partials/site_footer.html"),
        }


def shared_fragments(env) -> SharedFragments:
    """The SharedFragments whose methods install_helpers made template globals."""
    return env.globals["atom_entry"].__self__


def chip_keys(entry) -> tuple[list[str], int]:
    """The names a card shows as chips (at most CARD_CHIPS: one of each kind in turn, so an
    issue is never crowded out by countries), in kind order, and how many are left out."""
    lists = [list(entry.countries), list(entry.officials), list(entry.issues)]
    chosen: list[set[str]] = [set(), set(), set()]
    taken, depth = 0, 0
    while taken < CARD_CHIPS and any(depth < len(names) for names in lists):
        for kind, names in enumerate(lists):
            if depth < len(names) and taken < CARD_CHIPS:
                chosen[kind].add(names[depth])
                taken += 1
        depth += 1
    shown = [key for kind, names in enumerate(lists) for key in names if key in chosen[kind]]
    return shown, sum(len(names) for names in lists) - len(shown)


def month_name(day: dt.date) -> str:
    """'June 2025' (no locale: builds are the same everywhere)."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'12 Jun': a date inside a month's heading."""
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def site_addresses(settings) -> tuple:
    """(url, abs_url): a site path as the pages link it (SITEURL, empty for a local build) and
    as an absolute address (FEED_DOMAIN: feeds, data files, calendars and emails)."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    feed_domain = (settings.get("FEED_DOMAIN") or siteurl or "http://127.0.0.1:8000").rstrip("/")
    return (lambda path: siteurl + path), (lambda path: feed_domain + path)


def licence_line(config, settings) -> str:
    """BRIEFING["data_licence"] with `{site}` and `{url}` filled in (replaced, never formatted)."""
    _, abs_url = site_addresses(settings)
    sitename = settings.get("SITENAME", "Briefing Digest")
    return config.data_licence.replace("{site}", sitename).replace("{url}", abs_url("/"))


def relation_map(view, url):
    """A country's relation map (the SVG of its heaviest partners) or None without relations."""
    drawn = partner_map(view.entity, view.partners)
    if drawn is None:
        return None
    nodes, lines, centre = drawn
    shown = len(nodes)
    title = f"{view.entity.name} and the countries and organisations named with it"
    description = "; ".join(line.title for line in lines)
    return {
        "svg": map_svg(nodes, lines, url, title, description, centre),
        "shown": shown,
        "states": sorted({line.state for line in lines}, key=list(DASHES).index),
    }


def relation_network(relations, url):
    """/relations/'s map of the most active pairs, or None without relations."""
    nodes, lines = network(relations)
    if not lines:
        return None
    title = f"The {len(lines)} most active pairs among {len(nodes)} countries and organisations"
    description = "; ".join(line.title for line in reversed(lines))
    return {
        "svg": map_svg(nodes, lines, url, title, description),
        "pairs": list(reversed(lines)),
        "states": sorted({line.state for line in lines}, key=list(DASHES).index),
    }


def install_helpers(env, site, settings, config):
    """Everything the templates call: addresses, settings, JSON-LD, charts and shared fragments."""
    url, abs_url = site_addresses(settings)
    siteurl = url("")
    feed_domain = abs_url("")

    env.globals.update(SharedFragments(env, site, url).template_globals())
    env.globals.update(
        CSP=CSP,
        CARD_NAMES=CARD_NAMES,
        EMAIL_NAMES=EMAIL_NAMES,
        LD_STATEMENTS=LD_STATEMENTS,
        SITE=site,
        SITENAME=settings.get("SITENAME", "Briefing Digest"),
        SITEURL=siteurl,
        SITE_DESCRIPTION=settings.get("SITE_DESCRIPTION", ""),
        FEED_DOMAIN=feed_domain,
        KINDS=KINDS,
        url=url,
        abs_url=abs_url,
        digest_url=digest_url,
        entity=site.entity,
        entity_names=lambda keys: ", ".join([site.entity(key).name for key in keys]),
        has_page=site.has_page,
        json_ld=_json_ld,
        chart=activity_chart,
        events_by_month=events_by_month,
        chart_html=chart_html,
        chip_keys=chip_keys,
        entry_ld=lambda entry: entry_ld(entry, site.registry.entities, abs_url, site.has_page, env.globals["SITENAME"]),
        entity_ld=lambda entity, statements=(): entity_ld(
            entity, site.registry.entities, abs_url, site.has_page, statements
        ),
        event_ld=lambda event: event_ld(event, site.registry.entities, abs_url, site.has_page),
        relation_map=lambda view: relation_map(view, url),
        relation_network=lambda relations: relation_network(relations, url),
        MAP_PARTNERS=MAP_PARTNERS,
        DASHES=DASHES,
        data_files=SubjectFiles.of,
        DATA_LICENCE=licence_line(config, settings),
        RELATIONS_MIN=config.relations_min_entries,
        SITE_CALENDAR=SITE_CALENDAR,
        webcal=lambda path: webcal(abs_url(path)),
        EMAIL_CSP=EMAIL_CSP,
        email_html=lambda body: standalone_html(body, abs_url),
        email_text=lambda body: html_text(body, abs_url),
    )
    env.filters.update(
        longdate=long_date,
        shortdate=short_date,
        monthname=month_name,
        isodate=lambda d: d.isoformat(),
        rfc3339=_rfc3339,
        wraptext=wrap,
    )
    speed_up(env)  # (after the globals: calls to them are direct)
    for template in list(env.cache.values()) if env.cache is not None else ():
        # an imported template's module (macros.html) keeps the globals it was first made with
        # (`entity`, an earlier site's lookup, in the preview): made again with these
        template._module = None
