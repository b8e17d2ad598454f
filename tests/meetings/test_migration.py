"""Migration 0012: existing attendance becomes unknown (nothing recorded that it was ever
confirmed), reminders already sent stay sent as the 24-hour kind, and the downgrade works."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from forum.extensions import db
from forum.meetings.models import Presence


def test_existing_attendance_becomes_unknown_and_sent_reminders_stay_sent(app, make_user, make_circle, make_meeting):
    person = make_user(name="Mo.Member")
    circle_id = make_circle(members=[person])
    meeting_id = make_meeting(circle_id)
    with app.app_context():
        db.session.remove()
        downgrade(revision="0010")
        try:
            db.session.execute(text("INSERT INTO attendance (meeting_id, user_id, present) VALUES (:m, :u, true)"),
                               {"m": meeting_id, "u": person.id})
            db.session.execute(text("INSERT INTO reminders_sent (meeting_id, user_id, sent_at) VALUES (:m, :u, '2026-01-01')"),
                               {"m": meeting_id, "u": person.id})
            db.session.commit()
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        assert db.session.execute(text("SELECT status FROM attendance")).scalar_one() == Presence.UNKNOWN.value
        assert db.session.execute(text("SELECT kind FROM reminders_sent")).scalar_one() == "24h"
        db.session.remove()


def test_0016_keeps_every_meeting_row_both_ways(app, make_user, make_circle, make_meeting):
    """The pulse, notes and go round migration adds columns in place: no table copy, so no
    ON DELETE CASCADE empties attendance on SQLite, going up or down."""
    person = make_user(name="Mo.Kept")
    circle_id = make_circle(members=[person])
    meeting_id = make_meeting(circle_id)
    with app.app_context():
        db.session.execute(text("INSERT INTO attendance (meeting_id, user_id, status) VALUES (:m, :u, 'present')"),
                           {"m": meeting_id, "u": person.id})
        db.session.commit()
        db.session.remove()
        downgrade(revision="0014")
        try:
            db.session.remove()
            assert db.session.execute(text("SELECT status FROM attendance")).scalar_one() == "present"
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        assert db.session.execute(text("SELECT status FROM attendance")).scalar_one() == "present"
        assert db.session.execute(text("SELECT go_round FROM meetings")).scalar_one() in (0, False)
        db.session.remove()
