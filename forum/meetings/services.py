"""Meeting rules and transactions: schedules that keep their local time, the rolling
window of meeting rows, moves and cancellations, agendas, RSVPs, calendars and reminders."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import selectinload

from forum import events
from forum.accounts.models import User
from forum.cases.models import Post
from forum.cases.models import Status as PostStatus
from forum.circles import policy as circles
from forum.circles.models import Circle, MemberStatus, Membership
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.meetings import policy
from forum.meetings import schedule as recurrence
from forum.meetings.models import (
    AgendaItem,
    AgendaStatus,
    Answer,
    CalendarFeed,
    Meeting,
    MeetingStatus,
    Rsvp,
    Schedule,
)
from forum.timeutil import as_utc, is_zone, utcnow
from forum.text import clean

WINDOW = timedelta(weeks=12)
MAX_DURATION = 480


# Schedules and the rolling window --------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleInput:
    frequency: str
    start_date: date | None
    start_time: time | None
    duration_minutes: int | None
    timezone: str
    nth: int | None = None
    weekday: int | None = None
    until: date | None = None
    call_link: str = ""


def schedule_of(circle: Circle) -> Schedule | None:
    return db.session.scalar(select(Schedule).where(Schedule.circle_id == circle.id))


def as_recurrence(row: Schedule) -> recurrence.Recurrence:
    hours, minutes = (int(part) for part in row.start_time.split(":"))
    return recurrence.Recurrence(row.frequency, row.start_date, time(hours, minutes), row.duration_minutes,
                                 row.timezone, row.until, row.nth, row.weekday)


def describe(row: Schedule) -> str:
    return recurrence.describe(as_recurrence(row))


def _require_facilitator(actor: User, circle: Circle) -> None:
    if not policy.may_manage(actor, circle):
        raise Forbidden()


def save_schedule(actor: User, circle: Circle, data: ScheduleInput) -> Schedule:
    """Save the circle's schedule and make the meetings of the next 12 weeks."""
    _require_facilitator(actor, circle)
    if data.start_date is None:
        raise Invalid("Enter the date of the first meeting", field="start_date")
    if data.start_time is None:
        raise Invalid("Enter a start time, like 10:00", field="start_time")
    if data.duration_minutes is None:
        raise Invalid("Enter a duration between 1 minute and 8 hours", field="duration_minutes")
    if len(data.call_link) > 500 or (data.call_link and not data.call_link.startswith(("https://", "http://"))):
        raise Invalid("Enter a call link starting with https://, or leave it empty", field="call_link")
    wanted = recurrence.Recurrence(data.frequency, data.start_date, data.start_time, data.duration_minutes,
                                   data.timezone, data.until, data.nth, data.weekday)
    problems = recurrence.validate(wanted)
    if problems:
        field, message = problems[0]
        raise Invalid(message, field=field)
    row = schedule_of(circle) or Schedule(circle_id=circle.id)
    row.frequency, row.rrule = wanted.frequency, recurrence.rrule_text(wanted)
    row.start_date, row.start_time = wanted.start_date, wanted.start_time.strftime("%H:%M")
    row.duration_minutes, row.timezone, row.until = wanted.duration_minutes, wanted.timezone, wanted.until
    row.nth, row.weekday, row.call_link, row.updated_at = wanted.nth, wanted.weekday, data.call_link, utcnow()
    db.session.add(row)
    db.session.flush()
    _drop_untouched_future(row)
    roll(row)
    return row


def _drop_untouched_future(row: Schedule) -> None:
    """A new schedule replaces future meetings nobody has moved, nominated for or answered."""
    now = utcnow()
    touched = exists().where(AgendaItem.meeting_id == Meeting.id) | exists().where(Rsvp.meeting_id == Meeting.id)
    db.session.execute(delete(Meeting).where(
        Meeting.schedule_id == row.id, Meeting.starts_at > now, Meeting.sequence == 0,
        Meeting.status == MeetingStatus.SCHEDULED, ~touched).execution_options(synchronize_session=False))


def roll(row: Schedule, now: datetime | None = None) -> int:
    """Make the schedule's missing meetings in the next 12 weeks; safe to run any number of times."""
    now = now or utcnow()
    have = set(db.session.scalars(select(Meeting.occurrence).where(Meeting.schedule_id == row.id)))
    added = 0
    for item in recurrence.occurrences(as_recurrence(row), now, now + WINDOW):
        key = item.local_date.isoformat()
        if key in have:
            continue
        db.session.add(Meeting(circle_id=row.circle_id, schedule_id=row.id, occurrence=key, starts_at=item.starts_at,
                               ends_at=item.ends_at, timezone=row.timezone, call_link=row.call_link))
        have.add(key)
        added += 1
    db.session.flush()
    return added


def roll_all(now: datetime | None = None) -> int:
    """The cron sweep: keep every active circle's 12-week window filled."""
    rows = db.session.scalars(select(Schedule).join(Circle, Circle.id == Schedule.circle_id).where(Circle.archived_at.is_(None)))
    return sum(roll(row, now) for row in rows)


# Meetings ---------------------------------------------------------------------------------------------


def upcoming(circle: Circle, limit: int = 12) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting).where(Meeting.circle_id == circle.id, Meeting.ends_at >= utcnow())
        .order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def past(circle: Circle, limit: int = 6) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting).where(Meeting.circle_id == circle.id, Meeting.ends_at < utcnow())
        .order_by(Meeting.starts_at.desc()).limit(limit)))


def _local(day: date, at: time, zone: str) -> datetime:
    return as_utc(datetime.combine(day, at, tzinfo=ZoneInfo(zone)))


def add_meeting(actor: User, circle: Circle, day: date | None, at: time | None, duration: int | None,
                zone: str, call_link: str = "") -> Meeting:
    _require_facilitator(actor, circle)
    _check_when(day, at, duration, zone)
    starts = _local(day, at, zone)
    meeting = Meeting(circle_id=circle.id, starts_at=starts, ends_at=starts + timedelta(minutes=duration),
                      timezone=zone, call_link=call_link)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _check_when(day, at, duration, zone) -> None:
    if day is None:
        raise Invalid("Enter the date, like 2026-03-10", field="day")
    if at is None:
        raise Invalid("Enter a start time, like 10:00", field="at")
    if duration is None or not 1 <= duration <= MAX_DURATION:
        raise Invalid("Enter a duration between 1 minute and 8 hours", field="duration_minutes")
    if not is_zone(zone):
        raise Invalid("Choose a time zone from the list", field="timezone")


def move(actor: User, meeting: Meeting, circle: Circle, day: date | None, at: time | None, duration: int | None) -> None:
    _require_facilitator(actor, circle)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid("This meeting is cancelled: add a new one instead")
    _check_when(day, at, duration, meeting.timezone)
    meeting.starts_at = _local(day, at, meeting.timezone)
    meeting.ends_at = meeting.starts_at + timedelta(minutes=duration)
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    events.emit("meeting_changed", meeting_id=meeting.id, actor_id=actor.id, change="moved")


def cancel(actor: User | None, meeting: Meeting, circle: Circle) -> None:
    if actor is not None:
        _require_facilitator(actor, circle)
    if meeting.status == MeetingStatus.CANCELLED:
        return
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    events.emit("meeting_changed", meeting_id=meeting.id, actor_id=actor.id if actor else None, change="cancelled")


def on_circle_archived(circle_id: int) -> None:
    """An archived circle meets no more: its future meetings are cancelled (members are told)."""
    circle = db.session.get(Circle, circle_id)
    for meeting in db.session.scalars(select(Meeting).where(
            Meeting.circle_id == circle_id, Meeting.starts_at > utcnow(), Meeting.status == MeetingStatus.SCHEDULED)):
        cancel(None, meeting, circle)


# Agenda ------------------------------------------------------------------------------------------------


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(
        select(AgendaItem).join(Post, Post.id == AgendaItem.post_id)
        # A case hidden by a manager (or deleted) drops out of the agenda, as from every list.
        .where(AgendaItem.meeting_id == meeting.id, Post.status == PostStatus.PUBLISHED)
        .options(selectinload(AgendaItem.post)).order_by(AgendaItem.position, AgendaItem.id)))


def nominate(user: User, meeting: Meeting, post_id: int, note: str) -> AgendaItem:
    """A forum-wide case or one of this circle's, that the member may read; never another circle's."""
    post = db.session.get(Post, post_id)
    if post is None or not policy.may_nominate(user, meeting, post):
        raise NotFound()
    if post.status.value != "published":
        raise NotFound()
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid("This meeting is cancelled")
    note = clean(note)
    if len(note) > 300:
        raise Invalid("Keep the reason to 300 characters or fewer", field="note")
    if db.session.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, AgendaItem.post_id == post.id)):
        raise Invalid("That case is already on this meeting's agenda or waiting to be accepted", field="post_id")
    position = (db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0) + 1
    item = AgendaItem(meeting_id=meeting.id, post_id=post.id, nominated_by_id=user.id, note=note.strip(), position=position)
    db.session.add(item)
    db.session.flush()
    events.emit("case_nominated", agenda_item_id=item.id)
    return item


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound()
    return item


def decide(actor: User, meeting: Meeting, circle: Circle, item_id: int, accept: bool, minutes: int | None = None) -> None:
    _require_facilitator(actor, circle)
    item = _item(meeting, item_id)
    if minutes is not None:
        if not 1 <= minutes <= 120:
            raise Invalid("Give the item between 1 and 120 minutes", field="minutes")
        item.minutes = minutes
    item.status = AgendaStatus.ACCEPTED if accept else AgendaStatus.DECLINED


def reorder(actor: User, meeting: Meeting, circle: Circle, item_id: int, direction: int) -> None:
    """Swap an accepted item with its neighbour (up: -1, down: +1)."""
    _require_facilitator(actor, circle)
    items = [item for item in agenda(meeting) if item.status == AgendaStatus.ACCEPTED]
    index = next((number for number, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise NotFound()
    other = index + direction
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position


# RSVPs -------------------------------------------------------------------------------------------------


def answers(meeting: Meeting) -> list[tuple[User, Answer]]:
    rows = db.session.execute(select(User, Rsvp.answer).join(Rsvp, Rsvp.user_id == User.id)
                              .where(Rsvp.meeting_id == meeting.id).order_by(User.display_name_key))
    return [(person, answer) for person, answer in rows]


def rsvp(user: User, meeting: Meeting, answer: str) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid("This meeting is cancelled: there is nothing to answer")
    try:
        chosen = Answer(answer)
    except ValueError:
        raise Invalid("Choose going, maybe or not going", field="answer") from None
    row = db.session.get(Rsvp, (meeting.id, user.id))
    if row is None:
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=user.id, answer=chosen))
    else:
        row.answer, row.updated_at = chosen, utcnow()


# Calendar feeds ---------------------------------------------------------------------------------------


def _feed_token(user_id: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"calendar:{user_id}:{nonce}".encode(), hashlib.sha256).hexdigest()[:40]


def feed_token(user: User) -> str:
    row = db.session.get(CalendarFeed, user.id)
    if row is None:
        row = CalendarFeed(user_id=user.id, nonce=secrets.token_hex(16))
        db.session.add(row)
        db.session.flush()
    return _feed_token(user.id, row.nonce)


def reset_feed(user: User) -> None:
    row = db.session.get(CalendarFeed, user.id)
    if row is None:
        db.session.add(CalendarFeed(user_id=user.id, nonce=secrets.token_hex(16)))
    else:
        row.nonce = secrets.token_hex(16)


def feed_owner(user_id: int, token: str) -> User | None:
    row = db.session.get(CalendarFeed, user_id)
    if row is None or not hmac.compare_digest(_feed_token(user_id, row.nonce), token):
        return None
    person = db.session.get(User, user_id)
    return person if person is not None and person.is_active else None


def feed_meetings(user: User) -> list[Meeting]:
    """Every meeting of the person's circles from a month ago on: leaving a circle drops them."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.circle_id.in_(circles.member_circle_ids(user)),
                              Meeting.starts_at >= utcnow() - timedelta(days=31))
        .order_by(Meeting.starts_at).limit(500)))


def agenda_titles(meeting_ids: list[int]) -> dict[int, list[str]]:
    rows = db.session.execute(select(AgendaItem.meeting_id, Post.title).join(Post, Post.id == AgendaItem.post_id)
                              .where(AgendaItem.meeting_id.in_(meeting_ids or [-1]),
                                     AgendaItem.status == AgendaStatus.ACCEPTED, Post.status == PostStatus.PUBLISHED)
                              .order_by(AgendaItem.position, AgendaItem.id))
    titles: dict[int, list[str]] = {}
    for meeting_id, title in rows:
        titles.setdefault(meeting_id, []).append(title)
    return titles


def circle_names(circle_ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Circle.id, Circle.name).where(Circle.id.in_(circle_ids or [-1]))).all())


def active_members(circle_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.circle_id == circle_id, Membership.status == MemberStatus.ACTIVE, User.is_active.is_(True))
        .order_by(User.display_name_key)))
