"""Journey: after a circle meeting, the adviser writes a private reflection from its summary,
sets a learning goal, downloads their record as a PDF with that reflection, shares it with
their manager, the manager opens it, and the adviser revokes it; axe finds nothing at a
desktop width and a phone's."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pypdf
import pytest
from playwright.sync_api import expect

from forum.accounts.models import Role
from forum.extensions import db
from forum.meetings.models import Attendance, MeetingStatus, Presence
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in


def _shot(page, name: str, width: int) -> None:
    if os.environ.get("FORUM_SCREENSHOTS") == "1":
        page.screenshot(path=f"/tmp/learning-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_learning_journey(browser, live_server, make_user, make_team, make_theme, make_circle, make_meeting,
                          check_accessibility, width):
    check = check_accessibility
    team = make_team("Northgate")
    adviser = make_user(name="Łukasz Ŵyn", email="lukasz@example.org", team_id=team)
    facilitator = make_user(name="Fay.Facilitator", team_id=team)
    manager = make_user(Role.MANAGER, name="Morgan.Manager", team_id=team)
    make_theme("Confidence")
    circle = make_circle("Tuesday case circle", facilitator=facilitator, members=[adviser])
    started = utcnow() - timedelta(days=1)
    meeting = make_meeting(circle, started, minutes=60, status=MeetingStatus.FINISHED,
                           started_at=started, finished_at=started + timedelta(minutes=75))
    with live_server.app.app_context():
        db.session.add(Attendance(meeting_id=meeting, user_id=adviser.id, status=Presence.PRESENT))
        db.session.commit()

    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, adviser)
    page.goto(f"{live_server.url}/meetings/{meeting}/summary")
    expect(page.get_by_role("heading", name="What did you take from this session?")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Reflect on this meeting").click()
    check(page)
    page.get_by_label("What did you take from this?").fill("x" * 20_001)  # over the limit: refused, kept
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("alert")).to_contain_text("Keep this to 20,000 characters or fewer")
    expect(page.get_by_label("What did you take from this?")).to_have_value("x" * 20_001)
    check(page)
    page.get_by_label("What did you take from this?").fill("Silence gives people room to think.")
    page.get_by_label("What will you try?").fill("Count to five before I speak.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("status")).to_contain_text("Your reflection is saved")
    _shot(page, "reflection", width)
    check(page)

    page.goto(f"{live_server.url}/learning/goals/new")
    page.get_by_label("Your goal").fill("Hold the silence in case discussions")
    page.get_by_label("Confidence").check()
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("status")).to_contain_text("Your goal is saved")
    expect(page.get_by_text("Hold the silence in case discussions", exact=True)).to_be_visible()
    expect(page.locator('[data-total="meetings"]')).to_have_text("1")
    expect(page.locator('[data-total="hours"]')).to_have_text("1.2")
    _shot(page, "record", width)
    check(page)

    page.get_by_role("checkbox", name="the Tuesday case circle meeting", exact=False).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "Łukasz Ŵyn" in text and "Silence gives people room to think." in text and "Hold the silence" in text

    page.get_by_role("link", name="Share with a manager").click()
    check(page)
    page.get_by_role("button", name="Share with this manager").click()  # nothing chosen: refused clearly
    expect(page.get_by_role("alert")).to_contain_text("Choose a manager from the list")
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one part of your record")
    check(page)
    page.get_by_label("Manager to share with").select_option(label="Morgan.Manager")
    page.get_by_label("Totals").check()
    page.get_by_label("Reflections").check()
    page.get_by_role("button", name="Share with this manager").click()
    expect(page.get_by_role("status")).to_contain_text("Your record is shared")
    check(page)

    boss_context = browser.new_context(viewport={"width": width, "height": 900})
    boss = boss_context.new_page()
    sign_in(boss, live_server, manager)
    boss.goto(f"{live_server.url}/learning/shared")
    check(boss)
    boss.get_by_role("link", name="Łukasz Ŵyn", exact=False).click()
    expect(boss.get_by_role("heading", level=1)).to_have_text("Learning record: Łukasz Ŵyn")
    expect(boss.get_by_text("Silence gives people room to think.")).to_be_visible()
    expect(boss.get_by_text("Hold the silence")).to_have_count(0)  # goals were not shared
    _shot(boss, "shared", width)
    check(boss)
    shared_url = boss.url

    page.get_by_role("button", name="Revoke the share with Morgan.Manager").click()
    expect(page.get_by_role("status")).to_contain_text("The share is revoked")
    check(page)
    assert boss.goto(shared_url).status == 404
    boss_context.close()
    context.close()
