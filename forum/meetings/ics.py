"""RFC 5545 calendars for meetings, built with the `icalendar` library.

Pure: `CalendarEvent`s in, bytes out. Each meeting is its own VEVENT (not a recurring
rule) so moves and cancellations of single meetings need no RECURRENCE-ID juggling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vText

PRODID = "-//Adviser forum//Circles//EN"

# RFC 5545 TEXT allows no control characters except tab; line breaks become \n.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # see uid_for: must never change for the same meeting
    starts_at: datetime  # aware UTC (naive counts as UTC)
    ends_at: datetime
    timezone: str  # the meeting's own zone: DTSTART/DTEND are written in it
    summary: str
    description: str
    url: str
    location: str | None
    sequence: int  # goes up when the meeting moves or is cancelled
    cancelled: bool
    last_modified: datetime


def uid_for(meeting_id: int, domain: str) -> str:
    """A UID that stays the same across regenerations, so calendars update rather than duplicate."""
    return f"meeting-{meeting_id}@{domain}"


def calendar(events: list[CalendarEvent], name: str) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONEs they need."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # X- properties are not escaped by the library unless typed as TEXT; a name is one line.
    cal.add("x-wr-calname", vText(" ".join(_text(name).split())))
    for item in events:
        cal.add_component(_event(item))
    if events:
        # VTIMEZONEs only for the years in use: the library default (1970-2038) is ~3 kB per zone.
        first = min(_utc(item.starts_at) for item in events).year
        last = max(_utc(item.ends_at) for item in events).year
        cal.add_missing_timezones(first_date=date(first - 1, 1, 1), last_date=date(last + 1, 12, 31))
    return cal.to_ical()


def _event(item: CalendarEvent) -> Event:
    zone = _zone(item.timezone)
    event = Event()
    event.add("uid", item.uid)
    # DTSTAMP from LAST-MODIFIED rather than "now": the same data always gives the same
    # bytes (cache-friendly), and it still goes up whenever the meeting changes.
    event.add("dtstamp", _utc(item.last_modified))
    event.add("last-modified", _utc(item.last_modified))
    event.add("dtstart", _utc(item.starts_at).astimezone(zone))  # written with TZID=<zone>
    event.add("dtend", _utc(item.ends_at).astimezone(zone))
    event.add("summary", _text(item.summary))
    event.add("description", _text(item.description))
    event.add("url", item.url)
    if item.location:
        event.add("location", _text(item.location))
    event.add("sequence", item.sequence)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def _zone(name: str) -> ZoneInfo:
    # One bad stored zone must not break a person's whole feed: the instant stays right in UTC.
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _text(value: str) -> str:
    # The library escapes , ; \ and newlines; it would turn \r\n into \n anyway, so do it here.
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
