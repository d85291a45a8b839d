"""Calendars of upcoming events (RFC 5545): /calendar.ics for the whole site and a
calendar.ics beside every entity's and relation's page. Events are all-day and span what is
known of their date (a day, a month, a year); the UID comes from the event's anchor, so a
calendar program updates an event instead of adding a copy; DTSTAMP is the build date, so
the same content gives the same bytes. Lines end with CRLF and fold at 75 octets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..domain.dates import PartialDate
from ..domain.model import Event
from ..domain.opendata import CALENDAR_ICS
from ..domain.views import Site

SITE_CALENDAR = "/calendar.ics"
PRODID = "-//Briefing Digest//Upcoming events//EN"
LINE_OCTETS = 75


def escape_text(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped (RFC 5545, 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (never inside a UTF-8 character), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line + "\r\n"
    parts, start, limit = [], 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1  # a continuation line starts with one space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


def span(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The all-day span of a date as precise as it is known: DTSTART, and DTEND (exclusive)."""
    return date.first_day(), date.last_day() + dt.timedelta(days=1)


def summary(event: Event) -> str:
    """Its text, and for a date known only to the month or the year, when: '... (in 2026)'."""
    return event.what if event.date.day else f"{event.what.rstrip('.')} (in {event.date.label()})"


def vevent(event: Event, absolute, host: str, stamp: str, names) -> str:
    start, end = span(event.date)
    web = [s for s in event.sources if s.is_web]
    reported = "; ".join(f"{e.title} ({absolute(e.url)})" for e in event.reports)
    precision = "" if event.date.day else f"Date: {event.date.label()}; the day is not known yet.\n"
    description = f"{precision}Reported in: {reported}\nPermalink: {absolute(event.url)}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.anchor}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape_text(summary(event))}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{web[0].href if web else absolute(event.url)}",
    ]
    if event.entity_keys:
        lines.append("CATEGORIES:" + ",".join(escape_text(names(key)) for key in event.entity_keys))
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return "".join(fold(line) for line in lines)


class CalendarWriter:
    """Calendars for the site and each page; an event's VEVENT is written once per build."""

    def __init__(self, site: Site, absolute, sitename: str, licence: str):
        self.site = site
        self.absolute = absolute
        self.sitename = sitename
        self.licence = licence
        self.host = urlsplit(absolute("/")).hostname or "localhost"
        day = site.build_date or dt.date(1970, 1, 1)
        self.stamp = f"{day:%Y%m%d}T000000Z"
        self._events: dict[str, str] = {}

    def _name(self, key: str) -> str:
        return self.site.entity(key).name

    def _vevent(self, event: Event) -> str:
        if event.anchor not in self._events:
            self._events[event.anchor] = vevent(event, self.absolute, self.host, self.stamp, self._name)
        return self._events[event.anchor]

    def calendar(self, name: str, url: str, page_url: str, events: list[Event]) -> bytes:
        head = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"NAME:{escape_text(name)}",
            f"X-WR-CALNAME:{escape_text(name)}",
            f"DESCRIPTION:{escape_text(self._description(page_url))}",
            f"X-WR-CALDESC:{escape_text(self._description(page_url))}",
            f"SOURCE;VALUE=URI:{self.absolute(url)}",
            f"URL:{self.absolute(page_url)}",
            "REFRESH-INTERVAL;VALUE=DURATION:P1D",
            "X-PUBLISHED-TTL:P1D",
        ]
        body = "".join(fold(line) for line in head) + "".join(self._vevent(e) for e in events)
        return (body + fold("END:VCALENDAR")).encode("utf-8")

    def _description(self, page_url: str) -> str:
        return f"Upcoming events from {self.sitename} ({self.absolute(page_url)}). {self.licence}"

    def files(self) -> Iterator[tuple[str, bytes]]:
        """(URL, bytes): the site's calendar, then one per entity and relation page."""
        site = self.site
        yield SITE_CALENDAR, self.calendar(f"{self.sitename}: upcoming events", SITE_CALENDAR, "/", site.upcoming)
        for view in site.views.values():
            url = view.entity.url + CALENDAR_ICS
            yield url, self.calendar(f"{self.sitename}: {view.entity.name}", url, view.entity.url, view.upcoming)
        for relation in site.relations:
            url = relation.url + CALENDAR_ICS
            yield url, self.calendar(f"{self.sitename}: {relation.name}", url, relation.url, relation.upcoming)


def webcal(address: str) -> str | None:
    """The `webcal://` form of an http(s) address (calendar programs subscribe to it), or None."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return "webcal://" + address.split("://", 1)[1]
