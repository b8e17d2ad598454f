"""The append-only audit log: who did what to which object, when, from where.

Rows are never changed: database triggers (see the migrations) refuse UPDATE and DELETE.
Targets are named by type and id with no foreign key, so deleting an object keeps its
history. Entries never hold passwords, tokens or post bodies.
"""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow

# Hand-made objects that autogenerate must not try to drop.
TRIGGER_NAMES = ("audit_entries_no_update", "audit_entries_no_delete")


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at_id", "created_at", "id"),
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_actor_id", "actor_id"),
        Index("ix_audit_entries_action_created", "action", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The acting user's id; None for a guest. No foreign key: erasure keeps the entry.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    #: success, failure, denied, locked...
    outcome: Mapped[str] = mapped_column(String(32), default="success")
    ip: Mapped[str | None] = mapped_column(String(45))


def _clean(text: str | None, limit: int) -> str | None:
    """Escape line breaks and control characters so one entry cannot forge another."""
    if text is None:
        return None
    escaped = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return escaped[:limit]


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    actor,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    reason: str | None = None,
    outcome: str = "success",
) -> AuditEntry:
    """Add an entry to the current transaction; it is saved by the caller's commit."""
    actor_id = getattr(actor, "id", actor)
    entry = AuditEntry(
        actor_id=actor_id,
        action=_clean(action, 64),
        target_type=target_type,
        target_id=target_id,
        reason=_clean(reason, 500),
        outcome=outcome,
        ip=client_ip(),
    )
    db.session.add(entry)
    return entry
