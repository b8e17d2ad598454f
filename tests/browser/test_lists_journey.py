"""Journey: the latest list leads with posts. On a wide screen the theme filter is a side
column and the first posts show without scrolling; on a phone it is a closed disclosure that
says how many themes are chosen, with one column of checkboxes."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import sign_in

SCREENSHOTS = Path("/tmp") if os.environ.get("FORUM_SCREENSHOTS") == "1" else None
THEMES = ("Housing", "Debt and money", "Health", "Childcare", "Confidence", "Transport", "Digital skills",
          "Language", "Caring duties", "Criminal record", "Disability", "Benefits", "Training", "Self-employment",
          "Young people", "Older workers", "Refugees", "Veterans", "Mental health", "Job search")


def test_the_latest_list_leads_with_posts(page, live_server, adviser, make_theme, make_post, check_accessibility):
    ids = [make_theme(name) for name in THEMES]
    for number in range(5):
        make_post(f"Case number {number} about work", themes=ids[:2], situation="Something happened.")
    sign_in(page, live_server, adviser)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/posts")
    first = page.get_by_role("link", name="Case number 4 about work")
    box = first.bounding_box()
    assert box["y"] + box["height"] < 800, box
    filters = page.get_by_role("group", name="Show posts in all of these themes")
    expect(filters).to_be_visible()
    assert filters.bounding_box()["x"] < box["x"]  # a side column, beside the list
    check_accessibility(page)
    if SCREENSHOTS:
        page.screenshot(path=SCREENSHOTS / "latest-1280.png")

    page.get_by_label("Housing").check()
    page.get_by_label("Debt and money").check()
    page.get_by_role("button", name="Filter posts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Housing")

    page.set_viewport_size({"width": 390, "height": 844})
    toggle = page.get_by_text("Filter by theme (2 chosen)")
    expect(toggle).to_be_visible()
    expect(filters).to_be_hidden()
    box = page.get_by_role("link", name="Case number 4 about work").bounding_box()
    assert box["y"] + box["height"] < 844, box
    toggle.click()
    expect(filters).to_be_visible()
    housing, debt = page.get_by_label("Housing").bounding_box(), page.get_by_label("Debt and money").bounding_box()
    assert housing["x"] == debt["x"]  # one column
    check_accessibility(page)
    if SCREENSHOTS:
        page.screenshot(path=SCREENSHOTS / "latest-390.png", full_page=True)
