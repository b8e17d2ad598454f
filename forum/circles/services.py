"""Circle rules and transactions: create, join, request, invite, facilitate, leave, archive."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum import audit, events
from forum.accounts.models import User
from forum.accounts.names import display_name_key, mention_key
from forum.circles import policy
from forum.circles.models import Circle, MemberRole, Membership, MemberStatus, Mode
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.timeutil import utcnow
from forum.text import clean

MAX_SIZE = 50


@dataclass(frozen=True)
class CircleInput:
    name: str
    purpose: str
    mode: Mode
    size_limit: int


def _cleaned(data: CircleInput) -> CircleInput:
    return replace(data, name=clean(data.name), purpose=clean(data.purpose))


def _check(data: CircleInput) -> None:
    if not 2 <= len(data.name.strip()) <= 80:
        raise Invalid("Enter a name of 2 to 80 characters", field="name")
    if len(data.purpose) > 2000:
        raise Invalid("Keep the purpose to 2,000 characters or fewer", field="purpose")
    if not 2 <= data.size_limit <= MAX_SIZE:
        raise Invalid(f"Enter a size limit between 2 and {MAX_SIZE}", field="size_limit")


def create(founder: User, data: CircleInput) -> Circle:
    """A new circle; its founder is its first facilitator."""
    data = _cleaned(data)
    _check(data)
    circle = Circle(name=data.name.strip(), purpose=data.purpose.strip(), mode=data.mode, size_limit=data.size_limit)
    db.session.add(circle)
    db.session.flush()
    db.session.add(Membership(circle_id=circle.id, user_id=founder.id, role=MemberRole.FACILITATOR))
    db.session.flush()
    events.emit("joined_circle", circle_id=circle.id, user_id=founder.id)
    return circle


def update(actor: User, circle: Circle, data: CircleInput) -> None:
    _require_facilitator(actor, circle)
    data = _cleaned(data)
    _check(data)
    if data.size_limit < member_count(circle):
        raise Invalid("The size limit cannot be below the number of members", field="size_limit")
    circle.name, circle.purpose, circle.mode, circle.size_limit = data.name.strip(), data.purpose.strip(), data.mode, data.size_limit


def listed(user: User) -> list[Circle]:
    """Circles the person can join: listed, not archived, and not already theirs."""
    return list(db.session.scalars(
        select(Circle).where(Circle.mode != Mode.INVITE, Circle.archived_at.is_(None),
                             Circle.id.not_in(policy.member_circle_ids(user))).order_by(func.lower(Circle.name))))


def circles_of(user: User) -> list[Circle]:
    return list(db.session.scalars(
        select(Circle).where(Circle.id.in_(policy.member_circle_ids(user))).order_by(func.lower(Circle.name))))


def members(circle: Circle, status: MemberStatus = MemberStatus.ACTIVE) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.circle_id == circle.id, Membership.status == status)
        .options(selectinload(Membership.user)).order_by(Membership.role, Membership.created_at)))


def facilitators(circles: list[Circle]) -> dict[int, list[User]]:
    """Each circle's facilitators, in one query: shown to everyone for listed circles."""
    rows = db.session.execute(
        select(Membership.circle_id, User).join(User, User.id == Membership.user_id)
        .where(Membership.circle_id.in_([circle.id for circle in circles] or [-1]),
               Membership.role == MemberRole.FACILITATOR, Membership.status == MemberStatus.ACTIVE)
        .order_by(User.display_name_key))
    found: dict[int, list[User]] = {}
    for circle_id, person in rows:
        found.setdefault(circle_id, []).append(person)
    return found


def member_count(circle: Circle) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.circle_id == circle.id, Membership.status == MemberStatus.ACTIVE)) or 0


def _require_open(circle: Circle) -> None:
    if circle.archived_at is not None:
        raise Invalid("This circle is archived")


def _require_room(circle: Circle) -> None:
    if member_count(circle) >= circle.size_limit:
        raise Invalid(f"This circle is full: it has room for {circle.size_limit} members")


def _require_facilitator(actor: User, circle: Circle) -> None:
    if not policy.may_manage(actor, circle):
        raise Forbidden()


def join(user: User, circle: Circle) -> MemberStatus:
    """Open: a member at once. By request: waits for a facilitator. Invited: accepts."""
    _require_open(circle)
    found = policy.membership(user, circle)
    if found is not None and found.status == MemberStatus.ACTIVE:
        return found.status
    if circle.mode == Mode.INVITE and (found is None or found.status != MemberStatus.INVITED):
        raise NotFound()
    if circle.mode == Mode.REQUEST and (found is None or found.status != MemberStatus.INVITED):
        if found is None:
            db.session.add(Membership(circle_id=circle.id, user_id=user.id, status=MemberStatus.REQUESTED))
        return MemberStatus.REQUESTED
    _require_room(circle)
    if found is None:
        db.session.add(Membership(circle_id=circle.id, user_id=user.id))
    else:
        found.status = MemberStatus.ACTIVE
    db.session.flush()
    events.emit("joined_circle", circle_id=circle.id, user_id=user.id)
    return MemberStatus.ACTIVE


def leave(user: User, circle: Circle) -> None:
    found = policy.membership(user, circle)
    if found is None:
        raise NotFound()
    if found.role == MemberRole.FACILITATOR and found.status == MemberStatus.ACTIVE and len(
            [m for m in members(circle) if m.role == MemberRole.FACILITATOR]) == 1 and member_count(circle) > 1:
        raise Invalid("Hand the circle over to another member before you leave")
    db.session.delete(found)
    events.emit("left_circle", circle_id=circle.id, user_id=user.id)


def invite(actor: User, circle: Circle, display_name: str) -> User:
    _require_facilitator(actor, circle)
    typed = display_name.strip()
    person = db.session.scalar(select(User).where(or_(User.display_name_key == display_name_key(typed),
                                                      User.handle == mention_key(typed.lstrip("@"))),
                                                  User.is_active.is_(True)))
    if person is None:
        raise Invalid("There is nobody with that display name", field="display_name")
    found = policy.membership(person, circle)
    if found is not None and found.status == MemberStatus.ACTIVE:
        raise Invalid(f"{person.display_name} is already a member", field="display_name")
    _require_room(circle)
    if found is None:
        db.session.add(Membership(circle_id=circle.id, user_id=person.id, status=MemberStatus.INVITED))
    else:
        found.status = MemberStatus.INVITED
    return person


def _other(circle: Circle, user_id: int) -> Membership:
    found = db.session.get(Membership, (circle.id, user_id))
    if found is None:
        raise NotFound()
    return found


def approve(actor: User, circle: Circle, user_id: int) -> None:
    _require_facilitator(actor, circle)
    found = _other(circle, user_id)
    if found.status != MemberStatus.REQUESTED:
        raise Invalid("That person has not asked to join")
    _require_room(circle)
    found.status = MemberStatus.ACTIVE
    events.emit("joined_circle", circle_id=circle.id, user_id=user_id)


def remove(actor: User, circle: Circle, user_id: int) -> None:
    """Decline a request, withdraw an invitation or remove a member."""
    _require_facilitator(actor, circle)
    if user_id == actor.id:
        raise Invalid("Use “Leave this circle” to leave it yourself")
    db.session.delete(_other(circle, user_id))
    events.emit("left_circle", circle_id=circle.id, user_id=user_id)


def make_facilitator(actor: User, circle: Circle, user_id: int) -> None:
    _require_facilitator(actor, circle)
    found = _other(circle, user_id)
    if found.status != MemberStatus.ACTIVE:
        raise Invalid("Only a member can be a facilitator")
    found.role = MemberRole.FACILITATOR


def hand_over(actor: User, circle: Circle, user_id: int) -> None:
    """Another member becomes facilitator and the actor an ordinary member."""
    make_facilitator(actor, circle, user_id)
    policy.membership(actor, circle).role = MemberRole.MEMBER


def archive(actor: User, circle: Circle) -> None:
    _require_facilitator(actor, circle)
    circle.archived_at = utcnow()
    audit.record(actor, "circle.archived", "circle", circle.id)
    events.emit("circle_archived", circle_id=circle.id)
