"""Migration 0018 adds the learning record's tables and its downgrade removes them,
on SQLite and PostgreSQL alike."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from forum.extensions import db

TABLES = {"reflections", "learning_goals", "learning_goal_themes", "learning_shares"}


def test_the_learning_tables_come_and_go_with_the_migration(app):
    with app.app_context():
        db.session.remove()
        downgrade(revision="0014")
        try:
            assert TABLES.isdisjoint(inspect(db.engine).get_table_names())
        finally:
            upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
