"""A person's learning record: private reflections, learning goals, and the read-only
snapshots they chose to share with a manager. The record itself is worked out from other
modules' rows on each request (services.record) and never stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.timeutil import utcnow


class Reflection(db.Model):
    """A private note by its author on a meeting they attended or a case or story they read.
    Nobody else ever reads it (not managers, not admins), unless the author copies it into a
    share or a PDF themselves."""

    __tablename__ = "reflections"
    __table_args__ = (
        Index("ix_reflections_author_created", "author_id", "created_at", "id"),
        Index("ix_reflections_author_post", "author_id", "post_id"),
        Index("ix_reflections_author_meeting", "author_id", "meeting_id"),
        Index("ix_reflections_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The meeting it reflects on (None: on a post, or the meeting is gone).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    #: The case or story it reflects on (None: on a meeting, or the post is gone).
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    #: "What did you take from this?"
    took: Mapped[str] = mapped_column(Text, default="")
    #: "What will you try?"
    will_try: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Its last activity: retention counts from here.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Goal(db.Model):
    """A learning goal in the person's own words, optionally under some themes."""

    __tablename__ = "learning_goals"
    __table_args__ = (Index("ix_learning_goals_owner", "owner_id", "done_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    themes: Mapped[list[GoalTheme]] = relationship(lazy="raise", cascade="all, delete-orphan")

    @property
    def theme_ids(self) -> list[int]:
        return [row.theme_id for row in self.themes]


class GoalTheme(db.Model):
    __tablename__ = "learning_goal_themes"
    __table_args__ = (Index("ix_learning_goal_themes_theme", "theme_id"),)

    goal_id: Mapped[int] = mapped_column(ForeignKey("learning_goals.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True)


class Share(db.Model):
    """A read-only copy of chosen parts of a record, made when the person shared it with one
    manager: only that manager, signed in, may open it; revoking deletes the row."""

    __tablename__ = "learning_shares"
    __table_args__ = (Index("ix_learning_shares_owner", "owner_id", "id"),
                      Index("ix_learning_shares_manager", "manager_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: The sections chosen, comma-separated (services.SECTIONS keys).
    sections: Mapped[str] = mapped_column(String(200))
    #: The snapshot as JSON, copied when it was shared: later changes do not reach it.
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
