"""Fixtures for the theme tests: a line manager, and what the tests read back from the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.cases.models import post_themes
from forum.extensions import db
from forum.themes.models import Theme
from tests.factories import in_app


@pytest.fixture
def manager(make_user, make_team):
    return make_user(Role.MANAGER, team_id=make_team(), name="TheManager", email="manager@example.org")


def tags(app) -> set[tuple[int, int]]:
    """Every (post id, theme id) pair in post_themes."""
    with in_app(app):
        return {tuple(row) for row in db.session.execute(select(post_themes.c.post_id, post_themes.c.theme_id))}


def theme_row(app, theme_id: int) -> tuple:
    with in_app(app):
        theme = db.session.get(Theme, theme_id)
        return theme.name, theme.slug, theme.description, theme.archived, theme.merged_into_id


def user(user_id: int) -> User:
    """The person as a session object, inside an app context."""
    return db.session.get(User, user_id)
