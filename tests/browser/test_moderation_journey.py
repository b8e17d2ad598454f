"""Journey: an adviser flags a case as "may identify someone"; it disappears for a second
adviser; a manager finds it in the review queue, removes the identifying words and restores
it; the author reads what was done and why; the audit log says each step in words."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in

TITLE = "Rent arrears after a change of hours"


def test_moderation_journey(page, live_server, make_user, make_post, check_accessibility, browser):
    check = check_accessibility
    author = make_user(name="Ava.Author")
    flagger = make_user(name="Fin.Flagger")
    peer = make_user(name="Pat.Peer")
    manager = make_user("manager", name="Max.Manager")
    post_id = make_post(TITLE, author=author, situation="She rents a flat on Quayside Road above the bakery.",
                        ask="How do I help with the arrears?")
    case_url = f"{live_server.url}/posts/{post_id}"

    # An adviser flags it.
    sign_in(page, live_server, flagger)
    page.goto(case_url)
    page.get_by_role("link", name="Flag this case for a manager").click()
    check(page)
    page.get_by_role("button", name="Send flag to a manager").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose why you are flagging this")
    check(page)
    page.get_by_label("May identify someone").check()
    page.get_by_label("Anything a manager should know").fill("The street and the shop are named")
    page.get_by_role("button", name="Send flag to a manager").click()
    expect(page.get_by_role("status")).to_contain_text("hidden from other advisers")

    # It disappears for a second adviser.
    peer_page = browser.new_context().new_page()
    sign_in(peer_page, live_server, peer)
    peer_page.goto(live_server.url + "/posts")
    expect(peer_page.get_by_text(TITLE)).to_have_count(0)
    assert peer_page.goto(case_url).status == 404

    # A manager reviews it: removes the words, then restores it.
    manager_page = browser.new_context().new_page()
    sign_in(manager_page, live_server, manager)
    manager_page.get_by_role("link", name=re.compile("^Manage")).click()
    manager_page.get_by_role("link", name=re.compile("Review queue")).click()
    expect(manager_page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    check(manager_page)
    manager_page.get_by_role("link", name=TITLE).click()
    expect(manager_page.get_by_text("The street and the shop are named")).to_be_visible()
    check(manager_page)
    manager_page.get_by_label("Part of the text").select_option("situation")
    manager_page.get_by_label("Text to remove").fill("Quayside Road")
    manager_page.locator("#redact-reason").fill("A street name")
    manager_page.get_by_role("button", name="Remove this text for good").click()
    expect(manager_page.get_by_role("status")).to_contain_text("removed")
    check(manager_page)
    manager_page.locator("form", has=manager_page.get_by_role("button", name="Restore")).get_by_label("Reason").fill(
        "The identifying street is removed")
    manager_page.get_by_role("button", name="Restore").click()
    expect(manager_page.get_by_role("status")).to_contain_text("‘Rent arrears after a change…’ is visible again")

    # The second adviser sees it again, without the street.
    peer_page.goto(case_url)
    expect(peer_page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(peer_page.get_by_text("She rents a flat on [removed] above the bakery.")).to_be_visible()

    # The author reads what was done and why, not by whom.
    author_page = browser.new_context().new_page()
    sign_in(author_page, live_server, author)
    author_page.goto(case_url)
    notes = author_page.locator(".moderation-notes")
    expect(notes).to_contain_text("Part of the text removed")
    expect(notes).to_contain_text("A street name")
    expect(notes).to_contain_text("Restored")
    expect(author_page.get_by_text("Max.Manager")).to_have_count(0)
    check(author_page)

    # The audit log shows each step.
    manager_page.get_by_role("link", name=re.compile("^Manage")).click()
    manager_page.get_by_role("link", name="Audit log").click()
    table = manager_page.get_by_role("table")
    for words in (f"Fin.Flagger flagged the case ‘{TITLE}’", f"The forum hid the case ‘{TITLE}’ after an urgent flag",
                  f"Max.Manager removed part of the text of the case ‘{TITLE}’",
                  f"Max.Manager restored the case ‘{TITLE}’"):
        expect(table).to_contain_text(words)
    check(manager_page)
