"""Retention (UK GDPR Art 5(1)(e)): content is kept for a set period after its last activity.

`apply(dry_run)` deletes posts whose last activity is older than the period, with everything
that hangs off them, and attendance of meetings older than the same period. It is run by cron
(`flask --app wsgi apply-retention`) and is idempotent: a second run finds nothing.

Posts are deleted with one DELETE statement, so the database does the rest: foreign keys
with ON DELETE CASCADE remove replies, theme tags, bookmarks, agenda items and notifications
(SQLite enforces them because forum.database turns `PRAGMA foreign_keys` on for every
connection), and the search triggers of migration 0003 remove the index entries.

Extension point: tables keyed by post id *with* a foreign key ON DELETE CASCADE (moderation's
flags) need nothing. Rows naming a post or reply without a foreign key are removed by a
`retention_step`: `function(post_ids, reply_ids) -> int` returning how many rows it deleted,
registered with @retention_step("name"); the name becomes a count in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, delete, func, or_, select

from forum import audit
from forum.accounts.models import User
from forum.cases.models import Bookmark, Helpful, Post, PrivacyFinding, Reply, Revision
from forum.dataprotection import policy
from forum.dataprotection.models import RetentionSetting
from forum.errors import Invalid
from forum.extensions import db
from forum.learning.models import Reflection
from forum.meetings.models import Attendance, HeardMark, Meeting
from forum.notifications.models import Follow, Notification
from forum.timeutil import utcnow

SETTING_ID = 1


# The setting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    enabled: bool
    months: int


def current_setting() -> Setting:
    row = db.session.get(RetentionSetting, SETTING_ID)
    if row is None:
        return Setting(True, policy.DEFAULT_RETENTION_MONTHS)
    return Setting(row.enabled, row.months)


def change_setting(actor: User | None, enabled: bool, months: int | None) -> None:
    if months is None or not policy.MIN_RETENTION_MONTHS <= months <= policy.MAX_RETENTION_MONTHS:
        raise Invalid(f"Enter a whole number of months from {policy.MIN_RETENTION_MONTHS} "
                      f"to {policy.MAX_RETENTION_MONTHS}", field="months")
    row = db.session.get(RetentionSetting, SETTING_ID)
    if row is None:
        row = RetentionSetting(id=SETTING_ID)
        db.session.add(row)
    row.enabled, row.months = enabled, months
    row.updated_at, row.updated_by_id = utcnow(), getattr(actor, "id", None)
    audit.record(actor, "retention.changed", "retention", SETTING_ID,
                 reason=f"{'on' if enabled else 'off'}, {months} months")


def leave_off_for_demo() -> None:
    """The demo's content is dated in the past on purpose: retention must not eat it."""
    if db.session.get(RetentionSetting, SETTING_ID) is None:
        change_setting(None, False, policy.DEFAULT_RETENTION_MONTHS)


# Extension point ------------------------------------------------------------------------------

#: name -> function(post_ids, reply_ids) -> rows deleted. Add to it with @retention_step.
RETENTION_STEPS: dict[str, Callable[[list[int], list[int]], int]] = {}


def retention_step(name: str):
    def register(step: Callable[[list[int], list[int]], int]):
        RETENTION_STEPS[name] = step
        return step

    return register


# Applying it ----------------------------------------------------------------------------------


@dataclass
class Report:
    enabled: bool
    months: int
    cutoff: datetime | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return ", ".join(f"{name}={count}" for name, count in self.counts.items())


def cutoff_for(months: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - relativedelta(months=months)


def expired_posts_clause(cutoff: datetime):
    """Last activity (a reply, publishing, an outcome, an edit) before the cutoff, whatever the status."""
    return and_(Post.last_activity_at < cutoff, or_(Post.edited_at.is_(None), Post.edited_at < cutoff))


def apply(dry_run: bool = False, now: datetime | None = None) -> Report:
    """Delete what the period has passed (or only count it, with dry_run). The caller commits."""
    setting = current_setting()
    if not setting.enabled:
        return Report(False, setting.months, None)
    cutoff = cutoff_for(setting.months, now)
    post_ids = list(db.session.scalars(select(Post.id).where(expired_posts_clause(cutoff))))
    reply_ids = list(db.session.scalars(select(Reply.id).where(Reply.post_id.in_(post_ids or [-1]))))
    report = Report(True, setting.months, cutoff, _count(post_ids, reply_ids, cutoff))
    if dry_run:
        return report
    _delete(post_ids, reply_ids, cutoff, report)
    audit.record(None, "retention.applied", "retention", SETTING_ID, reason=report.summary)
    return report


def _targets(model, post_ids: list[int], reply_ids: list[int]):
    return or_(and_(model.target_type == "post", model.target_id.in_(post_ids or [-1])),
               and_(model.target_type == "reply", model.target_id.in_(reply_ids or [-1])))


def _old_meetings(cutoff: datetime):
    return select(Meeting.id).where(Meeting.starts_at < cutoff)


def _count(post_ids: list[int], reply_ids: list[int], cutoff: datetime) -> dict[str, int]:
    def count(model, clause) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(clause))

    counts = {
        "posts": len(post_ids),
        "replies": len(reply_ids),
        "revisions": count(Revision, _targets(Revision, post_ids, reply_ids)),
        "privacy_findings": count(PrivacyFinding, _targets(PrivacyFinding, post_ids, reply_ids)),
        "helpful_marks": count(Helpful, _targets(Helpful, post_ids, reply_ids)),
        "bookmarks": count(Bookmark, Bookmark.post_id.in_(post_ids or [-1])),
        "notifications": count(Notification, Notification.post_id.in_(post_ids or [-1])),
        "attendance": count(Attendance, Attendance.meeting_id.in_(_old_meetings(cutoff))),
        "reflections": count(Reflection, Reflection.updated_at < cutoff),
    }
    for name in RETENTION_STEPS:
        counts[name] = 0  # filled in by a real run; a step cannot count without deleting
    return counts


def _delete(post_ids: list[int], reply_ids: list[int], cutoff: datetime, report: Report) -> None:
    # Rows that name a post or reply without a foreign key go first, by hand.
    for model in (Revision, PrivacyFinding, Helpful):
        db.session.execute(delete(model).where(_targets(model, post_ids, reply_ids))
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(Follow).where(Follow.target_type == "post", Follow.target_id.in_(post_ids or [-1]))
                       .execution_options(synchronize_session=False))
    for name, step in RETENTION_STEPS.items():
        report.counts[name] = step(post_ids, reply_ids)
    # One statement: the database cascades to replies, tags, bookmarks, agenda items,
    # notifications and any later table keyed by post id, and its triggers clear the search index.
    db.session.execute(delete(Post).where(Post.id.in_(post_ids or [-1])).execution_options(synchronize_session=False))
    old_meetings = _old_meetings(cutoff)
    db.session.execute(delete(Attendance).where(Attendance.meeting_id.in_(old_meetings))
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(HeardMark).where(HeardMark.meeting_id.in_(old_meetings))
                       .execution_options(synchronize_session=False))
    # A reflection follows the period from its own last activity (written or edited).
    db.session.execute(delete(Reflection).where(Reflection.updated_at < cutoff).execution_options(synchronize_session=False))
    db.session.expire_all()
