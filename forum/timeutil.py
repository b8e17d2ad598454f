"""Time: stored in UTC, shown in each person's own zone (Europe/London by default)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "Europe/London"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones a person may choose, without the legacy aliases."""
    return tuple(sorted(name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))))


def is_zone(name: str) -> bool:
    return name in zone_names()


def zone_label(zone_name: str) -> str:
    """'Europe/London' -> 'London'."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def in_zone(moment: datetime, zone_name: str = DEFAULT_ZONE) -> datetime:
    return as_utc(moment).astimezone(ZoneInfo(zone_name))


def format_datetime(moment: datetime | None, zone_name: str = DEFAULT_ZONE) -> str:
    """'Tuesday 10 March 2026, 10:00 (London)'."""
    if moment is None:
        return ""
    return _long(in_zone(moment, zone_name), zone_label(zone_name))


#: The names strftime gives in the C locale (the app never sets another), looked up directly:
#: strftime costs several microseconds a call, and a list shows 30 dates.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def _long(local: datetime, label: str) -> str:
    """As f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({label})"."""
    return (f"{DAY_NAMES[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1]} {local.year:04d}, "
            f"{local.hour:02d}:{local.minute:02d} ({label})")


def _short(local: datetime, this_year: int) -> str:
    """As f"{local.day} {local:%b}", and the year when it is not this one."""
    return f"{local.day} {MONTH_NAMES[local.month - 1][:3]}" + ("" if local.year == this_year else f" {local.year}")


def format_date(moment: datetime | None, zone_name: str = DEFAULT_ZONE) -> str:
    """'10 March 2026'."""
    if moment is None:
        return ""
    local = in_zone(moment, zone_name)
    return f"{local.day} {local:%B %Y}"


def format_short_date(moment: datetime | None, zone_name: str = DEFAULT_ZONE, now: datetime | None = None) -> str:
    """For lists: '4 Dec' this year (in the person's zone), '4 Dec 2025' another year."""
    if moment is None:
        return ""
    return _short(in_zone(moment, zone_name), in_zone(now or utcnow(), zone_name).year)


class ListDates:
    """A list's dates in one person's zone, the zone and this year looked up once (a list
    shows 30 of them): (UTC ISO time, format_datetime, format_short_date) of each moment."""

    def __init__(self, zone_name: str = DEFAULT_ZONE, now: datetime | None = None):
        self.zone_name, self.zone, self.label = zone_name, ZoneInfo(zone_name), zone_label(zone_name)
        self.this_year = in_zone(now or utcnow(), zone_name).year

    def __call__(self, moment: datetime) -> tuple[str, str, str]:
        utc = as_utc(moment)
        local = utc.astimezone(self.zone)
        return utc.isoformat(), _long(local, self.label), _short(local, self.this_year)

    def full(self, moment: datetime | None) -> str:
        """As format_datetime in this zone."""
        return _long(as_utc(moment).astimezone(self.zone), self.label) if moment is not None else ""


def time_ago(moment: datetime, now: datetime | None = None) -> str:
    """'2 hours ago': only ever shown beside an exact time."""
    seconds = int(((now or utcnow()) - as_utc(moment)).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400 * 7, "week"),
                       (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"
