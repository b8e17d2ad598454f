"""Journey: an adviser who has already hidden three items today flags a fourth as "may identify
someone": it is queued, not hidden, and their confirmation does not say "hidden". A manager finds
the urgent items first in the queue (the one only queued among them), sees that this person's
flags are hiding many items, opens their flag history, reads what each decision does, and hides
the item: the message names it. Axe at 1280 and 390 px on each page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from forum.accounts.models import User
from forum.extensions import db
from forum.moderation import services as moderation
from tests.browser.helpers import sign_in

FOURTH = "Client afraid of losing benefits"
WIDTHS = (1280, 390)


def check_at_widths(page, check):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_flagging_over_the_limit_and_the_urgent_first_queue(page, live_server, make_user, make_post, browser,
                                                            check_accessibility):
    app = live_server.app
    author = make_user(name="Ava.Author")
    flagger = make_user(name="Fin.Flagger")
    other = make_user(name="Olly.Other")
    manager = make_user("manager", name="Max.Manager")
    older = make_post("Inaccurate advice on sanctions", author=author, situation="Old advice.", ask="Still right?")
    hidden = [make_post(f"Hidden case {index}", author=author, situation="Text.", ask="Help?") for index in range(3)]
    fourth = make_post(FOURTH, author=author, situation="She lives above the bakery on the corner.",
                       ask="How do I help?")
    with app.app_context():
        moderation.flag(db.session.get(User, other.id), "post", older, "inaccurate", "Out of date")
        for post_id in hidden:  # the flagger's three hides for today
            assert moderation.flag(db.session.get(User, flagger.id), "post", post_id, "identifies", "").hid
        db.session.commit()

    # The flagger flags a fourth: queued, not hidden, and not told why.
    sign_in(page, live_server, flagger)
    page.goto(f"{live_server.url}/posts/{fourth}")
    page.get_by_role("link", name="Flag this case for a manager").click()
    check_at_widths(page, check_accessibility)
    page.get_by_label("May identify someone").check()
    page.get_by_role("button", name="Send flag to a manager").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Thank you: a manager will review it.")
    expect(status).not_to_contain_text("hidden")
    expect(page.get_by_role("heading", name=FOURTH, level=1)).to_be_visible()  # back on it: still up
    check_at_widths(page, check_accessibility)

    # The manager's queue: urgent first (the one only queued among them), then the oldest.
    manager_page = browser.new_context().new_page()
    sign_in(manager_page, live_server, manager)
    manager_page.goto(live_server.url + "/moderation/queue")
    titles = manager_page.locator(".review-item__title").all_inner_texts()
    assert titles == ["Hidden case 0", "Hidden case 1", "Hidden case 2", FOURTH, "Inaccurate advice on sanctions"], titles
    queued = manager_page.locator(".review-item", has=manager_page.get_by_role("link", name=FOURTH))
    expect(queued).to_contain_text("Urgent, not hidden: advisers still see it")
    expect(queued).to_contain_text("their flags keep 3 items hidden")
    check_at_widths(manager_page, check_accessibility)

    # The flagger's history: managers only.
    queued.get_by_role("link", name="Fin.Flagger's flag history").click()
    expect(manager_page.get_by_role("heading", name="Flags by Fin.Flagger", level=1)).to_be_visible()
    expect(manager_page.get_by_role("table")).to_contain_text("Hidden case 2")
    check_at_widths(manager_page, check_accessibility)

    # Each decision says what it does; hiding names the item.
    manager_page.goto(live_server.url + "/moderation/queue")
    manager_page.get_by_role("link", name=FOURTH).click()
    hide = manager_page.get_by_role("button", name="Hide", exact=True)
    expect(hide).to_have_accessible_description(re.compile("Hide it from everyone but its author"))
    expect(manager_page.get_by_role("button", name="Dismiss the flags")).to_have_accessible_description(
        re.compile("The flags were unfounded"))
    check_at_widths(manager_page, check_accessibility)
    manager_page.get_by_label("Reason").first.fill("Names the bakery on the corner")
    hide.click()
    expect(manager_page.get_by_role("status")).to_contain_text("‘Client afraid of losing…’ is hidden from advisers.")
    check_at_widths(manager_page, check_accessibility)
