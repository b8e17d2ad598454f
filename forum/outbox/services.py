"""Delivering the outbox: claim what is due, send it, record what happened.

Several workers may run at once (cron's `deliver-mail`, a `mail-worker` on each machine):
a worker first claims rows (claimed_by, claimed_until) in one short transaction, so no
other worker takes them; on PostgreSQL the claim skips rows another worker is claiming
(FOR UPDATE SKIP LOCKED), on SQLite the update-where runs inside BEGIN IMMEDIATE, one
writer at a time. A claim lapses after CLAIM_FOR, so a worker that died loses nothing.
A failed send is retried after 1, 5, 15 and 60 minutes, then hourly, for 48 hours; then it
is given up and shown to admins, who can retry it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from forum import audit, mail
from forum.errors import Forbidden, NotFound
from forum.extensions import db
from forum.mail import OutboxMail, Status
from forum.outbox import policy, transport
from forum.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: Wait before the next attempt, by the number of failed attempts so far; then hourly.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=60))
CLAIM_FOR = timedelta(minutes=10)
#: Delivered and given-up rows are deleted this long after.
KEEP_FOR = timedelta(days=30)
BATCH = 20


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _due(now: datetime):
    return and_(OutboxMail.status == Status.WAITING, OutboxMail.next_attempt_at <= now,
                or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))


def claim(worker: str, now: datetime, limit: int = BATCH) -> list[OutboxMail]:
    """Take up to `limit` due rows for this worker alone, committed before anything is sent."""
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    candidates = select(OutboxMail.id).where(_due(now)).order_by(OutboxMail.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(candidates), _due(now))
                       .values(claimed_by=token, claimed_until=now + CLAIM_FOR)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.claimed_by == token).order_by(OutboxMail.id)))


def anything_due(now: datetime) -> bool:
    return db.session.scalar(select(OutboxMail.id).where(_due(now)).limit(1)) is not None


def deliver_due(now: datetime | None = None, worker: str | None = None) -> Delivery:
    """Send every email that is due now; what fails waits for its next attempt."""
    now = now or utcnow()
    worker = worker or worker_name()
    result = Delivery()
    if not anything_due(now):
        db.session.rollback()
        return result
    sender = transport.for_config(current_app.config)
    try:
        while claimed := claim(worker, now):
            if not _send_batch(claimed, sender, now, result):
                break  # the server cannot be reached: the rest waits for the next run
    finally:
        sender.close()
    return result


def _send_batch(claimed: list[OutboxMail], sender, now: datetime, result: Delivery) -> bool:
    for position, row in enumerate(claimed):
        try:
            sender.send(mail.as_email(row))
        except transport.MESSAGE_ERRORS as error:
            sender.reset()
            _failed(row, error, now, result)
        except Exception as error:  # unreachable, refused, timed out: every claimed row waits
            sender.reset()
            for rest in claimed[position:]:
                _failed(rest, error, now, result)
            db.session.commit()
            return False
        else:
            _sent(row, now)
            result.sent += 1
        db.session.commit()  # each result at once: a crash later never sends this one again
    return True


def _sent(row: OutboxMail, now: datetime) -> None:
    row.status = Status.SENT
    row.sent_at = now
    # The body may hold a live reset or invitation link: only kind, status, times and the hash stay.
    row.recipient = row.subject = row.text_body = row.html_body = row.headers = None
    row.last_error = row.claimed_by = row.claimed_until = None


def _failed(row: OutboxMail, error: Exception, now: datetime, result: Delivery) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    row.claimed_by = row.claimed_until = None
    # The log names the row and the kind of error, never the address or the server's words.
    log.warning("Email %s not delivered (attempt %s): %s", row.id, row.attempts, type(error).__name__)
    if now >= as_utc(row.give_up_at):
        row.status = Status.FAILED
        row.failed_at = now
        result.gave_up += 1
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        result.retrying += 1


def purge(now: datetime | None = None) -> int:
    """Delete the rows delivered or given up more than 30 days ago."""
    cutoff = (now or utcnow()) - KEEP_FOR
    deleted = db.session.execute(delete(OutboxMail).where(or_(
        and_(OutboxMail.status == Status.SENT, OutboxMail.sent_at < cutoff),
        and_(OutboxMail.status == Status.FAILED, OutboxMail.failed_at < cutoff))))
    db.session.commit()
    return deleted.rowcount


def seconds_until_due(now: datetime, longest: float) -> float:
    """How long the worker may sleep: until the next retry, at most `longest`."""
    soonest = db.session.scalar(select(func.min(OutboxMail.next_attempt_at)).where(OutboxMail.status == Status.WAITING))
    db.session.rollback()
    if soonest is None:
        return longest
    return max(0.0, min(longest, (as_utc(soonest) - now).total_seconds()))


class Listener:
    """PostgreSQL LISTEN on the outbox channel: `send` notifies it when its transaction commits."""

    def __init__(self, engine):
        raw = engine.raw_connection()
        self.connection = raw.driver_connection
        raw.detach()  # this connection is the listener's for good, not the pool's
        self.connection.rollback()
        self.connection.autocommit = True
        self.connection.execute(f"LISTEN {mail.CHANNEL}")

    def wait(self, seconds: float) -> None:
        for _ in self.connection.notifies(timeout=seconds, stop_after=1):
            pass

    def close(self) -> None:
        self.connection.close()


def run_worker(poll: float, should_stop, purge_every: float = 3600.0) -> None:
    """Deliver until `should_stop()`: at once when PostgreSQL says mail was committed, else every `poll` seconds."""
    worker = worker_name()
    listener = Listener(db.engine) if db.engine.dialect.name == "postgresql" else None
    last_purge = 0.0
    try:
        while not should_stop():
            deliver_due(worker=worker)
            if time.monotonic() - last_purge > purge_every:
                purge()
                last_purge = time.monotonic()
            wait = seconds_until_due(utcnow(), poll)
            if should_stop():
                break
            if listener is not None:
                listener.wait(wait)
            else:
                time.sleep(wait)
    finally:
        if listener is not None:
            listener.close()
        db.session.remove()


# The admins' page --------------------------------------------------------------------------


def undelivered(viewer) -> list[OutboxMail]:
    if not policy.may_see_undelivered_mail(viewer):
        raise Forbidden()
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.status == Status.FAILED)
                                   .order_by(OutboxMail.failed_at.desc(), OutboxMail.id.desc()).limit(200)))


def waiting_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.status == Status.WAITING))


def undelivered_count_for(viewer) -> int:
    """For the navigation: admins see how many emails were given up on."""
    if not policy.may_see_undelivered_mail(viewer):
        return 0
    return db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.status == Status.FAILED))


def retry(actor, mail_id: int) -> OutboxMail:
    """Send a given-up email again, with another 48 hours of attempts."""
    if not policy.may_see_undelivered_mail(actor):
        raise Forbidden()
    row = db.session.get(OutboxMail, mail_id)
    if row is None or row.status != Status.FAILED:
        raise NotFound()
    now = utcnow()
    row.status = Status.WAITING
    row.attempts = 0
    row.failed_at = None
    row.next_attempt_at = now
    row.give_up_at = now + mail.RETRY_FOR
    audit.record(actor, "mail.retried", "outbox", row.id)
    mail.wake_worker()
    return row
