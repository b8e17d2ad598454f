"""Flags, the review queue's items and the moderation actions taken on posts and replies.

Everything points at the post it concerns with ON DELETE CASCADE, so deleting a post
(retention, erasure) takes its moderation records with it; the audit log keeps the history.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow


class Reason(enum.StrEnum):
    IDENTIFIES = "identifies"
    SAFEGUARDING = "safeguarding"
    DISRESPECTFUL = "disrespectful"
    INACCURATE = "inaccurate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "identifies": "May identify someone",
            "safeguarding": "Safeguarding concern",
            "disrespectful": "Disrespectful or unsafe",
            "inaccurate": "Inaccurate advice",
            "other": "Other",
        }[self.value]

    @property
    def urgent(self) -> bool:
        """Hidden from peers as soon as flagged, until a manager has looked."""
        return self in (Reason.IDENTIFIES, Reason.SAFEGUARDING)


class Action(enum.StrEnum):
    AUTO_HIDDEN = "auto_hidden"
    DISMISSED = "dismissed"
    HIDDEN = "hidden"
    RESTORED = "restored"
    REDACTED = "redacted"
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    APPROVED = "approved"
    REVIEW_ASKED = "review_asked"

    @property
    def label(self) -> str:
        return {
            "auto_hidden": "Hidden while a manager reviews a flag",
            "dismissed": "Flags dismissed",
            "hidden": "Hidden",
            "restored": "Restored",
            "redacted": "Part of the text removed",
            "locked": "Closed to new replies",
            "unlocked": "Opened to replies again",
            "approved": "Approved",
            "review_asked": "Review asked for by the author",
        }[self.value]


#: Why an item is in the queue.
OPEN = "open"
CLOSED = "closed"


class ReviewItem(db.Model):
    """One post or reply waiting for a manager: flagged, waiting for approval, or its author
    asked for a review. At most one open item per post or reply."""

    __tablename__ = "review_items"
    __table_args__ = (
        Index("ix_review_items_status_opened", "status", "opened_at", "id"),
        # The open queue: urgent items first, then oldest first.
        Index("ix_review_items_status_urgent_opened", "status", "urgent", "opened_at", "id"),
        Index("ix_review_items_target", "target_type", "target_id"),
        Index("uq_review_items_open_target", "target_type", "target_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "post" or "reply".
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    #: The post's circle, if any: circle content is shown to non-members only from here, audited.
    circle_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default=OPEN)
    awaiting_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    review_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The action that closed it.
    outcome: Mapped[str | None] = mapped_column(String(16))


class Flag(db.Model):
    """A member's report that a post or reply needs a manager's eye."""

    __tablename__ = "flags"
    __table_args__ = (
        Index("ix_flags_item", "item_id"),
        Index("ix_flags_reporter", "reporter_id", "created_at"),
        Index("ix_flags_target", "target_type", "target_id"),
        # One open flag per person per item; the database has the last word under a race.
        Index("uq_flags_open_reporter_target", "target_type", "target_id", "reporter_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: This flag hid the item at once (an urgent flag within its flagger's limits, or a second
    #: person's): counted against URGENT_HIDE_LIMIT.
    hid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: open, withdrawn, or closed (a manager acted on the item).
    status: Mapped[str] = mapped_column(String(12), default=OPEN)
    #: What the manager did, once closed.
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label


class ModerationAction(db.Model):
    """What was done to a post or reply and why: the author sees these (not who did them)."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_target", "target_type", "target_id", "created_at"),
        Index("ix_moderation_actions_post", "post_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    #: None for the automatic hide of an urgent flag.
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        return Action(self.action).label


class DismissedFlag(db.Model):
    """An urgent flag a manager dismissed as unfounded, recorded against the person who raised
    it. Personal data: in their export, deleted on erasure. Three within 30 days pause the
    immediate hide of that person's urgent flags until a manager resets it (which clears them)."""

    __tablename__ = "dismissed_flags"
    __table_args__ = (
        Index("ix_dismissed_flags_user", "user_id", "dismissed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The flag dismissed; kept as a number, since the post (and so the flag) may be deleted.
    flag_id: Mapped[int | None] = mapped_column(Integer)
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    dismissed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When a manager reset the person's urgent flags: it no longer counts.
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label
