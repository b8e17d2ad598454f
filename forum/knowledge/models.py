"""Who offered to help with which themes, which unanswered case was sent to whom, and how far
a new adviser is along their welcome path."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow

#: The themes a person can help with (only counted while their offer is on).
helper_themes = Table(
    "helper_themes",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_helper_themes_theme_id_user_id", "theme_id", "user_id"),
)


class HelperOffer(db.Model):
    """"I can help with": optional, off until the person turns it on."""

    __tablename__ = "helper_offers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: On: unanswered cases in their themes may be sent to them.
    offering: Mapped[bool] = mapped_column(Boolean, default=False)
    #: How many years they have advised (0 to 60), if they say.
    years: Mapped[int | None] = mapped_column(Integer)
    #: Their profile (the list of their posts) shows the offer only when this is on.
    on_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RoutedCase(db.Model):
    """An unanswered case sent to one helper, once: deleted with the case or the person."""

    __tablename__ = "routed_cases"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", name="uq_routed_cases_post_user"),
        # Fairness and the weekly cap: one person's recent requests.
        Index("ix_routed_cases_user_sent", "user_id", "sent_at"),
        # Insights (migration 0022): the cases sent in a period.
        Index("ix_routed_cases_sent", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WelcomeProgress(db.Model):
    """A new adviser's welcome path: what cannot be read from elsewhere."""

    __tablename__ = "welcome_progress"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: They opened the most helpful stories in their themes.
    stories_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
