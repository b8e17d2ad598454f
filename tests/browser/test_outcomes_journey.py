"""Journey: four weeks after publishing a case, its author is asked "What happened next?";
they open the notification, record that the jobseeker started work, and turn the case into
a story, which they publish; at a desktop width and a phone's."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum import events
from forum.extensions import db
from forum.outcomes import services
from forum.timeutil import in_zone, utcnow
from tests.browser.helpers import fill_date, sign_in


def _shot(page, name: str, width: int) -> None:
    if os.environ.get("FORUM_SCREENSHOTS") == "1":
        page.screenshot(path=f"/tmp/outcomes-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_outcome_journey(page, live_server, adviser, make_post, make_theme, check_accessibility, width):
    check = check_accessibility
    page.set_viewport_size({"width": width, "height": 900})
    published = utcnow() - timedelta(weeks=4, hours=2)
    case_id = make_post("Childcare stops an early start", author=adviser, at=published, themes=[make_theme("Childcare")],
                        situation="A parent was offered a job starting at 8am.", tried_md="We found a breakfast club.")
    with live_server.app.test_request_context():
        assert services.send_followups() == 1
        db.session.commit()
        events.release()

    sign_in(page, live_server, adviser)
    page.goto(live_server.url + "/notifications")
    check(page)
    page.get_by_role("button", name="What happened next? Tell us about your case “Childcare stops an early start”",
                     exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record what happened next")
    expect(page.get_by_text("You are answering the 4-week follow-up.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Save outcome update").click()  # nothing chosen: refused clearly
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one thing that happened")
    check(page)
    page.get_by_label("Started work", exact=True).check()
    page.get_by_label("More confident").check()
    fill_date(page, "When did it happen", in_zone(utcnow()).date())
    page.get_by_label("Note (optional)").fill("Started in a warehouse; the breakfast club made the 8am start possible.")
    _shot(page, "record", width)
    page.get_by_role("button", name="Save outcome update").click()
    expect(page.get_by_role("status")).to_contain_text("Your outcome update is saved")
    timeline = page.locator("#outcomes")
    expect(timeline.get_by_text("Started work")).to_be_visible()
    expect(timeline.get_by_text("the breakfast club made the 8am start possible")).to_be_visible()
    _shot(page, "case", width)
    check(page)

    page.get_by_role("button", name="Turn into a story").click()
    expect(page.get_by_label("Title")).to_have_value("Childcare stops an early start")
    expect(page.get_by_label("What worked")).to_have_value("We found a breakfast club.")
    expect(page.get_by_label("Started work", exact=True)).to_be_checked()
    check(page)
    page.get_by_role("button", name="Publish story").click()
    expect(page.get_by_role("status")).to_contain_text("Your story is published")
    page.get_by_role("link", name="This story grew from a case: Childcare stops an early start").click()
    expect(page.get_by_role("link", name="Read the story this case became")).to_be_visible()
    check(page)
