"""Journeys: a colleague called "Siân Evans" is mentioned by her handle, found by typing "@si"
(the autocomplete); and a facilitator types a meeting date in three boxes, forgets the month,
is told so at the field, and fixes it. At a desktop width and a phone's, axe on every step."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in


def _shot(page, name: str, width: int) -> None:
    if os.environ.get("FORUM_SCREENSHOTS") == "1":
        page.screenshot(path=f"/tmp/names-dates-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_mentioning_a_colleague_by_handle_with_the_autocomplete(page, live_server, make_user, make_post,
                                                                  check_accessibility, width):
    page.set_viewport_size({"width": width, "height": 900})
    make_user(name="Siân Evans")
    writer = make_user(name="Wren Writer")
    post_id = make_post("A client with two part-time jobs", author=make_user(name="Ola Author"), ask="Ideas?")
    sign_in(page, live_server, writer)
    page.goto(live_server.url + "/account")
    expect(page.get_by_text("@wren.writer").first).to_be_visible()
    check_accessibility(page)

    page.goto(live_server.url + f"/posts/{post_id}")
    reply = page.get_by_label("Your reply")
    reply.click()
    reply.press_sequentially("Have you asked @si", delay=20)
    option = page.get_by_role("option", name="Siân Evans (@sian.evans)")
    expect(option).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="to mention")).to_have_count(1)
    check_accessibility(page)
    _shot(page, "autocomplete", width)
    reply.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    reply.press("Enter")
    expect(reply).to_have_value("Have you asked @sian.evans ")
    expect(page.get_by_role("listbox")).to_be_hidden()
    reply.press_sequentially("about the taper?")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("strong.mention", has_text="@Siân Evans")).to_be_visible()
    check_accessibility(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_date_in_three_boxes_with_a_clear_error(page, live_server, make_user, make_circle, check_accessibility, width):
    page.set_viewport_size({"width": width, "height": 900})
    facilitator = make_user(name="Fay Facilitator")
    circle = make_circle("Tuesday case circle", facilitator=facilitator)
    start = date.today() + timedelta(days=3)
    sign_in(page, live_server, facilitator)
    page.goto(live_server.url + f"/circles/{circle}/schedule")
    check_accessibility(page)
    dates = page.get_by_role("group", name="Date of the first meeting")
    dates.get_by_label("Day").fill(str(start.day))
    dates.get_by_label("Year").fill(str(start.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Save schedule").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Date must include a month")
    assert page.title().startswith("Error: ")
    expect(dates).to_contain_text("Date must include a month")
    expect(dates.get_by_label("Day")).to_have_value(str(start.day))
    expect(dates.get_by_label("Year")).to_have_value(str(start.year))
    expect(dates.get_by_label("Month")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)
    _shot(page, "date-error", width)
    summary.get_by_role("link", name="Date must include a month").click()
    expect(dates.get_by_label("Day")).to_be_focused()
    dates.get_by_label("Month").fill(str(start.month))
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text("Error:")).to_have_count(0)
    assert "Error" not in page.title()
