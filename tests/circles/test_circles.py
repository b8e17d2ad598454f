"""Circles and their meetings: membership modes, the safe-space rule, schedules, agendas,
RSVPs, calendars and reminders."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from forum.accounts.models import Role
from forum.cases.models import Post
from forum.circles.models import Circle, Membership
from forum.extensions import db
from forum.meetings.models import AgendaItem, Meeting, MeetingStatus, ReminderSent, Rsvp
from tests.conftest import post as form_post
from tests.conftest import client_for


def create_circle(client, name="Tuesday case circle", mode="open", size="12"):
    response = form_post(client, "/circles/new", {"name": name, "purpose": "Peer case consultation.", "mode": mode,
                                                  "size_limit": size}, page="/circles/new")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def set_schedule(client, circle_id, **changes):
    data = {"frequency": "fortnightly", "start_date": (date.today() + timedelta(days=1)).isoformat(), "start_time": "10:00",
            "duration_minutes": "60", "timezone": "Europe/London", "nth": "", "weekday": "", "until": "", "call_link": "",
            **changes}
    data = {name: value for name, value in data.items() if value is not None}
    return form_post(client, f"/circles/{circle_id}/schedule", data, page=f"/circles/{circle_id}/schedule")


def meetings_of(app, circle_id):
    with app.app_context():
        return db.session.scalars(select(Meeting).where(Meeting.circle_id == circle_id).order_by(Meeting.starts_at)).all()


@pytest.fixture
def theme(make_theme):
    return make_theme("Housing")


def test_open_request_and_invite_circles(app, make_user):
    facilitator, joiner, outsider = make_user(name="Fay.Facilitator"), make_user(name="Jo.Joiner"), make_user(name="Out.Sider")
    f, j, o = client_for(app, facilitator), client_for(app, joiner), client_for(app, outsider)
    open_id = create_circle(f)
    request_id = create_circle(f, "By request", mode="request")
    invite_id = create_circle(f, "Quiet circle", mode="invite")
    listing = o.get("/circles").get_data(as_text=True)
    assert "Tuesday case circle" in listing and "By request" in listing and "Quiet circle" not in listing
    assert o.get(f"/circles/{invite_id}").status_code == 404
    assert o.get(f"/circles/{invite_id}").data == o.get("/circles/999999").data
    assert form_post(o, f"/circles/{invite_id}/join", page="/circles").status_code == 404
    # Open: join at once. Request: wait for approval.
    form_post(j, f"/circles/{open_id}/join", page=f"/circles/{open_id}")
    form_post(j, f"/circles/{request_id}/join", page=f"/circles/{request_id}")
    with app.app_context():
        statuses = {m.circle_id: m.status.value for m in db.session.scalars(select(Membership).where(Membership.user_id == joiner.id))}
    assert statuses == {open_id: "active", request_id: "requested"}
    form_post(f, f"/circles/{request_id}/members/{joiner.id}/approve", page=f"/circles/{request_id}")
    # Invite: the invitee can see and accept it.
    form_post(f, f"/circles/{invite_id}/invite", {"display_name": "out.sider"}, page=f"/circles/{invite_id}")
    assert o.get(f"/circles/{invite_id}").status_code == 200
    form_post(o, f"/circles/{invite_id}/join", page=f"/circles/{invite_id}")
    assert "Members" in o.get(f"/circles/{invite_id}").get_data(as_text=True)


def test_a_full_circle_refuses_another_member(app, make_user):
    f = client_for(app, make_user())
    circle_id = create_circle(f, size="2")
    form_post(client_for(app, make_user()), f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    late = client_for(app, make_user())
    response = form_post(late, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}", follow_redirects=True)
    assert "This circle is full" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Membership).where(Membership.circle_id == circle_id)).all()) == 2


@pytest.mark.parametrize("data, message", [
    ({"name": "", "size_limit": "12"}, "Enter a name"),
    ({"name": "Fine name", "size_limit": "0"}, "between 2 and 50"),
    ({"name": "Fine name", "size_limit": "many"}, "size limit"),
])
def test_bad_circle_input(app, make_user, data, message):
    client = client_for(app, make_user())
    response = form_post(client, "/circles/new", {"purpose": "", "mode": "open", **data}, page="/circles/new")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Circle)) is None


def test_facilitating_is_for_facilitators(app, make_user):
    f, member = client_for(app, make_user(name="Fay.F")), make_user(name="Mo.Member")
    circle_id = create_circle(f)
    m = client_for(app, member)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    assert set_schedule(m, circle_id).status_code == 403
    assert form_post(m, f"/circles/{circle_id}/invite", {"display_name": "x"}, page=f"/circles/{circle_id}").status_code == 403
    outsider = client_for(app, make_user(Role.MANAGER))
    assert set_schedule(outsider, circle_id).status_code == 403  # listed: they know it, cannot schedule
    form_post(f, f"/circles/{circle_id}/members/{member.id}/facilitator", page=f"/circles/{circle_id}")
    assert set_schedule(m, circle_id).status_code == 302


def test_schedule_makes_twelve_weeks_of_meetings_and_roll_is_idempotent(app, make_user):
    f = client_for(app, make_user())
    circle_id = create_circle(f)
    assert set_schedule(f, circle_id).status_code == 302
    first = meetings_of(app, circle_id)
    assert len(first) == 6  # fortnightly over 12 weeks
    runner = app.test_cli_runner()
    assert "Added 0 meetings" in runner.invoke(args=["meetings", "roll"]).output
    assert len(meetings_of(app, circle_id)) == 6


@pytest.mark.parametrize("changes, message", [
    ({"until": "2000-01-01"}, "end date"),
    ({"duration_minutes": "0"}, "between 1 minute and 8 hours"),
    ({"duration_minutes": "481"}, "between 1 minute and 8 hours"),
    ({"timezone": "Mars/Olympus"}, "time zone"),
    ({"frequency": "monthly", "nth": "9", "weekday": "1"}, ""),
])
def test_bad_schedules_are_refused_and_change_nothing(app, make_user, changes, message):
    f = client_for(app, make_user())
    circle_id = create_circle(f)
    set_schedule(f, circle_id)
    before = [(m.id, m.starts_at) for m in meetings_of(app, circle_id)]
    response = set_schedule(f, circle_id, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert [(m.id, m.starts_at) for m in meetings_of(app, circle_id)] == before


def test_weekly_meeting_keeps_ten_oclock_london_across_the_clock_change(app, make_user):
    from forum.circles.models import Circle
    from forum.meetings import services

    person = make_user()
    f = client_for(app, person)
    circle_id = create_circle(f)
    with app.app_context():
        from forum.accounts.models import User

        actor = db.session.get(User, person.id)
        circle = db.session.get(Circle, circle_id)
        row = services.save_schedule(actor, circle, services.ScheduleInput(
            "weekly", date(2027, 3, 16), datetime.strptime("10:00", "%H:%M").time(), 60, "Europe/London"))
        db.session.query(Meeting).delete()
        services.roll(row, now=datetime(2027, 3, 15, tzinfo=UTC))
        db.session.commit()
        starts = [m.starts_at.replace(tzinfo=UTC) for m in db.session.scalars(select(Meeting).order_by(Meeting.starts_at))]
    assert starts[0] == datetime(2027, 3, 16, 10, 0, tzinfo=UTC)  # GMT
    assert starts[2] == datetime(2027, 3, 30, 9, 0, tzinfo=UTC)  # BST: still 10:00 in London


def test_circle_posts_are_for_members_only(app, make_user, theme):
    from forum.search import search

    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    outsider, manager = make_user(name="Out.Sider"), make_user(Role.MANAGER, name="Man.Ager")
    f = client_for(app, facilitator)
    circle_id = create_circle(f, mode="request")
    form_post(f, f"/circles/{circle_id}/invite", {"display_name": "Mo.Member"}, page=f"/circles/{circle_id}")
    m = client_for(app, member)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    data = {"title": "Circle secret zebra case", "situation": "Only for the circle.", "ask": "Ideas?",
            "theme_ids": [str(theme)], "show_author": "name", "audience": f"circle-{circle_id}"}
    response = form_post(f, "/write/case/publish", data, page="/write/case")
    assert response.status_code == 302
    post_id = int(response.headers["Location"].rsplit("/", 1)[1])
    form_post(m, f"/posts/{post_id}/bookmark", page=f"/posts/{post_id}")
    for reader, sees in ((m, True), (client_for(app, outsider), False), (client_for(app, manager), False)):
        assert (reader.get(f"/posts/{post_id}").status_code == 200) is sees
        for path in ("/posts", "/themes/housing", "/", "/bookmarks", "/search?q=zebra"):
            assert ("Circle secret" in reader.get(path).get_data(as_text=True)) is sees, path
    with app.app_context():
        from forum.accounts.models import User

        assert search(db.session.get(User, outsider.id), "zebra").results == []
        assert search(db.session.get(User, member.id), "zebra").results
    # Posting into a circle you do not belong to: 404, nothing saved.
    stranger = client_for(app, outsider)
    assert form_post(stranger, "/write/case/publish", {**data, "title": "Sneaky"}, page="/write/case").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Post).where(Post.title == "Sneaky")) is None


def test_meeting_page_nominations_agenda_and_rsvp(app, make_user, theme):
    facilitator, member, outsider = make_user(name="Fay.F"), make_user(name="Mo.Member"), make_user(name="Out.Sider")
    f, m, o = client_for(app, facilitator), client_for(app, member), client_for(app, outsider)
    circle_id = create_circle(f)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    set_schedule(f, circle_id)
    meeting = meetings_of(app, circle_id)[0]
    # A forum-wide case to nominate; another circle's case may not be nominated.
    case = form_post(o, "/write/case/publish", {"title": "Forum case", "situation": "x", "ask": "y", "theme_ids": [str(theme)],
                                                 "show_author": "name"}, page="/write/case")
    case_id = int(case.headers["Location"].rsplit("/", 1)[1])
    other_circle = create_circle(o, "Other circle")
    private = form_post(o, "/write/case/publish", {"title": "Other circle case", "situation": "x", "ask": "y",
                                                    "theme_ids": [str(theme)], "show_author": "name",
                                                    "audience": f"circle-{other_circle}"}, page="/write/case")
    private_id = int(private.headers["Location"].rsplit("/", 1)[1])
    assert o.get(f"/meetings/{meeting.id}").status_code == 404
    assert o.get(f"/meetings/{meeting.id}.ics").status_code == 404
    assert form_post(m, f"/meetings/{meeting.id}/nominate", {"post_id": str(private_id), "note": "x"}).status_code == 404
    assert form_post(m, f"/meetings/{meeting.id}/nominate", {"post_id": str(case_id), "note": "Useful for us"},
                     page=f"/meetings/{meeting.id}").status_code == 302
    with app.app_context():
        item = db.session.scalar(select(AgendaItem))
    assert form_post(m, f"/meetings/{meeting.id}/agenda/{item.id}/accept", page=f"/meetings/{meeting.id}").status_code == 403
    form_post(f, f"/meetings/{meeting.id}/agenda/{item.id}/accept", {"minutes": "25"}, page=f"/meetings/{meeting.id}")
    form_post(m, f"/meetings/{meeting.id}/rsvp", {"answer": "going"}, page=f"/meetings/{meeting.id}")
    page = f.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Forum case</a> (25 minutes)" in page and "Mo.Member: Going" in page
    # Cancelled: members are told, calendars say so, RSVPs are refused.
    form_post(f, f"/meetings/{meeting.id}/cancel", page=f"/meetings/{meeting.id}/cancel")
    bad = form_post(m, f"/meetings/{meeting.id}/rsvp", {"answer": "maybe"}, page=f"/meetings/{meeting.id}", follow_redirects=True)
    assert "This meeting is cancelled" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Rsvp, (meeting.id, member.id)).answer.value == "going"
    assert "is cancelled" in m.get("/notifications").get_data(as_text=True)
    ics = Calendar.from_ical(m.get(f"/meetings/{meeting.id}.ics").data)
    event = next(component for component in ics.walk("VEVENT"))
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_calendar_feed_follows_membership_and_resets(app, make_user):
    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    f, m = client_for(app, facilitator), client_for(app, member)
    circle_id = create_circle(f)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    set_schedule(f, circle_id)
    page = m.get("/account/calendar").get_data(as_text=True)
    url = re.search(r"http://localhost(/calendar/\d+/\w+\.ics)", page).group(1)
    guest = app.test_client()
    first = Calendar.from_ical(guest.get(url).data)
    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert len(uids) == 6 and uids == [str(e["UID"]) for e in Calendar.from_ical(guest.get(url).data).walk("VEVENT")]
    assert "TZID=Europe/London" in guest.get(url).get_data(as_text=True)
    form_post(m, f"/circles/{circle_id}/leave", page=f"/circles/{circle_id}/leave")
    assert list(Calendar.from_ical(guest.get(url).data).walk("VEVENT")) == []
    form_post(m, "/account/calendar/reset", page="/account/calendar")
    assert guest.get(url).status_code == 404
    assert guest.get(url.replace(".ics", "x.ics")).status_code == 404


def test_reminders_are_sent_once(app, make_user, outbox):
    from forum.meetings import delivery

    facilitator, member, decliner = make_user(name="Fay.F"), make_user(name="Mo.Member"), make_user(name="No.Thanks")
    f = client_for(app, facilitator)
    circle_id = create_circle(f)
    for person in (member, decliner):
        form_post(client_for(app, person), f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    set_schedule(f, circle_id)
    meeting = meetings_of(app, circle_id)[0]
    form_post(client_for(app, decliner), f"/meetings/{meeting.id}/rsvp", {"answer": "not_going"}, page=f"/meetings/{meeting.id}")
    with app.test_request_context():
        due = meeting.starts_at.replace(tzinfo=UTC) - timedelta(hours=23)
        assert delivery.send_reminders(now=due) == 2
        assert delivery.send_reminders(now=due + timedelta(minutes=5)) == 0
    reminders = [mail for mail in outbox if mail.subject.startswith("Reminder:")]
    assert sorted(mail.to for mail in reminders) == sorted([facilitator.email, member.email])
    assert "10:00" in reminders[0].text
    with app.app_context():
        assert len(db.session.scalars(select(ReminderSent)).all()) == 2


def test_archiving_cancels_future_meetings(app, make_user):
    f = client_for(app, make_user())
    circle_id = create_circle(f)
    set_schedule(f, circle_id)
    assert form_post(f, f"/circles/{circle_id}/archive", page=f"/circles/{circle_id}/archive").status_code == 302
    assert all(m.status == MeetingStatus.CANCELLED for m in meetings_of(app, circle_id))


def test_moving_a_meeting_bumps_its_sequence_tells_members_and_does_not_remind_twice(app, make_user, outbox):
    from forum.meetings import delivery

    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    f, m = client_for(app, facilitator), client_for(app, member)
    circle_id = create_circle(f)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    set_schedule(f, circle_id)
    meeting = meetings_of(app, circle_id)[0]
    due = meeting.starts_at.replace(tzinfo=UTC) - timedelta(hours=23)
    with app.test_request_context():
        assert delivery.send_reminders(now=due) == 2
    new_day = (meeting.starts_at + timedelta(days=1)).date().isoformat()
    bad = form_post(f, f"/meetings/{meeting.id}/move", {"day": new_day, "at": "11:00", "duration_minutes": "0"},
                    page=f"/meetings/{meeting.id}/move")
    assert bad.status_code == 400
    assert form_post(f, f"/meetings/{meeting.id}/move", {"day": new_day, "at": "11:00", "duration_minutes": "90"},
                     page=f"/meetings/{meeting.id}/move").status_code == 302
    moved = next(item for item in meetings_of(app, circle_id) if item.id == meeting.id)
    assert moved.sequence == 1 and (moved.ends_at - moved.starts_at) == timedelta(minutes=90)
    assert "has moved to" in m.get("/notifications").get_data(as_text=True)
    assert "11:00" in m.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    with app.test_request_context():
        assert delivery.send_reminders(now=moved.starts_at.replace(tzinfo=UTC) - timedelta(hours=23)) == 0


def test_another_time_zone_sees_its_own_local_time(app, make_user):
    from forum.accounts.models import User

    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    f = client_for(app, facilitator)
    circle_id = create_circle(f)
    with app.app_context():
        db.session.get(User, member.id).timezone = "Asia/Kolkata"
        db.session.commit()
    m = client_for(app, member)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    set_schedule(f, circle_id, start_date="2027-01-12", frequency="once")
    meeting = meetings_of(app, circle_id)[0]
    page = m.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Tuesday 12 January 2027, 15:30 (Kolkata)" in page
    assert "Tuesday 12 January 2027, 10:00 (London)" in f.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_members_follow_their_circle_and_hear_of_its_new_cases(app, make_user, theme):
    from forum.notifications.models import Kind, Notification

    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    f, m = client_for(app, facilitator), client_for(app, member)
    circle_id = create_circle(f)
    form_post(m, f"/circles/{circle_id}/join", page=f"/circles/{circle_id}")
    assert "Thursday" not in m.get("/following").get_data(as_text=True)
    assert "Tuesday case circle" in m.get("/following").get_data(as_text=True)

    def publish(title):
        data = {"title": title, "situation": "x", "ask": "y", "theme_ids": [str(theme)], "show_author": "name",
                "audience": f"circle-{circle_id}"}
        assert form_post(f, "/write/case/publish", data, page="/write/case").status_code == 302

    publish("First circle case")
    with app.app_context():
        kinds = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == member.id)).all()
    assert kinds == [Kind.CIRCLE_POST]
    form_post(m, f"/unfollow/circle/{circle_id}", page=f"/circles/{circle_id}")
    publish("Second circle case")
    with app.app_context():
        assert len(db.session.scalars(select(Notification).where(Notification.recipient_id == member.id)).all()) == 1
    stranger = client_for(app, make_user())
    assert form_post(stranger, f"/follow/circle/{circle_id}", page="/circles").status_code == 404


def test_your_own_circle_is_not_among_the_circles_you_can_join(app, make_user, make_circle):
    facilitator, member, outsider = make_user(name="Fay.Own"), make_user(name="Mo.Own"), make_user(name="Out.Side")
    make_circle("Wednesday circle", facilitator=facilitator, members=[member])
    for person, listed in ((facilitator, False), (member, False), (outsider, True)):
        page = client_for(app, person).get("/circles").get_data(as_text=True)
        joinable = page.split("Circles you can join", 1)[1]
        assert ("Wednesday circle" in joinable) is listed, person.display_name
