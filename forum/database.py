"""Database engine behaviour that SQLAlchemy leaves to us.

SQLite runs with foreign keys on, WAL (readers never block the writer) and a busy
timeout. Transactions that will write begin with BEGIN IMMEDIATE, so two writers queue
on the lock instead of one failing when it tries to upgrade a read lock. A POST that only asks
(`reads_only`) begins as a reader: it need not wait for, or hold up, anyone writing.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine

from forum.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Each connection's page cache (SQLite's default is 2 MB). Every page missing from it is read
#: with a system call; at the benchmark's full scale the post page and search spent 5 ms a
#: request in the kernel at 2 MB (issue 19). A worker holds one connection at a time.
SQLITE_CACHE_KB = 16_384


def _sqlite_from_hint(_compiler, _table, text: str) -> str:
    return text


# SQLAlchemy renders a FROM hint (`select().with_hint(table, text, "sqlite")`) only for the
# databases whose hints its dialects know; SQLite's is `INDEXED BY <index>` after the table.
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def reads_only(view):
    """Marks a POST view that writes nothing (its form asks a question, as similar cases
    does): put it just below `@bp.route`. On SQLite its transaction begins as a reader."""
    view.reads_only = True
    return view


def rows(statement, parameters: dict | None = None):
    """The rows of a select of columns (no ORM objects), in the session's transaction but
    without the ORM's work per statement (its events and result set-up: about a tenth of a
    millisecond each, on pages that run several; issue 19)."""
    return db.session.connection().execute(statement, parameters)


def wants_write_transaction() -> bool:
    """Write transactions are those of unsafe requests and of everything outside a request."""
    if not has_request_context():
        return True
    if request.method in SAFE_METHODS:
        return g.get("write_transaction", False)
    return not getattr(current_app.view_functions.get(request.endpoint), "reads_only", False)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take transaction control from the driver so we can choose the BEGIN we need.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if wants_write_transaction() else "BEGIN"
        )
