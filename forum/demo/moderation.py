"""Demo moderation: one flag waiting in the review queue, so managers see how it works."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.cases.models import Post, Status
from forum.extensions import db
from forum.moderation import services
from forum.moderation.models import Flag


def seed_flags(advisers: list[User]) -> None:
    """Idempotent: once there is any flag, nothing more is added."""
    if db.session.scalar(select(Flag.id).limit(1)) is not None:
        return
    post = db.session.scalar(select(Post).where(Post.status == Status.PUBLISHED, Post.circle_id.is_(None))
                             .order_by(Post.id).limit(1))
    flagger = next((person for person in advisers if post is not None and person.id != post.author_id), None)
    if flagger is None:
        return
    services.flag(flagger, "post", post.id, "inaccurate",
                  "The advice about Universal Credit payment dates may be out of date: worth a check.")
