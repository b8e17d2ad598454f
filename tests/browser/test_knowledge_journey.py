"""Journey (issue 21): an adviser starts writing a case, sees a similar story beside the form,
opens it in a new tab without losing the draft, and publishes; an adviser who offered help
with the theme is sent the case once it has waited 48 hours, replies, and the author marks
that reply "what helped"; at a desktop width and a phone's, with no axe violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from forum import events
from forum.cases.models import Post
from forum.extensions import db
from forum.knowledge import routing
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in


@pytest.mark.parametrize("width", [1280, 390])
def test_knowledge_journey(page, live_server, adviser, make_user, make_theme, make_post, check_accessibility, browser,
                           width):
    check = check_accessibility
    housing = make_theme("Housing", "Somewhere to live.")
    make_theme("Debt and money", "Money worries.")
    storyteller = make_user(name="Story.Teller")
    make_post("Rent arrears paid off with a discretionary housing payment", kind="story", author=storyteller,
              themes=[housing], situation="Rent arrears after a new job.", what_worked_md="A DHP application.")
    helper = make_user(name="Helpful.Helper")

    # The helper offers help with Housing on their account page.
    helper_page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(helper_page, live_server, helper)
    helper_page.goto(live_server.url + "/account")
    helper_page.get_by_role("link", name="Change what you can help with").click()
    expect(helper_page.get_by_role("heading", level=1)).to_have_text("I can help with")
    helper_page.get_by_label("I can help other advisers with cases in these themes").check()
    helper_page.get_by_label("Housing").check()
    helper_page.get_by_label("How many years you have advised (optional)").fill("100")
    helper_page.get_by_role("button", name="Save what you can help with").click()
    expect(helper_page.get_by_role("alert")).to_contain_text("Enter a whole number of years from 0 to 60")
    check(helper_page)
    helper_page.get_by_label("How many years you have advised (optional)").fill("8")
    helper_page.get_by_role("button", name="Save what you can help with").click()
    expect(helper_page.get_by_role("status")).to_contain_text("What you can help with is saved")
    check(helper_page)

    # The author starts writing: the similar story appears beside the form as they type.
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, adviser)
    page.goto(live_server.url + "/write/case")
    page.get_by_label("Title").fill("Rent arrears after starting a new job")
    page.get_by_label("Housing").check()
    panel = page.get_by_role("complementary", name="Others have written about this")
    if width < 1000:  # a closed disclosure on a phone
        panel.get_by_text("Others have written about this").click()
    story_link = panel.get_by_role("link", name="Rent arrears paid off with a discretionary housing payment (opens in a new tab)")
    expect(story_link).to_be_visible(timeout=5000)
    expect(panel).to_contain_text("Success story · Housing")
    check(page)
    with page.context.expect_page() as opened:
        story_link.click()
    story = opened.value
    story.wait_for_load_state()
    expect(story.get_by_role("heading", level=1)).to_have_text("Rent arrears paid off with a discretionary housing payment")
    story.close()
    expect(page.get_by_label("Title")).to_have_value("Rent arrears after starting a new job")  # the draft is still here
    page.get_by_label("The situation").fill("Arrears built up in the first month of a new job.")
    page.get_by_label("What I would like help with").fill("How did others handle the landlord?")
    page.get_by_role("button", name="Publish case").click()
    expect(page.get_by_role("status")).to_contain_text("Your case is published")
    check(page)
    case_url = page.url

    # 48 hours later with no reply, the cron sweep sends it to the helper.
    with live_server.app.test_request_context():
        post_id = db.session.scalar(select(Post.id).where(Post.title == "Rent arrears after starting a new job"))
        db.session.execute(update(Post).where(Post.id == post_id).values(published_at=utcnow() - timedelta(hours=49)))
        db.session.commit()
        assert routing.route_unanswered() == 1
        db.session.commit()
        events.release()

    helper_page.goto(live_server.url + "/notifications")
    check(helper_page)
    helper_page.get_by_role("button", name="No one has answered “Rent arrears after starting a new job” yet: can you help?",
                            exact=True).click()
    expect(helper_page.get_by_role("heading", level=1)).to_have_text("Rent arrears after starting a new job")
    helper_page.get_by_label("Your reply").fill("Ask the landlord for a repayment plan, and apply for a DHP.")
    helper_page.get_by_role("button", name="Post reply").click()
    expect(helper_page.get_by_role("status")).to_contain_text("Your reply is posted")

    # The author marks the reply "what helped": it shows first under the case.
    page.goto(case_url)
    page.get_by_role("button", name="Mark as what helped (reply 1)").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as what helped")
    what_helped = page.locator("#what-helped")
    expect(what_helped).to_contain_text("Ask the landlord for a repayment plan")
    check(page)
    page.goto(live_server.url + "/posts")
    expect(page.locator(".post-summary", has_text="Rent arrears after starting a new job")).to_contain_text("What helped")
    check(page)
