"""The bell's count, kept on `users.unread_notifications` so no page has to count.

The count is the number of unread notifications the person may still see (`visible_notifications`),
exactly what the notifications page lists as unread. Rather than adding and subtracting (which
goes wrong the day a post is hidden, a reply deleted or a circle left), every write that can
change someone's count marks that person, and just before the transaction commits their count
is worked out again from the notifications themselves, in the same transaction:

- notifications created, read, deleted, or marked read in bulk;
- a post's status or circle changed, a reply's status changed, a post, reply or meeting
  deleted (what its notifications point at), a meeting moved to another circle;
- a membership added, changed or removed (what a person's circles let them see).

Both ORM flushes and bulk statements (`update(...)`/`delete(...)` run through the session) are
watched, so a new code path needs nothing: only raw SQL on the connection would slip past.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.cases.models import Post, Reply
from forum.circles.models import Membership
from forum.meetings.models import Meeting
from forum.notifications.models import Notification

_MARKED = "forum_unread_recount"

#: Columns whose change can make a notification about that row appear or disappear.
_VISIBILITY = {Post: ("status", "circle_id"), Reply: ("status",), Meeting: ("circle_id",), Membership: ("status",)}
#: The columns of a notification that decide whether (and for whom) it counts.
_COUNTED = ("read_at", "recipient_id", "post_id", "reply_id", "meeting_id")
#: How to find the notifications that point at rows of each kind.
_POINTED_BY = {Post: Notification.post_id, Reply: Notification.reply_id, Meeting: Notification.meeting_id}


def mark(session: Session, user_ids) -> None:
    """These people's counts are to be worked out again before the transaction commits."""
    session.info.setdefault(_MARKED, set()).update(user_id for user_id in user_ids if user_id is not None)


def count_of(user_id: int):
    """The count for one person, as a subquery: `visible_notifications` that are unread."""
    # Imported here: services imports this module's neighbours, not the other way round.
    from forum.notifications.services import visible_notifications

    person = SimpleNamespace(id=user_id)  # the visibility rules read only the person's id
    return (visible_notifications(person).where(Notification.read_at.is_(None))
            .with_only_columns(func.count(Notification.id)).scalar_subquery())


def recount(session: Session, user_ids) -> None:
    """Work out these people's counts from their notifications (one UPDATE each: writes are rare,
    and the visibility rules stay written once, in `visible_notifications`)."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    # PostgreSQL: hold the rows first, so each count (a later statement, a fresh snapshot) sees
    # whatever a concurrent transaction committed for the same people. NO KEY UPDATE does not
    # wait on the key-share locks that inserting their notifications takes.
    session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id)
                    .with_for_update(key_share=True)).all()
    for user_id in ids:
        session.execute(update(User).where(User.id == user_id).values(unread_notifications=count_of(user_id))
                        .execution_options(synchronize_session=False))
    for user in list(session.identity_map.values()):
        if isinstance(user, User) and user.id in ids:
            session.expire(user, ["unread_notifications"])


# Watching writes ---------------------------------------------------------------------------------


def _changed(instance, names) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def _people_pointed_at(session: Session, column, ids) -> list[int]:
    """Who has unread notifications about these posts, replies or meetings (ids, or a query of them)."""
    if isinstance(ids, set) and not ids:
        return []
    with session.no_autoflush:
        return list(session.scalars(select(Notification.recipient_id).distinct()
                                    .where(column.in_(ids), Notification.read_at.is_(None))))


def _before_flush(session: Session, _context, _instances) -> None:
    people: set[int] = set()
    pointed: dict = {model: set() for model in _POINTED_BY}
    changes = [(row, "new") for row in session.new] + [(row, "changed") for row in session.dirty] + \
              [(row, "deleted") for row in session.deleted]
    for instance, how in changes:
        kind = type(instance)
        if kind is Notification:
            if how == "changed" and not _changed(instance, _COUNTED):
                continue  # emailed, or one more helpful mark: the count stays
            people.add(instance.recipient_id)
            if how == "changed":
                people.update(inspect(instance).attrs.recipient_id.history.deleted)  # given to someone else
        elif kind is Membership:
            if how == "changed" and not _changed(instance, _VISIBILITY[Membership]):
                continue
            people.add(instance.user_id)
        elif kind in _POINTED_BY and how != "new":
            if how == "changed" and not _changed(instance, _VISIBILITY[kind]):
                continue
            pointed[kind].add(instance.id)
    for kind, ids in pointed.items():
        people.update(_people_pointed_at(session, _POINTED_BY[kind], ids))
    mark(session, people)


def _bulk_write(state) -> None:
    """`update(...)`/`delete(...)` through the session: mark whom the rows it touches concern."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    kind = state.bind_mapper.class_
    if kind not in (Notification, Membership, *_POINTED_BY) or (state.is_update and kind in _POINTED_BY):
        return  # bulk updates of posts, replies and meetings only move counters and dates
    where = state.statement.whereclause
    where = [where] if where is not None else []
    session = state.session
    with session.no_autoflush:
        if kind is Notification:
            people = session.scalars(select(Notification.recipient_id).distinct().where(*where))
        elif kind is Membership:
            people = session.scalars(select(Membership.user_id).distinct().where(*where))
        else:
            people = _people_pointed_at(session, _POINTED_BY[kind], select(kind.id).where(*where))
        mark(session, list(people))


def _before_commit(session: Session) -> None:
    session.flush()  # so the last changes are seen (and marked) before counting
    marked = session.info.pop(_MARKED, None)
    if marked:
        recount(session, marked)


def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_MARKED, None)


_LISTENERS = (("before_flush", _before_flush), ("do_orm_execute", _bulk_write), ("before_commit", _before_commit),
              ("after_soft_rollback", _forget))


def listen() -> None:
    """Watch every session's writes (once per process, however many apps are made)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
