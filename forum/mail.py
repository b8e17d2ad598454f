"""One way to send email: `send()` writes it to the outbox table, in the caller's transaction.

Commit the change that causes an email and the email is certain to go; roll it back and it
never goes. Nothing here talks to a mail server: the outbox module's worker (`flask deliver-mail`,
`flask mail-worker`) delivers waiting rows over SMTP when MAIL_SERVER is set, and to the
terminal (stdout, never the application log: links in emails carry tokens) when it is not.
Once delivered, a row keeps only its kind, status, times and a hash of the recipient.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import DateTime, Index, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow

#: The PostgreSQL channel a worker listens on; `send` notifies it, delivered at commit.
CHANNEL = "forum_outbox"

#: How long a waiting email is retried before it shows as not delivered.
RETRY_FOR = timedelta(hours=48)


def link(endpoint: str, **values) -> str:
    """An absolute link, always on FORUM_BASE_URL: never the Host header of the request
    that caused it (a reset link must not point wherever the asker said the forum is).
    Every absolute link the forum writes (emails, calendars) comes from here."""
    with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


class Status:
    WAITING = "waiting"
    SENT = "sent"
    FAILED = "failed"


class OutboxMail(db.Model):
    """One email, from the transaction that caused it until 30 days after it was delivered."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_recipient_hash", "recipient_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The template it was made from ("password_reset", "digest"...), kept after delivery.
    kind: Mapped[str] = mapped_column(String(64))
    #: waiting (to be sent at next_attempt_at), sent, or failed (gave up after 48 hours).
    status: Mapped[str] = mapped_column(String(16), default=Status.WAITING)
    #: A keyed hash of the address, kept after the address itself is deleted.
    recipient_hash: Mapped[str] = mapped_column(String(64))
    #: What is needed to send it; emptied (NULL) once it is delivered.
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    #: Extra headers as a JSON list of [name, value] pairs.
    headers: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: After this moment a failure is final (48 hours after it was written, or retried).
    give_up_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: A worker's claim (SQLite has no SKIP LOCKED): whose, and until when it holds.
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def recipient_hash(address: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    headers: tuple[tuple[str, str], ...] = ()


def outbox() -> list[Email]:
    """The emails committed to the outbox and not delivered yet, oldest first (tests read them)."""
    rows = db.session.scalars(select(OutboxMail).where(OutboxMail.text_body.is_not(None)).order_by(OutboxMail.id))
    return [as_email(row) for row in rows]


def as_email(row: OutboxMail) -> Email:
    return Email(row.recipient or "", row.subject or "", row.text_body or "", row.html_body or "",
                 tuple(tuple(pair) for pair in json.loads(row.headers or "[]")))


@contextmanager
def suppressed():
    """Send nothing inside this block (the demo seed's notifications are not real news)."""
    current_app.extensions["forum_mail_suppressed"] = True
    try:
        yield
    finally:
        current_app.extensions["forum_mail_suppressed"] = False


def send(to: str, subject: str, text: str, html: str, headers: dict | None = None, kind: str = "message") -> None:
    """Write an email to the outbox in the current transaction: it goes once that commits."""
    if current_app.extensions.get("forum_mail_suppressed"):
        return
    now = utcnow()
    db.session.add(OutboxMail(
        kind=kind, status=Status.WAITING, recipient=to, recipient_hash=recipient_hash(to), subject=subject,
        text_body=text, html_body=html, headers=json.dumps(list((headers or {}).items())),
        created_at=now, next_attempt_at=now, give_up_at=now + RETRY_FOR, attempts=0))
    wake_worker()


def wake_worker() -> None:
    """Tell a listening worker (PostgreSQL) that there is mail: it hears it only once the
    current transaction commits, and never if it rolls back."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


def forget(address: str) -> None:
    """Delete the emails still waiting for `address` (erasure): they would reach someone gone."""
    db.session.execute(delete(OutboxMail).where(
        OutboxMail.recipient_hash == recipient_hash(address), OutboxMail.status != Status.SENT))


def send_template(to: str, subject: str, template: str, headers: dict | None = None, **context) -> None:
    """Send `template`.txt and `template`.html, rendered with `context`."""
    # Straight from the Jinja environment: emails need none of the pages' context (who is
    # signed in, the navigation), and may be rendered after the session has committed.
    environment = current_app.jinja_env
    text = environment.get_template(f"{template}.txt").render(**context)
    html = environment.get_template(f"{template}.html").render(subject=subject, **context)
    send(to, subject, text, html, headers, kind=template.rpartition("/")[2])
