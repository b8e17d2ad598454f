"""Meeting rules and transactions: schedules that keep their local time, the rolling
window of meeting rows, moves and cancellations, agendas, RSVPs, calendars and reminders."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from forum import events, privacy
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
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingStatus,
    MemberNote,
    Presence,
    ReminderChoice,
    Rsvp,
    Schedule,
    SeriesAnswer,
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


def next_meetings(circle_ids: Iterable[int] | None = None, *, user: User | None = None) -> dict[int, Meeting]:
    """Each circle's next meeting that is not cancelled (running ones included), by circle:
    for the given circles, or the person's own. One query."""
    scope = circles.member_circle_ids(user) if user is not None else list(circle_ids or [])
    now = utcnow()
    first = (select(Meeting.circle_id, func.min(Meeting.starts_at).label("starts_at"))
             .where(Meeting.circle_id.in_(scope), Meeting.ends_at >= now, Meeting.status != MeetingStatus.CANCELLED)
             .group_by(Meeting.circle_id).subquery())
    rows = db.session.scalars(select(Meeting).join(first, (first.c.circle_id == Meeting.circle_id)
                                                   & (first.c.starts_at == Meeting.starts_at))
                              .where(Meeting.status != MeetingStatus.CANCELLED).order_by(Meeting.starts_at, Meeting.id))
    found: dict[int, Meeting] = {}
    for meeting in rows:
        found.setdefault(meeting.circle_id, meeting)
    return found


def soonest(user: User) -> tuple[Meeting, str] | None:
    """The person's soonest meeting in any of their circles (running ones included) and its
    circle's name, for a list's side column. One query."""
    if not getattr(user, "is_authenticated", False):
        return None
    row = db.session.execute(
        select(Meeting, Circle.name).join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.circle_id.in_(circles.member_circle_ids(user)), Meeting.ends_at >= utcnow(),
               Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at, Meeting.id).limit(1)).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class NextMeeting:
    """What home and a circle's page show of a circle's next meeting."""

    meeting: Meeting
    circle_name: str
    titles: list[str]
    my_answer: Answer | None
    coming: list[User]


def next_meeting_panels(user: User, meetings: list[Meeting]) -> list[NextMeeting]:
    """The panels for these meetings: circle, agenda titles, the person's effective answer and
    who is coming (effective answer "going"). A fixed number of queries, whatever the count."""
    ids = [meeting.id for meeting in meetings]
    titles, names, answers = agenda_titles(ids), circle_names({m.circle_id for m in meetings}), effective_answers(ids)
    going = {user_id for meeting_id in ids for user_id, answer in answers[meeting_id].items() if answer == Answer.GOING}
    people = {person.id: person for person in db.session.scalars(
        select(User).where(User.id.in_(going or [-1]), User.is_active.is_(True)).order_by(User.display_name_key))}
    return [NextMeeting(meeting, names.get(meeting.circle_id, ""), titles.get(meeting.id, []), answers[meeting.id].get(user.id),
                        [person for person_id, person in people.items() if answers[meeting.id].get(person_id) == Answer.GOING])
            for meeting in meetings]


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
        select(AgendaItem)
        # A case hidden by a manager (or deleted) drops out of the agenda, as from every list. (An
        # EXISTS, not a join: SQLite, without statistics, walked every published post to join.)
        .where(AgendaItem.meeting_id == meeting.id,
               exists().where(Post.id == AgendaItem.post_id, Post.status == PostStatus.PUBLISHED))
        # The page shows each case's title: not its texts (several KB each).
        .options(selectinload(AgendaItem.post).load_only(Post.id, Post.title))
        .order_by(AgendaItem.position, AgendaItem.id)))


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
    # A facilitator's own nomination goes straight onto the agenda: they would only accept it.
    status = AgendaStatus.ACCEPTED if policy.may_manage(user, db.session.get(Circle, meeting.circle_id)) else AgendaStatus.NOMINATED
    item = AgendaItem(meeting_id=meeting.id, post_id=post.id, nominated_by_id=user.id, note=note.strip(), position=position,
                      status=status)
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


def effective_answers(meeting_ids: Iterable[int]) -> dict[int, dict[int, Answer]]:
    """Per meeting, each active member's effective answer: their answer to that meeting if any,
    else their answer for the series ("I'll come to every meeting"); members with neither are
    left out. One query, whatever the number of meetings."""
    ids = list(meeting_ids)
    rows = db.session.execute(
        select(Meeting.id, Membership.user_id, func.coalesce(Rsvp.answer, SeriesAnswer.answer))
        .join(Membership, (Membership.circle_id == Meeting.circle_id) & (Membership.status == MemberStatus.ACTIVE))
        .outerjoin(Rsvp, (Rsvp.meeting_id == Meeting.id) & (Rsvp.user_id == Membership.user_id))
        .outerjoin(SeriesAnswer, (SeriesAnswer.circle_id == Meeting.circle_id) & (SeriesAnswer.user_id == Membership.user_id))
        .where(Meeting.id.in_(ids or [-1]), (Rsvp.answer.is_not(None)) | (SeriesAnswer.answer.is_not(None))))
    found: dict[int, dict[int, Answer]] = {meeting_id: {} for meeting_id in ids}
    for meeting_id, user_id, answer in rows:
        found[meeting_id][user_id] = Answer(answer)
    return found


def answers(meeting: Meeting) -> list[tuple[User, Answer]]:
    """Who answered what (the effective answer: this meeting's, else the series'), by name."""
    mine = effective_answers([meeting.id])[meeting.id]
    people = db.session.scalars(select(User).where(User.id.in_(mine or [-1])).order_by(User.display_name_key))
    return [(person, mine[person.id]) for person in people]


def series_answer(user: User, circle_id: int) -> Answer | None:
    row = db.session.get(SeriesAnswer, (circle_id, user.id))
    return row.answer if row is not None else None


def set_series(user: User, circle: Circle, every: bool) -> None:
    """"I'll come to every meeting" (every=True) or "Ask me each time": a member's answer for
    the circle's series, meetings `meetings roll` makes later included. Their answer to one
    meeting still wins for that meeting."""
    if not circles.is_member_id(user.id, circle.id):
        raise NotFound()
    row = db.session.get(SeriesAnswer, (circle.id, user.id))
    if every and row is None:
        db.session.add(SeriesAnswer(circle_id=circle.id, user_id=user.id, answer=Answer.GOING))
    elif every:
        row.answer, row.updated_at = Answer.GOING, utcnow()
    elif row is not None:
        db.session.delete(row)


def on_left_circle(circle_id: int, user_id: int) -> None:
    """Leaving a circle ends its series answer (rejoining asks again)."""
    db.session.execute(delete(SeriesAnswer).where(SeriesAnswer.circle_id == circle_id, SeriesAnswer.user_id == user_id))


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


# Recorded attendance and the real length (what the learning record and insights read) ---------------


def recorded_attendance(meeting_ids: Iterable[int]) -> dict[int, dict[int, Presence]]:
    """Per meeting, each person's recorded attendance: present, absent or unknown. Only what
    was recorded: nobody is assumed present. One query."""
    ids = list(meeting_ids)
    found: dict[int, dict[int, Presence]] = {meeting_id: {} for meeting_id in ids}
    for meeting_id, user_id, status in db.session.execute(
            select(Attendance.meeting_id, Attendance.user_id, Attendance.status)
            .where(Attendance.meeting_id.in_(ids or [-1]))):
        found[meeting_id][user_id] = status
    return found


def attendance_rate(statuses: Iterable[Presence]) -> float | None:
    """present ÷ (present + absent); unknown counts as neither; None when nothing was recorded."""
    counted = [status for status in statuses if status != Presence.UNKNOWN]
    if not counted:
        return None
    return sum(status == Presence.PRESENT for status in counted) / len(counted)


def meeting_length(meeting: Meeting) -> timedelta:
    """How long the meeting really lasted: from Start to its end when both were recorded,
    else (older meetings, or one not run in the app) its scheduled length."""
    if meeting.started_at is not None and meeting.finished_at is not None:
        return as_utc(meeting.finished_at) - as_utc(meeting.started_at)
    return as_utc(meeting.ends_at) - as_utc(meeting.starts_at)


# Reminder choices ------------------------------------------------------------------------------------

REMINDER_CHOICES = {"day": (True, False), "two_hours": (False, True), "both": (True, True), "none": (False, False)}


def reminder_choice(user: User) -> str:
    """Which reminders the person wants: "day" (24 hours before: the default), "two_hours", "both" or "none"."""
    row = db.session.get(ReminderChoice, user.id)
    wanted = (row.day_before, row.two_hours_before) if row is not None else REMINDER_CHOICES["day"]
    return next(key for key, value in REMINDER_CHOICES.items() if value == wanted)


def choose_reminders(user: User, choice: str) -> None:
    if choice not in REMINDER_CHOICES:
        raise Invalid("Choose when to be reminded, or no reminders", field="reminders")
    day, two_hours = REMINDER_CHOICES[choice]
    row = db.session.get(ReminderChoice, user.id)
    if row is None:
        db.session.add(ReminderChoice(user_id=user.id, day_before=day, two_hours_before=two_hours))
    else:
        row.day_before, row.two_hours_before, row.updated_at = day, two_hours, utcnow()


# Members drifting away, and a facilitator's note ---------------------------------------------------------

#: How many of a member's recent meetings (those they did not decline) they missed.
DRIFT_MEETINGS = 2
MAX_NOTE = 1000


def drifting(circle_id: int, viewer_id: int | None = None) -> list[tuple[User, Meeting]]:
    """The active members recorded absent at the last 2 meetings they did not decline (a
    meeting they said "No" to does not count against them), each with the latest of those
    meetings; for the circle's facilitators only. A fixed number of queries."""
    recent = list(db.session.scalars(
        select(Meeting).where(Meeting.circle_id == circle_id, Meeting.status == MeetingStatus.FINISHED)
        .order_by(Meeting.starts_at.desc()).limit(12)))
    if not recent:
        return []
    ids = [meeting.id for meeting in recent]
    recorded, answered = recorded_attendance(ids), effective_answers(ids)
    found = []
    for person in active_members(circle_id):
        if person.id == viewer_id:
            continue
        counted = [meeting for meeting in recent if answered[meeting.id].get(person.id) != Answer.NOT_GOING]
        last = counted[:DRIFT_MEETINGS]
        if len(last) == DRIFT_MEETINGS and all(recorded[m.id].get(person.id) == Presence.ABSENT for m in last):
            found.append((person, last[0]))
    return found


def send_note(actor: User, circle: Circle, person_id: int, text: str) -> MemberNote:
    """A facilitator's short note to a member: kept for the member to read in the app, and
    announced by a notification (and an email with a link, per their settings)."""
    if not policy.may_see_drifting(actor, circle):
        raise Forbidden()
    if person_id == actor.id or not circles.is_member_id(person_id, circle.id):
        raise NotFound()
    text = clean(text or "").strip()
    if not text:
        raise Invalid("Write a few words for your note", field="text")
    if len(text) > MAX_NOTE:
        raise Invalid(f"Keep the note to {MAX_NOTE:,} characters or fewer", field="text")
    if privacy.blocking(privacy.scan(text)):
        raise Invalid("Your note may identify someone (a name, number or address): take that out and send it again",
                      field="text")
    last = db.session.scalar(select(Meeting.id).where(Meeting.circle_id == circle.id, Meeting.status == MeetingStatus.FINISHED)
                             .order_by(Meeting.starts_at.desc()).limit(1))
    note = MemberNote(circle_id=circle.id, meeting_id=last, sender_id=actor.id, recipient_id=person_id, body=text)
    db.session.add(note)
    db.session.flush()
    events.emit("member_note_sent", note_id=note.id)
    return note


def notes_for(user: User, limit: int = 50) -> list[tuple[MemberNote, str, str]]:
    """Notes sent to this person by their circles' facilitators, newest first, with the
    circle's and the sender's names; only from circles they still belong to. One query."""
    sender = aliased(User)
    rows = db.session.execute(
        select(MemberNote, Circle.name, sender.display_name).join(Circle, Circle.id == MemberNote.circle_id)
        .outerjoin(sender, sender.id == MemberNote.sender_id)
        .where(MemberNote.recipient_id == user.id, MemberNote.circle_id.in_(circles.member_circle_ids(user)))
        .order_by(MemberNote.created_at.desc(), MemberNote.id.desc()).limit(limit))
    return [(note, circle_name, sender_name or "A former facilitator") for note, circle_name, sender_name in rows]


def coming(meeting: Meeting) -> list[str]:
    """The names of those coming (effective answer "going"), as the panels list them."""
    going = [user_id for user_id, answer in effective_answers([meeting.id])[meeting.id].items() if answer == Answer.GOING]
    return list(db.session.scalars(select(User.display_name).where(User.id.in_(going or [-1]), User.is_active.is_(True))
                                   .order_by(User.display_name_key)))
