"""Fixtures for the theme tests: a line manager, themes and posts made straight in the database."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from flask import has_app_context
from sqlalchemy import insert, select

from forum.accounts.models import Role, User
from forum.cases.models import Post, PostKind, Status, post_themes
from forum.extensions import db
from forum.themes.models import Theme


def in_app(app):
    """The current app context when a test is inside one (so one session, no lock waits), else a new one."""
    return nullcontext() if has_app_context() else app.app_context()


@pytest.fixture
def manager(make_user, make_team):
    return make_user(Role.MANAGER, team_id=make_team(), name="TheManager", email="manager@example.org")


@pytest.fixture
def make_theme(app):
    """`make_theme("Housing", archived=True)` returns the new theme's id."""

    def make(name: str, description: str = "", slug: str | None = None, archived: bool = False,
             merged_into_id: int | None = None) -> int:
        with in_app(app):
            theme = Theme(name=name, slug=slug or name.lower().replace(" ", "-"), description=description,
                          archived=archived, merged_into_id=merged_into_id)
            db.session.add(theme)
            db.session.commit()
            return theme.id

    return make


@pytest.fixture
def make_post(app):
    """`make_post(theme_id, ...)` creates a published case tagged with those themes; returns its id."""
    author: list[int] = []

    def make(*theme_ids: int, title: str = "A case") -> int:
        with in_app(app):
            if not author:
                person = User(email="author@example.org", display_name="PostAuthor",
                              display_name_key="postauthor", password_hash="-", role=Role.ADVISER)
                db.session.add(person)
                db.session.flush()
                author.append(person.id)
            post = Post(kind=PostKind.CASE, title=title, author_id=author[0], status=Status.PUBLISHED)
            db.session.add(post)
            db.session.flush()
            if theme_ids:
                db.session.execute(insert(post_themes), [{"post_id": post.id, "theme_id": theme_id}
                                                         for theme_id in theme_ids])
            db.session.commit()
            return post.id

    return make


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
