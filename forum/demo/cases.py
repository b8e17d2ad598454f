"""Demo cases and stories for `seed-demo`, written through the same services as the app
(so Markdown is rendered and counters kept), then dated across the last few months."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum.accounts.models import User
from forum.cases import services
from forum.cases.models import OutcomeType, Post, PostKind, Reply
from forum.demo.cases_content import CASES, STORIES
from forum.extensions import db
from forum.themes.models import Theme
from forum.timeutil import utcnow

CASE_PARTS = ("situation", "tried", "ask")
STORY_PARTS = ("situation", "what_worked", "outcome_text")


def seed_posts(advisers: list[User]) -> int:
    """Add the demo posts that are not there yet; returns how many were added."""
    theme_ids = {slug: theme_id for slug, theme_id in db.session.execute(select(Theme.slug, Theme.id))}
    existing = set(db.session.scalars(select(Post.title)))
    added = 0
    for kind, entries, parts in ((PostKind.CASE, CASES, CASE_PARTS), (PostKind.STORY, STORIES, STORY_PARTS)):
        for entry in entries:
            if entry["title"] in existing:
                continue
            _seed_one(kind, entry, parts, advisers, theme_ids)
            added += 1
    return added


def _seed_one(kind: PostKind, entry: dict, parts: tuple[str, ...], advisers: list[User], theme_ids: dict) -> None:
    author = advisers[entry["author"] % len(advisers)]
    data = services.PostInput(
        kind=kind,
        title=entry["title"],
        parts={name: entry[name] for name in parts},
        theme_ids=[theme_ids[slug] for slug in entry["themes"]],
        show_author=not entry["anonymous"],
        outcome_types=tuple(OutcomeType(value) for value in entry.get("outcome_types", [])) if kind == PostKind.STORY else (),
    )
    post = services.save(author, data, publish=True)
    replies = [services.reply(advisers[item["author"] % len(advisers)], post, item["body"],
                              show_author=not item["anonymous"]) for item in entry.get("replies", [])]
    _backdate(post, replies, entry["days_ago"])


def _backdate(post: Post, replies: list[Reply], days_ago: int) -> None:
    """Spread activity over time, so lists and search look like a forum in use."""
    published = utcnow() - timedelta(days=days_ago, hours=3)
    last = published
    for number, item in enumerate(replies, start=1):
        moment = published + timedelta(hours=5 * number)
        db.session.execute(update(Reply).where(Reply.id == item.id).values(created_at=moment))
        last = moment
    db.session.execute(
        update(Post).where(Post.id == post.id).values(created_at=published, published_at=published, last_activity_at=last)
    )
