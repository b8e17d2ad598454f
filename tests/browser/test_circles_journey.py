"""Journey: a facilitator creates a circle with a fortnightly schedule and invites two
advisers; one nominates a case, the facilitator puts it on the agenda, the other RSVPs."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import fill_date, sign_in



def test_circle_journey(page, live_server, make_user, make_post, check_accessibility, browser):
    check = check_accessibility
    facilitator, first, second = make_user(name="Fay.Facilitator"), make_user(name="Ash.Adviser"), make_user(name="Bo.Adviser")
    make_post("Confidence after redundancy", author=second, situation="x", ask="y")

    sign_in(page, live_server, facilitator)
    page.get_by_role("link", name="Circles").click()
    check(page)
    page.get_by_role("link", name="Start a circle").click()
    check(page)
    page.get_by_label("Name").fill("Thursday consultancy")
    page.get_by_label("Purpose").fill("Fortnightly case consultation.")
    page.get_by_label("Who can join").select_option("invite")
    page.get_by_role("button", name="Start circle").click()
    expect(page.get_by_role("status")).to_contain_text("is ready")
    check(page)
    circle_url = page.url

    page.get_by_role("link", name="Set a schedule").click()
    check(page)
    page.get_by_label("How often").select_option("fortnightly")
    fill_date(page, "Date of the first meeting", date.today() + timedelta(days=3))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Duration in minutes").fill("0")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("alert")).to_contain_text("between 1 minute and 8 hours")
    check(page)
    page.get_by_label("Duration in minutes").fill("60")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("status")).to_contain_text("next 12 weeks")
    for name in ("Ash.Adviser", "Bo.Adviser"):
        page.get_by_label("Display name of the person to invite").fill(name)
        page.get_by_role("button", name="Invite to the circle").click()
        expect(page.get_by_role("status")).to_contain_text("has been invited")
    check(page)

    ash = browser.new_context().new_page()
    sign_in(ash, live_server, first)
    ash.goto(circle_url)
    ash.get_by_role("button", name="Accept the invitation").click()
    ash.get_by_role("region", name="Meetings").get_by_role("link").first.click()  # the first meeting
    expect(ash.get_by_role("heading", name="Agenda")).to_be_visible()
    check(ash)
    ash.get_by_label("Case to discuss").select_option(label="Confidence after redundancy")
    ash.get_by_label("Why this case? (optional)").fill("We all see this.")
    ash.get_by_role("button", name="Nominate case").click()
    expect(ash.get_by_role("status")).to_contain_text("nomination is sent")
    meeting_url = ash.url

    page.goto(meeting_url)
    page.get_by_role("button", name="Accept Confidence after redundancy").click()
    expect(page.get_by_role("status")).to_contain_text("on the agenda")
    check(page)

    bo = browser.new_context().new_page()
    sign_in(bo, live_server, second)
    bo.goto(circle_url)
    bo.get_by_role("button", name="Accept the invitation").click()
    bo.goto(meeting_url)
    bo.get_by_label("Will you be there?").select_option("going")
    bo.get_by_role("button", name="Save your answer").click()
    expect(bo.get_by_text("Bo.Adviser: Going")).to_be_visible()
    expect(bo.get_by_role("link", name="Confidence after redundancy")).to_be_visible()
    check(bo)
