"""Who may see and do what with a learning record: the only place these answers live.

A record is its person's alone. Reflections, goals and the record page answer only to their
owner; a share answers only to the one manager it was made for. Everyone else (other
advisers, other managers, admins) gets the same 404 as for something that does not exist."""

from __future__ import annotations

from flask import abort
from sqlalchemy import case, select

from forum.accounts import policy as accounts
from forum.accounts.models import Role, User
from forum.cases import policy as cases_policy
from forum.cases.models import Post, Status
from forum.extensions import db
from forum.learning.models import Goal, Reflection, Share
from forum.meetings.models import Attendance, Meeting, MeetingStatus, Presence


def attended(user: User, meeting: Meeting) -> bool:
    """Recorded present at a meeting that took place: only then is there anything to reflect on."""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    return db.session.scalar(select(Attendance.status).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == user.id)) == Presence.PRESENT


def meeting_to_reflect_on_or_404(user: User, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not attended(user, meeting):
        abort(404)
    return meeting


def post_to_reflect_on_or_404(user: User, post_id: int) -> Post:
    """A published case or story this person may read."""
    post = db.session.get(Post, post_id)
    if post is None or post.status != Status.PUBLISHED or not cases_policy.may_read(user, post):
        abort(404)
    return post


def _own_or_404(model, row_id: int, owner: str, user: User):
    """A row whose `owner` column is this person; anyone else, admins included, gets 404."""
    row = db.session.get(model, row_id)
    if row is None or getattr(row, owner) != user.id:
        abort(404)
    return row


def reflection_or_404(user: User, reflection_id: int) -> Reflection:
    return _own_or_404(Reflection, reflection_id, "author_id", user)


def goal_or_404(user: User, goal_id: int) -> Goal:
    return _own_or_404(Goal, goal_id, "owner_id", user)


def own_share_or_404(user: User, share_id: int) -> Share:
    return _own_or_404(Share, share_id, "owner_id", user)


def received_share_or_404(user: User, share_id: int) -> Share:
    """Only the manager it was shared with, signed in: not its owner's other managers, not admins."""
    share = db.session.get(Share, share_id)
    if share is None or share.manager_id != user.id or not may_receive_shares(user):
        abort(404)
    return share


def may_receive_shares(user: User) -> bool:
    """Line managers, with two-factor sign-in on (as their role requires); never admins."""
    return user.role == Role.MANAGER and user.is_active and accounts.acts_as_manager(user)


def may_be_shared_with(user: User) -> bool:
    """Who a record can be shared with: an active line manager (not an admin)."""
    return user.role == Role.MANAGER and user.is_active and user.erased_at is None


def manager_choices(user: User) -> list[User]:
    """The managers a record can be shared with: the person's own team's first, then by name."""
    own_team = case((User.team_id == user.team_id, 0), else_=1) if user.team_id is not None else case((User.id < 0, 0), else_=1)
    return list(db.session.scalars(select(User).where(
        User.role == Role.MANAGER, User.is_active.is_(True), User.erased_at.is_(None), User.id != user.id)
        .order_by(own_team, User.display_name_key, User.id)))
