"""After-commit side effects.

Work that leaves the database (email, later notifications) must not happen for a
transaction that rolls back, so it is queued on the session and released by its commit.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_QUEUE_KEY = "forum_after_commit"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's current transaction commits; drop it on rollback."""
    session.info.setdefault(_QUEUE_KEY, []).append(action)


@event.listens_for(Session, "after_commit")
def _release(session: Session) -> None:
    actions = session.info.pop(_QUEUE_KEY, [])
    for action in actions:
        action()


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_QUEUE_KEY, None)
