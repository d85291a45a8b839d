"""The registry: every country, official and issue an entry may name, and their aliases.

Countries come built in (ISO 3166-1), and so do the main intergovernmental organisations
(named under `countries` too); profiles add text and aliases or new actors;
officials come from profiles or from an entry that gives their country; issues are
created by the first spelling seen (files in path order, so it is deterministic).
"""

from __future__ import annotations

from . import diagnostics as diag
from .countries import iso_countries
from .model import COUNTRY, ISSUE, KINDS, OFFICIAL, Entity, EntryDraft, Kind, NameRef, Profile
from .names import TypoIndex, name_key, slugify
from .nearmiss import NearMissIndex
from .organisations import ORGANISATIONS

BUILT_IN_ORGANISATIONS = "the built-in organisations"


class Registry:
    """Entities by key, and the names (canonical and aliases) that lead to them."""

    def __init__(self):
        self.entities: dict[str, Entity] = {}
        self._names: dict[str, dict[str, str]] = {k.name: {} for k in KINDS}
        self._near: dict[str, NearMissIndex] = {k.name: NearMissIndex() for k in KINDS}  # over name keys
        self._near_blocs = NearMissIndex()  # organisations' names: capitals look here first
        self._claims: dict[tuple[str, str], str] = {}  # (kind, name key) -> where claimed
        self.mention_targets: dict = {}  # entity key -> MentionTarget, made once (resolve._Names)
        self.mention_indexes: dict = {}  # entity keys -> MentionIndex of their targets (resolve._Names)
        self.named_in: dict = {}  # (text, *entity keys) -> the keys the text names (resolve._Names)
        self.probes: dict = {}  # entity key -> the names a text must hold to name it (resolve._probe)
        self.link_targets: dict = {}  # entity key -> MentionTarget to its page, made once (derive)
        self.kept_targets: dict = {}  # the previous assembly's link_targets (the preview): see mention_targets
        self._slugs: dict[tuple[str, str], str] = {}
        self._codes: set[str] = set()  # name keys of ISO alpha-2/alpha-3 codes
        self._typos: dict[str, TypoIndex] = {k.name: TypoIndex() for k in KINDS}
        self.typos_found: dict = {}  # (kind, name, exclude) -> typo_of's answer, while no name is claimed

    def lookups(self) -> dict[str, dict[str, str]]:
        """{kind: {name key: entity key}}: what each name finds (the preview keeps it to see
        which names an edit sends elsewhere)."""
        return self._names

    def places(self) -> list[str]:
        """Where ("path:line:col") each name was claimed and each entity introduced: the files a
        kept registry depends on beyond their names (check_reuse)."""
        return [*self._claims.values(), *self._slugs.values()]

    def find(self, kind: Kind, name: str) -> Entity | None:
        key = self._names[kind.name].get(name_key(name))
        return self.entities[key] if key else None

    def near_miss(self, kind: Kind, name: str, cutoff: float = 0.75, max_edits: int | None = None) -> Entity | None:
        """The entity whose name or alias is most like `name` (an index look-up, see nearmiss.py).
        ISO codes are never near misses: 'UN' is not a typo of Tunisia's 'TUN'."""
        match = self._near[kind.name].closest(name_key(name), cutoff, max_edits)
        return None if match is None else self.entities[self._names[kind.name][match]]

    def typo_of(self, kind: Kind, name: str, exclude: str | None = None) -> str | None:
        """The key of another entity with a name that `name` looks like a typo of, or None
        (see names.looks_like_typo; names of three letters or fewer are codes, not words)."""
        if len(name_key(name)) <= 3:
            return None
        asked = (kind.name, name, exclude)
        if asked not in self.typos_found:
            self.typos_found[asked] = self._typos[kind.name].near(name, exclude=exclude)
        return self.typos_found[asked]

    def keep_typos(self, before: Registry):
        """Take `before`'s typo_of answers for each kind whose names are the very names, in the
        same order, of this registry (an edit that changes no official's or issue's name keeps
        every answer): the near-miss warnings then ask the index only for what changed."""
        same = {kind for kind, index in self._typos.items() if before._typos[kind] == index}
        self.typos_found.update({asked: found for asked, found in before.typos_found.items() if asked[0] in same})

    def introduced_at(self, entity: Entity) -> str:
        """Where the entity's name was first given: 'path:line:col', 'ISO 3166-1' or the built-ins."""
        return self._slugs.get((entity.kind.name, entity.slug), "")

    def suggestion(self, kind: Kind, name: str) -> str:
        """' (did you mean 'India'?)' for a near miss among names and aliases; a name in
        capitals ('SCOO') is an acronym, so organisations are looked at first."""
        found = None
        if kind is COUNTRY and name.isupper():
            match = self._near_blocs.closest(name_key(name), 0.6)
            found = self.entities[self._names[kind.name][match]] if match is not None else None
        found = found or self.near_miss(kind, name)
        return f" (did you mean '{found.name}'?)" if found else ""

    def add(self, entity: Entity, where: str) -> Entity:
        self.entities[entity.key] = entity
        self._slugs[(entity.kind.name, entity.slug)] = where
        return entity

    def claim(self, entity: Entity, name: str, where: str) -> str | None:
        """Let `name` lead to `entity`; a message if another entity already holds it."""
        key = name_key(name)
        if not key:
            return None
        names = self._names[entity.kind.name]
        holder = names.get(key)
        if holder is not None and holder != entity.key:
            other = self.entities[holder]
            claimed = self._claims.get((entity.kind.name, key), "the built-in ISO table")
            return f"name '{name}' is claimed by both {entity.kind.name} '{entity.name}' and '{other.name}' ({claimed})"
        names[key] = entity.key
        if key not in self._codes:
            self._near[entity.kind.name].add(key)
            if entity.is_bloc:
                self._near_blocs.add(key)
        if (entity.kind.name, key) not in self._claims and len(key) > 3:
            self._typos[entity.kind.name].add(name, entity.key)
            self.typos_found.clear()
        self._claims.setdefault((entity.kind.name, key), where)
        return None

    def slug_taken(self, kind: Kind, slug: str) -> str | None:
        return self._slugs.get((kind.name, slug))

    def of_kind(self, kind: Kind) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind is kind]


def _at(path: str, ref: NameRef) -> str:
    return f"{path}:{ref.line}:{ref.column}"


def build_registry(profiles: list[Profile], drafts: list[EntryDraft]) -> tuple[Registry, list]:
    """Countries, then profiles, then what entries define; every conflict reported."""
    registry = Registry()
    problems: list = []
    for iso in iso_countries():
        entity = registry.add(
            Entity(COUNTRY, slugify(iso.name), iso.name, list(iso.aliases), iso2=iso.alpha2, iso3=iso.alpha3),
            "ISO 3166-1",
        )
        registry._codes.update(name_key(code) for code in (iso.alpha2, iso.alpha3))
        for name in (iso.name, *iso.aliases):
            registry.claim(entity, name, "ISO 3166-1")
    for organisation in ORGANISATIONS:
        _add_organisation(registry, organisation)

    by_kind = {k.name: [p for p in profiles if isinstance(p, Profile) and p.kind is k] for k in KINDS}
    for profile in by_kind["country"]:
        _add_country_profile(registry, profile, problems)
    for profile in by_kind["official"]:
        _add_official_profile(registry, profile, problems)
    for profile in by_kind["issue"]:
        _add_profile_entity(registry, profile, ISSUE, problems)
    for draft in drafts:
        _add_entry_definitions(registry, draft, problems)
    return registry, problems


def _add_organisation(registry: Registry, organisation):
    entity = registry.add(
        Entity(
            COUNTRY,
            slugify(organisation.name),
            organisation.name,
            is_bloc=True,
            wikidata=organisation.wikidata,
            profile_body=organisation.description,
        ),
        BUILT_IN_ORGANISATIONS,
    )
    registry.claim(entity, organisation.name, BUILT_IN_ORGANISATIONS)
    for alias in organisation.aliases:
        if registry.claim(entity, alias, BUILT_IN_ORGANISATIONS) is None:
            entity.aliases.append(alias)


def _claim_all(registry: Registry, entity: Entity, profile: Profile, problems: list):
    for ref in (profile.name, *profile.aliases):
        conflict = registry.claim(entity, ref.name, _at(profile.path, ref))
        if conflict:
            problems.append(diag.error(profile.path, ref.line, ref.column, conflict))
        elif ref is not profile.name and ref.name not in entity.aliases and ref.name != entity.name:
            entity.aliases.append(ref.name)


def _new_entity(registry: Registry, kind: Kind, ref: NameRef, path: str, problems: list, **fields):
    slug = slugify(ref.name)
    if not slug:
        problems.append(
            diag.error(
                path,
                ref.line,
                ref.column,
                f"{kind.name} name '{ref.name}' has no letters or digits for its page address",
            )
        )
        return None
    taken = registry.slug_taken(kind, slug)
    if taken:
        problems.append(
            diag.error(
                path,
                ref.line,
                ref.column,
                f"{kind.name} '{ref.name}' would share the page /{kind.folder}/{slug}/ "
                f"with another {kind.name} ({taken})",
            )
        )
        return None
    return registry.add(Entity(kind, slug, ref.name, **fields), _at(path, ref))


def _attach_profile(entity: Entity, profile: Profile):
    entity.profile_path = profile.path
    if profile.body.strip() or not entity.profile_body:  # a built-in description stays unless replaced
        entity.profile_body = profile.body
        entity.profile_body_line = profile.body_line
    entity.status = profile.status
    if profile.wikidata:
        entity.wikidata = profile.wikidata


def _add_country_profile(registry: Registry, profile: Profile, problems: list):
    entity = None
    if profile.iso2 is not None:
        entity = registry.entities.get(
            next((e.key for e in registry.of_kind(COUNTRY) if e.iso2 == profile.iso2.name.upper()), "")
        )
        if entity is None:
            problems.append(
                diag.error(
                    profile.path,
                    profile.iso2.line,
                    profile.iso2.column,
                    f"'{profile.iso2.name}' is not an ISO 3166-1 alpha-2 code",
                )
            )
            return
    else:
        entity = registry.find(COUNTRY, profile.name.name)
    if entity is not None:
        if entity.profile_path:
            problems.append(
                diag.error(
                    profile.path,
                    profile.name.line,
                    profile.name.column,
                    f"country '{entity.name}' already has a profile ({entity.profile_path})",
                )
            )
            return
        if profile.name.name != entity.name:
            entity.aliases.append(entity.name)
            entity.name = profile.name.name
        entity.is_bloc = entity.is_bloc or profile.bloc
        _attach_profile(entity, profile)
        _claim_all(registry, entity, profile, problems)
        return
    entity = _new_entity(registry, COUNTRY, profile.name, profile.path, problems, is_bloc=profile.bloc)
    if entity is not None:
        _attach_profile(entity, profile)
        _claim_all(registry, entity, profile, problems)


def _add_profile_entity(registry: Registry, profile: Profile, kind: Kind, problems: list, **fields):
    existing = registry.find(kind, profile.name.name)
    if existing is not None:
        problems.append(
            diag.error(
                profile.path,
                profile.name.line,
                profile.name.column,
                f"{kind.name} '{existing.name}' already has a profile ({existing.profile_path})",
            )
        )
        return None
    entity = _new_entity(registry, kind, profile.name, profile.path, problems, **fields)
    if entity is not None:
        _attach_profile(entity, profile)
        _claim_all(registry, entity, profile, problems)
    return entity


def _add_official_profile(registry: Registry, profile: Profile, problems: list):
    country = None
    if profile.country is None:
        problems.append(
            diag.error(
                profile.path,
                profile.name.line,
                profile.name.column,
                f"official '{profile.name.name}' needs a 'country'",
            )
        )
    else:
        country = registry.find(COUNTRY, profile.country.name)
        if country is None:
            problems.append(
                diag.error(
                    profile.path,
                    profile.country.line,
                    profile.country.column,
                    f"unknown country '{profile.country.name}'{registry.suggestion(COUNTRY, profile.country.name)}",
                )
            )
    entity = _add_profile_entity(
        registry, profile, OFFICIAL, problems, country=country.key if country else None, roles=profile.roles
    )
    if entity is not None:
        entity.country_source = _at(profile.path, profile.country or profile.name)


def _add_entry_definitions(registry: Registry, draft: EntryDraft, problems: list):
    """Officials given with a country, and issues seen for the first time (a check builds
    the registry from 100,000 entries' definitions on each of its processes: the usual
    entry, whose issues are all known, is one look-up per name)."""
    for official in draft.officials:
        if official.country is not None:
            _add_official_given(registry, draft, official, problems)
    known = registry._names[ISSUE.name]
    for ref in issues_named(draft):
        if known.get(name_key(ref.name)):
            continue
        entity = _new_entity(registry, ISSUE, ref, draft.path, problems)
        if entity is not None:
            registry.claim(entity, ref.name, _at(draft.path, ref))


def issues_named(draft: EntryDraft) -> tuple:
    """The issues an entry names: its own, then its events' and its statements' (gathered only
    when it has some: the usual entry has none)."""
    if not (draft.statements or any(event.issues for event in draft.events)):
        return draft.issues
    return (
        *draft.issues,
        *(r for e in draft.events for r in (e.issues or ())),
        *(r for s in draft.statements for r in (s.on or ())),
    )


def _add_official_given(registry: Registry, draft: EntryDraft, official, problems: list):
    """An official an entry gives with a country: added, or checked against the one known."""
    country = registry.find(COUNTRY, official.country.name)
    if country is None:
        return  # reported when the entry's names are resolved
    entity = registry.find(OFFICIAL, official.name.name)
    if entity is None:
        where = _at(draft.path, official.country)
        entity = _new_entity(
            registry, OFFICIAL, official.name, draft.path, problems, country=country.key, role=official.role
        )
        if entity is not None:
            entity.country_source = where
            registry.claim(entity, official.name.name, where)
    elif entity.country != country.key:
        known = registry.entities[entity.country].name if entity.country else "none"
        problems.append(
            diag.error(
                draft.path,
                official.country.line,
                official.country.column,
                f"official '{entity.name}' is given country '{country.name}' here but "
                f"'{known}' in {entity.country_source}",
            )
        )
    elif entity.role is None and official.role:
        entity.role = official.role
