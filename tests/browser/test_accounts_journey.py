"""Journeys: an admin invites someone, who joins, signs out and mistypes their password;
a person resets a forgotten password; an admin deactivates someone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import enter_code_if_asked
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "river stones and quiet mornings"


def sign_in(page, server, check, email, password, person=None):
    page.goto(server.url + "/login")
    expect(page).to_have_title("Sign in – Adviser forum")
    check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    enter_code_if_asked(page, server, person)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def last_link(server, pattern):
    return re.search(pattern, server.outbox()[-1].text).group(0)


def test_invitation_journey(page, live_server, admin, check_accessibility):
    check = check_accessibility
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, live_server, check, admin.email, TEST_PASSWORD, person=admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, TheAdmin")
    check(page)

    page.get_by_role("link", name=re.compile("^Manage")).click()
    page.get_by_role("link", name="Invitations").click()
    expect(page).to_have_title("Invitations – Adviser forum")
    check(page)
    # Bad input first: a clear message, focus on the summary, the typed value kept.
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title("Error: Invitations – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Enter an email address in the right format")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_value("not an email")
    check(page)

    page.get_by_label("Email address").fill("sam.new@example.org")
    page.get_by_label("Role").select_option("adviser")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to sam.new@example.org")
    expect(page.get_by_role("cell", name="sam.new@example.org", exact=True)).to_be_visible()
    check(page)
    link = last_link(live_server, r"http://[^/\s]+/invite/\S+")
    sign_out(page)
    check(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the adviser forum")
    check(page)
    page.get_by_label("Display name").fill("Sam.New")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("Display name")).to_have_value("Sam.New")
    check(page)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam.New")
    expect(page.get_by_role("status")).to_have_text("Your account is ready: you are signed in.")
    check(page)

    page.get_by_role("link", name="Your account").click()
    check(page)
    sign_out(page)

    sign_in(page, live_server, check, "sam.new@example.org", "not my password at all")
    expect(page).to_have_title("Error: Sign in – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value("sam.new@example.org")
    check(page)

    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam.New")
    # A used invitation link explains itself.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    check(page)
    # Nothing is fetched from anywhere but the forum itself: no CDN, no analytics.
    assert requested and all(url.startswith(live_server.url) for url in requested)


def test_password_reset_journey(page, live_server, adviser, check_accessibility):
    check = check_accessibility
    page.goto(live_server.url + "/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    check(page)
    page.get_by_label("Email address").fill(adviser.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If there is an account for that email address")
    link = last_link(live_server, r"http://[^/\s]+/reset/\S+")
    page.goto(link)
    check(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    sign_in(page, live_server, check, adviser.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, AnAdviser")


def test_admin_manages_a_person(page, live_server, admin, adviser, check_accessibility):
    check = check_accessibility
    sign_in(page, live_server, check, admin.email, TEST_PASSWORD, person=admin)
    page.get_by_role("link", name=re.compile("^Manage")).click()
    page.get_by_role("link", name="People", exact=True).click()
    check(page)
    page.get_by_label("Search by display name or email address").fill("adviser@")
    page.get_by_role("button", name="Search people").click()
    page.get_by_role("link", name="AnAdviser").click()
    check(page)
    page.get_by_label("Role", exact=True).select_option("manager")
    page.get_by_role("button", name="Save role and team").click()
    expect(page.get_by_role("status")).to_contain_text("role and team have been saved")
    page.get_by_role("link", name="Deactivate account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate AnAdviser?")
    check(page)
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("Deactivated: cannot sign in")).to_be_visible()
    check(page)
    page.goto(live_server.url + "/people/999999")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check(page)
