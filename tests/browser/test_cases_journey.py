"""Journey: an adviser writes a case with two themes, previews and publishes it; another
adviser finds it by theme and replies; the author marks the reply helpful and resolves
the case with an outcome update."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.browser.helpers import fill_date, sign_in


def test_case_journey(page, live_server, adviser, make_user, make_theme, check_accessibility, browser):
    check = check_accessibility
    make_theme("Housing", "Somewhere to live.")
    make_theme("Debt and money", "Money worries.")
    sign_in(page, live_server, adviser)
    check(page)
    page.get_by_role("link", name="Write a case").first.click()
    expect(page).to_have_title("Write a case – Adviser forum")
    check(page)
    # Publishing without the focus question fails clearly and keeps the text.
    page.get_by_label("Title").fill("Rent arrears are stopping job search")
    page.get_by_label("The situation").fill("A jobseeker is **behind on rent** and cannot focus on applications.")
    page.get_by_label("Housing").check()
    page.get_by_label("Debt and money").check()
    page.get_by_role("button", name="Publish case").click()
    expect(page).to_have_title("Error: Write a case – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Say what you would like help with")
    expect(page.get_by_label("The situation")).to_have_value("A jobseeker is **behind on rent** and cannot focus on applications.")
    check(page)
    page.get_by_label("What I have tried").fill("Referred to the council's debt advice.")
    page.get_by_label("What I would like help with").fill("How do you keep momentum while debt advice takes weeks?")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".preview strong")).to_have_text("behind on rent")
    check(page)
    page.get_by_role("button", name="Publish case").click()
    expect(page.get_by_role("status")).to_contain_text("Your case is published")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rent arrears are stopping job search")
    check(page)
    case_url = page.url

    peer = make_user(name="Peer.Adviser")
    other = browser.new_context().new_page()
    sign_in(other, live_server, peer)
    other.goto(live_server.url + "/")
    other.get_by_role("searchbox", name="Search the forum").fill("arrears momentum")
    other.get_by_role("button", name="Search", exact=True).click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Search")
    expect(other.locator(".search-results mark").first).to_be_visible()
    check(other)
    expect(other.get_by_role("link", name="Rent arrears are stopping job search")).to_be_visible()
    other.goto(live_server.url + "/posts")
    check(other)
    other.get_by_role("link", name="Housing").first.click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Housing")
    check(other)
    other.get_by_role("link", name="Rent arrears are stopping job search").click()
    other.get_by_label("Your reply").fill("Agree a small weekly goal that fits around the advice appointments.")
    other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_role("status")).to_contain_text("Your reply is posted")
    check(other)

    page.goto(case_url)
    page.get_by_role("button", name="Mark as helpful reply 1").click()
    expect(page.get_by_text("1 person found this helpful")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Marked as helpful.")
    assert page.url.endswith("#reply-" + page.url.split("reply=")[1].split("#")[0])
    page.get_by_role("link", name="Record what happened next").click()
    page.get_by_label("Started work").check()
    fill_date(page, "When did it happen", date.today())
    page.get_by_label("Note (optional)").fill("They started a part-time role while the debt plan was agreed.")
    page.get_by_label("The challenge in this case is resolved").check()
    page.get_by_role("button", name="Save outcome update").click()
    expect(page.get_by_role("status")).to_contain_text("Your outcome update is saved")
    expect(page.get_by_role("heading", name="What happened next")).to_be_visible()
    expect(page.get_by_text("Case · Resolved")).to_be_visible()
    check(page)
    page.goto(live_server.url + "/posts?view=resolved")
    expect(page.get_by_role("link", name="Rent arrears are stopping job search")).to_be_visible()
    check(page)
