"""Demo moderation: one flag waiting in the review queue, so managers see how it works, and one
adviser whose urgent flags were dismissed three times: their next urgent flag waits in the
queue, urgent but not hidden, and their flag history offers a manager the reset."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.cases.models import Post, Status
from forum.extensions import db
from forum.moderation import services
from forum.moderation.models import Action, DismissedFlag, Flag


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
    seed_flag_limits(advisers)


def seed_flag_limits(advisers: list[User]) -> None:
    """Idempotent: once anyone has a dismissed urgent flag, nothing more is added. Three urgent
    flags a manager dismissed as unfounded (the posts come back at once), then a fourth that
    only queues."""
    if db.session.scalar(select(DismissedFlag.id).limit(1)) is not None:
        return
    manager = db.session.scalar(select(User).where(User.role == Role.MANAGER).order_by(User.id).limit(1))
    flagger = advisers[-1] if advisers else None
    if manager is None or flagger is None:
        return
    posts = list(db.session.scalars(select(Post).where(
        Post.status == Status.PUBLISHED, Post.circle_id.is_(None), Post.author_id != flagger.id,
        Post.id.not_in(select(Flag.post_id))).order_by(Post.id.desc()).limit(4)))
    if len(posts) < 4:
        return
    for post in posts[:3]:
        services.flag(flagger, "post", post.id, "identifies", "")
        item = services.open_item_for(services.load_target("post", post.id))
        db.session.flush()
        services.act(manager, item.id, Action.DISMISSED, "Nothing in it identifies anyone.")
    services.flag(flagger, "post", posts[3].id, "identifies", "It names the client's street, I think.")
