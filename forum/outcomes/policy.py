"""Who may record, see and act on a case's outcomes: the only place these answers live."""

from __future__ import annotations

from flask import abort

from forum.accounts.models import User
from forum.cases import services as cases
from forum.cases.models import Post, PostKind, Status
from forum.circles import policy as circles
from forum.errors import NotFound


def case_or_404(user: User, post_id: int) -> Post:
    """A case this person may read, or 404 (missing, hidden from them, or a story)."""
    try:
        post = cases.get_visible_post(user, post_id)
    except NotFound:
        abort(404)
    if post.kind != PostKind.CASE:
        abort(404)
    return post


def may_record(user: User, post: Post) -> bool:
    """The case's author, or a facilitator of the circle it was posted in, on a published case."""
    if post.kind != PostKind.CASE or post.status != Status.PUBLISHED:
        return False
    if post.author_id == user.id:
        return True
    return post.circle_id is not None and post.circle_id in circles.facilitated_circle_ids(user)


def may_stop_asking(user: User, post: Post) -> bool:
    """Only the author is asked, so only the author can say "stop asking"."""
    return post.kind == PostKind.CASE and post.author_id == user.id


def may_turn_into_story(user: User, post: Post, has_positive_outcome: bool) -> bool:
    """The author, from a published case with a positive outcome (direct or indirect)."""
    return (post.kind == PostKind.CASE and post.status == Status.PUBLISHED and post.author_id == user.id
            and has_positive_outcome)
