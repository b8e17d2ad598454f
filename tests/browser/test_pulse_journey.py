"""Journeys for issue 16's later parts: the pulse answered by members after a meeting, the
facilitator's figure once 5 answered and the pulse closed; a drifting member and "Send a
note"; the go round advanced by keyboard, followed on a member's live page; who is coming
updated in place. Zero axe violations at 1280 and 390 px on every page touched."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus, Attendance, Meeting, MeetingStatus, Presence
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _both_sizes(page, check):
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        check(page)
    page.set_viewport_size(DESKTOP)


def _finished(live_server, make_user, make_circle, make_meeting, people=5):
    facilitator = make_user(name="Fay.Pulse")
    members = [make_user(name=f"Member{number}.Pulse") for number in range(people)]
    circle_id = make_circle("Pulse circle", facilitator=facilitator, members=members)
    meeting_id = make_meeting(circle_id, utcnow() - timedelta(hours=2), status=MeetingStatus.FINISHED,
                              started_at=utcnow() - timedelta(hours=2), finished_at=utcnow() - timedelta(hours=1))
    with live_server.app.app_context():
        for person in members:
            db.session.add(Attendance(meeting_id=meeting_id, user_id=person.id, status=Presence.PRESENT))
        db.session.commit()
    return facilitator, members, circle_id, meeting_id


def test_members_answer_the_pulse_and_the_facilitator_sees_the_figure_once_closed(
        page, browser, live_server, make_user, make_circle, make_meeting, check_accessibility):
    facilitator, members, _circle_id, meeting_id = _finished(live_server, make_user, make_circle, make_meeting)
    summary = f"{live_server.url}/meetings/{meeting_id}/summary"
    for number, (person, useful) in enumerate(zip(members, ("3", "4", "4", "5", "5"))):
        other = browser.new_context().new_page()
        sign_in(other, live_server, person)
        other.goto(summary)
        useful_group = other.get_by_role("group", name="How useful was this session for your work? (optional)")
        expect(useful_group).to_contain_text("nobody sees your answer")
        if number == 0:
            _both_sizes(other, check_accessibility)
            # A value outside the scale (as a tampered form would send) is refused at its field, nothing lost.
            other.evaluate("document.querySelector('input[name=usefulness]').value = '6'")
            other.locator("input[name=usefulness]").first.check()
            other.get_by_label("Anything you would like your facilitator to hear? (optional)").fill("Kept words")
            other.get_by_role("button", name="Send my answer").click()
            expect(other.locator(".error-summary")).to_contain_text("Choose a number from 1 to 5")
            expect(other.get_by_label("Anything you would like your facilitator to hear? (optional)")).to_have_value("Kept words")
            expect(other).to_have_title("Error: Pulse circle: meeting summary – Adviser forum")
            _both_sizes(other, check_accessibility)
            useful_group = other.get_by_role("group", name="How useful was this session for your work? (optional)")
        useful_group.get_by_label(useful, exact=False).first.check()
        other.get_by_role("group", name="How are you doing at work at the moment? (optional)").get_by_label("3").check()
        other.get_by_role("button", name="Send my answer").click()
        expect(other.get_by_text("Thank you: your answer is saved, without your name.")).to_be_visible()
        expect(other.get_by_role("button", name="Send my answer")).to_have_count(0)
        other.context.close()

    sign_in(page, live_server, facilitator)
    page.goto(summary)
    expect(page.locator("#pulse")).to_contain_text("Figures appear once it closes")
    with live_server.app.app_context():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(
            finished_at=utcnow() - timedelta(days=8), ends_at=utcnow() - timedelta(days=8),
            starts_at=utcnow() - timedelta(days=8, hours=1)))
        db.session.commit()
    page.reload()
    expect(page.locator("[data-pulse-figure]")).to_contain_text("4.2 out of 5")
    expect(page.locator("#pulse")).not_to_contain_text("How are you doing")
    _both_sizes(page, check_accessibility)


def test_a_facilitator_sends_a_note_to_a_drifting_member(page, browser, live_server, make_user, make_circle, make_meeting,
                                                        check_accessibility):
    facilitator, drifter, regular = make_user(name="Fay.Note"), make_user(name="Dee.Drifter"), make_user(name="Reg.Ular")
    circle_id = make_circle("Note circle", facilitator=facilitator, members=[drifter, regular])
    with live_server.app.app_context():
        for days in (14, 7):
            meeting = Meeting(circle_id=circle_id, starts_at=utcnow() - timedelta(days=days),
                              ends_at=utcnow() - timedelta(days=days) + timedelta(hours=1), status=MeetingStatus.FINISHED)
            db.session.add(meeting)
            db.session.flush()
            db.session.add(Attendance(meeting_id=meeting.id, user_id=drifter.id, status=Presence.ABSENT))
            db.session.add(Attendance(meeting_id=meeting.id, user_id=regular.id, status=Presence.PRESENT))
        db.session.commit()
    sign_in(page, live_server, facilitator)
    page.goto(f"{live_server.url}/circles/{circle_id}")
    panel = page.locator("#drifting")
    expect(panel).to_contain_text("Dee.Drifter has missed the last two meetings")
    expect(panel).not_to_contain_text("Reg.Ular")
    _both_sizes(page, check_accessibility)
    panel.get_by_role("link", name="Send a note to Dee.Drifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a note to Dee.Drifter")
    page.get_by_role("button", name="Send the note").click()
    expect(page.locator(".error-summary")).to_contain_text("Write a few words")
    _both_sizes(page, check_accessibility)
    page.get_by_label("Your note").fill("We have missed you at the circle. Come back whenever suits you.")
    page.get_by_role("button", name="Send the note").click()
    expect(page.get_by_text("Your note is sent to Dee.Drifter.")).to_be_visible()

    member = browser.new_context().new_page()
    sign_in(member, live_server, drifter)
    member.goto(f"{live_server.url}/notifications")
    member.get_by_role("button", name="Your facilitator in Note circle sent you a note", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Notes from your facilitators")
    expect(member.locator("main")).to_contain_text("We have missed you at the circle.")
    _both_sizes(member, check_accessibility)
    member.context.close()


def test_go_round_advances_by_keyboard_and_the_member_page_follows(page, browser, live_server, make_user, make_circle,
                                                                   make_post, make_meeting, check_accessibility):
    facilitator = make_user(name="Fay.Round")
    members = [make_user(name=name) for name in ("Ash.Round", "Bo.Round", "Cy.Round")]
    circle_id = make_circle("Round circle", facilitator=facilitator, members=members)
    post_id = make_post("Shift patterns", author=members[0], circle_id=circle_id, situation="x", ask="y")
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(minutes=5))
    with live_server.app.app_context():
        db.session.add(AgendaItem(meeting_id=meeting_id, post_id=post_id, nominated_by_id=members[0].id,
                                  status=AgendaStatus.ACCEPTED, position=1))
        db.session.commit()
    run_url = f"{live_server.url}/meetings/{meeting_id}/run"
    sign_in(page, live_server, facilitator)
    page.goto(run_url)
    page.get_by_role("button", name="Start the meeting").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-run-phase]")).to_be_visible()

    member = browser.new_context().new_page()
    sign_in(member, live_server, members[1])
    member.goto(run_url)
    expect(member.get_by_role("status").filter(has_text="You are marked present")).to_be_visible()

    turn_on = page.get_by_role("button", name="Turn on go round (speaking order)")
    turn_on.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Go round: who speaks next")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off go round")).to_be_focused()
    first = page.locator("[data-next-speaker] strong").inner_text()
    expect(page.locator("li[aria-current=step]")).to_contain_text(first)
    # The member's page redraws with the order by itself.
    expect(member.locator("[data-next-speaker]")).to_contain_text(first, timeout=5000)
    _both_sizes(page, check_accessibility)

    heard_next = page.get_by_role("button", name="Heard: next speaker")
    heard_next.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-next-speaker] strong")).not_to_have_text(first)
    expect(page.get_by_role("button", name="Heard: next speaker")).to_be_focused()
    second = page.locator("[data-next-speaker] strong").inner_text()
    expect(page.locator("[data-heard-person]", has_text=first).locator("[data-heard-label]")).to_have_text("heard")
    # The member's live page follows, without a reload.
    expect(member.locator("[data-next-speaker] strong")).to_have_text(second, timeout=5000)
    expect(member.locator("li[aria-current=step]")).to_contain_text(second)
    _both_sizes(member, check_accessibility)
    member.context.close()


def test_who_is_coming_updates_in_place(page, live_server, make_user, make_circle, make_meeting, check_accessibility):
    facilitator, member = make_user(name="Fay.Count"), make_user(name="Mo.Count")
    circle_id = make_circle("Count circle", facilitator=facilitator, members=[member])
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(days=2))
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/")
    panel = page.locator(f"#meeting-{meeting_id}")
    expect(panel.locator(f"[data-coming='{meeting_id}']")).to_have_text("0 coming")
    yes = panel.get_by_role("button", name="Yes")
    yes.focus()
    page.keyboard.press("Enter")
    expect(panel.locator(f"[data-coming='{meeting_id}']")).to_have_text("1 coming")
    expect(yes).to_be_focused()
    panel.get_by_role("button", name="No").click()
    expect(panel.locator(f"[data-coming='{meeting_id}']")).to_have_text("0 coming")
    page.goto(f"{live_server.url}/circles/{circle_id}")
    page.locator(".next-meeting").get_by_role("button", name="Yes").click()
    expect(page.locator(f"[data-coming='{meeting_id}']")).to_have_text("1 person: Mo.Count")
    _both_sizes(page, check_accessibility)
