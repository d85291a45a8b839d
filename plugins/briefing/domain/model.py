"""The content model: what an editor's files mean once parsed and resolved."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from .dates import PartialDate
from .direct_init import direct_init
from .urls import link_target


@dataclass(frozen=True)
class Kind:
    """One kind of entity; everything that differs per kind is data here, not code."""

    name: str  # "country"
    folder: str  # "countries": content folder and URL segment
    title: str  # "Countries"
    singular_title: str  # "Country"
    profile_keys: tuple[str, ...]  # the keys its profiles may have
    schema_type: str  # its schema.org type in JSON-LD (a bloc among countries is an Organization)
    related_weight: int  # what each entity of this kind two entries share adds to their relatedness
    event_field: str  # the Event list that says whether an event concerns it
    mentions_any_case: bool  # whether a body mention may differ in case (issue names are common words)


COUNTRY = Kind(
    "country",
    "countries",
    "Countries",
    "Country",
    profile_keys=("name", "aliases", "iso2", "wikidata", "bloc"),
    schema_type="Country",
    related_weight=1,
    event_field="countries",
    mentions_any_case=False,
)
OFFICIAL = Kind(
    "official",
    "officials",
    "Officials",
    "Official",
    profile_keys=("name", "aliases", "country", "roles"),
    schema_type="Person",
    related_weight=2,
    event_field="officials",
    mentions_any_case=False,
)
ISSUE = Kind(
    "issue",
    "issues",
    "Issues",
    "Issue",
    profile_keys=("name", "aliases", "status"),
    schema_type="DefinedTerm",
    related_weight=3,
    event_field="issues",
    mentions_any_case=True,
)
KINDS = (COUNTRY, OFFICIAL, ISSUE)
KIND_BY_NAME = {k.name: k for k in KINDS}


# --- addresses: one function per kind of page, for the model, the templates and the tools ---
def entry_url(slug: str, year: int, status: str = "published") -> str:
    """/briefings/<YYYY>/<slug>/; a draft's is /drafts/<slug>/ (never published)."""
    return f"/drafts/{slug}/" if status == "draft" else f"/briefings/{year:04d}/{slug}/"


def digest_slug(year: int, week: int) -> str:
    """An ISO week's digest: 2025-w01."""
    return f"{year:04d}-w{week:02d}"


def digest_url(year: int, week: int) -> str:
    return f"/digests/{digest_slug(year, week)}/"


@direct_init
@dataclass(frozen=True)
class NameRef:
    """A name as an editor wrote it, with where (for diagnostics)."""

    name: str
    line: int
    column: int


@direct_init
@dataclass(frozen=True)
class OfficialRef:
    name: NameRef
    country: NameRef | None = None
    role: str | None = None


@direct_init
@dataclass(frozen=True)
class Source:
    name: str
    url: str  # as the editor wrote it: linked only when http(s)

    @property
    def is_web(self) -> bool:
        """Only http(s) sources become links: nothing an editor writes may run script."""
        return self.url.lower().startswith(("http://", "https://"))

    @property
    def href(self) -> str:
        """The URL as a link target (link_target: worked out once per process and URL)."""
        return link_target(self.url)


@direct_init
@dataclass(frozen=True)
class EventDraft:
    """An item of `events:`: a dated fact, or only `same_as: <id>` (then date is None)."""

    date: PartialDate | None
    what: str
    issues: tuple[NameRef, ...] | None
    countries: tuple[NameRef, ...] | None
    line: int
    column: int
    officials: tuple[NameRef, ...] | None = None
    source: Source | None = None
    id: NameRef | None = None
    same_as: NameRef | None = None
    slug: str = ""  # of `what`, cut to EVENT_SLUG characters: its anchor's default
    scheduled: bool = False  # planned: may be dated after its entry (an upcoming event)


@direct_init
@dataclass(frozen=True)
class StatementDraft:
    """An item of `statements:`: who said what, when, on which issues."""

    by: NameRef
    said: str
    date: PartialDate | None
    on: tuple[NameRef, ...] | None
    source: Source | None
    paraphrase: bool
    line: int
    column: int
    slug: str = ""  # of `said`, cut to STATEMENT_SLUG characters: part of its anchor


EVENT_SLUG = 60  # characters of an event's slugified text in its anchor
STATEMENT_SLUG = 40  # and of a statement's words in its anchor (after its date and speaker)
STATES = ("emerging", "escalating", "stable", "easing", "resolved")  # the status vocabulary


@dataclass(frozen=True)
class StatusPoint:
    """One dated state of an issue or a relation (`status:` items, oldest first)."""

    date: PartialDate
    state: str
    note: str | None = None


@direct_init
@dataclass(frozen=True)
class EntryDraft:
    """One entry file after its front matter is checked, before names are resolved."""

    path: str
    title: str
    published: dt.datetime
    has_time: bool
    summary: str | None
    countries: tuple[NameRef, ...]
    officials: tuple[OfficialRef, ...]
    issues: tuple[NameRef, ...]
    events: tuple[EventDraft, ...]
    sources: tuple[Source, ...]
    slug: str | None
    status: str
    body: str
    body_line: int  # 1-based line of the first body line
    date_line: int = 1
    slug_line: int = 1
    title_line: int = 1
    source_hash: str = ""  # of the file's bytes: what page fingerprints and caches key on
    default_slug: str = ""  # the slugified title (slugifying is slow: done once, in the parser)
    statements: tuple[StatementDraft, ...] = ()
    complete: bool = True  # False: the file has errors, and this holds only the values read without one


@dataclass(frozen=True)
class Role:
    title: str
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass
class Profile:
    """A profile file: text and aliases for one entity."""

    path: str
    kind: Kind
    name: NameRef
    aliases: tuple[NameRef, ...] = ()
    country: NameRef | None = None
    iso2: NameRef | None = None
    wikidata: str | None = None
    bloc: bool = False
    roles: tuple[Role, ...] = ()
    body: str = ""
    body_line: int = 1
    status: tuple[StatusPoint, ...] = ()


@dataclass
class RelationProfile:
    """content/relations/<a>--<b>.md: the introduction, aliases and status of a pair."""

    path: str
    countries: tuple[NameRef, ...]
    countries_line: int = 1
    countries_column: int = 1
    aliases: tuple[NameRef, ...] = ()
    status: tuple[StatusPoint, ...] = ()
    body: str = ""
    body_line: int = 1


@dataclass
class Entity:
    """A country, official or issue: one generic shape for every kind."""

    kind: Kind
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    iso2: str | None = None
    iso3: str | None = None
    is_bloc: bool = False
    wikidata: str | None = None
    country: str | None = None  # an official's country, as an entity key
    roles: tuple[Role, ...] = ()
    role: str | None = None  # an official's role as entries give it
    profile_path: str | None = None
    profile_body: str = ""
    profile_body_line: int = 1
    profile_html: str = ""
    country_source: str = ""  # where an official's country was given
    status: tuple[StatusPoint, ...] = ()  # an issue's, from its profile
    # Derived once (every page that names it reads them): 'country:india', '/countries/india/'.
    key: str = field(init=False, repr=False)
    url: str = field(init=False, repr=False)

    def __post_init__(self):
        self.key = f"{self.kind.name}:{self.slug}"
        self.url = f"/{self.kind.folder}/{self.slug}/"

    @property
    def current_role(self) -> str | None:
        open_roles = [r for r in self.roles if r.end is None]
        if open_roles:
            return open_roles[-1].title
        return self.role or (self.roles[-1].title if self.roles else None)


@direct_init
@dataclass(frozen=True)
class EventReport:
    """One entry's report of an event, resolved: the entity keys it concerns and why."""

    date: PartialDate | None  # None for a `same_as` item until it is merged
    what: str
    countries: tuple[str, ...]  # entity keys
    officials: tuple[str, ...]
    issues: tuple[str, ...]
    basis: tuple[str, ...]  # why it concerns each kind, in resolve.ACTOR_KINDS' order; () for `same_as`
    source: Source | None  # its own, or its entry's first
    id: str | None
    same_as: str | None
    path: str
    line: int
    column: int
    entry_url: str
    slug: str = ""


class Reported:
    """An event or a statement: told by one or more entries, first on the oldest one's page."""

    reports: list  # [Entry], oldest first

    @property
    def entry_url(self) -> str:
        return self.reports[0].url


@dataclass(eq=False)
class Event(Reported):
    """One event, once, on every page that shows it: the union of what each report concerns."""

    anchor: str  # the HTML id, from its `id:` or its date and text: stable between builds
    date: PartialDate
    what: str
    countries: tuple[str, ...]
    officials: tuple[str, ...]
    issues: tuple[str, ...]
    reports: list = field(default_factory=list)  # [Entry], oldest first
    sources: tuple[Source, ...] = ()
    published: bool = True  # False for an event only drafts report: it has no permalink

    @functools.cached_property
    def url(self) -> str:
        """The permalink, on its year's events page (made once: the merge anchors it first)."""
        return f"/events/{self.date.year:04d}/#{self.anchor}"

    @property
    def entity_keys(self) -> tuple[str, ...]:
        return self.countries + self.officials + self.issues


@dataclass(eq=False)
class Statement(Reported):
    """Who said what, when: one quotation (or marked paraphrase), listed once per page."""

    by: str  # an official's entity key
    said: str
    date: PartialDate
    on: tuple[str, ...]  # issue keys
    source: Source | None
    paraphrase: bool
    role: str | None  # the speaker's role at the time, as the entry or the profile gives it
    path: str
    line: int
    column: int
    slug: str = ""
    anchor: str = ""
    reports: list = field(default_factory=list)  # [Entry], oldest first

    @property
    def url(self) -> str:
        """The permalink: its anchor on the page of the first entry that reports it."""
        return f"{self.entry_url}#{self.anchor}"

    @property
    def published(self) -> dt.datetime:
        """When feeds date it: the first day of its date, at midnight UTC."""
        return dt.datetime.combine(self.date.first_day(), dt.time(), tzinfo=dt.UTC)

    def sort_key(self):
        """Newest first, as entries sort, so feeds can mix the two."""
        return (-self.published.timestamp(), self.url)


@dataclass
class Entry:
    """A resolved entry: every name is an entity key."""

    path: str
    title: str
    published: dt.datetime
    has_time: bool
    summary: str
    slug: str
    status: str
    countries: tuple[str, ...]
    officials: tuple[str, ...]
    issues: tuple[str, ...]
    official_roles: dict[str, str]
    reports: tuple[EventReport, ...]  # its events as written; `events` once merged
    sources: tuple[Source, ...]
    body: str
    body_line: int
    source_hash: str = ""
    said: tuple[Statement, ...] = ()  # its statements as written; `statements` once merged
    events: tuple[Event, ...] = ()  # set by domain.events.merge_events, newest first
    statements: tuple[Statement, ...] = ()
    html: str = ""
    text: str = ""
    # Derived once (read on every page that lists the entry): see __post_init__.
    url: str = field(init=False)
    date: dt.date = field(init=False)
    entity_keys: tuple[str, ...] = field(init=False)
    timestamp: float = field(init=False)

    def __post_init__(self):
        self.date = self.published.date()
        self.url = entry_url(self.slug, self.published.year, self.status)
        self.entity_keys = self.countries + self.officials + self.issues
        self.timestamp = self.published.timestamp()

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def sort_key(self):
        """Newest first, then by URL, so every list is deterministic."""
        return (-self.timestamp, self.url)
