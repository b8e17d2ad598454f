"""In-app notifications, what people follow, and how they want to be emailed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow


class Kind(enum.StrEnum):
    REPLY = "reply"  # a reply to your post
    FOLLOWED_REPLY = "followed_reply"  # a reply to a post you follow
    MENTION = "mention"  # someone @mentioned you
    HELPFUL = "helpful"  # people found your reply helpful (batched)
    THEME_POST = "theme_post"  # a new case or story in a theme you follow
    CIRCLE_POST = "circle_post"  # a new case or story in a circle you follow
    MEETING_CHANGED = "meeting_changed"  # a meeting of your circle moved or was cancelled
    ACTION_ASSIGNED = "action_assigned"  # an action point from a meeting is yours
    CASE_NOMINATED = "case_nominated"  # your case was nominated for a circle meeting
    MODERATION = "moderation"  # a manager acted on your post or reply, or on one you flagged
    FOLLOW_UP = "follow_up"  # what happened next with your case? (4, 13 and 26 weeks after it)
    PULSE = "pulse"  # a meeting you attended has ended: how was it? (in the app only)
    MEMBER_NOTE = "member_note"  # a note from your circle's facilitator
    REFLECT = "reflect"  # a meeting you attended ended: reflect on it (in the app only)
    HELP_WANTED = "help_wanted"  # a case in a theme you can help with has had no reply for two days

    @property
    def label(self) -> str:
        return {
            "reply": "Replies to your posts",
            "followed_reply": "Replies to posts you follow",
            "mention": "When someone @mentions you",
            "helpful": "When people find your replies helpful",
            "theme_post": "New cases and stories in themes you follow",
            "circle_post": "New cases and stories in circles you follow",
            "meeting_changed": "When a meeting of your circles moves or is cancelled",
            "action_assigned": "When an action point is given to you",
            "case_nominated": "When your case is nominated for a circle meeting",
            "moderation": "When a manager acts on your writing or on something you flagged",
            "follow_up": "When you are asked what happened next with your case",
            "pulse": "When you are asked how a meeting went",
            "member_note": "When your circle's facilitator sends you a note",
            "reflect": "When a meeting you attended ends, an invitation to reflect on it",
            "help_wanted": "When a case in a theme you can help with has no reply",
        }[self.value]


class Mode(enum.StrEnum):
    OFF = "off"
    IMMEDIATE = "immediate"
    DIGEST = "digest"


#: Email for each kind unless the person chose otherwise.
DEFAULT_MODES = {
    Kind.REPLY: Mode.IMMEDIATE,
    Kind.MENTION: Mode.IMMEDIATE,
    Kind.FOLLOWED_REPLY: Mode.DIGEST,
    Kind.HELPFUL: Mode.DIGEST,
    Kind.THEME_POST: Mode.DIGEST,
    Kind.CIRCLE_POST: Mode.DIGEST,
    Kind.MEETING_CHANGED: Mode.IMMEDIATE,
    Kind.ACTION_ASSIGNED: Mode.IMMEDIATE,
    Kind.CASE_NOMINATED: Mode.DIGEST,
    Kind.MODERATION: Mode.OFF,
    Kind.FOLLOW_UP: Mode.IMMEDIATE,
    Kind.PULSE: Mode.OFF,
    Kind.MEMBER_NOTE: Mode.IMMEDIATE,
    Kind.REFLECT: Mode.OFF,
    Kind.HELP_WANTED: Mode.IMMEDIATE,
}


#: Shown in the app only: never emailed, so not among the email settings.
IN_APP_ONLY = {Kind.MODERATION, Kind.PULSE, Kind.REFLECT}
EMAIL_KINDS = [kind for kind in Kind if kind not in IN_APP_ONLY]


def _enum(enum_class, name: str) -> Enum:
    return Enum(enum_class, name=name, native_enum=False, length=24,
                values_callable=lambda members: [member.value for member in members])


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The bell: unread for one person. The page: newest first for one person.
        Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at", "id"),
        Index("ix_notifications_digest", "emailed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "notification_kind"))
    #: What it is about: a post (and reply), or a meeting.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    #: A moderation notice: what was done and why (its post is deliberately not `post_id`,
    #: which would hide the notice once the post is hidden).
    moderation_action_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id", ondelete="CASCADE"))
    #: Who acted; shown only where their post or reply shows its author.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: How many people, for batched kinds ("3 people found your reply helpful").
    count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Set once it went out by email, immediately or in a digest.
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Follow(db.Model):
    """Someone follows a post, a theme or (later) a circle. `active` False remembers an
    unfollow, so following automatically (by replying) does not undo it."""

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_target", "target_type", "target_id", "active"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    target_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    target_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmailPreference(db.Model):
    __tablename__ = "email_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "notification_kind"), primary_key=True)
    mode: Mapped[Mode] = mapped_column(_enum(Mode, "email_mode"))


class DigestRun(db.Model):
    """One weekly digest per person per ISO week: running the command twice sends nothing more."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("user_id", "week", name="uq_digest_runs_user_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: ISO year and week, "2026-W48".
    week: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
