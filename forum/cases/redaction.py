"""The privacy review: published text whose author cleared a finding, and redaction of a
span for good: from the current text, every stored revision and (by the database's own
triggers) the search index. The removed text is never stored or logged."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from forum import audit, privacy
from forum.accounts.models import User
from forum.cases import guard, policy
from forum.cases.services import render
from forum.cases.models import Decision, Post, PrivacyFinding, Reply, Revision, Status
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.pagination import Page, keyset_page
from forum.timeutil import utcnow


@dataclass
class ReviewItem:
    finding: PrivacyFinding
    post: Post
    reply: Reply | None

    @property
    def text(self) -> str:
        return field_text(self.reply or self.post, self.finding.field)


def field_text(target, field: str) -> str:
    if field == "title":
        return target.title
    return getattr(target, f"{field}_md")


def _set_field(target, field: str, text: str) -> None:
    if field == "title":
        target.title = text
    else:
        setattr(target, f"{field}_md", text)
        setattr(target, f"{field}_html", render(text))


def _require_reviewer(user: User) -> None:
    if not policy.may_review_privacy(user):
        raise Forbidden()


def review_page(user: User, older: str | None, newer: str | None) -> tuple[Page, list[ReviewItem]]:
    """Cleared findings in published, forum-wide text, most recently cleared first."""
    _require_reviewer(user)
    query = select(PrivacyFinding).where(PrivacyFinding.decision == Decision.CLEARED)
    page = keyset_page(query, PrivacyFinding.decided_at, PrivacyFinding.id, older, newer)
    return page, _items(page.items)


def _items(findings: list[PrivacyFinding]) -> list[ReviewItem]:
    """Load each finding's post and reply in two queries; drop what is no longer public."""
    reply_ids = [row.target_id for row in findings if row.target_type == "reply"]
    replies = {reply.id: reply for reply in db.session.scalars(select(Reply).where(Reply.id.in_(reply_ids or [-1])))}
    post_ids = {row.target_id for row in findings if row.target_type == "post"} | {r.post_id for r in replies.values()}
    posts = {post.id: post for post in db.session.scalars(select(Post).where(Post.id.in_(post_ids or [-1])))}
    items = []
    for row in findings:
        reply = replies.get(row.target_id) if row.target_type == "reply" else None
        post = posts.get(reply.post_id if reply else row.target_id)
        if post is None or post.status != Status.PUBLISHED or post.circle_id is not None:
            continue
        if reply is not None and reply.status != Status.PUBLISHED:
            continue
        items.append(ReviewItem(row, post, reply))
    return items


def get_item(user: User, finding_id: int) -> ReviewItem:
    _require_reviewer(user)
    finding = db.session.get(PrivacyFinding, finding_id)
    items = _items([finding]) if finding is not None and finding.decision == Decision.CLEARED else []
    if not items:
        raise NotFound()
    return items[0]


def redact(user: User, item: ReviewItem, start: int, end: int, reason: str) -> None:
    """Replace text[start:end] by "[removed]" everywhere the text is kept."""
    _require_reviewer(user)
    reason = reason.strip()
    if len(reason) < 5:
        raise Invalid("Say why you are removing this (at least 5 characters)", field="reason")
    target, field = item.reply or item.post, item.finding.field
    text = field_text(target, field)
    try:
        privacy.check_span(text, start, end)
    except ValueError:
        raise Invalid("That part is not inside the text: reload the page and try again", field="reason") from None
    removed = text[start:end]
    _set_field(target, field, privacy.redact(text, start, end))
    _scrub_revisions(item.finding.target_type, target.id, removed)
    item.finding.decision, item.finding.decided_by_id, item.finding.decided_at = Decision.REDACTED, user.id, utcnow()
    # The other findings in this text move with it.
    guard.review(user, item.finding.target_type, target.id, {field: field_text(target, field)})
    audit.record(user, "privacy.redacted", item.finding.target_type, target.id,
                 reason=f"{item.finding.kind}: {reason}")


def _scrub_revisions(target_type: str, target_id: int, removed: str) -> None:
    """Earlier versions must not keep what was removed."""
    for revision in db.session.scalars(
        select(Revision).where(Revision.target_type == target_type, Revision.target_id == target_id)
    ):
        content = json.loads(revision.content_json)
        cleaned = {key: value.replace(removed, privacy.REDACTED) for key, value in content.items()}
        if cleaned != content:
            revision.content_json = json.dumps(cleaned)


def redacted_targets(target_type: str, target_ids: list[int]) -> set[int]:
    """Which of these posts or replies had part of their text removed (to tell the author)."""
    if not target_ids:
        return set()
    return set(db.session.scalars(
        select(PrivacyFinding.target_id).where(
            PrivacyFinding.target_type == target_type, PrivacyFinding.target_id.in_(target_ids or [-1]),
            PrivacyFinding.decision == Decision.REDACTED)
    ))
