"""Who may see and do what with posts and replies: the only place these answers live.

Every list, count, search result, theme page and bookmark list goes through
`visible_post_clause`, so a draft, hidden, deleted or (later) circle-only post cannot leak.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select

from forum.accounts.models import User
from forum.cases.models import Post, Reply, Status


def visible_post_clause(user: User) -> ColumnElement[bool]:
    """Posts this person may read in lists: published, and not in a circle (circles come later)."""
    return and_(Post.status == Status.PUBLISHED, Post.circle_id.is_(None))


def visible_posts(user: User) -> Select:
    return select(Post).where(visible_post_clause(user))


def visible_reply_clause(user: User) -> ColumnElement[bool]:
    """Replies this person may read: published replies of posts they may read."""
    return Reply.status == Status.PUBLISHED
