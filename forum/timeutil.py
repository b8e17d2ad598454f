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
    local = in_zone(moment, zone_name)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone_label(zone_name)})"


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
    local, today = in_zone(moment, zone_name), in_zone(now or utcnow(), zone_name)
    return f"{local.day} {local:%b}" + ("" if local.year == today.year else f" {local.year}")


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
