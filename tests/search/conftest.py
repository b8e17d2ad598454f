"""Helpers for the search tests: a reader, changes made the way a service would, and searching.

Posts and replies come from tests/factories.py (`make_post`, `make_reply`), written by `author`."""

from __future__ import annotations

import pytest

from forum.accounts.models import User
from forum.extensions import db
from forum.search import search


@pytest.fixture
def reader(make_user):
    return make_user(name="Reader")


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

