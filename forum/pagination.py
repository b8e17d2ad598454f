"""Keyset pagination: pages stay as fast on page 1,000 as on page 1 (no OFFSET).

Lists are ordered newest first by (a timestamp, id). A page link carries the key of the
row it starts after ("older") or before ("newer").
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, literal, tuple_

from forum.extensions import db

from forum.timeutil import as_utc

PAGE_SIZE = 30


@dataclass
class Page:
    items: list
    older: str | None  # key for the next page (older items)
    newer: str | None  # key for the previous page (newer items)


def encode(moment: datetime, row_id: int) -> str:
    return f"{as_utc(moment).strftime('%Y%m%dT%H%M%S.%f')}_{row_id}"


def decode(key: str | None) -> tuple[datetime, int] | None:
    """A page key from a URL; None for anything malformed (then the first page is shown)."""
    if not key or len(key) > 40:
        return None
    try:
        stamp, row_id = key.split("_", 1)
        return as_utc(datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f")), int(row_id)
    except ValueError:
        return None


def keyset_page(query: Select, time_column, id_column, older: str | None, newer: str | None,
                size: int = PAGE_SIZE, oldest_first: bool = False, rows: bool = False) -> Page:
    """A page of `query`, newest first (or oldest first, for queues). `older` is the key of
    the next page and `newer` of the previous one, whichever way the list runs. With `rows`,
    the items are the query's rows (a select of columns) instead of its first column."""
    onward, backward = (operator.gt, operator.lt) if oldest_first else (operator.lt, operator.gt)
    forward_order = (time_column.asc(), id_column.asc()) if oldest_first else (time_column.desc(), id_column.desc())
    reverse_order = (time_column.desc(), id_column.desc()) if oldest_first else (time_column.asc(), id_column.asc())
    after, before = decode(older), decode(newer)
    if before and not after:
        query = query.where(_beyond(backward, time_column, id_column, before))
        found = list(_run(query.order_by(*reverse_order), size + 1, rows))
        has_newer = len(found) > size
        found = list(reversed(found[:size]))
        return Page(found, _key(found[-1], time_column, id_column) if found else None,
                    _key(found[0], time_column, id_column) if has_newer and found else None)
    if after:
        query = query.where(_beyond(onward, time_column, id_column, after))
    found = list(_run(query.order_by(*forward_order), size + 1, rows))
    has_older = len(found) > size
    found = found[:size]
    return Page(found, _key(found[-1], time_column, id_column) if has_older and found else None,
                _key(found[0], time_column, id_column) if after and found else None)


def _beyond(compare, time_column, id_column, key: tuple[datetime, int]):
    """A row-value comparison, `(time, id) < (t, i)`: PostgreSQL turns it into an index
    range (the equivalent OR it cannot, and page 1,000 then scans every row before it);
    SQLite understands it too."""
    moment, row_id = key
    return compare(tuple_(time_column, id_column), tuple_(literal(moment, time_column.type), literal(row_id)))


def _run(query: Select, limit: int, rows: bool):
    return (db.session.execute if rows else db.session.scalars)(query.limit(limit))


def _key(row, time_column, id_column) -> str:
    return encode(getattr(row, time_column.key), getattr(row, id_column.key))
