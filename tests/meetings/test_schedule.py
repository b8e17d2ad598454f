"""Recurrence: local time kept across clock changes, nth weekdays, windows, validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from forum.meetings.schedule import (
    Recurrence,
    describe,
    occurrences,
    rrule_text,
    validate,
)

LONDON = ZoneInfo("Europe/London")
YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def weekly(**changes) -> Recurrence:
    """Tuesdays at 10:00 London from 3 March 2026, with `changes`."""
    return replace(Recurrence("weekly", date(2026, 3, 3), time(10), 60), **changes)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekly_keeps_local_time_across_the_march_change():
    found = occurrences(weekly(), utc(2026, 3, 20), utc(2026, 4, 5))
    assert [o.local_date for o in found] == [date(2026, 3, 24), date(2026, 3, 31)]
    # GMT before 29 March, BST after: same wall clock, UTC moves an hour earlier.
    assert [o.starts_at for o in found] == [utc(2026, 3, 24, 10), utc(2026, 3, 31, 9)]
    assert [o.starts_at.astimezone(LONDON).time() for o in found] == [time(10), time(10)]
    assert [o.ends_at for o in found] == [utc(2026, 3, 24, 11), utc(2026, 3, 31, 10)]


def test_weekly_keeps_local_time_across_the_october_change():
    found = occurrences(weekly(), utc(2026, 10, 15), utc(2026, 11, 1))
    assert [o.starts_at for o in found] == [utc(2026, 10, 20, 9), utc(2026, 10, 27, 10)]
    assert {o.starts_at.astimezone(LONDON).time() for o in found} == {time(10)}


def test_a_meeting_on_the_change_day_itself():
    sunday = weekly(start_date=date(2026, 3, 22))  # Sundays, so 29 March and 25 October
    assert occurrences(sunday, utc(2026, 3, 29), utc(2026, 3, 30))[0].starts_at == utc(2026, 3, 29, 9)
    assert occurrences(sunday, utc(2026, 10, 25), utc(2026, 10, 26))[0].starts_at == utc(2026, 10, 25, 10)


def test_someone_in_another_zone_sees_their_own_local_time():
    winter, summer = occurrences(weekly(), utc(2026, 3, 24), utc(2026, 4, 1))
    new_york, kolkata = ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")
    # New York changed on 8 March, London on 29 March: the gap is 4 hours for those weeks.
    assert winter.starts_at.astimezone(new_york).time() == time(6)
    assert summer.starts_at.astimezone(new_york).time() == time(5)
    assert winter.starts_at.astimezone(kolkata).time() == time(15, 30)
    assert summer.starts_at.astimezone(kolkata).time() == time(14, 30)


def test_a_schedule_in_another_zone():
    kolkata = weekly(timezone="Asia/Kolkata", start_time=time(18))
    (first,) = occurrences(kolkata, utc(2026, 3, 3), utc(2026, 3, 4))
    assert first.starts_at == utc(2026, 3, 3, 12, 30)
    assert describe(kolkata) == "Every Tuesday at 18:00 (Kolkata)"


def test_a_late_evening_meeting_has_its_local_date():
    late = weekly(timezone="America/New_York", start_time=time(22))
    (first,) = occurrences(late, utc(2026, 3, 3), utc(2026, 3, 5))
    assert first.starts_at == utc(2026, 3, 4, 3)  # Wednesday in UTC...
    assert first.local_date == date(2026, 3, 3)  # ...but Tuesday where it happens


def test_fortnightly_skips_alternate_weeks():
    every_two = weekly(frequency="fortnightly")
    found = occurrences(every_two, utc(2026, 3, 1), utc(2026, 4, 30))
    assert [o.local_date for o in found] == [date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 31), date(2026, 4, 14), date(2026, 4, 28)]
    assert rrule_text(every_two) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert describe(every_two) == "Every two weeks on Tuesday at 10:00 (London)"


def test_fortnightly_counts_from_the_first_meeting_not_the_window():
    every_two = weekly(frequency="fortnightly")
    found = occurrences(every_two, utc(2026, 3, 10), utc(2026, 3, 25))
    assert [o.local_date for o in found] == [date(2026, 3, 17)]


def test_monthly_second_tuesday():
    second_tuesday = Recurrence("monthly", date(2026, 1, 1), time(10), 90, nth=2, weekday=1)
    found = occurrences(second_tuesday, utc(2026, 1, 1), utc(2026, 5, 1))
    assert [o.local_date for o in found] == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert found[3].starts_at == utc(2026, 4, 14, 9)  # BST
    assert rrule_text(second_tuesday) == "FREQ=MONTHLY;BYDAY=2TU"
    assert describe(second_tuesday) == "The second Tuesday of each month at 10:00 (London)"


def test_monthly_fifth_weekday_skips_months_without_one():
    fifth_friday = Recurrence("monthly", date(2026, 1, 1), time(10), 60, nth=5, weekday=4)
    found = occurrences(fifth_friday, *YEAR_2026)
    assert [o.local_date for o in found] == [date(2026, 1, 30), date(2026, 5, 29), date(2026, 7, 31), date(2026, 10, 30)]
    assert rrule_text(fifth_friday) == "FREQ=MONTHLY;BYDAY=5FR"


def test_monthly_last_weekday():
    last_friday = Recurrence("monthly", date(2026, 1, 1), time(14, 30), 60, nth=-1, weekday=4)
    found = occurrences(last_friday, utc(2026, 1, 1), utc(2026, 4, 1))
    assert [o.local_date for o in found] == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]
    assert rrule_text(last_friday) == "FREQ=MONTHLY;BYDAY=-1FR"
    assert describe(last_friday) == "The last Friday of each month at 14:30 (London)"


def test_monthly_starts_on_or_after_the_start_date():
    second_tuesday = Recurrence("monthly", date(2026, 1, 14), time(10), 60, nth=2, weekday=1)
    assert occurrences(second_tuesday, *YEAR_2026)[0].local_date == date(2026, 2, 10)


def test_once():
    one_off = Recurrence("once", date(2026, 3, 10), time(10), 45)
    (only,) = occurrences(one_off, *YEAR_2026)
    assert (only.starts_at, only.ends_at, only.local_date) == (utc(2026, 3, 10, 10), utc(2026, 3, 10, 10, 45), date(2026, 3, 10))
    assert occurrences(one_off, utc(2026, 3, 11), utc(2026, 4, 1)) == []
    assert rrule_text(one_off) == ""
    assert describe(one_off) == "Once, on Tuesday 10 March 2026 at 10:00 (London)"


def test_weekly_text():
    assert rrule_text(weekly()) == "FREQ=WEEKLY;BYDAY=TU"
    assert describe(weekly()) == "Every Tuesday at 10:00 (London)"
    assert describe(weekly(weekday=4)) == "Every Friday at 10:00 (London)"


def test_until_is_inclusive_and_in_the_rule():
    ending = weekly(until=date(2026, 3, 31))
    found = occurrences(ending, *YEAR_2026)
    assert [o.local_date for o in found][-2:] == [date(2026, 3, 24), date(2026, 3, 31)]
    # RFC 5545: with a zoned DTSTART, UNTIL is UTC (23:59:59 BST is 22:59:59Z).
    assert rrule_text(ending) == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260331T225959Z"
    assert describe(ending) == "Every Tuesday at 10:00 (London), until 31 March 2026"


def test_the_rrule_text_expands_to_the_same_dates():
    for recurrence in (weekly(), weekly(frequency="fortnightly"),
                       Recurrence("monthly", date(2026, 1, 1), time(10), 60, nth=-1, weekday=2)):
        rule = rrulestr(rrule_text(recurrence), dtstart=datetime(2026, 1, 1, 10) if recurrence.frequency == "monthly" else datetime(2026, 3, 3, 10))
        expected = [moment.date() for moment in rule.between(datetime(2026, 1, 1), datetime(2027, 1, 1))]
        assert [o.local_date for o in occurrences(recurrence, *YEAR_2026)] == expected


def test_window_is_half_open():
    at_ten = utc(2026, 3, 10, 10)
    assert [o.starts_at for o in occurrences(weekly(), at_ten, utc(2026, 3, 17, 10))] == [at_ten]
    assert occurrences(weekly(), utc(2026, 3, 10, 10, 0, 1), utc(2026, 3, 17, 10)) == []
    assert occurrences(weekly(), utc(2026, 3, 1), utc(2026, 3, 3, 10)) == []  # ends exactly at the first start
    assert occurrences(weekly(), utc(2026, 1, 1), utc(2026, 3, 1)) == []  # before the first meeting


def test_window_in_other_zones_and_naive_bounds_count_as_utc():
    new_york = ZoneInfo("America/New_York")
    start = datetime(2026, 3, 10, 6, tzinfo=new_york)  # == 10:00Z
    assert [o.starts_at for o in occurrences(weekly(), start, start.replace(hour=7))] == [utc(2026, 3, 10, 10)]
    assert len(occurrences(weekly(), datetime(2026, 3, 10, 10), datetime(2026, 3, 10, 11))) == 1


def test_spring_forward_gap_moves_to_the_first_valid_time():
    # 01:00-02:00 does not exist in London on 29 March 2026.
    small_hours = weekly(start_date=date(2026, 3, 22), start_time=time(1, 30))
    before, gap_day, after = occurrences(small_hours, utc(2026, 3, 21), utc(2026, 4, 6))
    assert before.starts_at == utc(2026, 3, 22, 1, 30)  # 01:30 GMT
    assert gap_day.starts_at == utc(2026, 3, 29, 1)  # 02:00 BST, the first valid time
    assert gap_day.starts_at.astimezone(LONDON).time() == time(2)
    assert gap_day.ends_at == utc(2026, 3, 29, 2)  # still an hour long
    assert after.starts_at == utc(2026, 4, 5, 0, 30)  # 01:30 BST


def test_ambiguous_autumn_time_takes_the_first():
    # 01:00-02:00 happens twice in London on 25 October 2026: fold=0 is the BST one.
    small_hours = weekly(start_date=date(2026, 10, 18), start_time=time(1, 30))
    (meeting,) = occurrences(small_hours, utc(2026, 10, 24), utc(2026, 10, 26))
    assert meeting.starts_at == utc(2026, 10, 25, 0, 30)


def test_a_valid_schedule_has_no_problems():
    assert validate(weekly()) == []
    assert validate(Recurrence("monthly", date(2026, 1, 1), time(10), 480, nth=-1, weekday=6, until=date(2026, 1, 31))) == []
    assert validate(Recurrence("once", date(2026, 1, 1), time(10), 1, timezone="America/New_York")) == []


def test_end_before_start():
    assert validate(weekly(until=date(2026, 3, 2))) == [("until", "The end date must be on or after the first meeting")]
    assert validate(weekly(until=date(2026, 3, 3))) == []


def test_an_end_date_that_leaves_no_meeting():
    fifth_friday = Recurrence("monthly", date(2026, 2, 1), time(10), 60, nth=5, weekday=4, until=date(2026, 4, 30))
    assert validate(fifth_friday) == [("until", "There are no meetings between the first date and the end date")]


@pytest.mark.parametrize("minutes", [0, -5, 481, 10_000, None, "60", True])
def test_duration_out_of_range(minutes):
    assert validate(weekly(duration_minutes=minutes)) == [("duration_minutes", "Enter a duration between 1 minute and 8 hours")]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc", "/etc/passwd", "europe/london", " Europe/London", None])
def test_malformed_or_unknown_zone(zone):
    assert validate(weekly(timezone=zone)) == [("timezone", "Choose a time zone from the list")]


@pytest.mark.parametrize("frequency", ["daily", "", "WEEKLY", None])
def test_unknown_frequency(frequency):
    assert validate(weekly(frequency=frequency)) == [("frequency", "Choose how often the circle meets")]


@pytest.mark.parametrize("nth", [None, 0, 6, -2])
def test_monthly_needs_a_week_of_the_month(nth):
    problems = validate(Recurrence("monthly", date(2026, 1, 1), time(10), 60, nth=nth, weekday=1))
    assert problems == [("nth", "Choose which week of the month: first, second, third, fourth, fifth or last")]


@pytest.mark.parametrize("weekday", [None, -1, 7])
def test_monthly_needs_a_day_of_the_week(weekday):
    problems = validate(Recurrence("monthly", date(2026, 1, 1), time(10), 60, nth=2, weekday=weekday))
    assert problems == [("weekday", "Choose a day of the week")]


def test_missing_date_and_time():
    problems = validate(Recurrence("weekly", None, None, 60))
    assert [field for field, _ in problems] == ["start_date", "start_time"]


def test_several_problems_are_all_reported_and_occurrences_refuses():
    bad = Recurrence("monthly", date(2026, 3, 1), time(10), 0, timezone="Mars/Olympus", until=date(2026, 2, 1), nth=9, weekday=1)
    assert [field for field, _ in validate(bad)] == ["duration_minutes", "timezone", "until", "nth"]
    with pytest.raises(ValueError):
        occurrences(bad, *YEAR_2026)
