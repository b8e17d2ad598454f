"""Who may do what to a meeting: the only place these answers live, with the loader that
fetches a meeting for a page and guards it in one step. Who belongs to a circle is the
circles module's answer; this one builds on it."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, and_

from forum.accounts.models import User
from forum.cases import policy as cases_policy
from forum.cases.models import Post, PostKind
from forum.circles import policy as circles
from forum.circles.models import Circle
from forum.extensions import db
from forum.meetings.models import ActionPoint, Meeting, Presence


def may_see(user: User, meeting: Meeting) -> bool:
    """A meeting, its agenda, answers and run: its circle's members only (managers included)."""
    return circles.is_member(user, meeting.circle_id)


def seen_by(user: User) -> ColumnElement[bool]:
    """`may_see` as a clause on meetings: its circle's active members only."""
    return Meeting.circle_id.in_(circles.member_circle_ids(user))


def may_manage(user: User, circle: Circle) -> bool:
    """Set the schedule and protocol, add, move or cancel meetings, decide the agenda: the
    facilitators of a circle that is not archived."""
    return circles.may_manage(user, circle)


def may_run(user: User, circle: Circle) -> bool:
    """Run a meeting (controls, attendance, presenters, note-taker, carried actions, the end):
    the circle's facilitators."""
    return circles.is_facilitator(user, circle)


def may_write_notes(user: User, meeting: Meeting, circle: Circle) -> bool:
    """Notes and action points: the facilitators and the meeting's note-taker."""
    return may_run(user, circle) or meeting.note_taker_id == user.id


def may_mark_heard(user: User, circle: Circle, person_id: int) -> bool:
    """"Everyone heard": members mark themselves, the facilitators mark anyone."""
    return user.id == person_id or may_run(user, circle)


def may_tick(user: User, action: ActionPoint, circle: Circle, facilitator_ok: bool = True) -> bool:
    """An action point is marked done (or not) by its owner, or by a facilitator of its circle."""
    return action.owner_id == user.id or (facilitator_ok and may_run(user, circle))


def may_answer_pulse(user: User, meeting: Meeting, presence: Presence | None) -> bool:
    """The pulse after a meeting: asked of each member recorded present at it, and of nobody else."""
    return presence == Presence.PRESENT and circles.is_member_id(user.id, meeting.circle_id)


def may_see_pulse(user: User, circle: Circle) -> bool:
    """A circle's usefulness figures (never who answered, never "how are you doing"): its facilitators."""
    return may_run(user, circle)


def may_set_signposting(user: User) -> bool:
    """The support signposted after the pulse's "how are you doing" question: admins."""
    return user.is_admin


def may_see_drifting(user: User, circle: Circle) -> bool:
    """Who has missed the last meetings, and "Send a note": the circle's facilitators only."""
    return may_run(user, circle)


def may_nominate(user: User, meeting: Meeting, post: Post) -> bool:
    """A member nominates a forum-wide case or one of this circle's that they may read; never
    another circle's."""
    return post.circle_id in (None, meeting.circle_id) and cases_policy.may_read(user, post)


def nominable_clause(user: User, meeting: Meeting) -> ColumnElement[bool]:
    """The cases offered for nomination: published ones the person may read, forum-wide or this circle's."""
    return and_(cases_policy.visible_post_clause(user), Post.kind == PostKind.CASE,
                Post.circle_id.is_(None) | (Post.circle_id == meeting.circle_id))


def meeting_or_404(user: User, meeting_id: int) -> tuple[Meeting, Circle]:
    """A meeting's pages: the meeting and its circle for a member; 404 for everyone else."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not may_see(user, meeting):
        abort(404)
    return meeting, db.session.get(Circle, meeting.circle_id)
