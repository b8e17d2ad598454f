"""Calendar output: parses, stable UIDs, zoned times, cancellations, escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from forum.meetings.ics import CalendarEvent, calendar, uid_for

NASTY = 'Case <svg onload=alert(1)>, "quoted"; a\\b\nsecond line: é ✓ ' + "long " * 30


BASE = CalendarEvent(
    uid=uid_for(7, "forum.example"),
    starts_at=datetime(2026, 7, 14, 9, tzinfo=UTC),  # 10:00 BST
    ends_at=datetime(2026, 7, 14, 10, tzinfo=UTC),
    timezone="Europe/London",
    summary="Tuesday circle",
    description="Agenda:\n1. A case",
    url="https://forum.example/meetings/7",
    location=None,
    sequence=0,
    cancelled=False,
    last_modified=datetime(2026, 7, 1, 12, tzinfo=UTC),
)


def event(**changes) -> CalendarEvent:
    return replace(BASE, **changes)


def parse(*events: CalendarEvent, name: str = "My circles") -> Calendar:
    return Calendar.from_ical(calendar(list(events), name))


def only_event(cal: Calendar):
    (vevent,) = cal.walk("VEVENT")
    return vevent


def test_calendar_headers():
    cal = parse(event())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "My circles"


def test_event_fields():
    vevent = only_event(parse(event(location="Room 4, first floor")))
    assert str(vevent["UID"]) == "meeting-7@forum.example"
    assert vevent.decoded("DTSTAMP") == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert vevent.decoded("LAST-MODIFIED") == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert str(vevent["SUMMARY"]) == "Tuesday circle"
    assert str(vevent["DESCRIPTION"]) == "Agenda:\n1. A case"
    assert str(vevent["URL"]) == "https://forum.example/meetings/7"
    assert str(vevent["LOCATION"]) == "Room 4, first floor"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert int(vevent["SEQUENCE"]) == 0


def test_no_location_when_none_given():
    assert "LOCATION" not in only_event(parse(event()))


def test_uids_are_stable_across_generations():
    assert uid_for(7, "forum.example") == uid_for(7, "forum.example") == "meeting-7@forum.example"
    assert uid_for(8, "forum.example") != uid_for(7, "forum.example")
    first = [str(e["UID"]) for e in parse(event(), event(uid=uid_for(8, "forum.example"))).walk("VEVENT")]
    again = [str(e["UID"]) for e in parse(event(), event(uid=uid_for(8, "forum.example"))).walk("VEVENT")]
    assert first == again == ["meeting-7@forum.example", "meeting-8@forum.example"]
    # The same data gives the same bytes (DTSTAMP comes from LAST-MODIFIED, not "now").
    assert calendar([event()], "x") == calendar([event()], "x")


def test_summer_time_is_written_in_local_time_with_tzid():
    vevent = only_event(parse(event()))
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent["DTSTART"].to_ical() == b"20260714T100000"
    assert vevent["DTEND"].to_ical() == b"20260714T110000"
    assert vevent.decoded("DTSTART") == datetime(2026, 7, 14, 9, tzinfo=UTC)


def test_winter_time_is_written_in_local_time_with_tzid():
    winter = event(starts_at=datetime(2026, 12, 8, 10, tzinfo=UTC), ends_at=datetime(2026, 12, 8, 11, tzinfo=UTC))
    vevent = only_event(parse(winter))
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent["DTSTART"].to_ical() == b"20261208T100000"
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 8, 10, tzinfo=UTC)


def test_raw_text_has_tzid_and_a_vtimezone():
    text = calendar([event()], "x").decode()
    assert "DTSTART;TZID=Europe/London:20260714T100000\r\n" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_each_zone_in_use_gets_a_vtimezone():
    cal = parse(event(), event(uid="meeting-8@x", timezone="Asia/Kolkata"), event(uid="meeting-9@x", timezone="America/New_York"))
    assert sorted(tz.tz_name for tz in cal.timezones) == ["America/New_York", "Asia/Kolkata", "Europe/London"]
    assert cal.get_missing_tzids() == set()
    kolkata = next(e for e in cal.walk("VEVENT") if e["UID"] == "meeting-8@x")
    assert kolkata["DTSTART"].to_ical() == b"20260714T143000"


def test_vtimezone_covers_both_changes_of_the_year():
    (london,) = parse(event()).timezones
    text = london.to_ical().decode()
    assert "20260329T020000" in text and "20261025T020000" in text


def test_cancelled_meeting():
    vevent = only_event(parse(event(cancelled=True, sequence=3)))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 3


def test_sequence_is_preserved():
    moved = event(sequence=5, starts_at=datetime(2026, 7, 15, 9, tzinfo=UTC), ends_at=datetime(2026, 7, 15, 10, tzinfo=UTC))
    assert int(only_event(parse(moved))["SEQUENCE"]) == 5


def test_nasty_text_round_trips_exactly():
    vevent = only_event(parse(event(summary=NASTY, description=NASTY + "\n\n" + NASTY, location=NASTY)))
    assert str(vevent["SUMMARY"]) == NASTY
    assert str(vevent["DESCRIPTION"]) == NASTY + "\n\n" + NASTY
    assert str(vevent["LOCATION"]) == NASTY


def test_calendar_name_is_escaped_and_kept_on_one_line():
    unfolded = calendar([event()], NASTY).decode().replace("\r\n ", "")
    (line,) = [line for line in unfolded.split("\r\n") if line.startswith("X-WR-CALNAME:")]
    escaped = " ".join(NASTY.split()).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    assert line == "X-WR-CALNAME:" + escaped
    assert line.startswith('X-WR-CALNAME:Case <svg onload=alert(1)>\\, "quoted"\\; a\\\\b second line:')


def test_nasty_text_cannot_break_out_of_its_property():
    text = calendar([event(summary="x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil", description="a;b,c")], "x").decode()
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert "UID:evil" not in lines
    assert "SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil" in text
    assert "DESCRIPTION:a\\;b\\,c" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded


def test_carriage_returns_and_control_characters_are_normalised():
    vevent = only_event(parse(event(summary="one\r\ntwo\rthree\x00\x07\tfour")))
    assert str(vevent["SUMMARY"]) == "one\ntwo\nthree\tfour"


def test_naive_times_count_as_utc_and_a_bad_zone_falls_back_to_utc():
    naive = only_event(parse(event(starts_at=datetime(2026, 7, 14, 9), ends_at=datetime(2026, 7, 14, 10))))
    assert naive.decoded("DTSTART") == datetime(2026, 7, 14, 9, tzinfo=UTC)
    broken = only_event(parse(event(timezone="Mars/Olympus")))
    assert broken.decoded("DTSTART") == datetime(2026, 7, 14, 9, tzinfo=UTC)


def test_an_empty_calendar_is_still_valid():
    cal = parse(name="Nothing yet")
    assert cal.walk("VEVENT") == [] and str(cal["X-WR-CALNAME"]) == "Nothing yet"


def test_events_spanning_years():
    later = event(uid="later@x", starts_at=datetime(2027, 12, 31, 23, tzinfo=UTC), ends_at=datetime(2028, 1, 1, tzinfo=UTC) + timedelta(hours=1))
    cal = parse(event(), later)
    assert cal.get_missing_tzids() == set()
    assert {e.decoded("DTSTART") for e in cal.walk("VEVENT")} == {event().starts_at, later.starts_at}
