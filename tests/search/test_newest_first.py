"""Search finds the newest matches by walking an index already in date order (migration 0021).

The cap (the newest MAX_RANKED matches) must hold by date whatever order the rows were written
in, replies and posts mixed, and the walk must not sort every match to find them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, text

import forum.search
from forum.accounts.models import User
from forum.extensions import db

NOW = datetime.now(UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ids(page) -> list[tuple[int, int | None]]:
    return sorted(((result.post_id, result.reply_id) for result in page.results), key=lambda pair: (pair[0], pair[1] or 0))


def test_the_cap_keeps_the_newest_by_date_across_posts_and_replies(make_post, make_reply, find, monkeypatch):
    monkeypatch.setattr(forum.search, "MAX_RANKED", 4)
    # Written newest first, so ids run against the dates: an id-ordered walk would keep the oldest.
    newest_post = make_post("Kettle one", published_at=days_ago(1), at=days_ago(1))
    older_post = make_post("Kettle two", published_at=days_ago(30), at=days_ago(30))
    quiet = make_post("Unrelated", published_at=days_ago(40), at=days_ago(40))
    new_reply = make_reply(quiet, "A kettle reply", at=days_ago(2))
    old_reply = make_reply(quiet, "An old kettle reply", at=days_ago(50))
    oldest_post = make_post("Kettle three", published_at=days_ago(60), at=days_ago(60))
    middle_post = make_post("Kettle four", published_at=days_ago(10), at=days_ago(10))

    page = find("kettle")

    assert page.capped
    assert set(ids(page)) == {(newest_post, None), (quiet, new_reply), (middle_post, None), (older_post, None)}
    assert (quiet, old_reply) not in ids(page) and (oldest_post, None) not in ids(page)


def test_a_post_published_later_than_it_was_written_counts_from_its_publication(make_post, find, update, monkeypatch):
    from forum.cases.models import Post

    monkeypatch.setattr(forum.search, "MAX_RANKED", 1)
    draft = make_post("Ladder draft", status="draft", at=days_ago(90))
    make_post("Ladder published", published_at=days_ago(5), at=days_ago(5))
    update(Post, draft, status="published", published_at=days_ago(1))
    assert ids(find("ladder")) == [(draft, None)]


def test_sqlite_document_keys_start_with_the_date(app, make_post, make_reply):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL keys are 2 * id (+ 1): it walks a created_at index instead")
    moment = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    post = make_post("Keyed", published_at=moment, at=moment)
    reply = make_reply(post, "Keyed reply", at=moment + timedelta(seconds=5))
    with app.app_context():
        keys = dict(db.session.execute(text("SELECT reply_id IS NULL, rowid FROM search_documents WHERE post_id = :post"),
                                       {"post": post}).all())
    counted_down = 2 ** 32 - 1 - int(moment.timestamp())
    assert keys[1] == counted_down * 2 ** 31 + 2 * post
    assert keys[0] == (counted_down - 5) * 2 ** 31 + 2 * reply + 1


def test_the_walk_does_not_sort_every_match(app, make_post, reader):
    """The plan of the hits stage: SQLite consumes FTS5's key order (no sort of the matches) and
    reads posts and replies from narrow indexes; PostgreSQL orders by the columns its
    (created_at, id) index holds."""
    for number in range(3):
        make_post(f"Sorting {number}")
    statements = []
    with app.app_context():
        listen = lambda conn, cursor, statement, parameters, context, many: statements.append((statement, parameters))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            forum.search.search(db.session.get(User, reader.id), "sorting")
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        statement, parameters = statements[-1]
        connection = db.session.connection()
        if db.engine.dialect.name == "sqlite":
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            [hits] = [row[0] for row in plan if row[3] == "MATERIALIZE hits"]
            inside = [row[3] for row in plan if row[1] == hits]
            assert any(step.startswith("SCAN search_documents VIRTUAL TABLE") for step in inside)
            assert "USE TEMP B-TREE FOR ORDER BY" not in inside
            # Posts and replies read from their narrow indexes, not their rows (migration 0027).
            assert "SEARCH posts USING COVERING INDEX ix_posts_search_sources (id=? AND status=?)" in inside
            assert "SEARCH replies USING COVERING INDEX ix_replies_search_sources (id=?) LEFT-JOIN" in inside
        else:
            assert "ORDER BY search_documents.created_at DESC, search_documents.id DESC" in statement
            indexes = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_documents_created'").scalars().all()
            assert indexes and indexes[0].endswith("(created_at, id) INCLUDE (theme_ids)")


def test_a_walk_within_a_theme_reads_the_themes_beside_the_date_keys(app, make_theme, make_post, reader):
    """PostgreSQL (migration 0028): within a theme the walk goes down the date index testing the
    themes it holds, then fetches each document in the theme by key; the table is vacuumed
    often enough for that index-only walk to skip the rows."""
    housing = make_theme("Housing")
    make_post("Sorting in a theme", themes=[housing])
    statements = []
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's FTS5 matches the themes in the index itself (test_themes_in_index)")
        listen = lambda conn, cursor, statement, parameters, context, many: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            forum.search.search(db.session.get(User, reader.id), "sorting", theme_ids=[housing])
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        statement = " ".join(statements[-1].split())
        assert "FROM search_documents AS search_walk JOIN search_documents ON search_documents.id = search_walk.id" in statement
        assert "WHERE (search_walk.theme_ids && " in statement
        assert "ORDER BY search_walk.created_at DESC, search_walk.id DESC" in statement
        options = db.session.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'search_documents'")).scalar()
        assert set(options) == {"autovacuum_vacuum_insert_threshold=1000", "autovacuum_vacuum_insert_scale_factor=0"}


def test_migration_0021_rekeys_and_its_downgrade_restores_the_old_keys(app, make_post, make_reply, find):
    post = make_post("Walrus rekeyed", published_at=days_ago(3), at=days_ago(3))
    reply = make_reply(post, "walrus reply")
    with app.app_context():
        db.session.remove()
        downgrade(revision="0020")
        try:
            if db.engine.dialect.name == "sqlite":
                keys = set(db.session.execute(text("SELECT rowid FROM search_documents")).scalars())
                assert keys == {2 * post, 2 * reply + 1}
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
    assert ids(find("walrus")) == [(post, None), (post, reply)]
