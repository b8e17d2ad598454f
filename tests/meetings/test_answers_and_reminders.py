"""Series answers ("I'll come to every meeting"), the effective answer in one query, answers
from outside a circle, and the reminders each person chooses, sent once each, in their zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings import delivery, services
from forum.meetings.models import Answer, Meeting, ReminderSent, Schedule
from forum.circles.models import Circle
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def setting(app, make_user, make_circle):
    facilitator, mo, pat = make_user(name="Fay.F"), make_user(name="Mo.Member"), make_user(name="Pat.Other")
    circle_id = make_circle(facilitator=facilitator, members=[mo, pat])
    return {"circle_id": circle_id, "facilitator": facilitator, "mo": mo, "pat": pat,
            "f": client_for(app, facilitator), "m": client_for(app, mo)}


def schedule(client, circle_id, start: date, at="10:00", frequency="weekly"):
    response = form_post(client, f"/circles/{circle_id}/schedule", {
        "frequency": frequency, "start_date": start.isoformat(), "start_time": at, "duration_minutes": "60",
        "timezone": "Europe/London", "nth": "", "weekday": "", "until": "", "call_link": ""},
        page=f"/circles/{circle_id}/schedule")
    assert response.status_code == 302


def meetings_of(app, circle_id):
    with app.app_context():
        return list(db.session.scalars(select(Meeting).where(Meeting.circle_id == circle_id).order_by(Meeting.starts_at)))


def test_a_series_answer_reaches_meetings_rolled_later_and_one_answer_overrides_it(app, setting):
    circle_id, m = setting["circle_id"], setting["m"]
    schedule(setting["f"], circle_id, date.today() + timedelta(days=1))
    first = meetings_of(app, circle_id)
    assert form_post(m, f"/circles/{circle_id}/series", {"every": "1"}, page=f"/circles/{circle_id}").status_code == 302
    form_post(m, f"/meetings/{first[1].id}/rsvp", {"answer": "not_going"}, page=f"/meetings/{first[1].id}")
    with app.app_context():
        # Twelve weeks on, `meetings roll` adds the meetings the window now reaches.
        later = datetime.now(UTC) + timedelta(weeks=4)
        assert services.roll_all(now=later) > 0
        db.session.commit()
    rolled = [meeting for meeting in meetings_of(app, circle_id) if meeting.id not in {item.id for item in first}]
    assert rolled
    with app.app_context():
        answers = services.effective_answers([first[0].id, first[1].id, rolled[-1].id])
    mo, pat = setting["mo"].id, setting["pat"].id
    assert answers[first[0].id] == {mo: Answer.GOING}
    assert answers[first[1].id] == {mo: Answer.NOT_GOING}  # the one answer wins
    assert answers[rolled[-1].id] == {mo: Answer.GOING} and pat not in answers[rolled[-1].id]
    page = m.get(f"/meetings/{rolled[-1].id}").get_data(as_text=True)
    assert "Mo.Member: Going" in page
    form_post(m, f"/circles/{circle_id}/series", {"every": "0"}, page=f"/circles/{circle_id}")
    with app.app_context():
        assert services.effective_answers([rolled[-1].id])[rolled[-1].id] == {}


def test_effective_answers_take_one_query(app, setting, make_meeting, count_queries):
    ids = [make_meeting(setting["circle_id"], datetime.now(UTC) + timedelta(days=day)) for day in (1, 2, 3, 4)]
    with app.app_context(), count_queries() as counted:
        services.effective_answers(ids)
    assert len(counted) == 1


def test_no_answers_to_a_circle_you_left_or_never_joined(app, setting, make_meeting, make_user):
    meeting_id = make_meeting(setting["circle_id"])
    m = setting["m"]
    form_post(m, f"/circles/{setting['circle_id']}/series", {"every": "1"}, page=f"/circles/{setting['circle_id']}")
    assert form_post(m, f"/circles/{setting['circle_id']}/leave", page=f"/circles/{setting['circle_id']}/leave").status_code == 302
    assert form_post(m, f"/meetings/{meeting_id}/rsvp", {"answer": "going"}).status_code == 404
    with app.app_context():
        assert services.effective_answers([meeting_id])[meeting_id] == {}
        assert services.series_answer(setting["mo"], setting["circle_id"]) is None  # leaving ended it
    stranger = client_for(app, make_user(name="Not.In"))
    assert form_post(stranger, f"/circles/{setting['circle_id']}/series", {"every": "1"}).status_code == 404
    bad = form_post(setting["f"], f"/meetings/{meeting_id}/rsvp", {"answer": "perhaps"}, page=f"/meetings/{meeting_id}",
                    follow_redirects=True)
    assert "Choose going, maybe or not going" in bad.get_data(as_text=True)


def test_the_reminder_choice_is_saved_and_bad_input_refused(app, setting):
    m = setting["m"]
    page = m.get("/account/calendar").get_data(as_text=True)
    assert "webcal://" in page and "/calendar/" in page
    assert re.search(r'<input checked[^>]*value="day"', page)
    assert form_post(m, "/account/calendar", {"reminders": "both"}, page="/account/calendar").status_code == 302
    with app.app_context():
        assert services.reminder_choice(setting["mo"]) == "both"
    bad = form_post(m, "/account/calendar", {"reminders": "weekly"}, page="/account/calendar")
    assert bad.status_code == 400 and "Error: " in bad.get_data(as_text=True)
    with app.app_context():
        assert services.reminder_choice(setting["mo"]) == "both"


def test_both_reminders_are_sent_once_each_in_the_persons_zone_across_a_clock_change(app, setting, outbox):
    """UK clocks go back at 02:00 on Sunday 25 October 2026: a Monday 10:00 meeting is 10:00 GMT."""
    circle_id = setting["circle_id"]
    with app.app_context():
        from forum.accounts.models import User
        starts = datetime(2026, 10, 26, 10, 0, tzinfo=UTC)  # 10:00 in London (GMT)
        db.session.add(Meeting(circle_id=circle_id, starts_at=starts, ends_at=starts + timedelta(hours=1)))
        for person, choice in ((setting["mo"], "both"), (setting["pat"], "none"), (setting["facilitator"], "two_hours")):
            services.choose_reminders(person, choice)
        db.session.get(User, setting["facilitator"].id).timezone = "America/New_York"
        db.session.commit()
    day_before = datetime(2026, 10, 25, 10, 30, tzinfo=UTC)  # 23.5 hours before, after the change
    with app.test_request_context():
        assert delivery.send_reminders(now=day_before) == 1  # Mo's 24-hour reminder
        assert delivery.send_reminders(now=day_before + timedelta(minutes=10)) == 0
        assert delivery.send_reminders(now=starts - timedelta(hours=1, minutes=50)) == 2  # Mo and Fay, 2 hours
        assert delivery.send_reminders(now=starts - timedelta(hours=1, minutes=40)) == 0
    reminders = [mail for mail in outbox if mail.subject.startswith("Reminder:")]
    assert sorted(mail.to for mail in reminders) == sorted([setting["mo"].email, setting["mo"].email,
                                                             setting["facilitator"].email])
    assert all("Monday 26 October 2026, 10:00 (London)" in mail.text for mail in reminders if mail.to == setting["mo"].email)
    assert "06:00" in next(mail.text for mail in reminders if mail.to == setting["facilitator"].email)  # New York
    with app.app_context():
        kinds = sorted(tuple(row) for row in db.session.execute(select(ReminderSent.user_id, ReminderSent.kind)))
    assert kinds == sorted([(setting["mo"].id, "24h"), (setting["mo"].id, "2h"), (setting["facilitator"].id, "2h")])


def test_a_meeting_added_late_sends_one_reminder_not_two(app, setting, outbox):
    with app.app_context():
        starts = datetime.now(UTC) + timedelta(hours=1)
        db.session.add(Meeting(circle_id=setting["circle_id"], starts_at=starts, ends_at=starts + timedelta(hours=1)))
        services.choose_reminders(setting["mo"], "both")
        for person in (setting["pat"], setting["facilitator"]):
            services.choose_reminders(person, "none")
        db.session.commit()
    with app.test_request_context():
        assert delivery.send_reminders() == 1
        assert delivery.send_reminders() == 0
