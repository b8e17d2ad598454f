"""Outcome updates on cases (a dated timeline), the follow-up prompts that ask for them, and
the link between a case and the story it became."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.cases.models import Barrier, OutcomeType
from forum.extensions import db
from forum.timeutil import utcnow


def _enum(enum_class, name: str) -> Enum:
    return Enum(enum_class, name=name, native_enum=False, length=24,
                values_callable=lambda members: [member.value for member in members])


class OutcomeUpdate(db.Model):
    """What happened next for the jobseeker of one case, on one day: one or more outcome types
    and an optional note (checked by the privacy guard like a reply)."""

    __tablename__ = "outcome_updates"
    __table_args__ = (
        Index("ix_outcome_updates_post_occurred", "post_id", "occurred_on", "id"),
        Index("ix_outcome_updates_published_occurred", "published_at", "occurred_on"),
        # A person's learning record: the outcomes they recorded in a period.
        Index("ix_outcome_updates_recorded_by_occurred", "recorded_by_id", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: The author of the case, or a facilitator of its circle.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The day it happened (a date, no time: "started work on 3 March").
    occurred_on: Mapped[date] = mapped_column(Date)
    note_md: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: None while it waits for its privacy check (a draft only its recorder sees).
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    types: Mapped[list[OutcomeUpdateType]] = relationship(lazy="raise", cascade="all, delete-orphan",
                                                          order_by="OutcomeUpdateType.outcome_type")

    @property
    def outcome_types(self) -> list[OutcomeType]:
        return sorted({row.outcome_type for row in self.types}, key=list(OutcomeType).index)

    @property
    def barriers(self) -> list[Barrier]:
        return sorted({Barrier(row.barrier) for row in self.types if row.barrier}, key=list(Barrier).index)


class OutcomeUpdateType(db.Model):
    """One outcome type of an update; "a barrier removed" has one row per barrier named."""

    __tablename__ = "outcome_update_types"
    __table_args__ = (Index("ix_outcome_update_types_type", "outcome_type", "update_id"),)

    update_id: Mapped[int] = mapped_column(ForeignKey("outcome_updates.id", ondelete="CASCADE"), primary_key=True)
    outcome_type: Mapped[OutcomeType] = mapped_column(_enum(OutcomeType, "outcome_type"), primary_key=True)
    #: Which barrier, for "a barrier removed"; "" otherwise.
    barrier: Mapped[str] = mapped_column(String(16), primary_key=True, default="")


class FollowUpPrompt(db.Model):
    """"What happened next?" asked of a case's author `week` weeks after it was published:
    one row per case and week, so the sweep never asks twice."""

    __tablename__ = "follow_up_prompts"
    __table_args__ = (UniqueConstraint("post_id", "week", name="uq_follow_up_prompts_post_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    week: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When an outcome update answered it.
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FollowUpStop(db.Model):
    """No more prompts for this case: its author said "stop asking", or recorded "moved on or
    lost contact"."""

    __tablename__ = "follow_up_stops"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    stopped_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: "asked" (stop asking) or "moved_on".
    reason: Mapped[str] = mapped_column(String(16))


class StoryOrigin(db.Model):
    """This story grew from that case ("Turn into a story"): one story per case."""

    __tablename__ = "story_origins"

    story_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
