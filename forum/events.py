"""Domain events and after-commit side effects.

A module announces what happened (`emit("reply_posted", reply_id=7)`) without knowing who
listens; listeners (`subscribe`) run only once the transaction that made it true has
committed, so a rolled-back write never notifies anyone. `release()` runs them: after each
request (see `register`) and after commands that write.

An email is not such a side effect: `forum.mail.send` writes it to the outbox in the same
transaction, and the mail worker sends it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db

_PENDING = "forum_events_pending"
_READY = "forum_events_ready"
_handlers: dict[str, list[Callable]] = defaultdict(list)
log = logging.getLogger(__name__)


def subscribe(name: str, handler: Callable[..., None]) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def emit(name: str, **payload) -> None:
    """Announce an event; listeners hear it after the current transaction commits."""
    db.session.info.setdefault(_PENDING, []).append((name, payload))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.setdefault(_READY, []).extend(session.info.pop(_PENDING, []))


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def release(rounds: int = 5) -> None:
    """Run the listeners of committed events, and commit what they wrote."""
    for _ in range(rounds):
        ready = db.session.info.pop(_READY, [])
        if not ready:
            return
        for name, payload in ready:
            for handler in _handlers[name]:
                try:
                    handler(**payload)
                    db.session.commit()
                except Exception:  # a listener's failure must not undo or fail the write it follows
                    db.session.rollback()
                    log.exception("Listener %s for %s failed", handler.__qualname__, name)


def register(app: Flask) -> None:
    @app.after_request
    def release_events(response):
        release()
        return response
