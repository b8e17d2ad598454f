"""Export my data (UK GDPR Arts 15 and 20): everything held about one person, built on request.

The export is assembled in memory for each request and never stored. It holds the person's
own data only: nobody else's name, email or id appears, and nothing says who wrote an
anonymous post they replied to.

Extension point: `export_section(key, title)` registers a function `(user) -> list | dict`
whose result becomes one section of both the JSON file and the readable page. Sections for
tables written later are added here, next to the ones that exist now, so the other module
never imports this one (moderation's flags: `flags_raised`, at the end).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum import audit
from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.cases import policy as cases_policy
from forum.cases.models import Bookmark, Helpful, Post, Reply, Revision
from forum.circles.models import Circle, Membership
from forum.extensions import db
from forum.meetings.models import (
    ActionPoint,
    Attendance,
    CalendarFeed,
    Meeting,
    MemberNote,
    PulseAnswered,
    ReminderChoice,
    Rsvp,
    SeriesAnswer,
)
from forum.knowledge import services as knowledge
from forum.knowledge.models import RoutedCase, WelcomeProgress
from forum.learning.models import Goal, GoalTheme, Reflection, Share
from forum.moderation.models import DismissedFlag, Flag
from forum.outcomes.models import OutcomeUpdate
from forum.themes.models import Theme
from forum.notifications.models import (
    DEFAULT_MODES,
    EmailPreference,
    Follow,
    Notification,
)
from forum.timeutil import as_utc, utcnow

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    build: Callable[[User], list | dict]


#: The sections, in the order they appear. Add to it with @export_section.
SECTIONS: list[ExportSection] = []


def export_section(key: str, title: str):
    """Register a section of the export: `build(user)` returns plain JSON-able data about them."""

    def register(build: Callable[[User], list | dict]):
        SECTIONS[:] = [section for section in SECTIONS if section.key != key]
        SECTIONS.append(ExportSection(key, title, build))
        return build

    return register


def build_export(user: User) -> dict:
    """The whole export as plain data, in section order."""
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": _plain(utcnow()),
        "sections": {section.key: _plain(section.build(user)) for section in SECTIONS},
    }


def titles() -> dict[str, str]:
    return {section.key: section.title for section in SECTIONS}


def as_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def record_export(user: User, file_format: str) -> None:
    audit.record(user, "data.exported", "user", user.id, reason=file_format)


def _plain(value):
    """Times as ISO 8601 UTC text (SQLite hands them back without a zone), dates as ISO dates,
    enums as their values, containers recursively."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "value") and not isinstance(value, int | str | bool):
        return value.value
    return value


# The sections that exist now ---------------------------------------------------------------


@export_section("profile", "Your profile")
def profile(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role.value,
        "team": user.team.name if user.team else None,
        "time_zone": user.timezone,
        "active": user.is_active,
        "joined_at": user.created_at,
        "last_signed_in_at": user.last_seen_at,
    }


POST_PARTS = ("situation_md", "tried_md", "ask_md", "what_worked_md", "outcome_text_md", "outcome_update_md")


def _own_posts(user: User) -> list[Post]:
    return list(db.session.scalars(
        select(Post).where(Post.author_id == user.id).options(selectinload(Post.themes), selectinload(Post.story_outcomes))
        .order_by(Post.id)))


@export_section("posts", "Your cases and stories (anonymous ones included)")
def posts(user: User) -> list[dict]:
    return [{
        "id": post.id,
        "kind": post.kind,
        "title": post.title,
        **{part.removesuffix("_md"): getattr(post, part) for part in POST_PARTS},
        "outcome_types": [kind.value for kind in post.outcome_types],
        "anonymous": not post.show_author,
        "status": post.status,
        "circle_id": post.circle_id,
        "themes": [theme.name for theme in post.themes],
        "created_at": post.created_at,
        "published_at": post.published_at,
        "edited_at": post.edited_at,
        "last_activity_at": post.last_activity_at,
    } for post in _own_posts(user)]


def _own_replies(user: User) -> list[Reply]:
    return list(db.session.scalars(
        select(Reply).where(Reply.author_id == user.id).options(selectinload(Reply.post)).order_by(Reply.id)))


@export_section("replies", "Your replies")
def replies(user: User) -> list[dict]:
    # The post is named by id, and by title only while they may still read it; never its author.
    return [{
        "id": reply.id,
        "post_id": reply.post_id,
        "post_title": reply.post.title if cases_policy.may_read(user, reply.post) else None,
        "body": reply.body_md,
        "anonymous": not reply.show_author,
        "status": reply.status,
        "created_at": reply.created_at,
        "edited_at": reply.edited_at,
    } for reply in _own_replies(user)]


@export_section("revisions", "Earlier versions of your posts and replies")
def revisions(user: User) -> list[dict]:
    post_ids = select(Post.id).where(Post.author_id == user.id)
    reply_ids = select(Reply.id).where(Reply.author_id == user.id)
    rows = db.session.scalars(select(Revision).where(or_(
        (Revision.target_type == "post") & Revision.target_id.in_(post_ids),
        (Revision.target_type == "reply") & Revision.target_id.in_(reply_ids),
    )).order_by(Revision.id))
    # Who edited is "you" or "a moderator" (a redaction): never another person's id.
    return [{
        "of": revision.target_type,
        "id": revision.target_id,
        "content": json.loads(revision.content_json),
        "replaced_at": revision.created_at,
        "edited_by": "you" if revision.editor_id == user.id else "a moderator",
    } for revision in rows]


@export_section("helpful_marks", "Posts and replies you found helpful")
def helpful_marks(user: User) -> list[dict]:
    rows = db.session.scalars(select(Helpful).where(Helpful.user_id == user.id).order_by(Helpful.id))
    return [{"of": mark.target_type, "id": mark.target_id, "at": mark.created_at} for mark in rows]


@export_section("bookmarks", "Your bookmarks")
def bookmarks(user: User) -> list[dict]:
    rows = db.session.scalars(select(Bookmark).where(Bookmark.user_id == user.id).order_by(Bookmark.created_at))
    return [{"post_id": mark.post_id, "at": mark.created_at} for mark in rows]


@export_section("circle_memberships", "Your circle memberships")
def circle_memberships(user: User) -> list[dict]:
    rows = db.session.execute(select(Membership, Circle.name).join(Circle, Circle.id == Membership.circle_id)
                              .where(Membership.user_id == user.id).order_by(Membership.circle_id))
    return [{"circle_id": membership.circle_id, "circle": name, "role": membership.role,
             "status": membership.status, "since": membership.created_at} for membership, name in rows]


@export_section("rsvps", "Your answers to meeting invitations")
def rsvps(user: User) -> list[dict]:
    rows = db.session.execute(select(Rsvp, Meeting.starts_at, Meeting.circle_id)
                              .join(Meeting, Meeting.id == Rsvp.meeting_id)
                              .where(Rsvp.user_id == user.id).order_by(Meeting.starts_at))
    return [{"meeting_id": rsvp.meeting_id, "circle_id": circle_id, "starts_at": starts_at,
             "answer": rsvp.answer, "answered_at": rsvp.updated_at} for rsvp, starts_at, circle_id in rows]


@export_section("attendance", "Meetings you were recorded at")
def attendance(user: User) -> list[dict]:
    rows = db.session.execute(select(Attendance, Meeting.starts_at, Meeting.circle_id)
                              .join(Meeting, Meeting.id == Attendance.meeting_id)
                              .where(Attendance.user_id == user.id).order_by(Meeting.starts_at))
    return [{"meeting_id": mark.meeting_id, "circle_id": circle_id, "starts_at": starts_at,
             "attendance": mark.status} for mark, starts_at, circle_id in rows]


@export_section("meeting_preferences", "Your meeting preferences")
def meeting_preferences(user: User) -> dict:
    choice = db.session.get(ReminderChoice, user.id)
    return {
        "come_to_every_meeting": [{"circle_id": row.circle_id, "answer": row.answer, "since": row.updated_at}
                                  for row in db.session.scalars(select(SeriesAnswer).where(SeriesAnswer.user_id == user.id)
                                                                .order_by(SeriesAnswer.circle_id))],
        "reminders": {"24_hours_before": choice.day_before if choice else True,
                      "2_hours_before": choice.two_hours_before if choice else False},
    }


@export_section("pulse_answered", "Meetings whose pulse you answered")
def pulse_answered(user: User) -> list[dict]:
    # Only that they answered: the answers themselves carry nothing that links them to anyone.
    rows = db.session.execute(select(PulseAnswered.meeting_id, Meeting.starts_at, Meeting.circle_id)
                              .join(Meeting, Meeting.id == PulseAnswered.meeting_id)
                              .where(PulseAnswered.user_id == user.id).order_by(Meeting.starts_at))
    return [{"meeting_id": meeting_id, "circle_id": circle_id, "starts_at": starts_at}
            for meeting_id, starts_at, circle_id in rows]


@export_section("notes_from_facilitators", "Notes your circles' facilitators sent you")
def notes_from_facilitators(user: User) -> list[dict]:
    rows = db.session.scalars(select(MemberNote).where(MemberNote.recipient_id == user.id).order_by(MemberNote.id))
    return [{"circle_id": note.circle_id, "text": note.body, "sent_at": note.created_at} for note in rows]


@export_section("action_points", "Action points given to you")
def action_points(user: User) -> list[dict]:
    rows = db.session.scalars(select(ActionPoint).where(ActionPoint.owner_id == user.id).order_by(ActionPoint.id))
    return [{"meeting_id": action.meeting_id, "text": action.text, "due": action.due,
             "done_at": action.done_at, "created_at": action.created_at} for action in rows]


@export_section("outcome_updates", "Outcome updates you recorded on cases")
def outcome_updates(user: User) -> list[dict]:
    # The case is named by id only: it may be another author's anonymous case (a facilitator records on circle posts).
    rows = db.session.scalars(select(OutcomeUpdate).where(OutcomeUpdate.recorded_by_id == user.id)
                              .options(selectinload(OutcomeUpdate.types)).order_by(OutcomeUpdate.id))
    return [{"post_id": entry.post_id, "occurred_on": entry.occurred_on,
             "outcome_types": [kind.value for kind in entry.outcome_types],
             "barriers": [barrier.value for barrier in entry.barriers], "note": entry.note_md,
             "recorded_at": entry.created_at, "published_at": entry.published_at} for entry in rows]


@export_section("reflections", "Your reflections (private to you)")
def reflections(user: User) -> list[dict]:
    rows = db.session.scalars(select(Reflection).where(Reflection.author_id == user.id).order_by(Reflection.id))
    return [{"meeting_id": row.meeting_id, "post_id": row.post_id, "what_you_took": row.took, "what_you_will_try": row.will_try,
             "created_at": row.created_at, "updated_at": row.updated_at} for row in rows]


@export_section("learning_goals", "Your learning goals")
def learning_goals(user: User) -> list[dict]:
    goals = list(db.session.scalars(select(Goal).where(Goal.owner_id == user.id).order_by(Goal.id)))
    themes: dict[int, list[str]] = {}
    for goal_id, name in db.session.execute(select(GoalTheme.goal_id, Theme.name).join(Theme, Theme.id == GoalTheme.theme_id)
                                            .where(GoalTheme.goal_id.in_([goal.id for goal in goals] or [-1]))):
        themes.setdefault(goal_id, []).append(name)
    return [{"goal": goal.text, "themes": sorted(themes.get(goal.id, [])), "created_at": goal.created_at,
             "done_at": goal.done_at} for goal in goals]


@export_section("learning_shares", "Your learning record as you shared it with a manager")
def learning_shares(user: User) -> list[dict]:
    # The copy they made, without naming the manager (someone else).
    rows = db.session.scalars(select(Share).where(Share.owner_id == user.id).order_by(Share.id))
    return [{"period_start": row.period_start, "period_end": row.period_end, "sections": row.sections.split(","),
             "shared_at": row.created_at, "copy": json.loads(row.content)} for row in rows]


@export_section("notification_settings", "How you are told about activity")
def notification_settings(user: User) -> dict:
    chosen = {row.kind: row.mode for row in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == user.id))}
    has_feed = db.session.get(CalendarFeed, user.id) is not None
    return {
        "email": {kind.value: chosen.get(kind, mode).value for kind, mode in DEFAULT_MODES.items()},
        "calendar_feed": "set up" if has_feed else "not set up",
    }


@export_section("follows", "What you follow")
def follows(user: User) -> list[dict]:
    rows = db.session.scalars(select(Follow).where(Follow.user_id == user.id)
                              .order_by(Follow.target_type, Follow.target_id))
    return [{"of": follow.target_type, "id": follow.target_id, "following": follow.active,
             "since": follow.created_at} for follow in rows]


@export_section("notifications", "Notifications you received")
def notifications(user: User) -> list[dict]:
    # Who acted is left out: it may be the author of an anonymous post.
    rows = db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)
                              .order_by(Notification.id))
    return [{"kind": note.kind, "post_id": note.post_id, "reply_id": note.reply_id,
             "meeting_id": note.meeting_id, "count": note.count, "at": note.created_at,
             "read_at": note.read_at} for note in rows]


@export_section("helping", "What you offered to help with, cases sent to you, your first steps")
def helping(user: User) -> dict:
    offer = knowledge.offer_of(user.id)
    sent = db.session.scalars(select(RoutedCase).where(RoutedCase.user_id == user.id).order_by(RoutedCase.id))
    progress = db.session.get(WelcomeProgress, user.id)
    return {
        "offer": {"offering": offer.offering, "themes": [theme.name for theme in offer.themes],
                  "years_advised": offer.years, "shown_on_profile": offer.on_profile},
        "cases_sent_to_you": [{"post_id": row.post_id, "sent_at": row.sent_at} for row in sent],
        "first_steps": {"stories_read_at": progress.stories_read_at if progress else None,
                        "dismissed_at": progress.dismissed_at if progress else None},
    }


@export_section("audit_entries", "Audit log entries about you")
def audit_entries(user: User) -> list[dict]:
    rows = db.session.scalars(select(AuditEntry).where(or_(
        AuditEntry.actor_id == user.id,
        (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id),
    )).order_by(AuditEntry.id))
    # An entry someone else made about them keeps that person out: no id, no address.
    return [{
        "at": entry.created_at,
        "action": entry.action,
        "by": "you" if entry.actor_id == user.id else "someone else",
        "target": entry.target_type,
        "target_id": entry.target_id,
        "outcome": entry.outcome,
        "reason": entry.reason,
        "ip": entry.ip if entry.actor_id == user.id else None,
    } for entry in rows]


@export_section("flags", "Posts and replies you flagged")
def flags_raised(user: User) -> list[dict]:
    """Their flags and what came of them; never who reviewed them."""
    flags = db.session.scalars(select(Flag).where(Flag.reporter_id == user.id).order_by(Flag.created_at, Flag.id))
    return [{"target": flag.target_type, "post_id": flag.post_id,
             "reply_id": flag.target_id if flag.target_type == "reply" else None,
             "reason": flag.reason_label, "note": flag.note, "status": flag.status, "outcome": flag.outcome,
             "created_at": flag.created_at, "closed_at": flag.closed_at} for flag in flags]


@export_section("dismissed_flags", "Your urgent flags that a manager dismissed as unfounded")
def dismissed_flags(user: User) -> list[dict]:
    """The record kept against them (three within 30 days pause the immediate hide of their
    urgent flags until a manager resets it); never who dismissed them."""
    rows = db.session.scalars(select(DismissedFlag).where(DismissedFlag.user_id == user.id)
                              .order_by(DismissedFlag.dismissed_at, DismissedFlag.id))
    return [{"target": row.target_type, "target_id": row.target_id, "reason": row.reason_label,
             "dismissed_at": row.dismissed_at, "reset_at": row.cleared_at} for row in rows]
