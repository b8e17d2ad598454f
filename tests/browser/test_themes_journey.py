"""Journey: a line manager looks after the themes: creates, renames, archives and restores
one, then merges it into another. Every page passes axe."""

from __future__ import annotations

from playwright.sync_api import expect

from forum.accounts.models import Role
from tests.browser.helpers import enter_code_if_asked
from tests.conftest import TEST_PASSWORD


def sign_in(page, server, check, email, password, person=None):
    page.goto(server.url + "/login")
    check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    enter_code_if_asked(page, server, person)


def create_theme(page, name, description):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Description (optional)").fill(description)
    page.get_by_role("button", name="Create theme").click()
    expect(page.get_by_role("status")).to_contain_text(f"The theme “{name}” has been created")


def test_manager_looks_after_themes(page, live_server, make_user, make_team, check_accessibility):
    check = check_accessibility
    manager = make_user(Role.MANAGER, team_id=make_team(), name="Morgan.Manager", email="morgan@example.org")
    sign_in(page, live_server, check, manager.email, TEST_PASSWORD, person=manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan.Manager")

    page.goto(live_server.url + "/themes")
    expect(page).to_have_title("Themes – Adviser forum")
    expect(page.get_by_text("There are no themes yet.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Manage themes").click()
    expect(page).to_have_title("Manage themes – Adviser forum")
    check(page)

    # Bad input first: a clear message, focus on the summary, what was typed kept.
    page.get_by_label("Description (optional)").fill("Money worries and arrears.")
    page.get_by_role("button", name="Create theme").click()
    expect(page).to_have_title("Error: Manage themes – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the theme")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Description (optional)")).to_have_value("Money worries and arrears.")
    check(page)

    create_theme(page, "Debt", "Money worries and arrears.")
    create_theme(page, "Money and debt", "Budgeting, debts and the help available.")
    expect(page.get_by_role("cell", name="/themes/debt", exact=True)).to_be_visible()
    check(page)

    # Rename: the address stays.
    page.get_by_role("link", name="Debt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit theme: Debt")
    check(page)
    page.get_by_label("Name", exact=True).fill("Debts")
    page.get_by_role("button", name="Save theme").click()
    expect(page.get_by_role("status")).to_contain_text("The theme “Debts” has been saved")
    expect(page.get_by_role("link", name="/themes/debt", exact=True)).to_be_visible()
    check(page)

    # Archive asks first, then restore.
    page.get_by_role("link", name="Archive theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive “Debts”?")
    check(page)
    page.get_by_label("Reason (optional)").fill("Covered by Money and debt")
    page.get_by_role("button", name="Archive theme").click()
    expect(page.get_by_role("status")).to_contain_text("has been archived")
    check(page)
    page.get_by_role("button", name="Restore theme").click()
    expect(page.get_by_role("status")).to_contain_text("has been restored")
    check(page)

    # Merge: a confirmation page that says what will happen; forgetting to choose is explained.
    page.get_by_role("link", name="Merge into another theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge “Debts” into another theme")
    expect(page.get_by_text("this cannot be undone")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Merge themes").click()
    expect(page).to_have_title("Error: Merge Debts into another theme – Adviser forum")
    expect(page.get_by_role("alert")).to_contain_text("Choose the theme to merge into")
    check(page)
    page.get_by_label("Theme to merge into").select_option(label="Money and debt")
    page.get_by_role("button", name="Merge themes").click()
    expect(page.get_by_role("status")).to_contain_text("“Debts” has been merged into “Money and debt”")
    expect(page.get_by_role("cell", name="Merged into “Money and debt”")).to_be_visible()
    check(page)

    page.goto(live_server.url + "/themes")
    expect(page.get_by_role("link", name="Money and debt")).to_be_visible()
    expect(page.get_by_role("link", name="Debts")).to_have_count(0)
    check(page)
