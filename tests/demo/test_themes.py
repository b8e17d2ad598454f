"""The demo themes: seeding twice adds nothing, and a theme a manager already made is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.demo import themes as demo
from forum.extensions import db
from forum.themes import services
from forum.themes.models import Theme


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def actor(ctx, make_user, make_team):
    manager = make_user(Role.MANAGER, team_id=make_team(), name="TheManager", email="manager@example.org")
    return db.session.get(User, manager.id)


def test_seed_is_idempotent(ctx):
    first = demo.seed_themes()
    db.session.commit()
    assert len(first) == len(demo.THEMES) == 20
    assert all(theme.description.endswith(".") for theme in first)
    second = demo.seed_themes()
    db.session.commit()
    assert [theme.id for theme in second] == [theme.id for theme in first]
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 20
    assert {theme.slug for theme in first} >= {"mental-health", "universal-credit-and-benefits", "access-to-work"}


def test_seed_keeps_a_theme_a_manager_renamed_by_case(ctx, actor):
    services.create(actor, "MENTAL HEALTH", "Our own words.")
    themes = demo.seed_themes()
    assert themes[0].description == "Our own words."
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 20
