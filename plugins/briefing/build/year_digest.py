"""What a page of one year of an entity's or a relation's timeline shows, for its fingerprint
(Digester.page): the subject's name and codes, its counts and "last updated", the years of its
timeline with their counts and pages, and that year's events, statements and entries.

The rest of the subject (its other years' items, "Appears with", its map of relations, its
profile text, its chart) only its main page shows. Digested whole, as the main page is, a
country named with a new partner changed the fingerprint of every one of its year pages, and
the preview rendered each again to find the same bytes (at 10,000 entries, eleven year pages
of the United States, 0.2-0.35 s of an update).
"""

from __future__ import annotations

from ..domain.periods import year_groups
from ..domain.views import EntityView, Relation


def year_page(digester, subject: EntityView | Relation, year: int) -> tuple:
    """The digest of the page of `year` of `subject` (a view or a relation) and, through the
    digester, the files it reads: that year's items' and entries', and the subject's names'."""
    found = digester.years.get(id(subject))
    if found is None:  # one pass over the subject for all its year pages
        found = year_groups(subject.page_url, subject.entries, subject.events, subject.statements, subject.build_date)
        digester.years[id(subject)] = found
    layout, grouped = found
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
