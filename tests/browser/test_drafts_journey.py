"""Journey: with JavaScript, a draft saves itself while the adviser writes; coming back loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def app_config():
    return {"AUTOSAVE_SECONDS": 1}


def test_draft_saves_itself(page, live_server, adviser, check_accessibility):
    page.goto(live_server.url + "/login")
    page.get_by_label("Email address").fill(adviser.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/write/story")
    page.get_by_label("Title").fill("Volunteering led to a paid role")
    page.get_by_label("What worked").fill("A short, supported volunteering placement first.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at", timeout=10_000)
    check_accessibility(page)
    page.get_by_label("The outcome").fill("They were offered hours after six weeks.")
    page.wait_for_timeout(2500)
    page.goto(live_server.url + "/")  # leave the page
    page.get_by_role("link", name="Volunteering led to a paid role").click()
    expect(page.get_by_label("What worked")).to_have_value("A short, supported volunteering placement first.")
    expect(page.get_by_label("The outcome")).to_have_value("They were offered hours after six weeks.")
    check_accessibility(page)
