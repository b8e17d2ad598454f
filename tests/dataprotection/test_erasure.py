"""Erasure: afterwards nothing the others can open, the search index, the exports or the database
holds the person's name or email; their cookies and password no longer work."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from forum.accounts.models import Role, SignInSession, User
from forum.audit import AuditEntry
from forum.cases.models import Bookmark, Helpful, Post
from forum.circles.models import Membership
from forum.extensions import db
from forum.meetings.models import ActionPoint, Attendance, CalendarFeed, ReminderChoice, Rsvp, SeriesAnswer
from forum.notifications.models import EmailPreference, Follow, Notification
from tests.conftest import client_for, fresh_code, post, sign_in
from tests.dataprotection.conftest import SUBJECT_EMAIL, SUBJECT_NAME


@pytest.fixture
def app_config():
    return {"EXPORT_LIMIT": "20/day"}


def erase_own(client, password: str, code: str = ""):
    return post(client, "/account/erase", {"password": password, "code": code}, page="/account/erase")


def pages_others_open(world) -> list[str]:
    posts = (world.own_anonymous_post, world.own_named_post, world.own_circle_post,
             world.others_anonymous_post, world.others_named_post)
    return [
        "/", "/posts", "/posts?view=cases", f"/posts?author={world.subject.id}", "/themes", f"/themes/{world.theme_slug}",
        "/search?q=deposit", "/search?q=interview", f"/search?q={SUBJECT_NAME}", "/search?q=quillon",
        "/circles", f"/circles/{world.circle_id}", f"/meetings/{world.meeting_id}",
        f"/meetings/{world.meeting_id}/summary", "/notifications", "/following",
        "/bookmarks", *(f"/posts/{post_id}" for post_id in posts),
    ]


def assert_absent(text_: str, where: str) -> None:
    lowered = text_.lower()
    for private in (SUBJECT_NAME.lower(), SUBJECT_EMAIL, "quillon"):
        assert private not in lowered, f"{private} found in {where}"


def without_query(url: str, page: str) -> str:
    """A search page repeats its own query in its form: that is not the page finding them."""
    if "?q=" not in url:
        return page
    return re.sub(re.escape(url.split("?q=")[1]), "", page, flags=re.IGNORECASE)


def every_text_value_in_the_database() -> list[tuple[str, str]]:
    """(table, value) for every text value in every table, the search index's own tables included."""
    connection = db.session.connection()
    found = []
    for table in inspect(connection).get_table_names():
        for row in connection.execute(text(f'SELECT * FROM "{table}"')):
            found += [(table, value) for value in row if isinstance(value, str)]
    return found


def test_erasing_your_own_account(app, client, world, admin):
    other = client_for(app, world.other)
    manager = client_for(app, admin)
    assert SUBJECT_NAME in other.get(f"/posts/{world.own_named_post}").get_data(as_text=True)  # the grep can see it
    second_browser = client_for(app, world.subject)
    sign_in(client, world.subject)
    old_cookie = client.get_cookie("forum_session").value

    page = client.get("/account/erase").get_data(as_text=True)
    assert "Erase your account?" in page and "Former member" in page and page.count("<h1") == 1
    response = erase_own(client, world.subject.password)
    assert response.status_code == 200 and "Your account has been erased" in response.get_data(as_text=True)
    assert "cookies" in response.headers["Clear-Site-Data"]
    assert client.get("/").status_code == 302

    # Signed out everywhere, at once; the old cookie and the password are refused.
    assert second_browser.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("forum_session", old_cookie)
    assert replay.get("/").status_code == 302
    refused = post(app.test_client(), "/login", {"email": SUBJECT_EMAIL, "password": world.subject.password})
    assert refused.status_code == 401

    # Their posts stay: "Former member" for named ones, anonymous ones still anonymous.
    named = other.get(f"/posts/{world.own_named_post}").get_data(as_text=True)
    assert "Former member" in named and "Volunteering led to a job" in named
    anonymous = other.get(f"/posts/{world.own_anonymous_post}").get_data(as_text=True)
    assert "An adviser" in anonymous and "Former member" not in anonymous.split("<main", 1)[1].split("reply", 1)[0]

    # No page the others can open names them.
    for url in pages_others_open(world):
        response = other.get(url)
        assert response.status_code in (200, 404), url
        assert_absent(without_query(url, response.get_data(as_text=True)), url)
    for url in ("/people", "/people?q=quillon", "/people?q=erased", f"/posts/{world.own_named_post}/history"):
        assert_absent(without_query(url, manager.get(url).get_data(as_text=True)), url)
    assert manager.get(f"/people/{world.subject.id}").status_code == 404
    assert manager.get(f"/people/{world.subject.id}/erase").status_code == 404

    # Nor the others' exports, the search index, or anything in the database.
    other_export = post(other, "/account/export", {"file_format": "json"}, page="/account/export")
    assert_absent(other_export.get_data(as_text=True), "the other person's export")
    with app.app_context():
        for table, value in every_text_value_in_the_database():
            assert_absent(value, table)
        index = db.session.execute(text("SELECT title, body FROM search_documents")).all()
        assert index and all(SUBJECT_NAME.lower() not in (title + body).lower() for title, body in index)


def test_what_erasure_deletes_and_keeps(app, client, world, make_team):
    team_id = make_team("Leeds North")
    sign_in(client, world.subject)
    with app.app_context():
        db.session.get(User, world.subject.id).team_id = team_id
        db.session.commit()
        ip_before = db.session.scalar(select(AuditEntry.ip).where(AuditEntry.actor_id == world.subject.id))
    assert ip_before == "127.0.0.1"
    erase_own(client, world.subject.password)
    with app.app_context():
        person = db.session.get(User, world.subject.id)
        assert person.display_name == "Former member" and person.email.endswith("@invalid")
        assert person.erased_at is not None and not person.is_active and person.role == Role.ADVISER
        assert person.password_hash == "!erased" and person.team_id is None and person.last_seen_at is None
        for model, column in ((SignInSession, SignInSession.user_id), (Membership, Membership.user_id),
                              (Rsvp, Rsvp.user_id), (Attendance, Attendance.user_id), (Follow, Follow.user_id),
                              (Bookmark, Bookmark.user_id), (Helpful, Helpful.user_id),
                              (EmailPreference, EmailPreference.user_id), (CalendarFeed, CalendarFeed.user_id),
                              (SeriesAnswer, SeriesAnswer.user_id), (ReminderChoice, ReminderChoice.user_id),
                              (Notification, Notification.recipient_id)):
            assert db.session.scalars(select(model).where(column == world.subject.id)).all() == [], model
        # Kept: their posts and replies, the action point of the meeting, the others' rows.
        assert len(db.session.scalars(select(Post).where(Post.author_id == world.subject.id)).all()) == 3
        assert db.session.scalar(select(ActionPoint.owner_id)) == world.subject.id
        assert db.session.get(Post, world.others_named_post).helpful_count == 0  # their mark is withdrawn
        assert db.session.get(Post, world.own_named_post).helpful_count == 1  # the other's mark stays
        assert db.session.scalars(select(Membership).where(Membership.user_id == world.other.id)).all()
        # The audit log: the erasure is recorded, their addresses forgotten, the others' kept.
        erased = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erased"))
        assert erased.actor_id == world.subject.id and erased.target_id == world.subject.id and erased.ip is None
        assert db.session.scalars(select(AuditEntry.ip).where(AuditEntry.actor_id == world.subject.id,
                                                               AuditEntry.ip.is_not(None))).all() == []


def test_the_audit_log_still_refuses_every_other_change(app, client, world):
    sign_in(client, world.subject)
    with app.app_context():
        entry_id = db.session.scalar(select(AuditEntry.id))
        db.session.commit()
    for statement in ("UPDATE audit_entries SET action = 'forged' WHERE id = :id",
                      "UPDATE audit_entries SET ip = NULL, reason = 'forged' WHERE id = :id",
                      "UPDATE audit_entries SET ip = '10.0.0.1' WHERE id = :id",
                      "DELETE FROM audit_entries WHERE id = :id"):
        with app.app_context():
            with pytest.raises(DBAPIError):
                db.session.execute(text(statement), {"id": entry_id})
            db.session.rollback()
    with app.app_context():
        db.session.execute(text("UPDATE audit_entries SET ip = NULL WHERE id = :id"), {"id": entry_id})
        db.session.commit()
        assert db.session.get(AuditEntry, entry_id).ip is None


def test_a_wrong_or_missing_password_changes_nothing(app, client, world):
    sign_in(client, world.subject)
    wrong = erase_own(client, "not my password at all")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "There is a problem" in page and "Your password is not right" in page
    assert "Error: Erase your account" in page
    missing = erase_own(client, "")
    assert missing.status_code == 400 and "Enter your password to confirm" in missing.get_data(as_text=True)
    assert client.post("/account/erase", data={"password": world.subject.password}).status_code == 400  # no CSRF
    assert client.get("/account").status_code == 200
    with app.app_context():
        assert db.session.get(User, world.subject.id).erased_at is None


def test_an_admin_erases_someone_on_request(app, client, world, admin):
    sign_in(client, admin)
    person_page = client.get(f"/people/{world.subject.id}").get_data(as_text=True)
    assert f'href="/people/{world.subject.id}/erase"' in person_page
    confirm = client.get(f"/people/{world.subject.id}/erase").get_data(as_text=True)
    assert f"Erase {SUBJECT_NAME}’s account?" in confirm
    wrong = post(client, f"/people/{world.subject.id}/erase", {"password": "wrong password here"})
    assert wrong.status_code == 400 and "Your password is not right" in wrong.get_data(as_text=True)
    no_code = post(client, f"/people/{world.subject.id}/erase", {"password": admin.password})
    assert no_code.status_code == 400  # the admin has two-factor on: the code is needed too
    with app.app_context():
        assert db.session.get(User, world.subject.id).erased_at is None
    done = post(client, f"/people/{world.subject.id}/erase",
                {"password": admin.password, "code": fresh_code(app, admin)})
    assert done.status_code == 302 and done.headers["Location"] == "/people"
    assert "has been erased" in client.get("/people").get_data(as_text=True)
    assert client.get(f"/people/{world.subject.id}").status_code == 404
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erased"))
        assert entry.actor_id == admin.id and entry.target_id == world.subject.id and entry.ip == "127.0.0.1"


@pytest.mark.parametrize("role", [Role.ADVISER, Role.MANAGER])
def test_only_admins_erase_others(app, client, world, make_user, role):
    sign_in(client, make_user(role))
    assert client.get(f"/people/{world.subject.id}/erase").status_code == 403
    assert post(client, f"/people/{world.subject.id}/erase", {"password": "correct horse battery staple"}).status_code == 403
    with app.app_context():
        assert db.session.get(User, world.subject.id).erased_at is None


def test_admins_are_not_erased_through_the_people_pages(app, client, admin, make_user):
    other_admin = make_user(Role.ADMIN, name="Second.Admin")
    sign_in(client, admin)
    for target in (admin, other_admin):
        page = client.get(f"/people/{target.id}/erase")
        assert page.status_code == 200 and "Erase this account" not in page.get_data(as_text=True)
        assert post(client, f"/people/{target.id}/erase", {"password": admin.password}).status_code == 403
    assert "Erase your own account from your account page" in client.get(f"/people/{admin.id}/erase").get_data(as_text=True)
    assert client.get("/people/999999/erase").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(User).where(User.erased_at.is_not(None))) is None


def test_the_last_admin_cannot_erase_themselves(app, client, admin):
    sign_in(client, admin)
    response = erase_own(client, admin.password, fresh_code(app, admin))
    assert response.status_code == 400 and "You are the only admin" in response.get_data(as_text=True)


def test_an_erased_persons_name_can_be_taken_and_their_export_is_gone(app, client, world, make_user):
    sign_in(client, world.subject)
    erase_own(client, world.subject.password)
    assert post(client, "/account/export", {"file_format": "json"}).status_code in (302, 400)
    newcomer = make_user(name=SUBJECT_NAME, email=SUBJECT_EMAIL)  # unique columns are free again
    fresh = client_for(app, newcomer)
    data = json.loads(post(fresh, "/account/export", {"file_format": "json"}, page="/account/export").get_data(as_text=True))
    assert data["sections"]["posts"] == [] and data["sections"]["replies"] == []


def test_erasing_an_account_with_two_factor_on_needs_a_code_too(app, client, make_user):
    person = make_user(name="Two.Factor", two_factor=True)
    sign_in(client, person)
    assert "Code from your authenticator app" in client.get("/account/erase").get_data(as_text=True)
    refused = erase_own(client, person.password)
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(User, person.id).erased_at is None
    assert erase_own(client, person.password, fresh_code(app, person)).status_code == 200
    with app.app_context():
        from forum.accounts.models import TwoFactor

        assert db.session.get(User, person.id).erased_at is not None
        assert db.session.scalar(select(TwoFactor).where(TwoFactor.user_id == person.id)) is None
