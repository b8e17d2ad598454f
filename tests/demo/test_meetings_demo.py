"""The demo's past meetings sit on their circle's schedule, like the future ones."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.extensions import db
from forum.meetings.models import Meeting, MeetingStatus, Schedule
from forum.meetings.services import recorded_attendance
from forum.timeutil import as_utc, utcnow


def test_past_demo_meetings_are_on_the_schedule(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        schedules = {row.circle_id: row for row in db.session.scalars(select(Schedule))}
        finished = list(db.session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.FINISHED)))
        # The last two of each circle; the two years of history for insights come before them
        # (forum/demo/insights.py), on the schedule too, with absences recorded.
        recent = [meeting for meeting in finished if as_utc(meeting.starts_at) > utcnow() - timedelta(weeks=10)]
        assert len(recent) == 2 * len(schedules)
        for meeting in finished:
            row = schedules[meeting.circle_id]
            local = meeting.starts_at.astimezone(ZoneInfo(row.timezone)) if meeting.starts_at.tzinfo else \
                meeting.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(row.timezone))
            assert local.strftime("%H:%M") == row.start_time
            assert local.weekday() == (row.weekday if row.weekday is not None else row.start_date.weekday())
        for meeting in recent:
            recorded = list(recorded_attendance([meeting.id])[meeting.id].values())
            # Everyone came, but for the first circle's drifting member (absent at both).
            assert recorded.count("present") >= len(recorded) - 1 and set(recorded) <= {"present", "absent"}


def test_the_demo_shows_a_drifting_member_and_pulse_figures(app):
    from forum.circles.models import Circle
    from forum.meetings import pulse, services

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        circle = db.session.scalar(select(Circle).where(Circle.name == "Northgate Tuesday case circle"))
        assert [person.display_name for person, _meeting in services.drifting(circle.id)] == ["Harper.Adviser"]
        # The circle's last two meetings carry pulses (the two years before them, for insights, do not).
        recent = list(db.session.scalars(select(Meeting).where(
            Meeting.circle_id == circle.id, Meeting.status == MeetingStatus.FINISHED,
            Meeting.starts_at > utcnow() - timedelta(weeks=10))))
        later = utcnow() + pulse.OPEN_FOR
        assert len(recent) == 2 and all(pulse.meeting_pulse(meeting, later).usefulness is not None for meeting in recent)
