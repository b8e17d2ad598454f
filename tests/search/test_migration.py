"""Migration 0003: it indexes what was already published, and its downgrade leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from forum.extensions import db


def _search_objects() -> set[str]:
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE name LIKE 'search%'"
    else:
        query = """SELECT tablename FROM pg_tables WHERE tablename LIKE 'search%'
                   UNION ALL SELECT indexname FROM pg_indexes WHERE indexname LIKE '%search%'
                   UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'search%'
                   UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE 'search%'"""
    return set(db.session.execute(text(query)).scalars())


def test_downgrade_removes_everything_and_upgrade_indexes_existing_posts(app, author, find):
    with app.app_context():
        assert _search_objects()
        db.session.remove()
        downgrade(revision="0002")
        try:
            assert _search_objects() == set()
            assert not any(name.startswith("search") for name in inspect(db.session.connection()).get_table_names())
            now = datetime.now(UTC)
            values = {"author": author.id, "now": now, "md": ""}
            db.session.execute(text(
                "INSERT INTO posts (id, kind, title, situation_md, situation_html, tried_md, tried_html, ask_md, ask_html,"
                " what_worked_md, what_worked_html, outcome_text_md, outcome_text_html, outcome_update_md,"
                " outcome_update_html, author_id, show_author, status, locked, created_at, published_at,"
                " last_activity_at, reply_count, helpful_count) VALUES"
                " (:id, 'case', :title, :body, :md, :md, :md, :md, :md, :md, :md, :md, :md, :md, :md,"
                " :author, true, :status, false, :now, :now, :now, 0, 0)"),
                [{**values, "id": 1, "title": "Walrus before search", "body": "Published.", "status": "published"},
                 {**values, "id": 2, "title": "Walrus draft", "body": "Not yet.", "status": "draft"}])
            db.session.execute(text(
                "INSERT INTO replies (post_id, author_id, show_author, body_md, body_html, status, created_at, helpful_count)"
                " VALUES (:post, :author, true, 'walrus reply', '', 'published', :now, 0)"),
                [{"post": 1, "author": author.id, "now": now}, {"post": 2, "author": author.id, "now": now}])
            db.session.commit()
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
    assert sorted(result.post_id for result in find("walrus").results) == [1, 1]


def _vector_storage() -> str:
    return db.session.execute(text("SELECT attstorage FROM pg_attribute WHERE attrelid = 'search_documents'::regclass"
                                   " AND attname = 'tsv'")).scalar_one()


def test_postgresql_keeps_vectors_in_their_rows_and_rewrites_existing_ones(app, author, find, make_post):
    """Migration 0025: storage MAIN, so the ranked walk does not read the TOAST table; a
    document written before it still matches after."""
    long_text = " ".join(f"narwhal{number}" for number in range(600))  # a vector past the 2 KB row limit
    before = make_post("Narwhal before", situation=long_text)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("FTS5 keeps its own index: the migration does nothing on SQLite")
        assert _vector_storage() == "m"
        db.session.remove()
        downgrade(revision="0024")
        try:
            assert _vector_storage() == "x"
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        assert _vector_storage() == "m"
    after = make_post("Narwhal after", situation=long_text)
    assert sorted(result.post_id for result in find("narwhal599").results) == [before, after]
