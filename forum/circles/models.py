"""Case-discussion circles and who belongs to them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.extensions import db
from forum.timeutil import utcnow


def _enum(enum_class, name: str) -> Enum:
    return Enum(enum_class, name=name, native_enum=False, length=16,
                values_callable=lambda members: [member.value for member in members])


class Mode(enum.StrEnum):
    OPEN = "open"  # listed; anyone joins
    REQUEST = "request"  # listed; the facilitator approves join requests
    INVITE = "invite"  # unlisted: non-members get 404

    @property
    def label(self) -> str:
        return {"open": "Open: anyone can join", "request": "By request: a facilitator approves",
                "invite": "Invitation only: not listed"}[self.value]


class MemberRole(enum.StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    REQUESTED = "requested"  # asked to join a by-request circle
    INVITED = "invited"  # invited by a facilitator, not yet accepted


class Circle(db.Model):
    __tablename__ = "circles"
    __table_args__ = (Index("ix_circles_mode_archived", "mode", "archived_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[Mode] = mapped_column(_enum(Mode, "circle_mode"), default=Mode.OPEN)
    size_limit: Mapped[int] = mapped_column(Integer, default=12)
    #: The case-consultation protocol: a preset's key, or edited phases as JSON (meetings.run).
    protocol: Mapped[str] = mapped_column(String(32), default="consultancy")
    protocol_json: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Archived circles are read-only and their meetings are cancelled.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def listed(self) -> bool:
        return self.mode != Mode.INVITE


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        Index("ix_memberships_user_status", "user_id", "status", "circle_id"),
        Index("ix_memberships_circle_status", "circle_id", "status"),
    )

    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"), default=MemberRole.MEMBER)
    status: Mapped[MemberStatus] = mapped_column(_enum(MemberStatus, "member_status"), default=MemberStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
