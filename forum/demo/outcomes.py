"""Demo outcome updates for `seed-demo`: what happened next on the demo cases, recorded through
the outcomes service (so notes pass the privacy guard, and the timeline is real)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select

from forum.accounts.models import User
from forum.cases.models import Post, PostKind
from forum.demo.cases_content import CASES
from forum.extensions import db
from forum.outcomes import services
from forum.outcomes.models import OutcomeUpdate
from forum.timeutil import as_utc, in_zone, utcnow


def seed_outcomes(advisers: list[User]) -> int:
    """Each demo case with a "what happened next" gets it as a dated update, once."""
    added = 0
    by_title = {entry["title"]: entry for entry in CASES if entry.get("outcome_update")}
    cases = db.session.scalars(select(Post).where(
        Post.kind == PostKind.CASE, Post.title.in_(list(by_title)),
        ~exists().where(OutcomeUpdate.post_id == Post.id)))
    for post in cases:
        entry = by_title[post.title]
        author = advisers[entry["author"] % len(advisers)]
        published = as_utc(post.published_at)
        happened = min(published + (utcnow() - published) * 2 / 3, utcnow() - timedelta(days=1))
        services.record(author, post, services.OutcomeInput(
            types=tuple(entry["outcome_types"]), occurred_on=in_zone(max(happened, published)).date(),
            note=entry["outcome_update"], barriers=tuple(entry.get("barriers", ())), resolved=entry["resolved"]))
        added += 1
    return added
