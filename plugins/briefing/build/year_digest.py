"""What a page of an entity's or a relation's timeline shows, for its fingerprint
(Digester.page): the subject's name and codes, its counts and "last updated", the years of its
timeline with their counts and pages, and the events, statements and entries of the years on
the page.

A page of one year shows that year's items alone. The rest of the subject (its other years'
items, "Appears with", its map of relations, its profile text, its chart) only its main page
shows. Digested whole, as the main page was, a country named with a new partner changed the
fingerprint of every one of its year pages, and the preview rendered each again to find the
same bytes (at 10,000 entries, eleven year pages of the United States, 0.2-0.35 s of an
update). A main page in turn holds only its newest years' items, and of the others what its
chart and counts read: the preview renders it again for no edit to an entry of an older year
that leaves those as they were, and does not even look at it for a body edit there (no
timeline shows a body). The United States' main page at 10,000 entries (3,650 entries, 1,542
events) digests in about half the time (51-63 ms against 94-111 ms, the least of seven runs,
twice).
"""

from __future__ import annotations

from ..domain.periods import year_groups
from ..domain.views import EntityView, Relation
from .chart import drawn_from


def year_page(digester, subject: EntityView | Relation, year: int) -> tuple:
    """The digest of the page of `year` of `subject` (a view or a relation) and, through the
    digester, the files it reads: that year's items' and entries', and the subject's names'."""
    layout, grouped = _years(digester, subject)
    events, statements, entries = grouped.get(year, ([], [], []))
    if isinstance(subject, EntityView):  # its heading and JSON-LD (an official's role and country)
        entity = subject.entity
        shown: tuple = (digester.official(entity.key, role=True), tuple(entity.aliases), entity.iso2, entity.wikidata)
    else:  # a relation: its two names
        shown = (subject.slug, digester.entity(subject.a.key), digester.entity(subject.b.key))
    oldest = subject.entries[-1].date.isoformat() if subject.entries else None
    return (
        "year page",
        shown,
        len(subject.entries),
        oldest,
        repr(subject.last_updated),
        tuple(layout),
        digester(events),
        digester(statements),
        digester.lines(entries),
    )


def main_page(digester, subject: EntityView | Relation) -> tuple:
    """The digest of an entity's or a relation's main page: the items of the years it holds (as
    year_page has them), the counts its chart draws, "Latest", "Coming up", the status box's
    latest event, and what the subject shows of itself (Digester.view, Digester.relation)."""
    layout, grouped = _years(digester, subject)
    shown = [grouped[year] for year, _, url in layout if url == subject.page_url]
    own = digester.view(subject) if isinstance(subject, EntityView) else digester.relation(subject)
    return (
        "main page",
        own,
        len(subject.entries),
        subject.entries[-1].date.isoformat() if subject.entries else None,
        tuple(layout),
        drawn_from(subject.entries, subject.events, subject.statements),
        tuple((digester(events), digester(said), digester.lines(entries)) for events, said, entries in shown),
        tuple(digester(item.value) for item in subject.latest_items),
        digester(subject.upcoming),
        digester(subject.latest),
        digester.chronicle(subject),
    )


def _years(digester, subject: EntityView | Relation) -> tuple:
    """year_groups of the subject: one pass over it for all its pages."""
    found = digester.years.get(id(subject))
    if found is None:
        found = year_groups(subject.page_url, subject.entries, subject.events, subject.statements, subject.build_date)
        digester.years[id(subject)] = found
    return found
