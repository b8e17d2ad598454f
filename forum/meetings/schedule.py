"""Recurring meetings that keep their local time across clock changes.

Pure: a `Recurrence` in, plain values out. Rules are expanded by dateutil on NAIVE
local datetimes (so "10:00" means 10:00 on the wall clock), and only then placed in
the zone and converted to UTC. A weekly 10:00 Europe/London meeting is therefore
10:00Z in winter and 09:00Z in summer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from forum.timeutil import DEFAULT_ZONE, is_zone, zone_label

FREQUENCIES = ("weekly", "fortnightly", "monthly", "once")
MAX_DURATION = 8 * 60
NTHS = (1, 2, 3, 4, 5, -1)

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # one of FREQUENCIES
    start_date: date  # the first meeting is on or after this date
    start_time: time  # local wall-clock time in `timezone`
    duration_minutes: int
    timezone: str = DEFAULT_ZONE
    until: date | None = None  # last possible meeting date, inclusive
    nth: int | None = None  # monthly: 1..5, or -1 for "last"
    weekday: int | None = None  # 0 = Monday; weekly defaults to start_date's weekday


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    local_date: date  # the meeting's date in the schedule's own zone


def validate(recurrence: Recurrence) -> list[tuple[str, str]]:
    """(field, message) problems, in form order; empty when the schedule is usable."""
    r = recurrence
    problems: list[tuple[str, str]] = []
    if r.frequency not in FREQUENCIES:
        problems.append(("frequency", "Choose how often the circle meets"))
    if not isinstance(r.start_date, date):
        problems.append(("start_date", "Enter the date of the first meeting"))
    if not isinstance(r.start_time, time):
        problems.append(("start_time", "Enter a start time, for example 10:00"))
    if not _is_int(r.duration_minutes) or not 1 <= r.duration_minutes <= MAX_DURATION:
        problems.append(("duration_minutes", "Enter a duration between 1 minute and 8 hours"))
    if not isinstance(r.timezone, str) or not is_zone(r.timezone):
        problems.append(("timezone", "Choose a time zone from the list"))
    if r.until is not None and isinstance(r.start_date, date) and r.until < r.start_date:
        problems.append(("until", "The end date must be on or after the first meeting"))
    if r.frequency == "monthly" and r.nth not in NTHS:
        problems.append(("nth", "Choose which week of the month: first, second, third, fourth, fifth or last"))
    if (r.frequency == "monthly" or r.weekday is not None) and not (_is_int(r.weekday) and 0 <= r.weekday <= 6):
        problems.append(("weekday", "Choose a day of the week"))
    if not problems and r.frequency != "once" and r.until is not None and _rule(r).after(_naive_start(r), inc=True) is None:
        # e.g. "fifth Friday" with an end date before any month that has one
        problems.append(("until", "There are no meetings between the first date and the end date"))
    return problems


def rrule_text(recurrence: Recurrence) -> str:
    """The RFC 5545 RRULE value, for storage and calendars; "" for a one-off meeting."""
    r = recurrence
    if r.frequency == "once":
        return ""
    day = _RRULE_DAYS[_weekday(r)]
    if r.frequency == "monthly":
        parts = ["FREQ=MONTHLY", f"BYDAY={r.nth}{day}"]
    else:
        parts = ["FREQ=WEEKLY"] + (["INTERVAL=2"] if r.frequency == "fortnightly" else []) + [f"BYDAY={day}"]
    if r.until is not None:
        # RFC 5545: with a zoned DTSTART, UNTIL must be UTC. The end of the until day, locally.
        last = _to_utc(datetime.combine(r.until, time(23, 59, 59)), ZoneInfo(r.timezone))
        parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def occurrences(recurrence: Recurrence, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """Meetings starting in [window_start, window_end), in order. Naive bounds count as UTC."""
    if problems := validate(recurrence):
        raise ValueError("; ".join(message for _field, message in problems))
    r = recurrence
    zone = ZoneInfo(r.timezone)
    lower, upper = _as_utc(window_start), _as_utc(window_end)
    if r.frequency == "once":
        candidates = [_naive_start(r)]
    else:
        # Expand on the local wall clock with a day's slack each side (offsets are < 1 day),
        # then filter exactly in UTC below.
        local_lower = lower.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
        local_upper = upper.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
        candidates = _rule(r).between(local_lower, local_upper, inc=True)
    result = []
    for naive in candidates:
        starts_at = _to_utc(naive, zone)
        if lower <= starts_at < upper:
            # Duration is elapsed time: a meeting spanning a clock change still lasts as long.
            ends_at = starts_at + timedelta(minutes=r.duration_minutes)
            result.append(Occurrence(starts_at, ends_at, starts_at.astimezone(zone).date()))
    return result


def describe(recurrence: Recurrence) -> str:
    """'Every Tuesday at 10:00 (London)', 'The second Tuesday of each month at 10:00 (London)'."""
    r = recurrence
    day = _DAY_NAMES[_weekday(r)]
    at = f"at {r.start_time:%H:%M} ({zone_label(r.timezone)})"
    if r.frequency == "once":
        day = _DAY_NAMES[r.start_date.weekday()]
        return f"Once, on {day} {r.start_date.day} {r.start_date:%B %Y} {at}"
    if r.frequency == "monthly":
        text = f"The {_ORDINALS[r.nth]} {day} of each month {at}"
    elif r.frequency == "fortnightly":
        text = f"Every two weeks on {day} {at}"
    else:
        text = f"Every {day} {at}"
    if r.until is not None:
        text += f", until {r.until.day} {r.until:%B %Y}"
    return text


def _rule(r: Recurrence) -> rrule.rrule:
    """The dateutil rule over naive local datetimes (never called for "once")."""
    until = datetime.combine(r.until, time.max) if r.until is not None else None
    weekday = rrule.weekday(_weekday(r))
    if r.frequency == "monthly":
        # BYDAY=2TU style: a month without a fifth Friday simply yields nothing.
        return rrule.rrule(rrule.MONTHLY, dtstart=_naive_start(r), byweekday=weekday(r.nth), until=until)
    interval = 2 if r.frequency == "fortnightly" else 1
    return rrule.rrule(rrule.WEEKLY, dtstart=_naive_start(r), interval=interval, byweekday=weekday, until=until)


def _to_utc(naive: datetime, zone: ZoneInfo) -> datetime:
    """Place a local wall-clock time in `zone` and return it in UTC.

    Ambiguous times (the repeated hour in autumn) take fold=0, the first of the two,
    as RFC 5545 does. Times that do not exist (the skipped hour in spring, e.g. 01:30 on
    29 March 2026 in London) move forward to the first valid time, 02:00 BST: the
    meeting happens as soon as the clock allows rather than an hour early.
    """
    while not _exists(naive, zone):
        naive += timedelta(minutes=1)  # gaps are whole minutes in any modern tz data
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    # A wall time inside a gap does not survive a round trip through UTC.
    local = naive.replace(tzinfo=zone, fold=0)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def _naive_start(r: Recurrence) -> datetime:
    return datetime.combine(r.start_date, r.start_time.replace(tzinfo=None))


def _weekday(r: Recurrence) -> int:
    return r.weekday if r.weekday is not None else r.start_date.weekday()


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
