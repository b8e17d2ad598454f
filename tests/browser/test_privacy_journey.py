"""Journey: an adviser's case holds a phone number and a name; both are marked in the
preview and publishing is refused; they replace one and clear the other, then publish;
a manager redacts the cleared name, and search no longer finds it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in

SITUATION = "I met Sarah Jones today. Her number is 07700 900123 and she wants warehouse work."



def test_privacy_journey(page, live_server, adviser, make_user, make_theme, check_accessibility, browser):
    check = check_accessibility
    make_theme("Housing")
    sign_in(page, live_server, adviser)
    page.goto(live_server.url + "/write/case")
    page.get_by_label("Title").fill("Warehouse shifts and childcare")
    page.get_by_label("The situation").fill(SITUATION)
    page.get_by_label("What I would like help with").fill("Which employers offer school-hours shifts?")
    page.get_by_label("Housing").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#privacy-check").get_by_role("heading", name="Check these possible personal details")).to_be_visible()
    box = page.locator("[data-privacy-box=situation]")
    expect(box.locator("mark", has_text="07700 900123")).to_be_visible()
    expect(box.locator("mark", has_text="Sarah Jones")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Publish case").click()
    expect(page).to_have_title("Error: Write a case – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Check the possible personal details")
    check(page)

    page.get_by_role("button", name="Replace with “[phone removed]”").click()
    expect(page.get_by_label("The situation", exact=True)).to_have_value(
        "I met Sarah Jones today. Her number is [phone removed] and she wants warehouse work.")
    page.get_by_label("Or keep it, because (possible name, 1 in “The situation”)").select_option("fictional")
    check(page)
    page.get_by_role("button", name="Publish case").click()
    expect(page.get_by_role("status")).to_contain_text("Your case is published")
    case_url = page.url

    manager_page = browser.new_context().new_page()
    sign_in(manager_page, live_server, make_user("manager", name="The.Manager"))
    manager_page.get_by_role("link", name=re.compile("^Manage")).click()
    manager_page.get_by_role("link", name="Privacy review").click()
    check(manager_page)
    manager_page.get_by_role("link", name="Remove this possible name").click()
    check(manager_page)
    manager_page.get_by_label("Why are you removing this?").fill("A real first name and surname")
    manager_page.get_by_role("button", name="Remove it for good").click()
    expect(manager_page.get_by_role("status")).to_contain_text("has been removed")
    check(manager_page)

    manager_page.goto(live_server.url + "/search?q=%22Sarah+Jones%22")
    expect(manager_page.get_by_text("Nothing matches")).to_be_visible()
    page.goto(case_url)
    expect(page.get_by_text("Part of this post was removed")).to_be_visible()
    expect(page.locator(".prose").first).to_contain_text("[removed]")
    check(page)
