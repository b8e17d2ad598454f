"""Journeys, two browsers at once: a member waiting on the live page sees the start within
5 s and is marked present by joining; a member who never opens it is not counted present.
Keyboard only: start, next phase twice, mark heard, end, with focus kept on the controls.
Every page at 1280 and 390 px wide, with zero axe violations."""

from __future__ import annotations

import os
from datetime import timedelta

from playwright.sync_api import expect

from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _shot(page, name):
    if os.environ.get("FORUM_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/h16-{name}.png", full_page=False)


def _both_sizes(page, check, name):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        check(page)
        _shot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def _setting(live_server, make_user, make_circle, make_post, make_meeting, minutes_away=5):
    facilitator, member, quiet = make_user(name="Fay.Facilitator"), make_user(name="Mo.Member"), make_user(name="Pat.Quiet")
    circle_id = make_circle("Live circle", facilitator=facilitator, members=[member, quiet])
    post_id = make_post("Shift patterns and childcare", author=member, circle_id=circle_id, situation="x", ask="y")
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(minutes=minutes_away))
    with live_server.app.app_context():
        db.session.add(AgendaItem(meeting_id=meeting_id, post_id=post_id, nominated_by_id=member.id,
                                  status=AgendaStatus.ACCEPTED, position=1))
        db.session.commit()
    return facilitator, member, meeting_id


def test_a_waiting_member_sees_the_start_and_is_marked_present(page, live_server, make_user, make_circle, make_post,
                                                              make_meeting, check_accessibility, browser):
    facilitator, member, meeting_id = _setting(live_server, make_user, make_circle, make_post, make_meeting)
    run_url = f"{live_server.url}/meetings/{meeting_id}/run"

    other = browser.new_context().new_page()
    sign_in(other, live_server, member)
    other.goto(run_url)
    expect(other.get_by_text("The meeting has not started.")).to_be_visible()
    expect(other.get_by_role("link", name="Refresh")).to_be_visible()
    _both_sizes(other, check_accessibility, "waiting")

    sign_in(page, live_server, facilitator)
    page.goto(run_url)
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.locator("[data-run-phase]")).to_have_text("Presenter's overview and focus question")

    # The waiting member's page follows the start by itself, within 5 seconds, and joining
    # records them present (the page sends "I'm here" once).
    expect(other.locator("[data-run-phase]")).to_have_text("Presenter's overview and focus question", timeout=5000)
    expect(other.get_by_role("status").filter(has_text="You are marked present")).to_be_visible()
    _both_sizes(other, check_accessibility, "member-running")

    page.reload()
    attendance = page.locator("#attendance")
    expect(attendance.get_by_role("group", name="Mo.Member").get_by_label("Present")).to_be_checked()
    expect(attendance.get_by_role("group", name="Pat.Quiet").get_by_label("Not recorded")).to_be_checked()
    _both_sizes(page, check_accessibility, "facilitator-running")

    page.get_by_role("link", name="End meeting").click()
    page.get_by_role("button", name="End meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary: Live circle")
    # The facilitator joined by opening the page too; Pat never did.
    expect(page.locator("[data-attendance=present]")).to_have_text("Fay.Facilitator, Mo.Member")
    expect(page.locator("[data-attendance=unknown]")).to_contain_text("Pat.Quiet")
    _both_sizes(page, check_accessibility, "summary")

    # The facilitator corrects the record afterwards: Pat was there after all.
    page.get_by_text("Correct the attendance").click()
    page.get_by_role("group", name="Pat.Quiet").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("[data-attendance=present]")).to_contain_text("Pat.Quiet")


def test_running_the_meeting_by_keyboard_keeps_focus_on_the_controls(page, live_server, make_user, make_circle, make_post,
                                                                    make_meeting, check_accessibility):
    facilitator, _member, meeting_id = _setting(live_server, make_user, make_circle, make_post, make_meeting,
                                                minutes_away=120)
    sign_in(page, live_server, facilitator)
    page.goto(f"{live_server.url}/meetings/{meeting_id}")
    start = page.get_by_role("button", name="Start the meeting")
    start.focus()
    page.keyboard.press("Enter")
    # Two hours early: a confirmation that says when it is scheduled.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start the meeting early?")
    expect(page.get_by_text("is scheduled for")).to_be_visible()
    _both_sizes(page, check_accessibility, "start-early")
    page.get_by_role("button", name="Start the meeting now").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-run-phase]")).to_have_text("Presenter's overview and focus question")

    page.get_by_role("button", name="Next phase").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-run-phase]")).to_have_text("Clarifying questions, facts only")
    expect(page.get_by_role("button", name="Next phase")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-run-phase]")).not_to_have_text("Clarifying questions, facts only")
    expect(page.get_by_role("button", name="Next phase")).to_be_focused()

    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    # On a phone the countdown and the next-phase control stay in view.
    expect(page.locator("[data-countdown]")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Next phase")).to_be_in_viewport()
    _shot(page, "run-phone-scrolled")
    page.set_viewport_size(DESKTOP)

    heard = page.locator("[data-heard-person]", has_text="Mo.Member").get_by_role("button", name="Mark heard")
    heard.focus()
    page.keyboard.press("Enter")
    mark = page.locator("[data-heard-person]", has_text="Mo.Member").get_by_role("button")
    expect(mark).to_contain_text("Mark not heard")
    expect(mark).to_be_focused()

    page.get_by_role("link", name="End meeting").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="End meeting").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary: Live circle")


def test_home_and_the_circle_page_lead_with_the_next_meeting(page, live_server, make_user, make_circle, make_post,
                                                            make_meeting, check_accessibility):
    _facilitator, member, meeting_id = _setting(live_server, make_user, make_circle, make_post, make_meeting,
                                                minutes_away=60 * 26)
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/")
    panel = page.locator(".post-summary", has_text="Live circle")
    expect(panel).to_contain_text("Shift patterns and childcare")
    panel.get_by_role("button", name="Yes").click()
    # Answered in place: the page does not reload, the choice is pressed and announced.
    expect(panel.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    expect(panel.locator("[data-rsvp-status]")).to_have_text("Going")
    _both_sizes(page, check_accessibility, "home")
    page.goto(f"{live_server.url}/circles")
    _both_sizes(page, check_accessibility, "circles")
    page.get_by_role("link", name="Live circle").click()
    expect(page.locator(".next-meeting")).to_contain_text("1 person: Mo.Member")
    page.get_by_role("button", name="I'll come to every meeting").click()
    expect(page.locator(".series-form")).to_contain_text("You are down as coming to every meeting")
    _both_sizes(page, check_accessibility, "circle")
    page.goto(f"{live_server.url}/account/calendar")
    _both_sizes(page, check_accessibility, "calendar")
    page.goto(f"{live_server.url}/meetings/{meeting_id}")
    _both_sizes(page, check_accessibility, "meeting")
    # Choosing a case: a search box narrows the list of cases the member may read.
    page.get_by_label("Search the cases by title").fill("shift child")
    expect(page.get_by_text("1 case matches.")).to_be_visible()
    expect(page.get_by_label("Case to discuss")).to_have_value(str(_post_id(live_server)))
    page.get_by_role("button", name="Nominate case").click()
    expect(page).to_have_title("Error: Live circle: meeting – Adviser forum")
    expect(page.locator(".error-summary")).to_contain_text("already on this meeting's agenda")
    check_accessibility(page)


def _post_id(live_server):
    with live_server.app.app_context():
        return db.session.scalar(db.select(AgendaItem.post_id))
