"""The access-control matrix of SECURITY.md, run as a table: one row per action, one column
per role, with fixtures for "member of circle X" and "not a member". Forbidden actions answer
403 (or 404 where the actor may not know the object exists) and leave the target unchanged."""

from __future__ import annotations

from datetime import timedelta
from datetime import date
from functools import partial
from hashlib import sha256

import pytest
from sqlalchemy import select

from forum.accounts.models import Invitation, Role
from forum.cases.models import Post
from forum.circles.models import Circle, MemberStatus, Membership, Mode
from forum.extensions import db
from forum.learning.models import Goal, Reflection, Share
from forum.meetings.models import Meeting, MeetingStatus
from forum.timeutil import utcnow
from tests.conftest import post as form_post
from tests.conftest import sign_in

ROLES = ("guest", "adviser", "facilitator", "manager", "admin")


@pytest.fixture
def world(app, make_user, make_circle, make_post, make_reply, make_meeting, make_team):
    """An author's public and anonymous cases, circle X (invite-only) with a facilitator and
    a case and a meeting; every role's client. Beside the five roles, the people the roles
    do not cover: a plain member of X, a person invited to X and one who asked to join the
    listed circle L (membership rows that are not active), and two managers of two teams."""
    author = make_user(name="The.Author")
    people = {role: make_user("adviser" if role == "facilitator" else role, name=f"Role.{role}")
              for role in ROLES if role != "guest"}
    north, south = make_team("North"), make_team("South")
    people.update({"member": make_user(name="Plain.Member"), "invited": make_user(name="Invited.Person"),
                   "requested": make_user(name="Requested.Person"),
                   "north_manager": make_user("manager", team_id=north, name="North.Manager"),
                   "south_manager": make_user("manager", team_id=south, name="South.Manager")})
    circle = make_circle("Circle X", facilitator=people["facilitator"], members=[author, people["member"]],
                         mode=Mode.INVITE)
    listed = make_circle("Circle L", facilitator=people["facilitator"], members=[author, people["member"]],
                         mode=Mode.REQUEST)
    archived = make_circle("Circle A", facilitator=people["facilitator"], members=[author])
    case = partial(make_post, author=author, situation="x", ask="y")
    ids = {"public": case("Public case"), "anonymous": case("Anonymous case", anonymous=True),
           "private": case("Circle case", circle_id=circle), "circle": circle, "meeting": make_meeting(circle),
           "listed": listed, "listed_post": case("Listed circle case", circle_id=listed),
           "listed_meeting": make_meeting(listed), "archived": archived,
           "author": author.id, "admin": people["admin"].id, "manager": people["manager"].id}
    ids["public_reply"] = make_reply(ids["public"], "A forum reply.", author=author)
    ids["private_reply"] = make_reply(ids["private"], "A circle reply.", author=author)
    with app.app_context():
        db.session.add_all([
            Membership(circle_id=circle, user_id=people["invited"].id, status=MemberStatus.INVITED),
            Membership(circle_id=listed, user_id=people["requested"].id, status=MemberStatus.REQUESTED)])
        db.session.get(Circle, archived).archived_at = utcnow()
        invitations = {name: Invitation(token_hash=sha256(name.encode()).hexdigest(), email=f"{name}@example.org", role=role, team_id=team,
                                        expires_at=utcnow() + timedelta(days=7))
                       for name, role, team in (("northadviser", Role.ADVISER, north),
                                                ("northmanager", Role.MANAGER, north))}
        db.session.add_all(invitations.values())
        db.session.commit()
        ids.update({f"invitation_{name}": found.id for name, found in invitations.items()})
    ids.update(_learning(app, author.id, people["manager"].id))
    clients = {"guest": app.test_client()}
    for role, person in people.items():
        clients[role] = app.test_client()
        sign_in(clients[role], person)
    return {"ids": ids, "clients": clients, "people": people, "author": author}


def _learning(app, author_id: int, manager_id: int) -> dict:
    """The author's reflection and goal, and a share of their record with the manager."""
    with app.app_context():
        reflection = Reflection(author_id=author_id, took="Private", will_try="")
        goal = Goal(owner_id=author_id, text="A goal", themes=[])
        share = Share(owner_id=author_id, manager_id=manager_id, period_start=date(2026, 1, 1),
                      period_end=date(2026, 12, 31), sections="totals", content='{"name": "x", "sections": ["totals"]}')
        db.session.add_all([reflection, goal, share])
        db.session.commit()
        return {"reflection": reflection.id, "goal": goal.id, "share": share.id}


def status_of(world, role, method, path, data=None):
    client = world["clients"][role]
    if method == "get":
        return client.get(path).status_code
    if method in ("put", "delete"):
        return client.open(path, method=method.upper()).status_code
    if role == "guest":
        return client.post(path, data=data or {}).status_code
    return form_post(client, path, data or {}).status_code


def expect(status: int, wanted: str) -> bool:
    return {"allow": status in (200, 302), "login": status in (302, 400), "403": status == 403, "404": status == 404,
            "405": status == 405}[wanted]


# (row, method, path template, post data, expectations per role)
MATRIX = [
    ("1 read public case", "get", "/posts/{public}", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("2 read circle case as member", "get", "/posts/{private}", None,
     {"guest": "login", "facilitator": "allow"}),
    ("3 read circle case, not a member", "get", "/posts/{private}", None,
     {"adviser": "404", "manager": "404", "admin": "404"}),
    ("4b post into a circle not theirs", "post", "/write/case/publish",
     {"title": "Sneaky", "situation": "x", "ask": "y", "show_author": "name", "audience": "circle-{circle}"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404"}),
    ("6 edit someone else's post", "post", "/posts/{public}/publish",
     {"title": "Hijack", "situation": "x", "ask": "y", "show_author": "name"},
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403", "admin": "403"}),
    ("6 edit someone else's circle post, not a member", "get", "/posts/{private}/edit", None,
     {"adviser": "404", "manager": "404", "admin": "404"}),
    ("7b delete someone else's post", "post", "/posts/{public}/delete", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403"}),
    ("8 flag a post", "get", "/posts/{public}/flag", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("8 flag a circle post, not a member", "post", "/posts/{private}/flag", {"reason": "inaccurate"},
     {"adviser": "404", "manager": "404", "admin": "404"}),
    ("8c people to @mention (the autocomplete)", "get", "/mentions/suggestions?q=role", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("9 review queue", "get", "/moderation/queue", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("9 privacy clearances (facilitators: their circles)", "get", "/privacy-review", None,
     {"guest": "login", "adviser": "403", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("10 hide / restore / lock / redact (open an item)", "post", "/moderation/review/post/{public}", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("10 moderate circle content directly, not a member", "post", "/moderation/review/post/{private}", None,
     {"manager": "404", "admin": "404"}),
    ("18b suspend", "post", "/moderation/people/{author}/suspend", {"reason": "Repeated posts naming jobseekers"},
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("18b suspend an admin", "post", "/moderation/people/{admin}/suspend", {"reason": "Not allowed"},
     {"manager": "403"}),
    ("18b suspend oneself", "post", "/moderation/people/{manager}/suspend", {"reason": "Not allowed"},
     {"manager": "403"}),
    ("9b a flagger's history (managers, never peers)", "get", "/moderation/flaggers/{author}", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("9b reset a flagger's urgent flags", "post", "/moderation/flaggers/{author}/reset", {"reason": "Talked it through"},
     {"guest": "login", "adviser": "403", "facilitator": "403"}),
    ("11 reveal an anonymous author", "post", "/posts/{anonymous}/reveal-author", {"reason": "Safeguarding concern here"},
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("13b see an invite-only circle, not invited", "get", "/circles/{circle}", None,
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("13b join an invite-only circle, not invited", "post", "/circles/{circle}/join", None,
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404"}),
    ("14 schedule meetings", "post", "/circles/{circle}/schedule", {"frequency": "once", "start_date": "2030-01-01",
                                                                       "start_time": "10:00", "duration_minutes": "60",
                                                                       "timezone": "Europe/London"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("15 run a meeting", "post", "/meetings/{meeting}/control", {"control": "start", "version": "0", "early": "1"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("16 view a meeting (attendance lives there)", "get", "/meetings/{meeting}", None,
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("16c answer a meeting's pulse (members recorded present only)", "post", "/meetings/{meeting}/pulse", {"usefulness": "4"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "404"}),
    ("16d send a note to a member (facilitators)", "post", "/circles/{circle}/members/{author}/note", {"text": "Hello"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("16d the note page", "get", "/circles/{circle}/members/{author}/note", None,
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("16e turn on go round", "post", "/meetings/{meeting}/go-round", {"on": "1"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("16f notes from your facilitators (your own)", "get", "/notes-from-facilitators", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("16g support after the pulse (admins)", "get", "/manage/pulse-support", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403", "admin": "allow"}),
    ("18 manage users", "get", "/people", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403", "admin": "allow"}),
    ("19 invite users", "get", "/invitations", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "admin": "allow"}),
    ("23 audit log: read", "get", "/moderation/audit", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("23b audit log: edit", "put", "/moderation/audit", None,
     {"adviser": "405", "facilitator": "405", "manager": "405", "admin": "405"}),
    ("23b audit log: delete", "delete", "/moderation/audit", None,
     {"adviser": "405", "facilitator": "405", "manager": "405", "admin": "405"}),
    ("20 export own data", "get", "/account/export", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    # No route takes another person's id, so even a guest meets the plain 404.
    ("20 another user's export", "get", "/account/export/{author}", None,
     {"guest": "404", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("20 another user's export, as a form", "post", "/account/export/{author}", {"file_format": "json"},
     {"adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("21 erase own account (asks for the password)", "get", "/account/erase", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("21 erase someone else", "post", "/people/{author}/erase", {"password": "correct horse battery staple"},
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403"}),
    ("21 erase someone else: the admin's confirmation page", "get", "/people/{author}/erase", None,
     {"adviser": "403", "manager": "403", "admin": "allow"}),
    ("22 a meeting's .ics", "get", "/meetings/{meeting}.ics", None,
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    # Issue 15, item 7: the people and routes the rows above did not cover. A membership row
    # that is not active (invited, asked to join) gives nothing of the inside; a plain member
    # is not a facilitator; an archived circle is managed by nobody.
    ("2 read circle case: invited, or asked to join, is not a member", "get", "/posts/{private}", None,
     {"member": "allow", "invited": "404"}),
    ("2 read a listed circle's case: asked to join is not a member", "get", "/posts/{listed_post}", None,
     {"member": "allow", "requested": "404", "adviser": "404", "manager": "404"}),
    ("4b post into circle X: invited is not a member", "post", "/write/case/publish",
     {"title": "Sneaky", "situation": "x", "ask": "y", "show_author": "name", "audience": "circle-{circle}"},
     {"invited": "404"}),
    ("replies' history: a circle reply (the post decides first)", "get", "/replies/{private_reply}/history", None,
     {"guest": "login", "adviser": "404", "invited": "404", "manager": "404", "admin": "404",
      "member": "403", "facilitator": "403"}),
    ("replies' history: a forum reply", "get", "/replies/{public_reply}/history", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("posts' history: a circle post", "get", "/posts/{private}/history", None,
     {"adviser": "404", "invited": "404", "manager": "404", "admin": "404", "member": "403"}),
    ("8 flag a circle post as a member", "get", "/posts/{private}/flag", None,
     {"member": "allow", "facilitator": "allow", "invited": "404", "adviser": "404", "manager": "404", "admin": "404"}),
    ("8 flag a circle reply", "get", "/replies/{private_reply}/flag", None,
     {"member": "allow", "facilitator": "allow", "invited": "404", "adviser": "404", "manager": "404", "admin": "404"}),
    ("8 flag a circle reply, not a member", "post", "/replies/{private_reply}/flag", {"reason": "inaccurate"},
     {"invited": "404", "adviser": "404", "manager": "404"}),
    ("helpful on a circle post", "post", "/posts/{private}/helpful", None,
     {"guest": "login", "invited": "404", "adviser": "404", "manager": "404", "admin": "404",
      "member": "allow", "facilitator": "allow"}),
    ("helpful on a circle reply", "post", "/replies/{private_reply}/helpful", None,
     {"guest": "login", "invited": "404", "adviser": "404", "manager": "404", "admin": "404",
      "member": "allow", "facilitator": "allow"}),
    ("9 privacy clearances: a plain member is no facilitator", "get", "/privacy-review", None,
     {"member": "403", "invited": "403"}),
    ("13 see a listed circle's page (its inside: test_listed_circle_page...)", "get", "/circles/{listed}", None,
     {"guest": "login", "adviser": "allow", "requested": "allow", "manager": "allow", "member": "allow"}),
    ("13b see an invite-only circle, invited", "get", "/circles/{circle}", None,
     {"invited": "allow", "member": "allow", "requested": "404"}),
    ("14 schedule meetings: a plain member, an invitee", "post", "/circles/{circle}/schedule",
     {"frequency": "once", "start_date": "2030-01-01", "start_time": "10:00", "duration_minutes": "60",
      "timezone": "Europe/London"},
     {"member": "403", "invited": "404"}),
    ("14 manage a listed circle: a plain member, an outsider, asked to join", "get", "/circles/{listed}/edit", None,
     {"member": "403", "adviser": "403", "requested": "403", "facilitator": "allow"}),
    ("14 manage an archived circle", "get", "/circles/{archived}/edit", None,
     {"facilitator": "403", "adviser": "403"}),
    ("14 schedule an archived circle's meetings", "get", "/circles/{archived}/schedule", None,
     {"facilitator": "403"}),
    ("15 run a meeting: a plain member", "post", "/meetings/{meeting}/control", {"control": "start", "version": "0",
                                                                                  "early": "1"},
     {"member": "403", "invited": "404"}),
    ("16 a listed circle's meeting, not a member", "get", "/meetings/{listed_meeting}", None,
     {"guest": "login", "adviser": "404", "requested": "404", "manager": "404", "admin": "404",
      "member": "allow", "facilitator": "allow"}),
    ("16 circle X's meeting, invited", "get", "/meetings/{meeting}", None,
     {"invited": "404", "member": "allow"}),
    ("18b lift one's own pre-approval", "post", "/moderation/people/{manager}/approval",
     {"reason": "Lifting my own hold"},
     {"manager": "403"}),
    ("18b require another person's approval", "post", "/moderation/people/{author}/approval",
     {"required": "y", "reason": "A new starter's first weeks"},
     {"adviser": "403", "facilitator": "403", "manager": "allow"}),
    ("19 revoke another team's invitation", "post", "/invitations/{invitation_northadviser}/revoke", None,
     {"south_manager": "404", "adviser": "403", "north_manager": "allow"}),
    ("19 revoke a manager's invitation of one's own team", "post", "/invitations/{invitation_northmanager}/revoke", None,
     {"north_manager": "404", "south_manager": "404", "admin": "allow"}),
    ("17 insights (facilitators see their circles on the circle page)", "get", "/insights", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    ("17 an insights CSV", "get", "/insights/themes.csv", None,
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "allow", "admin": "allow"}),
    # The learning record (issue 18): each person's own; a share opens for its one manager only.
    ("L1 own learning record", "get", "/learning", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("L1 own learning record as a PDF", "get", "/learning/record.pdf", None,
     {"guest": "login", "adviser": "allow", "manager": "allow", "admin": "allow"}),
    ("L2 someone else's reflection", "get", "/learning/reflections/{reflection}", None,
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("L2 edit someone else's reflection", "post", "/learning/reflections/{reflection}", {"took": "Taken over"},
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("L2 delete someone else's reflection", "post", "/learning/reflections/{reflection}/delete", None,
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("L3 mark someone else's goal done", "post", "/learning/goals/{goal}/done", {"done": "1"},
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    ("L4 a shared record: only the manager it was shared with", "get", "/learning/shared/{share}", None,
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "allow", "admin": "404"}),
    ("L4 revoke someone else's share", "post", "/learning/shares/{share}/revoke", None,
     {"guest": "login", "adviser": "404", "facilitator": "404", "manager": "404", "admin": "404"}),
    # Knowledge (issue 21): "what helped" is the author's, or a circle post's facilitators'.
    ("K1 mark what helped on someone else's case", "post", "/posts/{public}/what-helped", {"reply_id": "1"},
     {"guest": "login", "adviser": "403", "facilitator": "403", "manager": "403", "admin": "403"}),
    ("K2 mark what helped on a circle case", "post", "/posts/{private}/what-helped", {"reply_id": "1"},
     {"guest": "login", "adviser": "404", "manager": "404", "admin": "404", "facilitator": "allow"}),
    ("K3 similar posts while writing", "post", "/similar", {"title": "Public case"},
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("K4 I can help with", "get", "/account/help", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("K5 the welcome path's stories", "get", "/welcome/stories", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
    ("K6 dismiss the welcome path", "post", "/welcome/dismiss", None,
     {"guest": "login", "adviser": "allow", "facilitator": "allow", "manager": "allow", "admin": "allow"}),
]


@pytest.mark.parametrize("row", MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(app, world, row):
    name, method, template, data, expectations = row
    ids = world["ids"]
    path = template.format(**ids)
    data = {key: value.format(**ids) for key, value in (data or {}).items()}
    with app.app_context():
        before = [(post.title, post.status, post.circle_id) for post in db.session.scalars(select(Post).order_by(Post.id))]
    for role, wanted in expectations.items():
        status = status_of(world, role, method, path, data)
        assert expect(status, wanted), f"{name}: {role} got {status}, expected {wanted}"
        if wanted != "allow" and method == "post":
            with app.app_context():
                after = [(post.title, post.status, post.circle_id) for post in db.session.scalars(select(Post).order_by(Post.id))]
            assert after == before, f"{name}: {role} changed something"


def test_a_forbidden_404_is_the_same_page_as_a_missing_one(world):
    adviser = world["clients"]["adviser"]
    ids = world["ids"]
    assert adviser.get(f"/posts/{ids['private']}").data == adviser.get("/posts/99999999").data
    assert adviser.get(f"/meetings/{ids['meeting']}").data == adviser.get("/meetings/99999999").data
    assert adviser.get(f"/circles/{ids['circle']}").data == adviser.get("/circles/99999999").data


def test_the_anonymous_author_is_absent_for_every_role(world):
    author = world["author"]
    for role in ("adviser", "facilitator", "manager", "admin"):
        html = world["clients"][role].get(f"/posts/{world['ids']['anonymous']}").get_data(as_text=True)
        assert "An adviser" in html
        assert author.display_name not in html and author.email not in html


def test_the_meeting_control_left_the_meeting_alone_for_outsiders(app, world):
    for role in ("adviser", "manager", "admin"):
        form_post(world["clients"][role], f"/meetings/{world['ids']['meeting']}/control", {"control": "start", "version": "0"})
    with app.app_context():
        assert db.session.get(Meeting, world["ids"]["meeting"]).status == MeetingStatus.SCHEDULED


def test_a_listed_circles_page_shows_outsiders_no_members_meetings_or_posts(world):
    """A listed circle is known to everyone, its inside only to active members: an outsider,
    a manager and a person who asked to join see its facilitators and size, not its members,
    meetings or posts."""
    ids, page = world["ids"], f"/circles/{world['ids']['listed']}"
    inside = (world["people"]["member"].display_name, f"/meetings/{ids['listed_meeting']}", "Listed circle case")
    member_view = world["clients"]["member"].get(page).get_data(as_text=True)
    assert all(text in member_view for text in inside)
    for role in ("adviser", "requested", "manager", "admin"):
        html = world["clients"][role].get(page).get_data(as_text=True)
        assert "Circle L" in html, role
        for text in inside:
            assert text not in html, f"{role} sees {text}"
