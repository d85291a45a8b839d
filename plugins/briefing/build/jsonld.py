"""schema.org JSON-LD for entries, entities and events, so search engines and citation
tools understand the pages. Builds plain dicts; the theme serializes them."""

from __future__ import annotations

from ..domain.model import Entity, Entry, Event, Source, Statement


def _ref(entity: Entity, abs_url, has_page) -> dict:
    data = {"@type": _type(entity), "name": entity.name}
    if has_page(entity.key):
        data["url"] = abs_url(entity.url)
    return data


def _type(entity: Entity) -> str:
    return "Organization" if entity.is_bloc and not entity.iso2 else entity.kind.schema_type


def _work(source: Source) -> dict:
    if source.is_web:
        return {"@type": "CreativeWork", "name": source.name, "url": source.href}
    return {"@type": "CreativeWork", "name": source.name}


def quotation_ld(statement: Statement, entities, abs_url, has_page) -> dict:
    """A statement as a schema.org Quotation: spoken by its official, on its date, citing its
    source. A paraphrase carries its words as `abstract`, never as the quotation's `text`."""
    speaker = _ref(entities[statement.by], abs_url, has_page)
    data = {
        "@type": "Quotation",
        "@id": abs_url(statement.url),
        "url": abs_url(statement.url),
        ("abstract" if statement.paraphrase else "text"): statement.said,
        "spokenByCharacter": speaker,
        "creator": speaker,
        "dateCreated": statement.date.iso(),
    }
    if statement.source is not None:
        data["citation"] = _work(statement.source)
    if statement.on:
        data["about"] = [_ref(entities[k], abs_url, has_page) for k in statement.on]
    return data


def event_ld(event: Event, entities, abs_url, has_page) -> dict:
    data = {"@type": "Event", "name": event.what, "startDate": event.date.iso(), "url": abs_url(event.url)}
    places = [_ref(entities[k], abs_url, has_page) for k in event.countries]
    if places:
        data["location"] = places
    topics = [_ref(entities[k], abs_url, has_page) for k in event.issues]
    if topics:
        data["about"] = topics
    people = [_ref(entities[k], abs_url, has_page) for k in event.officials]
    if people:
        data["performer"] = people
    if event.sources:
        data["subjectOf"] = [_work(s) for s in event.sources]
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
        "citation": [_work(s) for s in entry.sources],
    }
    article = {key: value for key, value in article.items() if value != []}
    events = [{**event_ld(e, entities, abs_url, has_page), "recordedIn": {"@id": url}} for e in entry.events]
    quotes = [{**quotation_ld(s, entities, abs_url, has_page), "isPartOf": {"@id": url}} for s in entry.statements]
    return {"@context": "https://schema.org", "@graph": [article, *events, *quotes]}


def entity_ld(entity: Entity, entities, abs_url, has_page=None, statements=()) -> dict:
    """The entity; with statements (an official's words, an issue's record), a @graph of
    the entity and each statement as a Quotation."""
    data = _entity_ld(entity, entities, abs_url)
    if not statements:
        return data
    context = data.pop("@context")
    quotes = [quotation_ld(s, entities, abs_url, has_page or (lambda key: False)) for s in statements]
    return {"@context": context, "@graph": [data, *quotes]}


def _entity_ld(entity: Entity, entities, abs_url) -> dict:
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
