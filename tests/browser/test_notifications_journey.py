"""Journey: adviser A posts a case; adviser B replies and mentions A; A sees the bell's
count, opens the notification and lands on the reply."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in



def test_notification_journey(page, live_server, make_user, make_theme, check_accessibility, browser):
    check = check_accessibility
    make_theme("Interview skills")
    author, helper = make_user(name="Avery.Author"), make_user(name="Blake.Helper")
    sign_in(page, live_server, author)
    page.goto(live_server.url + "/write/case")
    page.get_by_label("Title").fill("Nerves in panel interviews")
    page.get_by_label("The situation").fill("A jobseeker prepares well but freezes in front of a panel.")
    page.get_by_label("What I would like help with").fill("How do you practise panel interviews?")
    page.get_by_label("Interview skills").check()
    page.get_by_role("button", name="Publish case").click()
    expect(page.get_by_role("status")).to_contain_text("Your case is published")
    case_url = page.url

    other = browser.new_context().new_page()
    sign_in(other, live_server, helper)
    other.goto(case_url)
    other.get_by_label("Your reply").fill("@Avery.Author we run mock panels with three colleagues.")
    other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_role("status")).to_contain_text("Your reply is posted")

    page.goto(live_server.url + "/")
    bell = page.get_by_role("link", name=re.compile(r"Notifications 1 unread"))
    expect(bell).to_be_visible()
    check(page)
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    check(page)
    page.get_by_role("button", name="Blake.Helper mentioned you in “Nerves in panel interviews”", exact=True).click()
    expect(page).to_have_url(re.compile(r"/posts/\d+\?reply=\d+#reply-\d+$"))
    expect(page.locator(".mention")).to_have_text("@Avery.Author")
    expect(page.get_by_role("link", name=re.compile(r"Notifications 1 unread"))).to_have_count(0)
    check(page)
    page.get_by_role("link", name="Your account").click()
    page.goto(live_server.url + "/account/notifications")
    check(page)
    page.goto(live_server.url + "/following")
    expect(page.get_by_role("link", name="Nerves in panel interviews")).to_be_visible()
    check(page)
