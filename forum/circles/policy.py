"""Who belongs where and what they may do in a circle: the only place these answers live,
with the loaders that fetch a circle for a page and guard it in one step."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from forum.accounts.models import User
from forum.circles.models import Circle, MemberRole, MemberStatus, Membership
from forum.extensions import db


def member_circle_ids(user: User | None, person=None) -> Select:
    """The circles this person is an active member of, as a subquery for other modules' scopes
    (`person`: their id as an expression instead, for a statement built once)."""
    return select(Membership.circle_id).where(Membership.user_id == (user.id if person is None else person),
                                              Membership.status == MemberStatus.ACTIVE)


def membership(user: User, circle: Circle) -> Membership | None:
    return db.session.get(Membership, (circle.id, user.id))


def is_member(user: User, circle_id: int) -> bool:
    found = db.session.get(Membership, (circle_id, user.id))
    return found is not None and found.status == MemberStatus.ACTIVE


def is_facilitator(user: User, circle: Circle) -> bool:
    found = membership(user, circle)
    return found is not None and found.status == MemberStatus.ACTIVE and found.role == MemberRole.FACILITATOR


def may_know(user: User, circle: Circle) -> bool:
    """Listed circles are known to everyone; an invite-only one to its members and invitees."""
    if circle.listed:
        return True
    found = membership(user, circle)
    return found is not None and found.status in (MemberStatus.ACTIVE, MemberStatus.INVITED)


def may_see_inside(user: User, circle: Circle) -> bool:
    """Members, meetings, agendas and posts: members only (managers included: a safe space)."""
    return is_member(user, circle.id)


def may_manage(user: User, circle: Circle) -> bool:
    return is_facilitator(user, circle) and circle.archived_at is None


def known_circle(user: User, circle_id: int) -> Circle | None:
    """The circle if this person may know it exists (invite-only ones are hidden), else None."""
    circle = db.session.get(Circle, circle_id)
    return circle if circle is not None and may_know(user, circle) else None


def circle_or_404(user: User, circle_id: int) -> Circle:
    """A circle's page: 404 for a circle this person may not know exists."""
    circle = known_circle(user, circle_id)
    if circle is None:
        abort(404)
    return circle


def managed_circle_or_404(user: User, circle_id: int) -> Circle:
    """A circle the person facilitates: 404 if they may not know it, 403 if they may not manage it."""
    circle = circle_or_404(user, circle_id)
    if not may_see_inside(user, circle):
        abort(404 if not circle.listed else 403)
    if not may_manage(user, circle):
        abort(403)
    return circle


def is_member_id(user_id: int | None, circle_id: int) -> bool:
    if user_id is None:
        return False
    found = db.session.get(Membership, (circle_id, user_id))
    return found is not None and found.status == MemberStatus.ACTIVE


def facilitated_circle_ids(user: User) -> list[int]:
    """The circles this person facilitates (their privacy clearances are theirs to review)."""
    return list(db.session.scalars(select(Membership.circle_id).where(
        Membership.user_id == user.id, Membership.status == MemberStatus.ACTIVE,
        Membership.role == MemberRole.FACILITATOR)))
