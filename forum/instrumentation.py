"""Opt-in count of SQL statements per request, for the benchmark and for profiling.

With FORUM_COUNT_STATEMENTS=1 in the environment (or COUNT_STATEMENTS in the config), every
response carries `X-Statements`: the statements the request ran, transaction control left out.
Off, nothing is registered and requests pay nothing.
"""

from __future__ import annotations

import os

from flask import Flask, g, has_app_context
from sqlalchemy import event

from forum.extensions import db

HEADER = "X-Statements"
#: Transaction control and connection setup are not the page's queries.
NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


def enabled(app: Flask) -> bool:
    return bool(app.config.get("COUNT_STATEMENTS")) or os.environ.get("FORUM_COUNT_STATEMENTS") == "1"


def count_statements(app: Flask) -> None:
    if not enabled(app):
        return

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)
    app.after_request(_add_header)


def _count(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_app_context() and not statement.lstrip()[:9].upper().startswith(NOT_COUNTED):
        g.statements = g.get("statements", 0) + 1


def _add_header(response):
    response.headers[HEADER] = str(g.get("statements", 0))
    return response
