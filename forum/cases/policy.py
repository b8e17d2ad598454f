"""Who may see and do what with posts and replies: the only place these answers live.

Every list, count, search result, theme page and bookmark list goes through
`visible_post_clause`, so a draft, hidden, deleted or (later) circle-only post cannot leak.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_, select

from forum import settings
from forum.accounts import policy as accounts
from forum.accounts.models import User
from forum.cases.models import Post, Reply, Status
from forum.circles import policy as circles


def visible_post_clause(user: User | None, person=None) -> ColumnElement[bool]:
    """Posts this person may read in lists: published, forum-wide or in one of their circles.
    Managers and admins are no exception: circles are a safe space. (`person`: the person's id
    as an expression, such as a bind parameter of a statement built once, instead of `user`.)"""
    return and_(Post.status == Status.PUBLISHED,
                or_(Post.circle_id.is_(None), Post.circle_id.in_(circles.member_circle_ids(user, person))))


def visible_posts(user: User) -> Select:
    return select(Post).where(visible_post_clause(user))


def visible_reply_clause(user: User) -> ColumnElement[bool]:
    """Replies this person may read: published replies of posts they may read."""
    return Reply.status == Status.PUBLISHED


def may_read(user: User, post: Post) -> bool:
    """Authors see their own drafts; everyone sees published forum-wide posts; managers
    still see deleted and hidden ones (soft delete keeps them for review and audit)."""
    if post.circle_id is not None and not circles.is_member(user, post.circle_id):
        return False
    if post.author_id == user.id and post.status in (Status.DRAFT, Status.PUBLISHED, Status.PENDING, Status.HIDDEN):
        return True
    if post.circle_id is not None:
        return post.status == Status.PUBLISHED
    if post.status == Status.PUBLISHED:
        return True
    return post.status in (Status.PENDING, Status.HIDDEN, Status.DELETED) and accounts.acts_as_manager(user)


def may_read_reply(user: User, reply: Reply) -> bool:
    """Published replies of readable posts; a reply held for its privacy check, to its author."""
    if reply.post.status != Status.PUBLISHED or not may_read(user, reply.post):
        return False
    return reply.status == Status.PUBLISHED or (reply.status == Status.DRAFT and reply.author_id == user.id)


#: What an author can still change: a hidden post can be put right, then sent for review.
EDITABLE = (Status.DRAFT, Status.PUBLISHED, Status.PENDING, Status.HIDDEN)


def may_edit(user: User, post: Post) -> bool:
    return post.author_id == user.id and post.status in EDITABLE


def needs_approval(author: User, circle_id: int | None) -> bool:
    """Pre-approval (for the site, or for this person): new forum-wide posts wait for a
    manager. Circle posts never do: the circle is their audience, and its members can flag."""
    return circle_id is None and (author.needs_approval or settings.is_on(settings.PRE_APPROVAL))


def may_reply(user: User, post: Post) -> bool:
    return post.status == Status.PUBLISHED and not post.locked


def shown_author(viewer: User, author_id: int, author: User, show_author: bool) -> User | None:
    """Who to name as the author: None means "An adviser", for everyone but the author."""
    if show_author or viewer.id == author_id:
        return author
    return None


def may_see_history(user: User, author_id: int) -> bool:
    """Edit history: the author and line managers (and admins, both with two-factor on)."""
    return user.id == author_id or accounts.acts_as_manager(user)


def with_visible_history(user: User, items) -> set[int]:
    """`may_see_history` for each of a page's replies (ids), the manager check made once (it
    reads the person's two-factor record)."""
    managing = accounts.acts_as_manager(user)
    return {item.id for item in items if managing or user.id == item.author_id}


def may_reveal_author(user: User) -> bool:
    return accounts.acts_as_manager(user)


def may_edit_reply(user: User, reply: Reply) -> bool:
    return reply.author_id == user.id and reply.status in (Status.PUBLISHED, Status.DRAFT, Status.HIDDEN)


def may_act_on_findings(user: User, target_type: str, target: Post | Reply) -> bool:
    """The privacy guard's findings in a post or reply are its author's to replace or keep,
    while they may still change it."""
    return may_edit_reply(user, target) if target_type == "reply" else may_edit(user, target)


def may_delete(user: User, post: Post) -> bool:
    """Authors delete their own; admins anyone's (erasure, legal requests; with two-factor on);
    managers hide instead."""
    if post.status not in EDITABLE:
        return False
    return post.author_id == user.id or accounts.acts_as_admin(user)


def may_review_privacy(user: User) -> bool:
    """The privacy review list and redaction: managers and admins for posts outside circles,
    a circle's facilitators for their circle's posts."""
    return user.is_manager or bool(circles.facilitated_circle_ids(user))


def may_review_privacy_of(user: User, post: Post) -> bool:
    if post.circle_id is None:
        return user.is_manager
    return post.circle_id in circles.facilitated_circle_ids(user)


def may_mark_helpful(user: User, author_id: int) -> bool:
    """Anyone but the author may find a post or reply helpful."""
    return author_id != user.id


def may_mark_what_helped(user: User, post: Post) -> bool:
    """"What helped" is chosen by the case's author, or for a circle post by its circle's
    facilitators; on a published post only."""
    if post.status != Status.PUBLISHED:
        return False
    if post.author_id == user.id:
        return True
    return post.circle_id is not None and post.circle_id in circles.facilitated_circle_ids(user)
