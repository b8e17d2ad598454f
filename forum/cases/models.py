"""Cases, stories, replies, their revisions, and people's reactions to them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from forum.accounts.models import User
from forum.extensions import db
from forum.themes.models import Theme
from forum.timeutil import utcnow


def _enum(enum_class, name: str) -> Enum:
    return Enum(enum_class, name=name, native_enum=False, length=24,
                values_callable=lambda members: [member.value for member in members])


class PostKind(enum.StrEnum):
    CASE = "case"
    STORY = "story"


class Status(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    #: Waiting for a manager's approval (pre-approval is on for the site or the author).
    PENDING = "pending"
    HIDDEN = "hidden"
    DELETED = "deleted"


class OutcomeGroup(enum.StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    OTHER = "other"


class OutcomeType(enum.StrEnum):
    """The one vocabulary of outcomes for jobseekers: a case's outcome updates (module
    `outcomes`) and a story's outcome use it alike. It lives here, below `outcomes`, because
    stories (this module) use it too."""

    STARTED_WORK = "started_work"
    KEPT_JOB = "kept_job"
    IN_WORK_13_WEEKS = "in_work_13_weeks"
    IN_WORK_26_WEEKS = "in_work_26_weeks"
    BETTER_JOB = "better_job"
    STARTED_EDUCATION = "started_education"
    STARTED_VOLUNTEERING = "started_volunteering"
    MORE_CONFIDENT = "more_confident"
    WELLBEING_BETTER = "wellbeing_better"
    BARRIER_REMOVED = "barrier_removed"
    MOVED_ON = "moved_on"
    NO_CHANGE_YET = "no_change_yet"
    OTHER = "other"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def group(self) -> OutcomeGroup:
        if self in DIRECT_OUTCOMES:
            return OutcomeGroup.DIRECT
        return OutcomeGroup.INDIRECT if self in INDIRECT_OUTCOMES else OutcomeGroup.OTHER

    @property
    def positive(self) -> bool:
        """Something changed for the better: direct or indirect."""
        return self.group != OutcomeGroup.OTHER


OUTCOME_LABELS = {
    OutcomeType.STARTED_WORK: "Started work",
    OutcomeType.KEPT_JOB: "Kept their job (in-work support)",
    OutcomeType.IN_WORK_13_WEEKS: "Still in work at 13 weeks",
    OutcomeType.IN_WORK_26_WEEKS: "Still in work at 26 weeks",
    OutcomeType.BETTER_JOB: "More hours or a better job",
    OutcomeType.STARTED_EDUCATION: "Started education or training",
    OutcomeType.STARTED_VOLUNTEERING: "Started volunteering or a work placement",
    OutcomeType.MORE_CONFIDENT: "More confident",
    OutcomeType.WELLBEING_BETTER: "Health or wellbeing better",
    OutcomeType.BARRIER_REMOVED: "A barrier removed",
    OutcomeType.MOVED_ON: "Moved on or lost contact",
    OutcomeType.NO_CHANGE_YET: "No change yet",
    OutcomeType.OTHER: "Other",
}
DIRECT_OUTCOMES = (OutcomeType.STARTED_WORK, OutcomeType.KEPT_JOB, OutcomeType.IN_WORK_13_WEEKS,
                   OutcomeType.IN_WORK_26_WEEKS, OutcomeType.BETTER_JOB, OutcomeType.STARTED_EDUCATION,
                   OutcomeType.STARTED_VOLUNTEERING)
INDIRECT_OUTCOMES = (OutcomeType.MORE_CONFIDENT, OutcomeType.WELLBEING_BETTER, OutcomeType.BARRIER_REMOVED)


class Barrier(enum.StrEnum):
    """Which barrier an outcome removed ("a barrier removed")."""

    BENEFITS = "benefits"
    DEBT = "debt"
    HOUSING = "housing"
    CHILDCARE = "childcare"
    TRANSPORT = "transport"
    HEALTH = "health"
    ADJUSTMENTS = "adjustments"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"benefits": "Benefits", "debt": "Debt", "housing": "Housing", "childcare": "Childcare",
                "transport": "Transport", "health": "Health", "adjustments": "Disclosure or adjustments at work",
                "other": "Another barrier"}[self.value]


post_themes = Table(
    "post_themes",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
    Index("ix_post_themes_theme_id_post_id", "theme_id", "post_id"),
)


class Post(db.Model):
    """A case (a challenge) or a story (something that worked); each part is Markdown
    stored beside its rendered, sanitised HTML, which pages show as it is."""

    __tablename__ = "posts"
    __table_args__ = (
        # Keyset pagination: newest activity first, per status and per kind.
        Index("ix_posts_status_last_activity", "status", "last_activity_at", "id"),
        Index("ix_posts_kind_status_last_activity", "kind", "status", "last_activity_at", "id"),
        Index("ix_posts_author_status_last_activity", "author_id", "status", "last_activity_at", "id"),
        # A circle's page: its newest posts, without walking every post in the forum (0024).
        Index("ix_posts_circle_status_last_activity", "circle_id", "status", "last_activity_at", "id"),
        # Insights: posts published in a period of months.
        Index("ix_posts_published_at", "published_at"),
        Index("ix_posts_helped_reply_id", "helped_reply_id"),
        # Insights (migration 0022): the period's cases in order (those still unanswered, the
        # first 20), and the few marked "what helped" without reading the others.
        Index("ix_posts_kind_status_published", "kind", "status", "published_at"),
        Index("ix_posts_helped_published", "kind", "status", "published_at",
              sqlite_where=text("helped_reply_id IS NOT NULL"), postgresql_where=text("helped_reply_id IS NOT NULL")),
        # Search's walk reads each match's post from here, not from the row (its text comes first).
        Index("ix_posts_search_sources", "id", "status", "circle_id", "published_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind, "post_kind"))
    title: Mapped[str] = mapped_column(String(150))
    situation_md: Mapped[str] = mapped_column(Text, default="")
    situation_html: Mapped[str] = mapped_column(Text, default="")
    #: Case only: "What I have tried".
    tried_md: Mapped[str] = mapped_column(Text, default="")
    tried_html: Mapped[str] = mapped_column(Text, default="")
    #: Case only: "What I would like help with", the focus question.
    ask_md: Mapped[str] = mapped_column(Text, default="")
    ask_html: Mapped[str] = mapped_column(Text, default="")
    #: Story only: "What worked".
    what_worked_md: Mapped[str] = mapped_column(Text, default="")
    what_worked_html: Mapped[str] = mapped_column(Text, default="")
    #: Story only: "The outcome".
    outcome_text_md: Mapped[str] = mapped_column(Text, default="")
    outcome_text_html: Mapped[str] = mapped_column(Text, default="")
    #: Case only, no longer written: migration 0013 moved each case's "What happened next" to
    #: the first entry of its outcome timeline (module `outcomes`). Kept for the search triggers.
    outcome_update_md: Mapped[str] = mapped_column(Text, default="")
    outcome_update_html: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: False: everyone but the author sees "An adviser".
    show_author: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The circle the post belongs to; None for the whole forum (circles arrive later).
    circle_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[Status] = mapped_column(_enum(Status, "post_status"), default=Status.DRAFT)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The reply the author (or, for a circle post, its facilitators) marked "what helped".
    #: No foreign key, like `circle_id`: the reply may be gone (retention), and pages show
    #: the mark only while the reply is published (`what_helped_shown`).
    helped_reply_id: Mapped[int | None] = mapped_column(Integer)

    author: Mapped[User] = relationship(lazy="raise")
    themes: Mapped[list[Theme]] = relationship(secondary=post_themes, lazy="raise", order_by=Theme.name)
    #: Story only: its kinds of outcome (one or more).
    story_outcomes: Mapped[list[StoryOutcome]] = relationship(lazy="raise", cascade="all, delete-orphan",
                                                              order_by="StoryOutcome.outcome_type")

    @property
    def outcome_types(self) -> list[OutcomeType]:
        return sorted((row.outcome_type for row in self.story_outcomes), key=list(OutcomeType).index)


class StoryOutcome(db.Model):
    """One kind of outcome a story reports."""

    __tablename__ = "story_outcomes"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    outcome_type: Mapped[OutcomeType] = mapped_column(_enum(OutcomeType, "outcome_type"), primary_key=True)


class Reply(db.Model):
    __tablename__ = "replies"
    __table_args__ = (
        Index("ix_replies_post_status_created", "post_id", "status", "created_at", "id"),
        Index("ix_replies_author_id", "author_id"),
        # Insights: did this person reply in this month (one index seek per person and month).
        Index("ix_replies_author_created", "author_id", "created_at"),
        # Search's walk reads each matching reply from here, not from the row (its text comes first).
        Index("ix_replies_search_sources", "id", "post_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    show_author: Mapped[bool] = mapped_column(Boolean, default=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(_enum(Status, "reply_status"), default=Status.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[User] = relationship(lazy="raise")
    post: Mapped[Post] = relationship(lazy="raise")


#: True while the post's "what helped" reply is published: a hidden reply loses the mark's
#: display until it is restored. One EXISTS in the post's own SELECT, so lists stay one query.
Post.what_helped_shown = column_property(
    exists().where(Reply.id == Post.helped_reply_id, Reply.status == Status.PUBLISHED).correlate_except(Reply))


class Revision(db.Model):
    """The text of a post or reply as it was before an edit."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_target", "target_type", "target_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    #: JSON object of the Markdown fields as they were (title included for posts).
    content_json: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Helpful(db.Model):
    """One person found a post or a reply helpful: once per person per item."""

    __tablename__ = "helpful_marks"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "user_id", name="uq_helpful_marks_target_user"),
        Index("ix_helpful_marks_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "post" or "reply".
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Bookmark(db.Model):
    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_user_created", "user_id", "created_at", "post_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Decision(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # a warning the author checked
    CLEARED = "cleared"  # a block the author says is not an identifier, with a reason
    FIXED = "fixed"  # no longer in the text
    REDACTED = "redacted"  # removed for good by a manager or facilitator


class PrivacyFinding(db.Model):
    """A possible personal identifier the privacy guard found in a post or reply.

    The matched text itself is never stored: only where it was, what kind it looked like,
    and a keyed fingerprint that lets a decision follow it across edits.
    """

    __tablename__ = "privacy_findings"
    __table_args__ = (
        Index("ix_privacy_findings_target", "target_type", "target_id"),
        Index("ix_privacy_findings_decision_decided", "decision", "decided_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(8))
    target_id: Mapped[int] = mapped_column(Integer)
    #: Which part of the post ("title", "situation"...) or "body" for a reply.
    field: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    suggestion: Mapped[str | None] = mapped_column(String(80))
    rule_id: Mapped[str | None] = mapped_column(String(64))
    #: HMAC of field, kind and matched text: the same identifier after an edit.
    fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[Decision] = mapped_column(_enum(Decision, "finding_decision"), default=Decision.OPEN)
    clear_reason: Mapped[str | None] = mapped_column(String(32))
    clear_note: Mapped[str | None] = mapped_column(String(300))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    @property
    def unresolved(self) -> bool:
        return self.decision == Decision.OPEN
