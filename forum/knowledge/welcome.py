"""The welcome path: a person invited in the last 30 days sees three first steps on their home
page, each ticked off once done, until they dismiss it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import Invitation, User
from forum.cases.models import Post, PostKind, post_themes
from forum.cases.policy import visible_post_clause
from forum.circles.models import Membership, MemberStatus
from forum.extensions import db
from forum.knowledge.models import WelcomeProgress
from forum.knowledge.policy import welcome_since
from forum.notifications.models import Follow
from forum.timeutil import utcnow


@dataclass(frozen=True)
class WelcomePath:
    follows_themes: bool
    read_stories: bool
    in_a_circle: bool

    @property
    def done(self) -> int:
        return sum((self.follows_themes, self.read_stories, self.in_a_circle))


def _followed_theme_ids(user: User):
    return select(Follow.target_id).where(Follow.user_id == user.id, Follow.target_type == "theme",
                                          Follow.active.is_(True))


def welcome_path(user: User) -> WelcomePath | None:
    """The steps, or None when the path is not for this person (not new, or dismissed). One query."""
    new = exists().where(func.lower(Invitation.email) == func.lower(user.email), Invitation.used_at.is_not(None),
                         Invitation.used_at > welcome_since())
    row = db.session.execute(select(
        new.label("new"),
        exists().where(WelcomeProgress.user_id == user.id, WelcomeProgress.dismissed_at.is_not(None)).label("dismissed"),
        exists(_followed_theme_ids(user)).label("follows"),
        exists().where(WelcomeProgress.user_id == user.id, WelcomeProgress.stories_read_at.is_not(None)).label("read"),
        exists().where(Membership.user_id == user.id,
                       Membership.status.in_((MemberStatus.ACTIVE, MemberStatus.REQUESTED))).label("circle"),
    )).one()
    if not row.new or row.dismissed:
        return None
    return WelcomePath(bool(row.follows), bool(row.read), bool(row.circle))


def _progress(user: User) -> WelcomeProgress:
    row = db.session.get(WelcomeProgress, user.id)
    if row is None:
        row = WelcomeProgress(user_id=user.id)
        db.session.add(row)
    return row


def dismiss(user: User) -> None:
    _progress(user).dismissed_at = utcnow()


def helpful_stories(user: User, size: int = 10) -> list[Post]:
    """The most helpful stories in the themes this person follows (in every theme, if none);
    reading them ticks the step off."""
    row = _progress(user)
    row.stories_read_at = row.stories_read_at or utcnow()
    query = select(Post).where(visible_post_clause(user), Post.kind == PostKind.STORY)
    followed = list(db.session.scalars(_followed_theme_ids(user)))
    if followed:
        query = query.where(exists().where(post_themes.c.post_id == Post.id, post_themes.c.theme_id.in_(followed)))
    query = query.options(selectinload(Post.author), selectinload(Post.themes))
    return list(db.session.scalars(query.order_by(Post.helpful_count.desc(), Post.id.desc()).limit(size)))
