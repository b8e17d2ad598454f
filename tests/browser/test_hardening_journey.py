"""A reset link comes from FORUM_BASE_URL even when the page was reached by another name."""

from __future__ import annotations

import re

from playwright.sync_api import expect

NEW_PASSWORD = "river stones and quiet mornings"


def test_reset_link_uses_the_base_url_not_the_host_the_page_was_reached_at(page, live_server, adviser,
                                                                            check_accessibility):
    other_name = live_server.url.replace("127.0.0.1", "localhost")
    page.goto(other_name + "/reset")
    expect(page).to_have_title("Reset your password – Adviser forum")
    check_accessibility(page)
    page.get_by_label("Email address").fill(adviser.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If there is an account for that email address")
    text = live_server.outbox()[-1].text
    assert "localhost" not in text
    link = re.search(r"http://\S+/reset/\S+", text).group(0)
    assert link.startswith(live_server.url + "/reset/")
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    check_accessibility(page)
