"""Journey: a line manager signs in, is sent to set up two-factor sign-in before the review
queue, sets it up with a code computed here, reaches the queue, then signs in again with
a code and replaces the recovery codes after confirming it is them. Every page passes axe."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import expect

from forum.accounts.models import Role
from tests.browser.helpers import sign_in
from tests.conftest import TEST_PASSWORD


def next_step_code(secret: str) -> str:
    """The code for the next 30 seconds: the one for now may just have been used."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(time.time()) + 1)


def test_manager_sets_up_two_factor_before_the_review_queue(page, live_server, make_user, make_team, check_accessibility):
    check = check_accessibility
    manager = make_user(Role.MANAGER, team_id=make_team(), name="Morgan.Manager", email="morgan@example.org",
                        two_factor=False)
    sign_in(page, live_server, manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan.Manager")

    page.get_by_role("link", name=re.compile("^Manage")).click()
    page.get_by_role("link", name=re.compile("Review queue")).click()
    expect(page).to_have_title("Set up two-factor sign-in – Adviser forum")
    expect(page.get_by_role("status")).to_contain_text("Line managers and admins need two-factor sign-in")
    expect(page.locator(".qr-code-box svg")).to_be_visible()
    check(page)
    secret = page.locator("#secret-key").inner_text().replace(" ", "")

    # A wrong code first: a clear message, focus on the summary, what was typed kept.
    page.get_by_label("Code from your app").fill("12345")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_title("Error: Set up two-factor sign-in – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Enter the 6-digit code")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Code from your app")).to_have_value("12345")
    check(page)

    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    check(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page).to_have_title("Review queue – Adviser forum")
    check(page)

    # Next time: the password, then the code.
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + "/login")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Enter your sign-in code – Adviser forum")
    check(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct code")
    check(page)
    page.get_by_label("Code").fill(codes[0])  # a recovery code works too, once
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan.Manager")

    # Replacing recovery codes asks to confirm it is them.
    page.get_by_role("link", name="Your account").click()
    check(page)
    page.get_by_role("link", name="Get new recovery codes").click()
    expect(page).to_have_title("Confirm it’s you – Adviser forum")
    check(page)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Code").fill(next_step_code(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get new recovery codes?")
    check(page)
    page.get_by_role("button", name="Get new recovery codes").click()
    expect(page.get_by_role("status")).to_contain_text("The old ones no longer work")
    new_codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in new_codes)
    assert "New recovery codes" in live_server.outbox()[-1].subject
