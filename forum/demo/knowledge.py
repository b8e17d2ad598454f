"""Demo data for issue 21's features, for `seed-demo`: three advisers who offered help, a few
cases whose author marked "what helped", unanswered cases sent to those helpers, and one
newly invited adviser who sees the welcome path on their home page. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from forum.accounts.models import Invitation, User
from forum.cases import services as cases
from forum.cases.models import Post, PostKind, Reply, Status
from forum.extensions import db
from forum.knowledge import routing, services
from forum.knowledge.models import HelperOffer
from forum.themes.models import Theme
from forum.timeutil import utcnow

#: (adviser index, theme slugs, years, shown on their profile)
OFFERS = (
    (0, ("universal-credit-and-benefits", "mental-health", "interview-skills"), 12, True),
    (1, ("housing", "debt-and-money"), 5, True),
    (4, ("mental-health", "confidence-and-motivation"), 2, False),
)
#: The demo adviser who was "invited last week".
NEW_ADVISER = "jordan.adviser@example.org"


def seed_knowledge(advisers: list[User]) -> None:
    _offers(advisers)
    _what_helped()
    _new_adviser()
    db.session.flush()
    routing.route_unanswered()


def _offers(advisers: list[User]) -> None:
    slugs = {theme.slug: theme.id for theme in db.session.scalars(select(Theme))}
    for index, wanted, years, on_profile in OFFERS:
        person = advisers[index % len(advisers)]
        if db.session.get(HelperOffer, person.id) is not None:
            continue
        theme_ids = [slugs[slug] for slug in wanted if slug in slugs] or list(slugs.values())[:2]
        services.save_offer(person, services.OfferInput(offering=True, theme_ids=theme_ids, years=years,
                                                        on_profile=on_profile))


def _what_helped(count: int = 6) -> None:
    """The oldest answered cases get their author's "what helped": the first reply by someone else."""
    if db.session.scalar(select(func.count()).select_from(Post).where(Post.helped_reply_id.is_not(None))):
        return
    posts = db.session.scalars(select(Post).where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED,
                                                  Post.circle_id.is_(None), Post.reply_count > 0)
                               .order_by(Post.published_at, Post.id).limit(count))
    for post in posts:
        reply = db.session.scalar(select(Reply).where(Reply.post_id == post.id, Reply.status == Status.PUBLISHED,
                                                      Reply.author_id != post.author_id).order_by(Reply.created_at))
        author = db.session.get(User, post.author_id)
        if reply is not None:
            cases.mark_what_helped(author, post, reply.id)


def _new_adviser() -> None:
    person = db.session.scalar(select(User).where(User.email == NEW_ADVISER))
    if person is None or db.session.scalar(select(Invitation.id).where(Invitation.email == NEW_ADVISER)):
        return
    now = utcnow()
    db.session.add(Invitation(token_hash="demo-welcome-" + "0" * 51, email=NEW_ADVISER, role=person.role,
                              team_id=person.team_id, created_at=now - timedelta(days=8),
                              expires_at=now - timedelta(days=1), used_at=now - timedelta(days=6)))


__all__ = ["seed_knowledge"]
