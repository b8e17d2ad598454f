"""Dates in lists: '4 Dec' this year, '4 Dec 2025' another, in the person's zone, with the
full date and time in the `<time>` element's title and its `datetime`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.timeutil import format_short_date
from tests.conftest import client_for

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_this_year_has_no_year():
    assert format_short_date(datetime(2026, 12, 4, 9, 0, tzinfo=UTC), now=NOW) == "4 Dec"


def test_another_year_has_its_year():
    assert format_short_date(datetime(2025, 12, 4, 9, 0, tzinfo=UTC), now=NOW) == "4 Dec 2025"


def test_the_day_is_the_persons_day():
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London (summer time)
    assert format_short_date(late, "Europe/London", now=NOW) == "1 Jul"
    assert format_short_date(late, "America/New_York", now=NOW) == "30 Jun"


def test_the_new_year_in_the_persons_zone():
    eve = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert format_short_date(eve, "Asia/Tokyo", now=NOW) == "1 Jan 2027"


def test_a_list_shows_the_short_date_with_the_full_one_in_its_title(app, adviser, make_post):
    make_post("Dated", at=datetime(2025, 3, 10, 10, 0, tzinfo=UTC))
    page = client_for(app, adviser).get("/posts").get_data(as_text=True)
    assert ('<time datetime="2025-03-10T10:00:00+00:00" title="Monday 10 March 2025, 10:00 (London)">'
            "10 Mar 2025</time>") in page


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Pacific/Kiritimati", "Asia/Kolkata"])
def test_a_lists_dates_are_the_same_as_one_at_a_time(zone):
    """ListDates (a list's 30 dates, zone looked up once) writes what the single formatters write."""
    from forum.timeutil import ListDates, as_utc, format_datetime

    dates = ListDates(zone, now=NOW)
    for moment in (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), datetime(2025, 1, 1, 0, 15, tzinfo=UTC),
                   datetime(2026, 3, 29, 1, 0), datetime(2026, 7, 4, 12, 0, 0, 123456, tzinfo=UTC)):
        assert dates(moment) == (as_utc(moment).isoformat(), format_datetime(moment, zone),
                                 format_short_date(moment, zone, now=NOW))
        assert dates.full(moment) == format_datetime(moment, zone)
    assert dates.full(None) == ""
