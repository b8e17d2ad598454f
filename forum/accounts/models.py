"""People, teams, invitations and sign-in sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, DateTime, Enum, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.timeutil import DEFAULT_ZONE, as_utc, utcnow


class Role(enum.StrEnum):
    ADVISER = "adviser"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"adviser": "Adviser", "manager": "Line manager", "admin": "Admin"}[self.value]


ROLE_TYPE = Enum(Role, name="role", native_enum=False, length=16,
                 values_callable=lambda roles: [role.value for role in roles])


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_team_id", "team_id"),
        Index("ix_users_display_name_key_id", "display_name_key", "id"),
        Index("ix_users_handle", "handle", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    #: The display name without capitals or accents (accounts.names.display_name_key): unique,
    #: so "Siân Evans" and "Sian Evans" cannot both be taken.
    display_name_key: Mapped[str] = mapped_column(String(40), unique=True)
    #: How people @mention this person ("sian.evans"): made once from the display name and
    #: never changed (accounts.names). Nullable in the database only because making it NOT
    #: NULL on SQLite would rebuild `users`, which its foreign keys forbid; every account has one.
    handle: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.ADVISER)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Set when the account was erased (forum.dataprotection): the row stays, emptied of
    #: personal data, so posts can show "Former member"; the person is then not found.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_ZONE)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The bell: unread notifications this person may still see. Kept by forum.notifications
    #: (unread.py) in the transaction that changes it, so every page reads it with the sign-in.
    unread_notifications: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: A manager asked that this person's new forum-wide posts wait for approval.
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Suspended since; None when not suspended. `suspended_until` None means indefinitely.
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspended_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspension_reason: Mapped[str | None] = mapped_column(String(500))

    team: Mapped[Team | None] = relationship(lazy="joined")

    #: The sign-in session this object was loaded for (not stored): Flask-Login keeps
    #: this token, not the user id, in the session and remember-me cookies.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or as_utc(self.suspended_until) > utcnow()

    @property
    def may_sign_in(self) -> bool:
        return self.is_active and not self.is_suspended

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_email", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(ROLE_TYPE)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    team: Mapped[Team | None] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        return self.used_at is None and self.revoked_at is None


class SignInSession(db.Model):
    """One signed-in browser. Signing out ends the row, so a copied cookie stops working."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (Index("ix_sign_in_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)




class TwoFactor(db.Model):
    """A person's authenticator-app (TOTP) secret. On only once `confirmed_at` is set."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: The TOTP secret, encrypted (see accounts.secrets); never logged or shown after set-up.
    sealed_secret: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The last 30-second time-step a code was accepted for: a code works once.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    def __repr__(self) -> str:  # never the secret
        return f"<TwoFactor user={self.user_id}>"


class RecoveryCode(db.Model):
    """A single-use code for when the authenticator is lost; only its hash is stored."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
