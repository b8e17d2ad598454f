"""The privacy review: published text whose author cleared a finding, and redaction of a
span for good: from the current text, every stored revision and (by the database's own
triggers) the search index. The removed text is never stored or logged."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select

from forum import audit, privacy
from forum.accounts.models import User
from forum.cases import guard, policy, services
from forum.cases.models import Decision, Post, PrivacyFinding, Reply, Revision, Status
from forum.cases.services import render
from forum.circles.policy import facilitated_circle_ids
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.pagination import Page, keyset_page
from forum.timeutil import utcnow
from forum.text import clean


@dataclass(frozen=True)
class TextKind:
    """Text another module keeps about a post (an outcome update's note), checked by the guard
    under its own target type: registered with `add_text_kind`, its cleared findings reach the
    privacy review and can be removed like a post's. Cases cannot import those modules (they
    build on cases), so they tell the review about their text here."""

    #: How the review names it after the post's title, e.g. "an outcome update".
    label: str
    #: The ids of its rows about the posts in a select of post ids.
    ids_about: Callable
    #: Its rows by id (each with `post_id`), for a list of ids.
    load: Callable[[list[int]], dict[int, object]]
    #: Whether a row is public (a draft is its writer's alone, and not the review's).
    is_public: Callable[[object], bool]
    #: Replace a field's text (Markdown), rendering whatever the module shows.
    set_text: Callable[[object, str, str], None]


TEXT_KINDS: dict[str, TextKind] = {}


def add_text_kind(target_type: str, kind: TextKind) -> None:
    TEXT_KINDS[target_type] = kind


@dataclass
class ReviewItem:
    finding: PrivacyFinding
    post: Post
    reply: Reply | None
    #: A row of a registered text kind (the finding's target), when it is neither post nor reply.
    other: object | None = None

    @property
    def target(self):
        return self.other or self.reply or self.post

    @property
    def other_label(self) -> str | None:
        return TEXT_KINDS[self.finding.target_type].label if self.other is not None else None

    @property
    def text(self) -> str:
        return field_text(self.target, self.finding.field)


def field_text(target, field: str) -> str:
    if field == "title":
        return target.title
    return getattr(target, f"{field}_md")


def _set_field(target_type: str, target, field: str, text: str) -> None:
    if target_type in TEXT_KINDS:
        TEXT_KINDS[target_type].set_text(target, field, text)
    elif field == "title":
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
    query = select(PrivacyFinding).where(PrivacyFinding.decision == Decision.CLEARED, _in_scope(user))
    page = keyset_page(query, PrivacyFinding.decided_at, PrivacyFinding.id, older, newer)
    return page, _items(user, page.items)


def _in_scope(user: User):
    """Findings in posts this person reviews, so pages are full (the loop below re-checks)."""
    circle_ids = facilitated_circle_ids(user)
    posts = select(Post.id).where(or_(Post.circle_id.in_(circle_ids or [-1]),
                                      Post.circle_id.is_(None) if user.is_manager else false()))
    replies = select(Reply.id).where(Reply.post_id.in_(posts))
    others = [and_(PrivacyFinding.target_type == name, PrivacyFinding.target_id.in_(kind.ids_about(posts)))
              for name, kind in TEXT_KINDS.items()]
    return or_(and_(PrivacyFinding.target_type == "post", PrivacyFinding.target_id.in_(posts)),
               and_(PrivacyFinding.target_type == "reply", PrivacyFinding.target_id.in_(replies)), *others)


def _items(user: User, findings: list[PrivacyFinding]) -> list[ReviewItem]:
    """Load each finding's post and reply (or other text) in a query per kind; keep what is
    public and this person's to review (forum-wide for managers, their own circles for
    facilitators)."""
    reply_ids = [row.target_id for row in findings if row.target_type == "reply"]
    replies = {reply.id: reply for reply in db.session.scalars(select(Reply).where(Reply.id.in_(reply_ids or [-1])))}
    others = {name: kind.load([row.target_id for row in findings if row.target_type == name])
              for name, kind in TEXT_KINDS.items() if any(row.target_type == name for row in findings)}
    post_ids = ({row.target_id for row in findings if row.target_type == "post"} | {r.post_id for r in replies.values()}
                | {other.post_id for rows in others.values() for other in rows.values()})
    posts = {post.id: post for post in db.session.scalars(select(Post).where(Post.id.in_(post_ids or [-1])))}
    items = []
    for row in findings:
        reply = replies.get(row.target_id) if row.target_type == "reply" else None
        other = others.get(row.target_type, {}).get(row.target_id)
        post = posts.get(reply.post_id if reply else other.post_id if other is not None else row.target_id)
        if row.target_type not in ("post", "reply") and other is None:
            continue
        if post is None or post.status != Status.PUBLISHED or not policy.may_review_privacy_of(user, post):
            continue
        if reply is not None and reply.status != Status.PUBLISHED:
            continue
        if other is not None and not TEXT_KINDS[row.target_type].is_public(other):
            continue
        items.append(ReviewItem(row, post, reply, other))
    return items


def get_item(user: User, finding_id: int) -> ReviewItem:
    _require_reviewer(user)
    finding = db.session.get(PrivacyFinding, finding_id)
    items = _items(user, [finding]) if finding is not None and finding.decision == Decision.CLEARED else []
    if not items:
        raise NotFound()
    return items[0]


def redact(user: User, item: ReviewItem, start: int, end: int, reason: str) -> None:
    """Replace text[start:end] by "[removed]" everywhere the text is kept."""
    _require_reviewer(user)
    reason = clean(reason).strip()
    if len(reason) < 5:
        raise Invalid("Say why you are removing this (at least 5 characters)", field="reason")
    target, field = item.target, item.finding.field
    text = field_text(target, field)
    try:
        privacy.check_span(text, start, end)
    except ValueError:
        raise Invalid("That part is not inside the text: reload the page and try again", field="reason") from None
    item.finding.decision, item.finding.decided_by_id, item.finding.decided_at = Decision.REDACTED, user.id, utcnow()
    _replace(user, item.finding.target_type, target, field, privacy.redact(text, start, end), text[start:end])
    audit.record(user, "privacy.redacted", item.finding.target_type, target.id,
                 reason=f"{item.finding.kind}: {reason}")


def fields_of(target_type: str, target) -> list[str]:
    """The parts of a post or reply that hold text, in reading order."""
    if target_type == "reply":
        return ["body"]
    parts = ["title", *services.PARTS[target.kind]]
    return parts + (["outcome_update"] if target.outcome_update_md else [])


def remove_text(actor: User, target_type: str, target, field: str, removed: str) -> None:
    """A moderator removes an exact piece of text (every occurrence) from one part for good."""
    removed = removed.strip()
    text = field_text(target, field)
    if not removed:
        raise ValueError("Enter the text to remove, exactly as it appears")
    if removed not in text:
        raise ValueError("That text is not in the part you chose: copy it exactly from the text shown")
    _replace(actor, target_type, target, field, text.replace(removed, privacy.REDACTED), removed)


def _replace(actor: User, target_type: str, target, field: str, new_text: str, removed: str) -> None:
    """The new text, earlier versions scrubbed, and the guard's findings moved with the text;
    the search index follows through the database's triggers."""
    _set_field(target_type, target, field, new_text)
    _scrub_revisions(target_type, target.id, removed)
    guard.review(actor, target_type, target.id, {field: field_text(target, field)})


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
