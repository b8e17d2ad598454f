"""The access-control matrix of SECURITY.md, run as a table: one row per action, one column
per role, with fixtures for "member of circle X" and "not a member". Forbidden actions answer
403 (or 404 where the actor may not know the object exists) and leave the target unchanged."""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import select

from forum.cases.models import Post
from forum.circles.models import Mode
from forum.extensions import db
from forum.meetings.models import Meeting, MeetingStatus
from tests.conftest import post as form_post
from tests.conftest import sign_in

ROLES = ("guest", "adviser", "facilitator", "manager", "admin")


@pytest.fixture
def world(app, make_user, make_circle, make_post, make_meeting):
    """An author's public and anonymous cases, circle X (invite-only) with a facilitator and
    a case and a meeting; every role's client."""
    author = make_user(name="The.Author")
    people = {role: make_user("adviser" if role == "facilitator" else role, name=f"Role.{role}")
              for role in ROLES if role != "guest"}
    circle = make_circle("Circle X", facilitator=people["facilitator"], members=[author], mode=Mode.INVITE)
    case = partial(make_post, author=author, situation="x", ask="y")
    ids = {"public": case("Public case"), "anonymous": case("Anonymous case", anonymous=True),
           "private": case("Circle case", circle_id=circle), "circle": circle, "meeting": make_meeting(circle),
           "author": author.id, "admin": people["admin"].id, "manager": people["manager"].id}
    clients = {"guest": app.test_client()}
    for role, person in people.items():
        clients[role] = app.test_client()
        sign_in(clients[role], person)
    return {"ids": ids, "clients": clients, "people": people, "author": author}


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
