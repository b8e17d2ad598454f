"""Journey: a line manager opens insights, changes the period and the theme, downloads a
section's CSV and opens the print view; at a desktop width and a phone's, with axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.insights.conftest import known  # noqa: F401 (the organisation with known numbers)


@pytest.mark.parametrize("width", [1280, 390])
def test_insights_journey(page, live_server, known, check_accessibility, width):  # noqa: F811
    check = check_accessibility
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, known["manager"])
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="This week at a glance")).to_be_visible()
    page.get_by_role("link", name="See insights: themes, answers, outcomes, circles and participation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    check(page)

    page.get_by_label("Period", exact=True).select_option("3")
    page.get_by_label("Theme", exact=True).select_option("housing")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".insights-made")).to_contain_text("Housing")
    table = page.get_by_role("table", name="Cases and stories per theme per month")
    expect(table.get_by_role("row", name="Housing")).to_contain_text("7")
    assert page.locator("svg[role=img] title").count() >= 5
    check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the cases and answers figures as CSV").click()
    text = Path(download.value.path()).read_text()
    assert "Theme,Housing" in text and "Cases published" in text

    page.emulate_media(media="print")
    expect(page.locator(".insights-contents")).to_be_hidden()
    expect(page.get_by_role("link", name="Download the themes over time figures as CSV")).to_be_hidden()
    expect(page.locator(".insights-made")).to_contain_text("made")
    check(page)
    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()

    # A period that ends before it starts: explained at the field, the dates kept.
    page.get_by_label("Period", exact=True).select_option("custom")
    for name, (day, month, year) in (("From", ("10", "5", "2026")), ("To", ("1", "1", "2026"))):
        boxes = page.get_by_role("group", name=name, exact=True)
        boxes.get_by_label("Day").fill(day)
        boxes.get_by_label("Month").fill(month)
        boxes.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("alert")).to_contain_text("The end of the period must be the same as or after its start")
    expect(page.get_by_role("group", name="From", exact=True).get_by_label("Day")).to_have_value("10")
    check(page)
