"""Unanswered cases reach helpers: a forum-wide case with no reply after UNANSWERED_AFTER_HOURS
is sent to up to 5 people who offered help in one of its themes, once.

Fair: fewest requests in the last four weeks first; nobody gets more than 2 a week; never the
author. Circle posts are never routed. The notification and its email (title and link only)
follow the commit (event `case_routed`, heard by notifications)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, exists, func, select

from forum import events
from forum.accounts.models import User
from forum.cases.models import Post, PostKind, Status, post_themes
from forum.extensions import db
from forum.knowledge.models import HelperOffer, RoutedCase, helper_themes
from forum.timeutil import utcnow

#: Helpers per case, and requests per helper a week.
HELPERS_PER_CASE = 5
PER_HELPER_PER_WEEK = 2
#: "Recent" for fairness.
FAIRNESS_WINDOW = timedelta(weeks=4)
#: A case more than this late is not sent (the first run does not flood anyone with old cases).
GRACE = timedelta(days=14)


def _after() -> timedelta:
    return timedelta(hours=current_app.config["UNANSWERED_AFTER_HOURS"])


def route_unanswered(now: datetime | None = None) -> int:
    """Send each due case to its helpers, once (run it as often as you like); returns how many
    requests were sent."""
    now = now or utcnow()
    due_by = now - _after()
    due = (select(Post.id, Post.author_id).where(
        Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Post.circle_id.is_(None), Post.reply_count == 0,
        Post.published_at <= due_by, Post.published_at > due_by - GRACE,
        ~exists().where(RoutedCase.post_id == Post.id)).order_by(Post.published_at, Post.id))
    sent = 0
    for post_id, author_id in db.session.execute(due).all():
        for helper_id in helpers_for(post_id, author_id, now):
            db.session.add(RoutedCase(post_id=post_id, user_id=helper_id, sent_at=now))
            db.session.flush()
            events.emit("case_routed", post_id=post_id, user_id=helper_id)
            sent += 1
    return sent


def helpers_for(post_id: int, author_id: int, now: datetime) -> list[int]:
    """Up to 5 active people offering help in one of the case's themes, under the weekly cap,
    fewest recent requests first."""
    week = (select(func.count()).where(RoutedCase.user_id == User.id, RoutedCase.sent_at > now - timedelta(weeks=1))
            .scalar_subquery())
    recent = (select(func.count()).where(RoutedCase.user_id == User.id, RoutedCase.sent_at > now - FAIRNESS_WINDOW)
              .scalar_subquery())
    in_themes = exists().where(helper_themes.c.user_id == User.id, helper_themes.c.theme_id.in_(
        select(post_themes.c.theme_id).where(post_themes.c.post_id == post_id)))
    query = (select(User.id).join(HelperOffer, and_(HelperOffer.user_id == User.id, HelperOffer.offering.is_(True)))
             .where(User.is_active.is_(True), User.id != author_id, in_themes, week < PER_HELPER_PER_WEEK)
             .order_by(recent, User.id).limit(HELPERS_PER_CASE))
    return list(db.session.scalars(query))


def unanswered_after_routing_figure(since: datetime, until: datetime) -> tuple[int, int]:
    """For insights: how many cases sent to helpers in [since, until) still have no reply, and
    how many different authors wrote them (insights hides the count below 5)."""
    # From the cases sent in the period (an IN, so the database reads those first, not every post).
    sent = select(RoutedCase.post_id).where(RoutedCase.sent_at >= since, RoutedCase.sent_at < until)
    # Tested inside a CASE, status is no index's business: SQLite (without statistics) walked
    # every published post by its status index instead, 10 ms at full scale (issue 17).
    still_waiting = case((and_(Post.status == Status.PUBLISHED, Post.reply_count == 0), 1), else_=0) == 1
    cases, authors = db.session.execute(
        select(func.count(func.distinct(Post.id)), func.count(func.distinct(Post.author_id)))
        .where(Post.id.in_(sent), still_waiting)).one()
    return cases or 0, authors or 0


def unanswered_after_routing(since: datetime, until: datetime, team_id: int | None = None) -> int:
    """For insights: cases sent to helpers in [since, until) that still have no reply (of one
    team's authors, if given). Insights applies its minimum group size."""
    query = (select(func.count(func.distinct(Post.id))).select_from(Post)
             .join(RoutedCase, RoutedCase.post_id == Post.id)
             .where(RoutedCase.sent_at >= since, RoutedCase.sent_at < until, Post.status == Status.PUBLISHED,
                    Post.reply_count == 0))
    if team_id is not None:
        query = query.join(User, User.id == Post.author_id).where(User.team_id == team_id)
    return db.session.scalar(query) or 0
