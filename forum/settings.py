"""Site-wide settings that admins change in the app (not deployment configuration, which
comes from the environment): one row per key, read where a rule needs it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow

PRE_APPROVAL = "pre_approval"
SAFEGUARDING_CONTACTS = "safeguarding_contacts"


class SiteSetting(db.Model):
    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


def get(key: str, default: str = "") -> str:
    row = db.session.get(SiteSetting, key)
    return row.value if row is not None else default


def put(key: str, value: str) -> None:
    row = db.session.get(SiteSetting, key)
    if row is None:
        db.session.add(SiteSetting(key=key, value=value))
    else:
        row.value = value


def is_on(key: str) -> bool:
    return get(key) == "on"
