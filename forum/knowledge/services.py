"""Helpers' offers ("I can help with") and the figures other modules read: what helped, per
person and over time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from sqlalchemy import delete, func, insert, literal, select

from forum.accounts.models import User
from forum.cases.models import Post, PostKind, Reply, Status
from forum.errors import Invalid
from forum.extensions import db
from forum.knowledge import policy
from forum.knowledge.models import HelperOffer, RoutedCase, WelcomeProgress, helper_themes
from forum.themes.models import Theme
from forum.timeutil import as_utc, utcnow

MAX_YEARS = 60


@dataclass
class OfferInput:
    offering: bool = False
    theme_ids: list[int] = field(default_factory=list)
    years: int | None = None
    on_profile: bool = False


@dataclass(frozen=True)
class Offer:
    offering: bool
    themes: list[Theme]
    years: int | None
    on_profile: bool


def offer_of(user_id: int) -> Offer:
    """What this person offered (nothing, by default)."""
    row = db.session.get(HelperOffer, user_id)
    themes = list(db.session.scalars(select(Theme).join(helper_themes, helper_themes.c.theme_id == Theme.id)
                                     .where(helper_themes.c.user_id == user_id).order_by(Theme.name)))
    if row is None:
        return Offer(False, themes, None, False)
    return Offer(row.offering, themes, row.years, row.on_profile)


def save_offer(user: User, data: OfferInput) -> None:
    """Turn the offer on or off, with its themes and years (0 to 60, optional)."""
    if data.years is not None and not 0 <= data.years <= MAX_YEARS:
        raise Invalid(f"Enter a number of years from 0 to {MAX_YEARS}", field="years")
    theme_ids = sorted(set(data.theme_ids))
    known = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(theme_ids or [-1]), Theme.archived.is_(False))))
    if set(theme_ids) - known:
        raise Invalid("Choose themes from the list", field="theme_ids")
    if data.offering and not theme_ids:
        raise Invalid("Choose at least one theme you can help with", field="theme_ids")
    row = db.session.get(HelperOffer, user.id)
    if row is None:
        row = HelperOffer(user_id=user.id)
        db.session.add(row)
    row.offering, row.years, row.on_profile, row.updated_at = data.offering, data.years, data.on_profile, utcnow()
    db.session.execute(delete(helper_themes).where(helper_themes.c.user_id == user.id))
    if theme_ids:
        db.session.execute(insert(helper_themes), [{"user_id": user.id, "theme_id": theme} for theme in theme_ids])


def profile_offer(viewer: User, owner_id: int) -> Offer | None:
    """The offer to show on someone's profile: only if they offer help and chose to show it."""
    offer = offer_of(owner_id)
    if not offer.offering or not policy.may_see_offer(viewer, owner_id, offer.on_profile):
        return None
    return offer


def erase(user_id: int) -> None:
    """Everything this module holds about a person (account erasure)."""
    for model in (HelperOffer, RoutedCase, WelcomeProgress):
        db.session.execute(delete(model).where(model.user_id == user_id))
    db.session.execute(delete(helper_themes).where(helper_themes.c.user_id == user_id))


# Figures for insights and the learning record -------------------------------------------------


def what_helped_count(user_id: int, since: datetime | None = None, until: datetime | None = None) -> int:
    """How many of this person's replies (written in [since, until), if given) are marked "what
    helped" (for their learning record)."""
    # From the person's replies (their author and date index), each looked up in the posts'
    # helped_reply_id index. SQLite is told to take that index: most posts have none, so its
    # statistics say a value matches every post, and it read all of them instead (per reply
    # here, or once in a join: 0.3 s at full scale).
    helped = (select(literal(1)).select_from(Post)
              .where(Post.helped_reply_id == Reply.id, Post.status == Status.PUBLISHED)
              .with_hint(Post, "INDEXED BY ix_posts_helped_reply_id", "sqlite").exists())
    query = (select(func.count()).select_from(Reply)
             .where(Reply.author_id == user_id, Reply.status == Status.PUBLISHED, helped))
    if since is not None:
        query = query.where(Reply.created_at >= since)
    if until is not None:
        query = query.where(Reply.created_at < until)
    return db.session.scalar(query) or 0


def what_helped_figure(since: datetime, until: datetime) -> tuple[float | None, int]:
    """For insights: the median hours to a "what helped" answer over the forum's cases published
    in [since, until), and how many different authors' cases it is built from (insights hides it
    below 5)."""
    rows = db.session.execute(
        select(Post.published_at, Reply.created_at, Post.author_id).join(Reply, Reply.id == Post.helped_reply_id)
        .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Reply.status == Status.PUBLISHED,
               Post.published_at >= since, Post.published_at < until,
               # Implied by the join; said, so that the index of marked posts alone is read.
               Post.helped_reply_id.is_not(None))).all()
    hours = [max((as_utc(answered) - as_utc(published)).total_seconds() / 3600, 0.0) for published, answered, _ in rows]
    return (round(median(hours), 1) if hours else None), len({author for _, _, author in rows})


def median_hours_to_what_helped(since: datetime, until: datetime, team_id: int | None = None) -> float | None:
    """The median time from a case's publication to the reply later marked "what helped", in
    hours, over cases published in [since, until) (of one team's authors); None if there is none.
    Insights applies its minimum group size to the count it shows beside it."""
    query = (select(Post.published_at, Reply.created_at).join(Reply, Reply.id == Post.helped_reply_id)
             .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Reply.status == Status.PUBLISHED,
                    Post.published_at >= since, Post.published_at < until, Post.helped_reply_id.is_not(None)))
    if team_id is not None:
        query = query.join(User, User.id == Post.author_id).where(User.team_id == team_id)
    hours = [max((as_utc(answered) - as_utc(published)).total_seconds() / 3600, 0.0)
             for published, answered in db.session.execute(query)]
    return round(median(hours), 1) if hours else None
