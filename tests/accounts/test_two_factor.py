"""Two-factor sign-in: set-up, the code step, single use, recovery codes, brute force,
and the set-up required of managers and admins before management pages."""

from __future__ import annotations

import html
import re
import time
from datetime import timedelta

import pyotp
import pytest
from flask import Blueprint
from sqlalchemy import func, select

from forum.accounts.models import RecoveryCode, Role, SignInSession, TwoFactor
from forum.audit import AuditEntry
from forum.extensions import db
from forum.web import manager, member
from tests.conftest import TEST_PASSWORD, fresh_code, post, sign_in

SECRET_ON_PAGE = re.compile(r'id="secret-key">([A-Z2-7 ]+)<')
RECOVERY_CODE = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def set_up_two_factor(client) -> tuple[str, list[str]]:
    """Set two-factor up from the account page, as a person would; returns the secret and codes."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    secret = SECRET_ON_PAGE.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    response = post(client, "/account/two-factor", {"code": pyotp.TOTP(secret).now()}, page="/account/two-factor")
    assert response.status_code == 200, page_text(response)[:500]
    codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    return secret, codes


def start_sign_in(client, person, next_url: str | None = None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    response = post(client, url, {"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def enter_code(client, code: str, url: str = "/login/code"):
    return post(client, url, {"code": code}, page="/login/code")


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SignInSession))


# Set-up -----------------------------------------------------------------------------------


def test_set_up_shows_a_server_drawn_qr_code_and_the_key_and_needs_a_first_code(app, client, adviser, outbox):
    sign_in(client, adviser)
    page = client.get("/account/two-factor")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in body and "<img" not in body
    secret = SECRET_ON_PAGE.search(body).group(1).replace(" ", "")
    # The same secret on reload, so a scan made a moment ago still works.
    assert SECRET_ON_PAGE.search(client.get("/account/two-factor").get_data(as_text=True)).group(1).replace(" ", "") == secret

    wrong = post(client, "/account/two-factor", {"code": "000000"}, page="/account/two-factor")
    assert wrong.status_code == 400
    assert "Error: Set up two-factor sign-in" in page_text(wrong)
    assert "Enter the 6-digit code your authenticator app shows now" in page_text(wrong)
    assert 'value="000000"' in wrong.get_data(as_text=True)  # what was typed is kept

    right = post(client, "/account/two-factor", {"code": pyotp.TOTP(secret).now()}, page="/account/two-factor")
    codes = RECOVERY_CODE.findall(right.get_data(as_text=True))
    assert right.status_code == 200 and len(set(codes)) == 10
    assert "This is the only time they are shown" in page_text(right)
    with app.app_context():
        record = db.session.get(TwoFactor, adviser.id)
        assert record.confirmed_at is not None
        assert secret not in record.sealed_secret  # stored encrypted
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes
    # The notice names the change and carries no secret.
    notice = outbox[-1]
    assert notice.to == adviser.email and "Two-factor sign-in is on" in notice.subject
    assert secret not in notice.text and not any(code in notice.text for code in codes)
    assert "If this was not you" in notice.text
    # Once on, the set-up page goes back to the account.
    assert client.get("/account/two-factor").status_code == 302


@pytest.mark.parametrize("typed, status, message", [
    ("", 400, "Enter the code from your authenticator app"),
    ("x" * 40, 400, "Enter a code of 6 digits"),
    ("12345", 400, "Enter the 6-digit code"),
    ("abcdef", 400, "Enter the 6-digit code"),
])
def test_set_up_refuses_bad_codes_clearly(client, adviser, typed, status, message):
    sign_in(client, adviser)
    response = post(client, "/account/two-factor", {"code": typed}, page="/account/two-factor")
    assert response.status_code == status
    assert message in page_text(response)


def test_set_up_refuses_a_missing_csrf_token(client, adviser):
    sign_in(client, adviser)
    client.get("/account/two-factor")
    assert client.post("/account/two-factor", data={"code": "123456"}).status_code == 400


def test_the_secret_is_not_logged(app, client, adviser, caplog):
    sign_in(client, adviser)
    caplog.set_level("DEBUG")
    secret, _codes = set_up_two_factor(client)
    assert secret not in caplog.text
    with app.app_context():
        assert secret not in repr(db.session.get(TwoFactor, adviser.id))


# Signing in with a code ---------------------------------------------------------------------


@pytest.fixture
def two_factor_adviser(make_user):
    return make_user(Role.ADVISER, name="CodeUser", email="code.user@example.org", two_factor=True)


def test_sign_in_asks_for_the_code_after_the_password_and_starts_no_session_before_it(
        app, client, two_factor_adviser):
    response = start_sign_in(client, two_factor_adviser, next_url="/themes")
    assert response.headers["Location"] == "/login/code?next=/themes"
    assert not is_signed_in(client)
    assert sessions(app) == 0
    page = client.get("/login/code")
    assert page.status_code == 200 and "Enter your sign-in code" in page_text(page)
    done = enter_code(client, fresh_code(app, two_factor_adviser), url=response.headers["Location"])
    assert done.status_code == 302 and done.headers["Location"] == "/themes"
    assert is_signed_in(client) and sessions(app) == 1
    with app.app_context():
        outcomes = [(entry.action, entry.outcome) for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("sign_in%")).order_by(AuditEntry.id))]
        assert outcomes == [("sign_in.password", "success"), ("sign_in", "success")]


def test_a_wrong_password_never_reaches_the_code_step(client, two_factor_adviser):
    response = post(client, "/login", {"email": two_factor_adviser.email, "password": "wrong password here"})
    assert response.status_code == 401
    assert client.get("/login/code").status_code == 302


def test_the_code_step_without_a_password_goes_back_to_sign_in(client):
    response = client.get("/login/code?next=/themes")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert post(client, "/login/code", {"code": "123456"}).status_code == 302
    assert not is_signed_in(client)


def test_the_code_step_expires(app, client, two_factor_adviser):
    app.config["TWO_FACTOR_PENDING_LIFETIME"] = timedelta(0)
    start_sign_in(client, two_factor_adviser)
    response = enter_code(client, fresh_code(app, two_factor_adviser))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not is_signed_in(client)


@pytest.mark.parametrize("typed, status, message", [
    ("", 400, "Enter the code from your authenticator app"),
    ("000000", 401, "Enter a correct code"),
    ("not a code", 401, "Enter a correct code"),
    ("9" * 40, 400, "Enter a code of 6 digits"),
])
def test_bad_codes_at_sign_in_get_a_clear_message_and_keep_what_was_typed(client, two_factor_adviser, typed, status, message):
    start_sign_in(client, two_factor_adviser)
    response = enter_code(client, typed)
    assert response.status_code == status
    text = page_text(response)
    assert message in text and "Error: Enter your sign-in code" in text
    if typed and len(typed) <= 32:
        assert f'value="{typed}"' in text
    assert not is_signed_in(client)


def test_a_code_works_only_once(app, client, two_factor_adviser):
    code = pyotp.TOTP(two_factor_adviser.totp_secret).now()
    start_sign_in(client, two_factor_adviser)
    assert enter_code(client, code).status_code == 302
    post(client, "/logout")
    start_sign_in(client, two_factor_adviser)
    replay = enter_code(client, code)
    assert replay.status_code == 401
    assert "Each code works once" in page_text(replay)
    assert not is_signed_in(client)


def test_an_older_code_is_refused_after_a_newer_one(app, client, two_factor_adviser):
    totp = pyotp.TOTP(two_factor_adviser.totp_secret)
    now = totp.timecode(time.time())
    start_sign_in(client, two_factor_adviser)
    assert enter_code(client, totp.generate_otp(now)).status_code == 302
    post(client, "/logout")
    start_sign_in(client, two_factor_adviser)
    assert enter_code(client, totp.generate_otp(now - 1)).status_code == 401


def test_a_recovery_code_signs_in_once(app, client, adviser):
    sign_in(client, adviser)
    _secret, codes = set_up_two_factor(client)
    post(client, "/logout")
    start_sign_in(client, adviser)
    assert enter_code(client, codes[0].upper().replace("-", " ")).status_code == 302  # typed loosely
    assert is_signed_in(client)
    post(client, "/logout")
    start_sign_in(client, adviser)
    assert enter_code(client, codes[0]).status_code == 401
    assert enter_code(client, codes[1]).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_not(None))) == 2


def test_wrong_codes_for_one_account_are_limited_even_for_the_right_code(app, client, two_factor_adviser):
    start_sign_in(client, two_factor_adviser)
    for attempt in range(10):
        client.environ_base = {"REMOTE_ADDR": f"10.0.0.{attempt}"}  # spread over addresses
        assert enter_code(client, "000000").status_code == 401
    client.environ_base = {"REMOTE_ADDR": "10.0.1.1"}
    response = enter_code(client, fresh_code(app, two_factor_adviser))
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert not is_signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.outcome == "locked")) is not None


def test_wrong_codes_from_one_address_are_limited(app, make_user):
    people = [make_user(two_factor=True) for _ in range(7)]
    for person in people[:6]:
        client = app.test_client()
        start_sign_in(client, person)
        assert enter_code(client, "000000").status_code == 401
    client = app.test_client()
    start_sign_in(client, people[6])
    response = enter_code(client, fresh_code(app, people[6]))
    assert response.status_code == 429 and "Retry-After" in response.headers


# Required for managers and admins -------------------------------------------------------------


@pytest.mark.parametrize("role, path", [
    (Role.ADMIN, "/people"),
    (Role.ADMIN, "/invitations"),
    (Role.MANAGER, "/invitations"),
    (Role.MANAGER, "/privacy-review"),
    (Role.ADMIN, "/privacy-review"),
])
def test_managers_and_admins_must_set_up_two_factor_before_management_pages(client, make_user, make_team, role, path):
    person = make_user(role, team_id=make_team(), two_factor=False)
    sign_in(client, person)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/two-factor?next={path}"
    set_up_two_factor(client)
    assert client.get(path).status_code == 200


def test_the_set_up_page_says_why_and_returns_to_the_page_asked_for(client, make_user):
    admin = make_user(Role.ADMIN, two_factor=False)
    sign_in(client, admin)
    page = client.get(client.get("/people/1").headers["Location"])
    assert "Line managers and admins need two-factor sign-in" in page_text(page)
    secret = SECRET_ON_PAGE.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    done = post(client, "/account/two-factor?next=/people/1", {"code": pyotp.TOTP(secret).now()},
                page="/account/two-factor")
    assert 'href="/people/1"' in done.get_data(as_text=True)


def test_actions_on_management_pages_wait_for_two_factor_too(app, client, make_user, outbox):
    admin = make_user(Role.ADMIN, two_factor=False)
    target = make_user()
    sign_in(client, admin)
    response = post(client, f"/people/{target.id}/deactivate", page="/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor")
    sent = post(client, "/invitations", {"email": "new@example.org", "role": "adviser", "team_id": "0"}, page="/account")
    assert sent.status_code == 302 and not outbox


def test_advisers_are_not_sent_to_set_up_they_are_refused(client, adviser):
    sign_in(client, adviser)
    assert client.get("/privacy-review").status_code == 403
    assert client.get("/people").status_code == 403


def test_declared_managers_pages_and_undeclared_ones_require_two_factor(app, client, make_user):
    blueprint = Blueprint("guarded_example", __name__)

    @blueprint.route("/managers-example")
    @manager
    def managers_page():
        return "inside"

    @blueprint.route("/undeclared-example")
    def undeclared_page():  # deny by default: treated as a manager's page
        return "inside"

    @blueprint.route("/members-example")
    @member
    def members_page():
        return "inside"

    app.register_blueprint(blueprint)
    manager_person = make_user(Role.MANAGER, two_factor=False)
    sign_in(client, manager_person)
    for path in ("/managers-example", "/undeclared-example"):
        assert client.get(path).headers["Location"].startswith("/account/two-factor?next=")
    assert client.get("/members-example").get_data(as_text=True) == "inside"
    set_up_two_factor(client)
    assert client.get("/managers-example").get_data(as_text=True) == "inside"
    post(client, "/logout")
    adviser = make_user()
    sign_in(client, adviser)
    assert client.get("/managers-example").status_code == 200  # advisers are for the view to judge
    post(client, "/logout")
    for path in ("/managers-example", "/undeclared-example", "/members-example"):
        assert client.get(path).headers["Location"].startswith("/login")


def test_managers_made_by_the_kit_sign_in_with_a_code(app, client, make_user):
    manager = make_user(Role.MANAGER)
    assert manager.totp_secret
    sign_in(client, manager)
    assert client.get("/privacy-review").status_code == 200


# An admin resets it for someone who lost their phone --------------------------------------------


def test_an_admin_resets_two_factor_after_asking_first(app, client, admin, make_user, outbox):
    manager = make_user(Role.MANAGER)
    sign_in(client, admin)
    assert "Reset two-factor sign-in" in page_text(client.get(f"/people/{manager.id}"))
    page = client.get(f"/people/{manager.id}/two-factor/reset")
    assert page.status_code == 200 and "lost their phone" in page_text(page)
    response = post(client, f"/people/{manager.id}/two-factor/reset", page=f"/people/{manager.id}")
    assert response.status_code == 302
    assert "two-factor sign-in has been reset" in page_text(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(TwoFactor, manager.id) is None
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "two_factor.reset")).actor_id == admin.id
    assert outbox[-1].to == manager.email and manager.totp_secret not in outbox[-1].text
    # Again: nothing left to reset, said plainly.
    again = post(client, f"/people/{manager.id}/two-factor/reset", page=f"/people/{manager.id}")
    assert "does not use two-factor sign-in" in page_text(client.get(again.headers["Location"]))


def test_only_admins_reset_two_factor(client, make_user, make_team):
    manager = make_user(Role.MANAGER, team_id=make_team())
    target = make_user(two_factor=True)
    sign_in(client, manager)
    assert client.get(f"/people/{target.id}/two-factor/reset").status_code == 403
    assert post(client, f"/people/{target.id}/two-factor/reset", page="/account").status_code == 403
