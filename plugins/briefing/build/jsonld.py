"""schema.org JSON-LD for entries, entities and events, so search engines and citation
tools understand the pages. Builds plain dicts; the theme serializes them."""

from __future__ import annotations

from ..domain.model import Entity, Entry, Event


def _ref(entity: Entity, abs_url, has_page) -> dict:
    data = {"@type": _type(entity), "name": entity.name}
    if has_page(entity.key):
        data["url"] = abs_url(entity.url)
    return data


def _type(entity: Entity) -> str:
    return "Organization" if entity.is_bloc and not entity.iso2 else entity.kind.schema_type


def event_ld(event: Event, entities, abs_url, has_page) -> dict:
    data = {"@type": "Event", "name": event.what, "startDate": event.date.iso(), "url": abs_url(event.entry_url)}
    places = [_ref(entities[k], abs_url, has_page) for k in event.countries]
    if places:
        data["location"] = places
    topics = [_ref(entities[k], abs_url, has_page) for k in event.issues]
    if topics:
        data["about"] = topics
    return data


def entry_ld(entry: Entry, entities, abs_url, has_page, site_name: str) -> dict:
    """The NewsArticle, and each event it reports as an Event `recordedIn` it (a @graph)."""
    url = abs_url(entry.url)
    article = {
        "@type": "NewsArticle",
        "@id": url,
        "headline": entry.title,
        "datePublished": entry.published.isoformat() if entry.has_time else entry.date.isoformat(),
        "description": entry.summary,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site_name},
        "about": [_ref(entities[k], abs_url, has_page) for k in entry.issues + entry.countries],
        "mentions": [_ref(entities[k], abs_url, has_page) for k in entry.officials],
        "citation": [
            {"@type": "CreativeWork", "name": s.name, "url": s.href}
            if s.is_web
            else {"@type": "CreativeWork", "name": s.name}
            for s in entry.sources
        ],
    }
    article = {key: value for key, value in article.items() if value != []}
    events = [{**event_ld(e, entities, abs_url, has_page), "recordedIn": {"@id": url}} for e in entry.events]
    return {"@context": "https://schema.org", "@graph": [article, *events]}


def entity_ld(entity: Entity, entities, abs_url) -> dict:
    data = {"@context": "https://schema.org", "@type": _type(entity), "name": entity.name, "url": abs_url(entity.url)}
    aliases = [a for a in entity.aliases if a not in (entity.iso2, entity.iso3)]
    if aliases:
        data["alternateName"] = aliases
    # what each kind has is in its fields: codes and Wikidata (countries), a role and a
    # country (officials); a defined term (an issue) belongs to the set its index lists
    if entity.iso2:
        data["identifier"] = entity.iso2
    if entity.wikidata:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
    if entity.current_role:
        data["jobTitle"] = entity.current_role
    if entity.country:
        data["nationality"] = {"@type": "Country", "name": entities[entity.country].name}
    if entity.kind.schema_type == "DefinedTerm":
        data["inDefinedTermSet"] = abs_url(f"/{entity.kind.folder}/")
    return data
