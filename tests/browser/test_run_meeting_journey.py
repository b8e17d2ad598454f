"""Journey, two browsers at once: the facilitator starts the meeting and moves on a phase;
the member's page follows without a reload; the facilitator marks the member heard, ends
the meeting, and the summary reply appears on the case's thread."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus
from forum.timeutil import utcnow
from tests.browser.helpers import fill_date, sign_in



def test_run_meeting_journey(page, live_server, make_user, make_circle, make_post, make_meeting, check_accessibility,
                             browser):
    check = check_accessibility
    facilitator, member = make_user(name="Fay.Facilitator"), make_user(name="Mo.Member")
    circle_id = make_circle("Live circle", facilitator=facilitator, members=[member])
    post_id = make_post("Shift patterns and childcare", author=member, circle_id=circle_id, situation="x", ask="y")
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(minutes=5))
    with live_server.app.app_context():
        db.session.add(AgendaItem(meeting_id=meeting_id, post_id=post_id, nominated_by_id=member.id,
                                  status=AgendaStatus.ACCEPTED, position=1))
        db.session.commit()

    sign_in(page, live_server, facilitator)
    page.goto(f"{live_server.url}/meetings/{meeting_id}/run")
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.locator("[data-run-phase]")).to_have_text("Presenter's overview and focus question")
    check(page)

    other = browser.new_context().new_page()
    sign_in(other, live_server, member)
    other.goto(f"{live_server.url}/meetings/{meeting_id}/run")
    expect(other.locator("[data-run-phase]")).to_have_text("Presenter's overview and focus question")
    expect(other.get_by_text("You are telling")).to_be_visible()
    check(other)

    page.get_by_role("button", name="Next phase").click()
    expect(page.locator("[data-run-phase]")).to_have_text("Clarifying questions, facts only")
    # The member's page follows by itself (polling every 2.5 s), no reload.
    expect(other.locator("[data-run-phase]")).to_have_text("Clarifying questions, facts only", timeout=5000)

    heard_row = page.locator("[data-heard-person]", has_text="Mo.Member")
    expect(heard_row).to_contain_text("not heard yet")
    heard_row.get_by_role("button", name="Mark heard").click()
    expect(page.locator("[data-heard-person]", has_text="Mo.Member")).to_contain_text("heard")
    expect(other.locator("[data-heard-person]", has_text="Mo.Member").locator("[data-heard-label]")).to_have_text("heard", timeout=5000)

    page.get_by_label("Notes for the circle").fill("They will ask about school-hours shifts.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_role("status").first).to_contain_text("notes are saved")
    page.get_by_label("Action", exact=True).fill("Share the list of family-friendly employers")
    page.get_by_label("Who will do it").select_option(label="Mo.Member")
    fill_date(page, "Due date (optional)", date.today() + timedelta(days=7))
    page.get_by_role("button", name="Record action point").click()
    check(page)

    page.get_by_role("link", name="End meeting").click()
    check(page)
    page.get_by_label("Learning points").fill("A short trial shift lowers the stakes.")
    page.get_by_role("button", name="End meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary: Live circle")
    expect(page.get_by_text("A short trial shift lowers the stakes.")).to_be_visible()
    check(page)

    page.goto(f"{live_server.url}/posts/{post_id}")
    expect(page.locator(".reply").first).to_contain_text("Circle discussion summary")
    expect(page.locator(".reply").first).to_contain_text("They will ask about school-hours shifts.")
    check(page)
    # The member's open run page notices the end by itself and shows it.
    expect(other.get_by_text("The meeting has ended")).to_be_visible(timeout=8000)
    other.goto(live_server.url + "/")
    expect(other.get_by_text("Share the list of family-friendly employers")).to_be_visible()
    check(other)
