"""Recorded attendance (present, absent or unknown; nobody assumed), "I'm here", the
facilitator's attendance form with stale forms refused, the real start and finish, and the
confirmation before a meeting starts more than 30 minutes early."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings import services
from forum.meetings.models import Attendance, Meeting, MeetingStatus, Presence
from forum.timeutil import as_utc, utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def circle(app, make_user, make_circle):
    facilitator, mo, pat = make_user(name="Fay.F"), make_user(name="Mo.Member"), make_user(name="Pat.Quiet")
    circle_id = make_circle(facilitator=facilitator, members=[mo, pat])
    return {"id": circle_id, "facilitator": facilitator, "mo": mo, "pat": pat,
            "f": client_for(app, facilitator), "m": client_for(app, mo), "p": client_for(app, pat)}


def start(client, meeting_id, **extra):
    return form_post(client, f"/meetings/{meeting_id}/control", {"control": "start", "version": "0", **extra},
                     page=f"/meetings/{meeting_id}/run")


def statuses(app, meeting_id) -> dict[int, Presence]:
    with app.app_context():
        return services.recorded_attendance([meeting_id])[meeting_id]


def test_starting_records_nobody_present_and_i_am_here_marks_the_member(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10))
    assert start(circle["f"], meeting_id).status_code == 302
    assert set(statuses(app, meeting_id).values()) == {Presence.UNKNOWN}
    page = circle["m"].get(f"/meetings/{meeting_id}/run").get_data(as_text=True)
    assert "I'm here" in page
    assert circle["m"].get(f"/meetings/{meeting_id}/here").status_code == 405  # never a change on GET
    assert form_post(circle["m"], f"/meetings/{meeting_id}/here", page=f"/meetings/{meeting_id}/run").status_code == 302
    again = form_post(circle["m"], f"/meetings/{meeting_id}/here", page=f"/meetings/{meeting_id}/run",
                      headers={"Accept": "application/json"})
    assert again.json == {"present": True}  # idempotent
    recorded = statuses(app, meeting_id)
    assert recorded[circle["mo"].id] == Presence.PRESENT and recorded[circle["pat"].id] == Presence.UNKNOWN
    assert "I'm here" not in circle["m"].get(f"/meetings/{meeting_id}/run").get_data(as_text=True)


def test_i_am_here_needs_a_running_meeting_and_membership(app, circle, make_meeting, make_user):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10))
    early = form_post(circle["m"], f"/meetings/{meeting_id}/here", page=f"/meetings/{meeting_id}", follow_redirects=True)
    assert "not running" in early.get_data(as_text=True)
    assert statuses(app, meeting_id) == {}
    start(circle["f"], meeting_id)
    stranger = client_for(app, make_user(name="Not.In"))
    assert form_post(stranger, f"/meetings/{meeting_id}/here").status_code == 404


def test_the_facilitator_records_attendance_and_the_summary_shows_only_what_was_recorded(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10))
    start(circle["f"], meeting_id)
    mo, pat, fay = circle["mo"].id, circle["pat"].id, circle["facilitator"].id
    form = {f"seen-{mo}": "unknown", f"status-{mo}": "absent", f"seen-{pat}": "unknown", f"status-{pat}": "unknown",
            f"seen-{fay}": "unknown", f"status-{fay}": "present"}
    assert form_post(circle["f"], f"/meetings/{meeting_id}/attendance", form,
                     page=f"/meetings/{meeting_id}/run").status_code == 302
    assert statuses(app, meeting_id) == {mo: Presence.ABSENT, pat: Presence.UNKNOWN, fay: Presence.PRESENT}
    # Members may not record others.
    assert form_post(circle["m"], f"/meetings/{meeting_id}/attendance", {f"seen-{pat}": "unknown", f"status-{pat}": "absent"},
                     page=f"/meetings/{meeting_id}/run").status_code == 403
    assert statuses(app, meeting_id)[pat] == Presence.UNKNOWN
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.status, meeting.finished_at = MeetingStatus.FINISHED, utcnow()
        db.session.commit()
    summary = circle["m"].get(f"/meetings/{meeting_id}/summary").get_data(as_text=True)
    assert '<dd data-attendance="present">Fay.F</dd>' in summary
    assert '<dd data-attendance="absent">Mo.Member</dd>' in summary
    assert '<dd data-attendance="unknown">Pat.Quiet</dd>' in summary
    assert "Correct the attendance" not in summary and "Correct the attendance" in circle["f"].get(
        f"/meetings/{meeting_id}/summary").get_data(as_text=True)


def test_a_stale_attendance_form_is_refused_with_a_refresh_and_changes_nothing(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10))
    start(circle["f"], meeting_id)
    mo, pat = circle["mo"].id, circle["pat"].id
    form_post(circle["m"], f"/meetings/{meeting_id}/here", page=f"/meetings/{meeting_id}/run")  # after the page loaded
    stale = form_post(circle["f"], f"/meetings/{meeting_id}/attendance",
                      {f"seen-{mo}": "unknown", f"status-{mo}": "absent", f"seen-{pat}": "unknown", f"status-{pat}": "absent"},
                      page=f"/meetings/{meeting_id}/run", follow_redirects=True)
    assert "refresh the page" in stale.get_data(as_text=True)
    assert statuses(app, meeting_id) == {mo: Presence.PRESENT, pat: Presence.UNKNOWN,
                                         circle["facilitator"].id: Presence.UNKNOWN}
    # An untouched row does not overwrite the member's own "I'm here".
    form_post(circle["f"], f"/meetings/{meeting_id}/attendance",
              {f"seen-{mo}": "unknown", f"status-{mo}": "unknown", f"seen-{pat}": "unknown", f"status-{pat}": "absent"},
              page=f"/meetings/{meeting_id}/run")
    assert statuses(app, meeting_id)[mo] == Presence.PRESENT and statuses(app, meeting_id)[pat] == Presence.ABSENT
    bad = form_post(circle["f"], f"/meetings/{meeting_id}/attendance", {f"seen-{pat}": "absent", f"status-{pat}": "maybe"},
                    page=f"/meetings/{meeting_id}/run", follow_redirects=True)
    assert "Choose present, absent or not recorded" in bad.get_data(as_text=True)


def test_rates_count_only_what_was_recorded():
    assert services.attendance_rate([Presence.PRESENT, Presence.ABSENT, Presence.UNKNOWN, Presence.UNKNOWN]) == 0.5
    assert services.attendance_rate([Presence.PRESENT, Presence.PRESENT, Presence.ABSENT]) == pytest.approx(2 / 3)
    assert services.attendance_rate([Presence.UNKNOWN]) is None


def test_the_real_length_is_kept_and_older_meetings_use_their_schedule(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10), minutes=60)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert services.meeting_length(meeting) == timedelta(minutes=60)
        meeting.started_at = as_utc(meeting.starts_at) + timedelta(minutes=5)
        meeting.finished_at = meeting.started_at + timedelta(minutes=80)
        assert services.meeting_length(meeting) == timedelta(minutes=80)


def test_starting_more_than_30_minutes_early_asks_for_a_confirmation(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(days=3))
    asked = start(circle["f"], meeting_id)
    assert asked.status_code == 303 and asked.headers["Location"].endswith(f"/meetings/{meeting_id}/start")
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == MeetingStatus.SCHEDULED
    page = circle["f"].get(f"/meetings/{meeting_id}/start")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "is scheduled for" in text and "Start the meeting now" in text
    assert circle["m"].get(f"/meetings/{meeting_id}/start").status_code == 403
    assert start(circle["f"], meeting_id, early="1").status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.status == MeetingStatus.RUNNING and meeting.started_at is not None


def test_within_30_minutes_it_starts_at_once_and_finished_or_cancelled_meetings_never_start(app, circle, make_meeting):
    soon = make_meeting(circle["id"], utcnow() + timedelta(minutes=25))
    assert start(circle["f"], soon).status_code == 302
    for status in (MeetingStatus.CANCELLED, MeetingStatus.FINISHED):
        meeting_id = make_meeting(circle["id"], utcnow() - timedelta(days=1), status=status)
        refused = start(circle["f"], meeting_id, early="1")
        assert refused.status_code == 303
        with app.app_context():
            assert db.session.get(Meeting, meeting_id).status == status


def test_the_waiting_page_has_a_refresh_link(app, circle, make_meeting):
    meeting_id = make_meeting(circle["id"], utcnow() + timedelta(minutes=10))
    page = circle["m"].get(f"/meetings/{meeting_id}/run").get_data(as_text=True)
    assert "The meeting has not started." in page and f'href="/meetings/{meeting_id}/run">Refresh</a>' in page
    assert 'data-run-status="not_started"' in page

