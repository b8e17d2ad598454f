"""Helpers for the search tests: posts and replies written straight to the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.accounts.models import User
from forum.cases.models import Post, Reply
from forum.extensions import db
from forum.search import search


@pytest.fixture
def author(make_user):
    return make_user(name="Writer")


@pytest.fixture
def reader(make_user):
    return make_user(name="Reader")


@pytest.fixture
def make_post(app, author):
    """A post (published unless told otherwise); returns its id."""

    def make(title: str = "A case", *, status: str = "published", kind: str = "case",
             published_at: datetime | None = None, themes=(), **fields) -> int:
        with app.app_context():
            post = Post(kind=kind, title=title, author_id=author.id, status=status,
                        published_at=published_at or datetime.now(UTC), **fields)
            if themes:
                from forum.themes.models import Theme

                post.themes = [db.session.get(Theme, theme_id) for theme_id in themes]
            db.session.add(post)
            db.session.commit()
            return post.id

    return make


@pytest.fixture
def make_reply(app, author):
    def make(post_id: int, body: str, *, status: str = "published", created_at: datetime | None = None) -> int:
        with app.app_context():
            reply = Reply(post_id=post_id, author_id=author.id, body_md=body, body_html=body, status=status,
                          created_at=created_at or datetime.now(UTC))
            db.session.add(reply)
            db.session.commit()
            return reply.id

    return make


@pytest.fixture
def update(app):
    """Change a post or reply the way a service would: load, set, commit."""

    def change(model, row_id: int, **values) -> None:
        with app.app_context():
            row = db.session.get(model, row_id)
            for name, value in values.items():
                setattr(row, name, value)
            db.session.commit()

    return change


@pytest.fixture
def find(app, reader):
    """Search as the reader: `find("words", kind="case")` -> SearchPage."""

    def run(query, person=None, **options):
        with app.app_context():
            user = db.session.get(User, (person or reader).id)
            return search(user, query, **options)

    return run

