"""Sign-in sessions: rotation, server-side sign-out, timeouts, remember me, brute force."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.accounts import services
from forum.accounts.models import SignInSession, User
from forum.audit import AuditEntry
from forum.errors import Invalid
from forum.extensions import db
from forum.timeutil import utcnow
from tests.conftest import TEST_PASSWORD, csrf_token, post, sign_in

SESSION = "forum_session"
REMEMBER = "forum_remember"


def cookie(client, name):
    found = client.get_cookie(name)
    return found.value if found else None


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def replay(app, name, value):
    """A fresh browser holding a copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_session_cookie_changes_at_sign_in(client, adviser):
    csrf_token(client)  # a guest session exists now
    before = cookie(client, SESSION)
    assert before
    sign_in(client, adviser)
    assert cookie(client, SESSION) not in (None, before)


def test_session_cookie_flags(client, adviser):
    response = sign_in(client, adviser, remember=True)
    set_cookies = response.headers.getlist("Set-Cookie")
    for name in (SESSION, REMEMBER):
        header = next(value for value in set_cookies if value.startswith(name + "="))
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header


def test_replayed_cookie_after_sign_out_is_refused(app, client, adviser):
    sign_in(client, adviser, remember=True)
    stolen_session, stolen_remember = cookie(client, SESSION), cookie(client, REMEMBER)
    assert is_signed_in(replay(app, SESSION, stolen_session))
    response = post(client, "/logout", page="/account")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not is_signed_in(client)
    copied = replay(app, SESSION, stolen_session)
    response = copied.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not is_signed_in(replay(app, REMEMBER, stolen_remember))


def test_password_change_ends_other_sessions(app, client, adviser, outbox):
    sign_in(client, adviser)
    other = app.test_client()
    sign_in(other, adviser)
    old_cookie = cookie(client, SESSION)
    response = post(client, "/account/password", {
        "current_password": TEST_PASSWORD, "new_password": "a brand new passphrase", "confirm": "a brand new passphrase",
    }, page="/account")
    assert response.status_code == 302
    assert is_signed_in(client)  # this browser carries on
    assert not is_signed_in(other)
    assert not is_signed_in(replay(app, SESSION, old_cookie))
    assert outbox[-1].subject == "Your adviser forum password was changed"
    assert "a brand new passphrase" not in outbox[-1].text


def test_password_change_needs_the_current_password(client, adviser):
    sign_in(client, adviser)
    response = post(client, "/account/password", {
        "current_password": "not my password at all", "new_password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
    }, page="/account")
    assert response.status_code == 400
    assert "current password is not right" in response.get_data(as_text=True)
    post(client, "/logout", page="/account")
    assert post(client, "/login", {"email": adviser.email, "password": TEST_PASSWORD}).status_code == 302


def test_deactivation_ends_sessions_at_once(app, client, admin, adviser):
    victim = app.test_client()
    sign_in(victim, adviser, remember=True)
    stolen_remember = cookie(victim, REMEMBER)
    sign_in(client, admin)
    assert post(client, f"/people/{adviser.id}/deactivate", page=f"/people/{adviser.id}/deactivate").status_code == 302
    assert not is_signed_in(victim)
    assert not is_signed_in(replay(app, REMEMBER, stolen_remember))
    assert post(victim, "/login", {"email": adviser.email, "password": TEST_PASSWORD}).status_code == 401


def test_admin_can_end_someones_sessions(app, client, admin, adviser):
    victim = app.test_client()
    sign_in(victim, adviser)
    sign_in(client, admin)
    assert post(client, f"/people/{adviser.id}/end-sessions", page=f"/people/{adviser.id}").status_code == 302
    assert not is_signed_in(victim)


def test_idle_session_ends_after_two_hours(client, adviser):
    sign_in(client, adviser)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 2 * 3600 - 5
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_active_session_stays_alive(client, adviser):
    sign_in(client, adviser)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 2 * 3600 + 120
    assert is_signed_in(client)
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 10


def test_session_ends_after_twelve_hours_in_all(app, client, adviser):
    sign_in(client, adviser)
    with app.app_context():
        record = db.session.scalar(select(SignInSession))
        assert timedelta(hours=11, minutes=59) < record.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None) <= timedelta(hours=12)
        db.session.execute(update(SignInSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert not is_signed_in(client)


def test_remember_me_survives_a_browser_restart_for_14_days(app, client, adviser):
    sign_in(client, adviser, remember=True)
    remembered = replay(app, REMEMBER, cookie(client, REMEMBER))  # session cookie gone
    assert is_signed_in(remembered)
    with app.app_context():
        record = db.session.scalar(select(SignInSession))
        assert record.remember
        left = record.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
        assert timedelta(days=13, hours=23) < left <= timedelta(days=14)
        db.session.execute(update(SignInSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert not is_signed_in(replay(app, REMEMBER, cookie(client, REMEMBER)))


def _without_token(html: str) -> str:
    return re.sub(r'value="[^"]*"', "", html)


def test_sign_in_does_not_reveal_whether_an_account_exists(client, adviser):
    wrong_password = post(client, "/login", {"email": adviser.email, "password": "wrong password here"})
    unknown = post(client, "/login", {"email": "nobody@example.org", "password": "wrong password here"})
    assert wrong_password.status_code == unknown.status_code == 401
    assert _without_token(wrong_password.get_data(as_text=True)).replace(adviser.email, "") == \
        _without_token(unknown.get_data(as_text=True)).replace("nobody@example.org", "")
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)


def test_sign_in_and_failures_are_audited(app, client, adviser):
    post(client, "/login", {"email": adviser.email, "password": "wrong password here"})
    sign_in(client, adviser)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_in")).all()
        assert [entry.outcome for entry in entries] == ["failure", "success"]
        assert all(entry.ip == "127.0.0.1" for entry in entries)
        assert entries[1].actor_id == adviser.id


def test_too_many_failures_for_one_account_are_refused_even_with_the_right_password(app, client, adviser):
    for attempt in range(10):
        client.environ_base = {"REMOTE_ADDR": f"10.0.0.{attempt}"}  # spread over addresses
        assert post(client, "/login", {"email": adviser.email, "password": "wrong password here"}).status_code == 401
    client.environ_base = {"REMOTE_ADDR": "10.0.1.1"}
    response = post(client, "/login", {"email": adviser.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.outcome == "locked")) is not None


def test_too_many_failures_from_one_address_are_refused(client, make_user):
    people = [make_user() for _ in range(7)]
    for person in people[:6]:
        assert post(client, "/login", {"email": person.email, "password": "wrong password here"}).status_code == 401
    response = post(client, "/login", {"email": people[6].email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


@pytest.mark.parametrize("target, expected", [
    ("/account", "/account"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_leads_to_this_site(client, adviser, target, expected):
    response = post(client, f"/login?next={target}", {"email": adviser.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_sign_out_is_a_post(client, adviser):
    sign_in(client, adviser)
    page = client.get("/logout")
    assert page.status_code == 200 and is_signed_in(client)  # GET only asks to confirm
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert is_signed_in(client)


# Password reset ---------------------------------------------------------------------------

RESET_LINK = re.compile(r"http://localhost(/reset/[A-Za-z0-9_.\-]+)")


def request_reset(client, email):
    return post(client, "/reset", {"email": email})


def test_password_reset_by_email_works_once(app, client, adviser, outbox):
    response = request_reset(client, adviser.email)
    assert response.status_code == 302
    link = RESET_LINK.search(outbox[-1].text).group(1)
    assert client.get(link).status_code == 200
    new = "my new reset passphrase"
    response = post(client, link, {"password": new, "confirm": new}, page=link)
    assert response.status_code == 302
    assert post(client, "/login", {"email": adviser.email, "password": new}).status_code == 302
    post(client, "/logout", page="/account")
    assert client.get(link).status_code == 410
    assert post(client, link, {"password": "another passphrase!", "confirm": "another passphrase!"}).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password.reset")) is not None


def test_password_reset_does_not_reveal_accounts(client, adviser, outbox):
    known = request_reset(client, adviser.email)
    unknown = request_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(outbox) == 1
    assert client.get("/login").get_data(as_text=True).count("If there is an account for that email address") == 1


def test_password_reset_rejects_weak_and_forged(client, adviser, outbox):
    request_reset(client, adviser.email)
    link = RESET_LINK.search(outbox[-1].text).group(1)
    weak = post(client, link, {"password": "short", "confirm": "short"}, page=link)
    assert weak.status_code == 400 and "at least 12 characters" in weak.get_data(as_text=True)
    assert client.get(link + "tampered").status_code == 410
    assert client.get("/reset/forged.token.value").status_code == 410


def test_password_change_reports_every_error_at_once(client, adviser):
    sign_in(client, adviser)
    response = post(client, "/account/password", {
        "current_password": "not my password at all", "new_password": "short", "confirm": "short",
    }, page="/account")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "current password is not right" in text and "at least 12 characters" in text


def test_profile_changes_are_refused_with_every_error_at_once(app, adviser):
    with app.app_context():
        user = db.session.get(User, adviser.id)
        with pytest.raises(Invalid) as refused:
            services.update_profile(user, "x", "Nowhere/Else")
    errors = [refused.value, *refused.value.also]
    assert [(error.field, "2 to 40 characters" in error.message or error.message) for error in errors] == [
        ("display_name", True), ("timezone", "Choose a time zone from the list")]
