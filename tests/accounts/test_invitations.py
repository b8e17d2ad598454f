"""Invitations: the only way in. Single-use, expiring, forged links refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import Invitation, Role, User
from forum.audit import AuditEntry
from forum.extensions import db
from forum.timeutil import utcnow
from tests.conftest import post

LINK = re.compile(r"http://localhost(/invite/[A-Za-z0-9_\-]+)")
GOOD_PASSWORD = "a long enough passphrase"


def invite(client, email="newcomer@example.org", role="adviser", team_id=0):
    return post(client, "/invitations", {"email": email, "role": role, "team_id": str(team_id)},
                page="/invitations")


def link_in(outbox) -> str:
    match = LINK.search(outbox[-1].text)
    assert match, outbox[-1].text
    return match.group(1)


def accept(client, link, name="Newcomer", password=GOOD_PASSWORD, confirm=None, **extra):
    data = {"display_name": name, "password": password, "confirm": confirm or password, **extra}
    return post(client, link, data, page=link)


@pytest.fixture
def invited_link(client, admin, signed_in, outbox):
    signed_in(admin)
    response = invite(client)
    assert response.status_code == 302
    client.post("/logout", data={})  # no token: refused, so sign out properly below
    post(client, "/logout", page="/account")
    return link_in(outbox)


def test_admin_invites_and_the_person_joins(client, admin, signed_in, outbox, app):
    signed_in(admin)
    response = invite(client, email="NewComer@Example.org", role="manager")
    assert response.status_code == 302
    assert client.get("/invitations").get_data(as_text=True).count("newcomer@example.org") >= 1
    email = outbox[-1]
    assert email.to == "newcomer@example.org"
    assert "7 days" in email.text
    link = link_in(outbox)
    post(client, "/logout", page="/account")

    page = client.get(link)
    assert page.status_code == 200
    assert "line manager" in page.get_data(as_text=True)
    response = accept(client, link, name="New.Comer")
    assert response.status_code == 302
    home = client.get("/")
    assert "Welcome, New.Comer" in home.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "newcomer@example.org"))
        assert user.role == Role.MANAGER
        assert user.password_hash.startswith("$argon2id$")
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert "invitation.sent" in actions and "invitation.accepted" in actions


def test_invitation_link_works_once(client, invited_link):
    assert accept(client, invited_link).status_code == 302
    post(client, "/logout", page="/account")
    again = client.get(invited_link)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert accept(client, invited_link, name="Someone.Else").status_code == 410


def test_expired_invitation_is_refused(client, invited_link, app):
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(invited_link)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert accept(client, invited_link).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "newcomer@example.org")) is None


@pytest.mark.parametrize("token", ["forged", "A" * 43, "%00", "..%2F..%2Fetc"])
def test_forged_invitation_is_not_found(client, token):
    assert client.get(f"/invite/{token}").status_code == 404


def test_there_is_no_registration_without_invitation(client):
    for path in ("/register", "/signup", "/join"):
        assert client.get(path).status_code in (302, 404)
        assert client.post(path).status_code in (400, 404, 405)


def test_resent_invitation_replaces_the_old_link(client, admin, signed_in, outbox, app):
    signed_in(admin)
    invite(client)
    old_link = link_in(outbox)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    assert post(client, f"/invitations/{invitation_id}/resend", page="/invitations").status_code == 302
    new_link = link_in(outbox)
    assert new_link != old_link
    post(client, "/logout", page="/account")
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_revoked_invitation_stops_working(client, admin, signed_in, outbox, app):
    signed_in(admin)
    invite(client)
    link = link_in(outbox)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    assert post(client, f"/invitations/{invitation_id}/revoke", page="/invitations").status_code == 302
    post(client, "/logout", page="/account")
    assert client.get(link).status_code == 410


def test_duplicate_emails_are_refused_case_insensitively(client, admin, adviser, signed_in, app):
    signed_in(admin)
    response = invite(client, email="ADVISER@example.org")
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)
    assert invite(client, email="fresh@example.org").status_code == 302
    again = invite(client, email="Fresh@Example.org")
    assert again.status_code == 400
    text = again.get_data(as_text=True)
    assert "waiting to be accepted" in text
    assert 'value="Fresh@Example.org"' in text  # what they typed is kept
    with app.app_context():
        assert len(db.session.scalars(select(Invitation)).all()) == 1


@pytest.mark.parametrize("email, message", [
    ("", "Enter the email address"),
    ("not-an-email", "right format"),
    ("a" * 250 + "@example.org", "254 characters or fewer"),
])
def test_bad_invitation_input_gets_a_clear_message(client, admin, signed_in, email, message):
    signed_in(admin)
    response = invite(client, email=email)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert "<title>Error: Invitations" in text


def test_manager_invites_advisers_to_their_own_team_only(client, make_user, make_team, signed_in, app):
    own, other = make_team("Own team"), make_team("Other team")
    manager = make_user(Role.MANAGER, team_id=own)
    signed_in(manager)
    assert invite(client, "a1@example.org", "adviser", own).status_code == 302
    assert invite(client, "a2@example.org", "manager", own).status_code == 403
    assert invite(client, "a3@example.org", "admin", own).status_code == 403
    assert invite(client, "a4@example.org", "adviser", other).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Invitation.email)).all() == ["a1@example.org"]


@pytest.mark.parametrize("role, status", [("adviser", 403), ("manager", 200), ("admin", 200)])
def test_who_may_open_the_invitations_page(client, make_user, make_team, signed_in, role, status):
    person = make_user(role, team_id=make_team())
    signed_in(person)
    assert client.get("/invitations").status_code == status


def test_adviser_cannot_send_an_invitation(client, adviser, signed_in, outbox, app):
    signed_in(adviser)
    assert invite(client).status_code == 403
    assert outbox == []
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


@pytest.mark.parametrize("name, password, confirm, message", [
    ("", GOOD_PASSWORD, None, "Enter a display name"),
    ("   ", GOOD_PASSWORD, None, "Enter a display name"),
    ("x", GOOD_PASSWORD, None, "2 to 40 characters"),
    ("-Siân", GOOD_PASSWORD, None, "starting with a letter or number"),
    ("Siân (Evans)", GOOD_PASSWORD, None, "2 to 40 characters"),
    ("<svg onload=alert(1)>", GOOD_PASSWORD, None, "2 to 40 characters"),
    ("N" * 41, GOOD_PASSWORD, None, "40 characters or fewer"),
    ("Fine.Name", "short", None, "at least 12 characters"),
    ("Fine.Name", "x" * 129, None, "128 characters or fewer"),
    ("Fine.Name", "123qweasdzxc", None, "too common"),
    ("Fine.Name", "password1234", None, "too common"),
    ("Fine.Name", GOOD_PASSWORD, "something else entirely", "do not match"),
])
def test_bad_acceptance_input_is_refused_and_kept(client, invited_link, app, name, password, confirm, message):
    response = accept(client, invited_link, name=name, password=password, confirm=confirm)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert "There is a problem" in text
    if name and len(name) <= 40:
        assert "&lt;svg" in text or f'value="{name}"' in text  # typed value kept, escaped
    assert "<svg onload" not in text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "newcomer@example.org")) is None
        assert db.session.scalar(select(Invitation.used_at)) is None


def test_display_names_are_unique_ignoring_case(client, invited_link, make_user):
    make_user(name="Taken.Name")
    response = accept(client, invited_link, name="TAKEN.name")
    assert response.status_code == 400
    assert "That display name is taken" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["Sian Evans", "SIÂN EVANS", "sian   evans", "Siàn Evans"])
def test_display_names_are_unique_ignoring_case_accents_and_spacing(client, invited_link, make_user, app, typed):
    make_user(name="Siân Evans")
    response = accept(client, invited_link, name=typed, password="short")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That display name is taken" in text and "capitals or accents" in text and 'href="#display_name"' in text
    assert "at least 12 characters" in text  # every error at once
    assert f'value="{typed}"' in text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "newcomer@example.org")) is None


def test_a_name_with_spaces_and_accents_gets_a_handle_made_once(client, invited_link, make_user, app):
    make_user(name="Siân Evans")  # has the handle sian.evans
    assert accept(client, invited_link, name="  Siân   Évans-Jones ").status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "newcomer@example.org"))
        assert (person.display_name, person.handle) == ("Siân Évans-Jones", "sian.evans-jones")
    page = client.get("/account").get_data(as_text=True)
    assert "Siân Évans-Jones" in page and "@sian.evans-jones" in page
    post(client, "/account/profile", {"display_name": "Siân Jones", "timezone": "Europe/London"}, page="/account")
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "newcomer@example.org"))
        assert (person.display_name, person.handle) == ("Siân Jones", "sian.evans-jones")  # the handle never changes


def test_a_taken_handle_gets_a_number(app, make_user):
    from forum.accounts import services

    make_user(name="Sian.Evans")
    make_user(name="Sian.Evans2")
    with app.app_context():
        assert services.new_handle("Sian Evans") == "sian.evans3"
        assert services.new_handle("Zoë") == "zoe"


@pytest.mark.parametrize("password", [
    "correct horse battery staple 64 characters long passphrase here!"[:64],
    "naïve café crème brûlée ☕ with spaces",
    "            twelve spaces then words",
])
def test_long_unicode_and_spaced_passwords_work(client, invited_link, password):
    assert accept(client, invited_link, password=password).status_code == 302
    post(client, "/logout", page="/account")
    response = post(client, "/login", {"email": "newcomer@example.org", "password": password})
    assert response.status_code == 302
    post(client, "/logout", page="/account")
    truncated = post(client, "/login", {"email": "newcomer@example.org", "password": password[:-1]})
    assert truncated.status_code == 401


def test_extra_fields_cannot_raise_a_role(client, invited_link, app):
    response = accept(client, invited_link, role="admin", team_id="1", is_active="0", email="x@evil.example")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "newcomer@example.org"))
        assert user.role == Role.ADVISER and user.is_active


def test_acceptance_reports_every_error_at_once(client, invited_link, app):
    response = accept(client, invited_link, name="has (brackets)", password="short")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    summary = text[text.index("There is a problem"):text.index("</ul>", text.index("There is a problem"))]
    assert "2 to 40 characters" in summary and "at least 12 characters" in summary
    assert 'id="display_name-error"' in text and 'id="password-error"' in text
    assert 'value="has (brackets)"' in text
    with app.app_context():
        assert db.session.scalar(select(Invitation.used_at)) is None
