"""Re-authentication before sensitive changes, and the notice email each change sends."""

from __future__ import annotations

import html
import time

import pyotp
import pytest
from sqlalchemy import select

from forum.accounts import reauth
from forum.accounts.models import Role, TwoFactor, User
from forum.extensions import db
from tests.accounts.test_two_factor import RECOVERY_CODE, enter_code, set_up_two_factor, start_sign_in
from tests.conftest import TEST_PASSWORD, fresh_code, post, sign_in


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def confirm(client, password=TEST_PASSWORD, code=None, next_url="/account"):
    data = {"password": password}
    if code is not None:
        data["code"] = code
    return post(client, f"/account/confirm?next={next_url}", data, page="/account/confirm")


def email_of(app, person) -> str:
    with app.app_context():
        return db.session.get(User, person.id).email


@pytest.fixture
def manager(make_user, make_team):
    return make_user(Role.MANAGER, team_id=make_team(), name="Morgan", email="morgan@example.org")


# The confirmation page ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/email", "/account/two-factor/turn-off", "/account/two-factor/recovery-codes"])
def test_sensitive_pages_ask_to_confirm_first(client, manager, path):
    sign_in(client, manager)  # signing in is not a confirmation: the change asks again
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"/account/confirm?next={path}"
    page = client.get(response.headers["Location"])
    assert "Confirm it’s you" in page_text(page) and 'name="code"' in page_text(page)


def test_a_post_without_a_fresh_confirmation_changes_nothing(app, client, adviser, outbox):
    sign_in(client, adviser)
    response = post(client, "/account/email", {"email": "elsewhere@example.org"}, page="/account")
    assert response.status_code == 303 and response.headers["Location"] == "/account/confirm?next=/account/email"
    assert email_of(app, adviser) == adviser.email and not outbox


@pytest.mark.parametrize("password, code, message", [
    ("", None, "Enter your password"),
    ("wrong password here", None, "Your password is not right"),
    (TEST_PASSWORD, "", "Enter the code from your authenticator app"),
    (TEST_PASSWORD, "000000", "Enter a correct code from your authenticator app"),
    (TEST_PASSWORD, "z" * 40, "Enter a code of 6 digits"),
])
def test_confirmation_refuses_bad_input_clearly(client, manager, password, code, message):
    sign_in(client, manager)
    response = confirm(client, password, code, next_url="/account/email")
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "Error: Confirm it’s you" in text
    assert client.get("/account/email").status_code == 302  # still not confirmed


def test_confirmation_needs_a_code_only_when_two_factor_is_on(client, adviser):
    sign_in(client, adviser)
    assert 'name="code"' not in page_text(client.get("/account/confirm"))
    response = confirm(client, next_url="/account/email")
    assert response.status_code == 302 and response.headers["Location"] == "/account/email"
    assert client.get("/account/email").status_code == 200


def test_confirmation_goes_only_to_pages_of_this_site(client, adviser):
    sign_in(client, adviser)
    response = confirm(client, next_url="//evil.example/x")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_confirmation_lasts_five_minutes(client, adviser, monkeypatch):
    sign_in(client, adviser)
    confirm(client)
    assert client.get("/account/email").status_code == 200

    class Later:
        @staticmethod
        def time():
            return time.time() + 5 * 60 + 1

    monkeypatch.setattr(reauth, "time", Later)
    assert client.get("/account/email").status_code == 302


def test_signing_out_ends_the_confirmation(client, adviser):
    sign_in(client, adviser)
    confirm(client)
    post(client, "/logout")
    sign_in(client, adviser)
    assert client.get("/account/email").status_code == 302


def test_wrong_confirmations_are_limited(app, client, adviser):
    sign_in(client, adviser)
    for _ in range(6):
        assert confirm(client, "wrong password here").status_code == 400
    response = confirm(client)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


# Changing the email address ------------------------------------------------------------------


def test_changing_the_email_address_after_confirming_tells_both_addresses(app, client, adviser, outbox):
    sign_in(client, adviser)
    confirm(client)
    response = post(client, "/account/email", {"email": " New.Address@Example.org "}, page="/account/email")
    assert response.status_code == 302
    assert email_of(app, adviser) == "new.address@example.org"
    assert "Your email address is now new.address@example.org" in page_text(client.get("/account"))
    assert sorted(mail.to for mail in outbox) == ["adviser@example.org", "new.address@example.org"]
    for mail in outbox:
        assert "If this was not you" in mail.text and TEST_PASSWORD not in mail.text
    post(client, "/logout")
    assert post(client, "/login", {"email": "new.address@example.org", "password": TEST_PASSWORD}).status_code == 302


@pytest.mark.parametrize("typed, message", [
    ("", "Enter your new email address"),
    ("not an email", "Enter an email address in the right format"),
    ("x" * 250 + "@example.org", "Enter an email address of 254 characters or fewer"),
    ("adviser@example.org", "That is already your email address"),
    ("taken@example.org", "There is already an account for this email address"),
])
def test_changing_the_email_address_refuses_bad_input_clearly(app, client, adviser, make_user, outbox, typed, message):
    make_user(email="taken@example.org")
    sign_in(client, adviser)
    confirm(client)
    response = post(client, "/account/email", {"email": typed}, page="/account/email")
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "Error: Change your email address" in text
    if typed:
        assert f'value="{typed}"' in text
    assert email_of(app, adviser) == adviser.email and not outbox


# Turning two-factor off and replacing recovery codes --------------------------------------------


def test_turning_two_factor_off_needs_the_password_and_a_code_and_sends_a_notice(app, client, manager, outbox):
    sign_in(client, manager)
    assert confirm(client, code=fresh_code(app, manager), next_url="/account/two-factor/turn-off").status_code == 302
    page = client.get("/account/two-factor/turn-off")
    assert page.status_code == 200 and "management pages will ask you to set it up again" in page_text(page)
    response = post(client, "/account/two-factor/turn-off", page="/account/two-factor/turn-off")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TwoFactor, manager.id) is None
    assert outbox[-1].to == manager.email and "turned off" in outbox[-1].subject
    assert manager.totp_secret not in outbox[-1].text
    # A manager without it is sent to set it up again before a management page.
    assert client.get("/privacy-review").headers["Location"].startswith("/account/two-factor")


def test_a_recovery_code_can_confirm_instead_of_the_app(app, client, adviser):
    sign_in(client, adviser)
    _secret, codes = set_up_two_factor(client)
    assert confirm(client, code=codes[0]).status_code == 302
    assert client.get("/account/two-factor/turn-off").status_code == 200


def test_replacing_recovery_codes_makes_the_old_ones_useless(app, client, adviser, outbox):
    sign_in(client, adviser)
    secret, old_codes = set_up_two_factor(client)
    refused = post(client, "/account/two-factor/recovery-codes", page="/account")
    assert refused.status_code == 303
    totp = pyotp.TOTP(secret)
    # The set-up just spent this step's code: the next step's is the one still unused.
    assert confirm(client, code=totp.generate_otp(totp.timecode(time.time()) + 1)).status_code == 302
    page = client.get("/account/two-factor/recovery-codes")
    assert "You have 10 unused recovery codes" in page_text(page)
    response = post(client, "/account/two-factor/recovery-codes", page="/account/two-factor/recovery-codes")
    new_codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert response.status_code == 200 and len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "New recovery codes" in outbox[-1].subject
    assert not any(code in outbox[-1].text for code in new_codes)
    post(client, "/logout")
    start_sign_in(client, adviser)
    assert enter_code(client, old_codes[1]).status_code == 401
    assert enter_code(client, new_codes[1]).status_code == 302


def test_changing_the_password_still_needs_the_current_one(app, client, adviser, outbox):
    sign_in(client, adviser)
    new = "a brand new passphrase 2026"
    response = post(client, "/account/password",
                    {"current_password": "wrong password here", "new_password": new, "confirm": new}, page="/account")
    assert response.status_code == 400 and "Your current password is not right" in page_text(response)
    assert not outbox
    response = post(client, "/account/password",
                    {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new}, page="/account")
    assert response.status_code == 302
    assert "password was changed" in outbox[-1].subject and new not in outbox[-1].text


def test_sign_out_clears_site_data(client, adviser):
    sign_in(client, adviser)
    response = post(client, "/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
