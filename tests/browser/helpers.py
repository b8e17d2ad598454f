"""Steps the journeys share."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD, fresh_code


def enter_code_if_asked(page, server, person) -> None:
    """Managers and admins made by the kit have two-factor sign-in: type their app's code."""
    if person is None or not person.totp_secret:
        return
    page.wait_for_url("**/login/code**")
    page.get_by_label("Code").fill(fresh_code(server.app, person))
    page.get_by_role("button", name="Continue").click()


def sign_in(page, server, person, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    enter_code_if_asked(page, server, person)


def fill_date(page, label: str, day) -> None:
    """Type a date into the three boxes (day, month, year) of the date field named `label`."""
    boxes = page.get_by_role("group", name=label)
    boxes.get_by_label("Day").fill(str(day.day))
    boxes.get_by_label("Month").fill(str(day.month))
    boxes.get_by_label("Year").fill(str(day.year))
