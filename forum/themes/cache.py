"""The active themes, kept in each server process between requests.

Every list page offers the theme filter, and themes change a few times a year: each process
keeps them, and asks the database once a request (one primary-key lookup of a short text,
instead of loading every theme) whether they changed. Every write to
`themes` (a service, a factory, a merge: anything flushed through the session) puts a new
token in the `site_settings` row `themes_version` in the same transaction; a process that sees
a token other than the one it loaded with loads the themes again. So a change made on one
server shows on every other server's next request. (Checking once a second instead would save
that lookup too, but would make the statements a page runs depend on the clock.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app, g, has_app_context
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.settings import SiteSetting
from forum.themes.models import Theme

VERSION_KEY = "themes_version"
#: Plain Core on the table, built once: the cheapest statement SQLAlchemy runs.
_VERSION = select(SiteSetting.__table__.c.value).where(SiteSetting.__table__.c.key == VERSION_KEY)

_CACHE = "forum_themes_cache"
_CHANGED = "forum_themes_changed"


@dataclass(frozen=True, eq=False)
class ActiveTheme:
    """What pages show of an active theme. Equal to the `Theme` row with the same id, so a
    template can ask whether a cached theme is among the ones a query chose."""

    id: int
    slug: str
    name: str
    description: str

    def __eq__(self, other) -> bool:
        if isinstance(other, (ActiveTheme, Theme)):
            return other.id == self.id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class _Kept:
    version: str | None
    themes: tuple[ActiveTheme, ...]


def active_themes() -> list[ActiveTheme]:
    """The active themes by name: this process's copy, once the database's version (one
    primary-key lookup, at most once a request) says it is still current."""
    if _writing_themes(db.session):
        return list(_load())  # this transaction's own changes, not yet anyone else's
    kept = current_app.extensions.get(_CACHE)
    if kept is None or "forum_themes_checked" not in g:
        # The version first, then the themes: a change committed in between is loaded again next time.
        version = db.session.execute(_VERSION).scalar()
        if kept is None or kept.version != version:
            kept = _Kept(version, _load())
            current_app.extensions[_CACHE] = kept  # one assignment: threads see the old copy or the new
        g.forum_themes_checked = True
    return list(kept.themes)


def _load() -> tuple[ActiveTheme, ...]:
    query = (select(Theme.id, Theme.slug, Theme.name, Theme.description)
             .where(Theme.archived.is_(False), Theme.merged_into_id.is_(None))
             .order_by(func.lower(Theme.name), Theme.id))
    return tuple(ActiveTheme(*row) for row in db.session.execute(query))


def _writing_themes(session) -> bool:
    # Cheap: the session tracks its new, changed and deleted objects apart from the rest.
    return bool(session.info.get(_CHANGED)) or any(
        isinstance(row, Theme) for row in (*session.new, *session.dirty, *session.deleted))


def forget() -> None:
    """This process loads the themes afresh on its next request."""
    if has_app_context():
        current_app.extensions.pop(_CACHE, None)


# Every write to themes moves the version --------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _note_theme_writes(session: Session, _context, _instances) -> None:
    if _writing_themes(session):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_theme_writes(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is Theme:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_version(session: Session) -> None:
    session.flush()
    if not session.info.get(_CHANGED):
        return
    token = uuid.uuid4().hex
    moved = session.execute(update(SiteSetting).where(SiteSetting.key == VERSION_KEY).values(value=token)
                            .execution_options(synchronize_session=False))
    if not moved.rowcount:
        session.execute(insert(SiteSetting).values(key=VERSION_KEY, value=token))


@event.listens_for(Session, "after_commit")
def _forget_here(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        forget()


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)
