"""Members drifting away: recorded absent at the last 2 meetings they did not decline, shown
kindly to the circle's facilitators only, with "Send a note" (privacy guard, notification,
email per the member's settings)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings.models import Answer, Attendance, MeetingStatus, MemberNote, Presence, Rsvp
from forum.notifications.models import Kind, Notification
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def circle(app, make_user, make_circle, make_meeting):
    fay, drifter, regular, decliner = (make_user(name="Fay.Drift"), make_user(name="Dee.Drifter"),
                                       make_user(name="Reg.Ular"), make_user(name="Dec.Liner"))
    circle_id = make_circle("Drift circle", facilitator=fay, members=[drifter, regular, decliner])
    meetings = [make_meeting(circle_id, utcnow() - timedelta(days=7 * weeks), status=MeetingStatus.FINISHED)
                for weeks in (3, 2, 1)]
    with app.app_context():
        for meeting_id in meetings:
            db.session.add(Attendance(meeting_id=meeting_id, user_id=drifter.id, status=Presence.ABSENT))
            db.session.add(Attendance(meeting_id=meeting_id, user_id=regular.id,
                                      status=Presence.PRESENT if meeting_id == meetings[0] else Presence.ABSENT
                                      if meeting_id == meetings[1] else Presence.PRESENT))
            db.session.add(Attendance(meeting_id=meeting_id, user_id=decliner.id, status=Presence.ABSENT))
        # The decliner said no to the latest meeting: only the two before it count, and one was attended.
        db.session.add(Rsvp(meeting_id=meetings[2], user_id=decliner.id, answer=Answer.NOT_GOING))
        db.session.get(Attendance, (meetings[1], decliner.id)).status = Presence.PRESENT
        db.session.commit()
    return {"id": circle_id, "fay": fay, "drifter": drifter, "regular": regular, "decliner": decliner,
            "meetings": meetings}


def test_facilitators_see_who_is_drifting_kindly(app, circle):
    page = client_for(app, circle["fay"]).get(f"/circles/{circle['id']}").get_data(as_text=True)
    section = page[page.index('id="drifting"'):page.index("</section>", page.index('id="drifting"'))]
    assert "Dee.Drifter has missed the last two meetings" in section and "a short note can help" in section
    assert "Reg.Ular" not in section and "Dec.Liner" not in section
    assert f"/circles/{circle['id']}/members/{circle['drifter'].id}/note" in section


def test_members_and_outsiders_do_not_see_it(app, circle, make_user):
    member_page = client_for(app, circle["regular"]).get(f"/circles/{circle['id']}").get_data(as_text=True)
    assert 'id="drifting"' not in member_page and "missed the last two meetings" not in member_page
    outsider = client_for(app, make_user(name="Out.Sider"))
    outside_page = outsider.get(f"/circles/{circle['id']}").get_data(as_text=True)
    assert "missed the last two meetings" not in outside_page
    note = f"/circles/{circle['id']}/members/{circle['drifter'].id}/note"
    assert client_for(app, circle["regular"]).get(note).status_code == 403
    assert form_post(client_for(app, circle["regular"]), note, {"text": "Hello"}, page=f"/circles/{circle['id']}").status_code == 403
    assert outsider.get(note).status_code == 404
    assert form_post(outsider, note, {"text": "Hello"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(MemberNote.id)) is None


def test_a_note_reaches_the_member_in_the_app_and_by_email(app, circle, outbox):
    fay = client_for(app, circle["fay"])
    note = f"/circles/{circle['id']}/members/{circle['drifter'].id}/note"
    assert "Send a note to Dee.Drifter" in fay.get(note).get_data(as_text=True)
    sent = form_post(fay, note, {"text": "We have missed you, come back whenever suits."}, page=note)
    assert sent.status_code == 302
    with app.app_context():
        kinds = [row.kind for row in db.session.scalars(select(Notification).where(
            Notification.recipient_id == circle["drifter"].id))]
        assert Kind.MEMBER_NOTE in kinds
    assert any(message.to == circle["drifter"].email and "sent you a note" in message.subject for message in outbox)
    assert not any("We have missed you" in message.text for message in outbox)  # a link, never the note
    drifter = client_for(app, circle["drifter"])
    assert "We have missed you" in drifter.get("/notes-from-facilitators").get_data(as_text=True)
    assert "We have missed you" not in client_for(app, circle["regular"]).get("/notes-from-facilitators").get_data(as_text=True)


def test_a_note_with_an_identifier_or_nothing_is_refused(app, circle):
    fay = client_for(app, circle["fay"])
    note = f"/circles/{circle['id']}/members/{circle['drifter'].id}/note"
    refused = form_post(fay, note, {"text": "Call John on 07700 900123"}, page=note)
    assert refused.status_code == 400 and "may identify someone" in refused.get_data(as_text=True)
    assert "07700 900123" in refused.get_data(as_text=True)  # kept in the field
    empty = form_post(fay, note, {"text": "  "}, page=note)
    assert empty.status_code == 400 and "Write a few words" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(MemberNote.id)) is None


def test_the_circle_page_keeps_its_statement_count(app, circle, make_user, make_circle, make_meeting, count_queries):
    fay = client_for(app, circle["fay"])
    with count_queries() as small:
        assert fay.get(f"/circles/{circle['id']}").status_code == 200
    more = [make_user(name=f"Extra{number}.Drift") for number in range(5)]
    with app.app_context():
        from forum.circles.models import Membership
        for person in more:
            db.session.add(Membership(circle_id=circle["id"], user_id=person.id))
            for meeting_id in circle["meetings"]:
                db.session.add(Attendance(meeting_id=meeting_id, user_id=person.id, status=Presence.ABSENT))
        db.session.commit()
    with count_queries() as big:
        page = fay.get(f"/circles/{circle['id']}").get_data(as_text=True)
    assert "Extra4.Drift has missed" in page
    assert len(big) == len(small), (len(small), len(big))


def test_the_notes_page_keeps_its_statement_count(app, circle, count_queries):
    fay = client_for(app, circle["fay"])
    note = f"/circles/{circle['id']}/members/{circle['drifter'].id}/note"
    drifter = client_for(app, circle["drifter"])
    form_post(fay, note, {"text": "First note"}, page=note)
    with count_queries() as one:
        assert "First note" in drifter.get("/notes-from-facilitators").get_data(as_text=True)
    for number in range(3):
        form_post(fay, note, {"text": f"Note {number}"}, page=note)
    with count_queries() as four:
        assert "Note 2" in drifter.get("/notes-from-facilitators").get_data(as_text=True)
    assert len(one) == len(four)
