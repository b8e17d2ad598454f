"""Who belongs where and what they may do in a circle: the only place these answers live."""

from __future__ import annotations

from sqlalchemy import Select, select

from forum.accounts.models import User
from forum.circles.models import Circle, MemberRole, MemberStatus, Membership
from forum.extensions import db


def member_circle_ids(user: User) -> Select:
    """The circles this person is an active member of, as a subquery for other modules' scopes."""
    return select(Membership.circle_id).where(Membership.user_id == user.id, Membership.status == MemberStatus.ACTIVE)


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
