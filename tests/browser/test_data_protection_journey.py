"""Journey: an adviser exports their data (the readable page, then the JSON file) and erases
their account; afterwards their case shows "Former member" and they cannot sign in."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.conftest import TEST_PASSWORD


def test_an_adviser_exports_their_data_and_erases_their_account(page, live_server, make_user, make_post, browser,
                                                                 check_accessibility):
    check = check_accessibility
    adviser = make_user(name="Rowan.Leaving", email="rowan.leaving@example.org")
    reader = make_user(name="Sky.Staying")
    for title, anonymous in (("Childcare before shifts", False), ("A quiet worry", True)):
        make_post(title, author=adviser, situation="Situation.", anonymous=anonymous)

    sign_in(page, live_server, adviser)
    page.get_by_role("link", name="Your account").click()
    check(page)
    page.get_by_role("link", name="Export your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export your data")
    check(page)

    page.get_by_label("A page to read in your browser").check()
    page.get_by_role("button", name="Export your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("A quiet worry")).to_be_visible()  # anonymous posts are theirs too
    expect(page.get_by_text("rowan.leaving@example.org")).to_be_visible()
    check(page)

    page.goto(live_server.url + "/account/export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export your data").click()  # JSON is the default
    data = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert {post["title"] for post in data["sections"]["posts"]} == {"Childcare before shifts", "A quiet worry"}

    page.goto(live_server.url + "/account")
    page.get_by_role("link", name="Erase your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase your account?")
    check(page)
    # A wrong password first: a clear message, focus on the summary, nothing erased.
    page.get_by_label("Your password").fill("not the right password")
    page.get_by_role("button", name="Erase my account").click()
    expect(page).to_have_title("Error: Erase your account – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Your password is not right")
    expect(page.locator(".error-summary")).to_be_focused()
    check(page)
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been erased")
    check(page)

    # Gone for good: the old session is refused and so is the password.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/login?next=/")
    sign_in(page, live_server, adviser)
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")

    other = browser.new_context().new_page()
    sign_in(other, live_server, reader)
    other.goto(live_server.url + "/posts")
    expect(other.get_by_text("Childcare before shifts")).to_be_visible()
    expect(other.get_by_text("Former member")).to_be_visible()
    expect(other.get_by_text("Rowan.Leaving")).to_have_count(0)
    check(other)
