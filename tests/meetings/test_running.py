"""Running a meeting: controls, stale clicks, everyone heard, attendance, notes conflicts,
action points, the end with its summary replies, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.cases.models import Reply, Status
from forum.extensions import db
from forum.meetings.models import ActionPoint, AgendaItem, Attendance, Meeting, MeetingStatus, Presence
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def setting(app, make_user, make_theme, make_circle, make_meeting, make_post):
    """A circle with a facilitator and a member, a meeting, and a circle case on its agenda."""
    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    circle_id = make_circle(facilitator=facilitator, members=[member], purpose="Peer case consultation.")
    meeting_id = make_meeting(circle_id)
    post_id = make_post("Circle case", author=member, situation="A situation.", ask="Ideas?",
                        themes=[make_theme("Housing")], circle_id=circle_id)
    f, m = client_for(app, facilitator), client_for(app, member)
    form_post(m, f"/meetings/{meeting_id}/nominate", {"post_id": str(post_id), "note": "Please"},
              page=f"/meetings/{meeting_id}")
    with app.app_context():
        item_id = db.session.scalar(select(AgendaItem.id))
    form_post(f, f"/meetings/{meeting_id}/agenda/{item_id}/accept", page=f"/meetings/{meeting_id}")
    return {"f": f, "m": m, "meeting": current(app, meeting_id), "circle_id": circle_id, "post_id": post_id,
            "item_id": item_id, "facilitator": facilitator, "member": member}


def press(client, meeting_id, control, version):
    """Press a control; the meeting is two days off, so a start confirms starting early."""
    data = {"control": control, "version": str(version), **({"early": "1"} if control == "start" else {})}
    return form_post(client, f"/meetings/{meeting_id}/control", data, page=f"/meetings/{meeting_id}/run")


def current(app, meeting_id) -> Meeting:
    with app.app_context():
        return db.session.get(Meeting, meeting_id)


def test_start_then_phases_with_stale_clicks_refused(app, setting):
    f, meeting = setting["f"], setting["meeting"]
    assert press(f, meeting.id, "start", 0).status_code == 302
    started = current(app, meeting.id)
    assert started.status == MeetingStatus.RUNNING and started.run_version == 1
    with app.app_context():
        # Attendance is open but nobody is assumed present: unknown until recorded.
        assert db.session.get(Attendance, (meeting.id, setting["member"].id)).status == Presence.UNKNOWN
        assert started.started_at is not None and started.finished_at is None
        assert db.session.get(AgendaItem, setting["item_id"]).presenter_id == setting["member"].id  # the nominator
    press(f, meeting.id, "next_phase", 1)
    stale = form_post(f, f"/meetings/{meeting.id}/control", {"control": "next_phase", "version": "1"},
                      page=f"/meetings/{meeting.id}/run", follow_redirects=True)
    assert "refresh" in stale.get_data(as_text=True).lower()
    after = current(app, meeting.id)
    assert after.run_phase == 1 and after.run_version == 2  # applied once, not twice
    press(f, meeting.id, "add_minutes", 2)
    assert current(app, meeting.id).run_extra_minutes == 2
    page = setting["m"].get(f"/meetings/{meeting.id}/run").get_data(as_text=True)
    assert "Clarifying questions" in page and "You are answering" not in page or "Answer the group" in page


def test_the_state_poll_answers_304_when_nothing_changed(app, setting):
    f, m, meeting = setting["f"], setting["m"], setting["meeting"]
    press(f, meeting.id, "start", 0)
    first = m.get(f"/meetings/{meeting.id}/state")
    assert first.status_code == 200 and first.json["phase"]["number"] == 1
    again = m.get(f"/meetings/{meeting.id}/state", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    press(f, meeting.id, "next_phase", 1)
    moved = m.get(f"/meetings/{meeting.id}/state", headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and moved.json["phase"]["number"] == 2


def test_polling_does_not_keep_a_session_alive(app, setting):
    import time

    m, meeting = setting["m"], setting["meeting"]
    with m.session_transaction() as session:
        session["last_seen"] = time.time() - 600
    m.get(f"/meetings/{meeting.id}/state")
    with m.session_transaction() as session:
        assert time.time() - session["last_seen"] >= 590


def test_members_and_strangers_cannot_press_the_controls(app, setting, make_user):
    meeting = setting["meeting"]
    assert press(setting["m"], meeting.id, "start", 0).status_code == 403
    stranger = client_for(app, make_user(Role.MANAGER))
    assert press(stranger, meeting.id, "start", 0).status_code == 404
    assert stranger.get(f"/meetings/{meeting.id}/run").status_code == 404
    assert stranger.get(f"/meetings/{meeting.id}/state").status_code == 404
    assert current(app, meeting.id).status == MeetingStatus.SCHEDULED


def test_everyone_heard_resets_each_phase(app, setting):
    f, m, meeting, member = setting["f"], setting["m"], setting["meeting"], setting["member"]
    press(f, meeting.id, "start", 0)
    assert "Mo.Member: <strong data-heard-label>not heard yet" in f.get(f"/meetings/{meeting.id}/run").get_data(as_text=True)
    form_post(m, f"/meetings/{meeting.id}/heard/{member.id}", {"heard": "1"}, page=f"/meetings/{meeting.id}/run")
    assert member.id in m.get(f"/meetings/{meeting.id}/state").json["heard"]
    assert form_post(m, f"/meetings/{meeting.id}/heard/{setting['facilitator'].id}", {"heard": "1"}).status_code == 403
    press(f, meeting.id, "next_phase", 1)
    assert m.get(f"/meetings/{meeting.id}/state").json["heard"] == []


def test_notes_conflicts_show_both_versions(app, setting):
    f, meeting, item_id = setting["f"], setting["meeting"], setting["item_id"]
    press(f, meeting.id, "start", 0)
    url = f"/meetings/{meeting.id}/notes/{item_id}"
    first = form_post(f, url, {"notes": "First thoughts", "version": "0"}, page=f"/meetings/{meeting.id}/run",
                      headers={"Accept": "application/json"})
    assert first.json == {"saved": True, "version": 1}
    clash = form_post(f, url, {"notes": "Other thoughts", "version": "0"}, page=f"/meetings/{meeting.id}/run",
                      headers={"Accept": "application/json"})
    assert clash.status_code == 409 and clash.json["theirs"] == "First thoughts"
    page = form_post(f, url, {"notes": "Other thoughts", "version": "0"}, page=f"/meetings/{meeting.id}/run")
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert "First thoughts" in text and "Other thoughts" in text
    with app.app_context():
        assert db.session.get(AgendaItem, item_id).notes == "First thoughts"
    assert form_post(setting["m"], url, {"notes": "x", "version": "1"}).status_code == 403


def test_action_points_rules_and_the_owners_home_page(app, setting, make_user):
    f, m, meeting, member = setting["f"], setting["m"], setting["meeting"], setting["member"]
    url = f"/meetings/{meeting.id}/actions"
    early = form_post(f, url, {"text": "Too early", "owner": str(member.id)}, page=f"/meetings/{meeting.id}/run",
                      follow_redirects=True)
    assert "during or after the meeting" in early.get_data(as_text=True)
    press(f, meeting.id, "start", 0)
    outsider = make_user(name="Not.In.Circle")
    for data, message in (({"text": "Call employer", "owner": str(outsider.id)}, "member of the circle"),
                          ({"text": "Call employer", "owner": str(member.id), "due": (date.today() - timedelta(days=1)).isoformat()}, "cannot be in the past"),
                          ({"text": "", "owner": str(member.id)}, "Say what the action is")):
        response = form_post(f, url, data, page=f"/meetings/{meeting.id}/run", follow_redirects=True)
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ActionPoint)) is None
    form_post(f, url, {"text": "Call the employer about shifts", "owner": str(member.id), "item": str(setting["item_id"]),
                       "due": (date.today() + timedelta(days=7)).isoformat()}, page=f"/meetings/{meeting.id}/run")
    home = m.get("/").get_data(as_text=True)
    assert "Call the employer about shifts" in home and "Your action points" in home
    assert "new action point" in m.get("/notifications").get_data(as_text=True)
    with app.app_context():
        action_id = db.session.scalar(select(ActionPoint.id))
    form_post(m, f"/actions/{action_id}/done", page="/")
    assert "Call the employer about shifts" not in m.get("/").get_data(as_text=True)


def test_ending_posts_the_circle_summary_reply_and_shows_the_summary(app, setting):
    f, meeting, item_id, post_id = setting["f"], setting["meeting"], setting["item_id"], setting["post_id"]
    press(f, meeting.id, "start", 0)
    form_post(f, f"/meetings/{meeting.id}/notes/{item_id}", {"notes": "Agreed to try a work trial.", "version": "0"},
              page=f"/meetings/{meeting.id}/run")
    version = current(app, meeting.id).run_version
    ended = form_post(f, f"/meetings/{meeting.id}/end", {"version": str(version), f"learning-{item_id}": "Trials reduce fear."},
                      page=f"/meetings/{meeting.id}/end")
    assert ended.status_code == 302 and ended.headers["Location"].endswith("/summary")
    assert current(app, meeting.id).status == MeetingStatus.FINISHED
    thread = setting["m"].get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Circle discussion summary" in thread and "Agreed to try a work trial." in thread
    summary = setting["m"].get(f"/meetings/{meeting.id}/summary").get_data(as_text=True)
    assert "Trials reduce fear." in summary and "Mo.Member" in summary
    assert press(f, meeting.id, "next_phase", current(app, meeting.id).run_version).status_code == 303  # refused


def test_a_summary_with_an_identifier_waits_for_its_privacy_check(app, setting):
    f, meeting, item_id = setting["f"], setting["meeting"], setting["item_id"]
    press(f, meeting.id, "start", 0)
    form_post(f, f"/meetings/{meeting.id}/notes/{item_id}", {"notes": "Her number is 07700 900123.", "version": "0"},
              page=f"/meetings/{meeting.id}/run")
    version = current(app, meeting.id).run_version
    held = form_post(f, f"/meetings/{meeting.id}/end", {"version": str(version)}, page=f"/meetings/{meeting.id}/end")
    assert held.status_code == 200 and "wait for their privacy check" in held.get_data(as_text=True)
    assert current(app, meeting.id).status == MeetingStatus.RUNNING
    with app.app_context():
        reply = db.session.scalar(select(Reply))
        assert reply.status == Status.DRAFT and "07700" in reply.body_md  # nothing lost
    form_post(f, f"/replies/{reply.id}/edit", {"body": "**Circle discussion summary**\n\nHer number was removed."},
              page=f"/replies/{reply.id}/edit")
    again = form_post(f, f"/meetings/{meeting.id}/end", {"version": str(version)}, page=f"/meetings/{meeting.id}/end")
    assert again.status_code == 302
    assert current(app, meeting.id).status == MeetingStatus.FINISHED


@pytest.mark.parametrize(("due", "message"), [
    ({"due-day": "31", "due-month": "2", "due-year": "2030"}, "Enter a real date"),
    ({"due-day": "3", "due-month": "", "due-year": "2030"}, "The due date must include a month"),
    ({"due-day": "3", "due-month": "4", "due-year": "30"}, "Year must include 4 numbers"),
    ({"due-day": "1", "due-month": "1", "due-year": "2020"}, "The due date cannot be in the past"),
])
def test_a_bad_due_date_is_shown_at_its_field_and_keeps_what_was_typed(app, setting, due, message):
    f, meeting, member = setting["f"], setting["meeting"], setting["member"]
    press(f, meeting.id, "start", 0)
    response = form_post(f, f"/meetings/{meeting.id}/actions", {"text": "Ring the employer", "owner": str(member.id), **due},
                         page=f"/meetings/{meeting.id}/run")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "<title>Error: " in text
    assert message in text and 'href="#action-due"' in text and 'id="action-due-error"' in text
    assert 'value="Ring the employer"' in text
    for name, value in due.items():
        if value:
            assert f'name="{name}"' in text and f'value="{value}"' in text
    with app.app_context():
        assert db.session.scalar(select(ActionPoint)) is None
    good = form_post(f, f"/meetings/{meeting.id}/actions", {"text": "Ring the employer", "owner": str(member.id),
                                                           "due-day": "1", "due-month": "1", "due-year": "2999"},
                     page=f"/meetings/{meeting.id}/run")
    assert good.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ActionPoint.due)).isoformat() == "2999-01-01"
