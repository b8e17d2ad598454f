"""Steps the journeys share."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD


def sign_in(page, server, person, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
