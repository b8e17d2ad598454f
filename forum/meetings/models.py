"""Schedules, meetings, agendas, RSVPs, calendar feeds and sent reminders."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.cases.models import Post
from forum.extensions import db
from forum.timeutil import utcnow


def _enum(enum_class, name: str) -> Enum:
    return Enum(enum_class, name=name, native_enum=False, length=16,
                values_callable=lambda members: [member.value for member in members])


class Schedule(db.Model):
    """A circle's recurrence, in local time: meetings are generated from it as rows."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), unique=True)
    frequency: Mapped[str] = mapped_column(String(16))  # weekly, fortnightly, monthly, once
    #: RFC 5545 RRULE, for the record and calendars ("" for a one-off meeting).
    rrule: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", local
    duration_minutes: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    nth: Mapped[int | None] = mapped_column(Integer)  # monthly: 1..5, or -1 for the last
    weekday: Mapped[int | None] = mapped_column(Integer)  # monthly: 0 Monday .. 6 Sunday
    until: Mapped[date | None] = mapped_column(Date)
    call_link: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_circle_starts", "circle_id", "starts_at"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
        # One row per occurrence of a schedule: rolling the window twice adds nothing.
        UniqueConstraint("schedule_id", "occurrence", name="uq_meetings_schedule_occurrence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    #: The occurrence's local date in its schedule ("2026-03-10"); None for an added meeting.
    occurrence: Mapped[str | None] = mapped_column(String(10))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED)
    call_link: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Goes up each time the meeting moves or is cancelled, for calendars (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # The live run, in the database so every server process agrees (see run.py).
    #: The protocol's phases as JSON, copied from the circle when the meeting starts.
    protocol_json: Mapped[str] = mapped_column(Text, default="")
    run_item: Mapped[int] = mapped_column(Integer, default=0)
    run_phase: Mapped[int] = mapped_column(Integer, default=0)
    run_phase_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    run_extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: Every control posts the version it saw; a stale click is refused, never applied twice.
    run_version: Mapped[int] = mapped_column(Integer, default=0)
    #: Who may write notes besides the facilitators (chosen by a facilitator).
    note_taker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When the facilitator actually pressed Start and ended it (None for meetings run before
    #: these were kept: their scheduled length stands in, see services.meeting_length).
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: "Go round": the run page shows who speaks next, in an order fixed for this meeting by
    #: this random seed (set when the facilitator first turns it on).
    go_round: Mapped[bool] = mapped_column(Boolean, default=False)
    go_round_seed: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AgendaStatus(enum.StrEnum):
    NOMINATED = "nominated"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        UniqueConstraint("meeting_id", "post_id", name="uq_agenda_items_meeting_post"),
        Index("ix_agenda_items_meeting_position", "meeting_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    nominated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: A line on why: for members only, never emailed.
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[AgendaStatus] = mapped_column(_enum(AgendaStatus, "agenda_status"), default=AgendaStatus.NOMINATED)
    position: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=20)
    #: The member who presents the case in the meeting.
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Goes up with each save, so a save based on older notes is caught, not lost.
    notes_version: Mapped[int] = mapped_column(Integer, default=0)
    #: What the circle learned, which may be shared on a forum-wide case's thread.
    learning_points: Mapped[str] = mapped_column(Text, default="")
    #: The "Circle discussion summary" reply made when the meeting ended.
    summary_reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    post: Mapped[Post] = relationship(lazy="raise")


class Answer(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"

    @property
    def label(self) -> str:
        return {"going": "Going", "maybe": "Maybe", "not_going": "Not going"}[self.value]


class Rsvp(db.Model):
    __tablename__ = "rsvps"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[Answer] = mapped_column(_enum(Answer, "rsvp_answer"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SeriesAnswer(db.Model):
    """"I'll come to every meeting" for one circle: a per-membership preference. A meeting's
    effective answer is the person's answer to it if any, else this one (services.effective_answers)."""

    __tablename__ = "series_answers"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    answer: Mapped[Answer] = mapped_column(_enum(Answer, "series_answer"), default=Answer.GOING)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CalendarFeed(db.Model):
    """A person's private calendar address. Its token is an HMAC of this nonce under the
    secret key, so the address can be shown again, a database copy alone cannot forge it,
    and resetting the nonce kills the old address."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReminderChoice(db.Model):
    """Which reminders a person wants; no row means the default (24 hours before only)."""

    __tablename__ = "reminder_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day_before: Mapped[bool] = mapped_column(Boolean, default=True)
    two_hours_before: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReminderSent(db.Model):
    """One reminder of each kind ("24h", "2h") per person per meeting: the sweep can run as
    often as cron likes."""

    __tablename__ = "reminders_sent"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True, default="24h")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Presence(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"present": "Present", "absent": "Absent", "unknown": "Not recorded"}[self.value]


class Attendance(db.Model):
    """Who was there, as recorded: a row per member from the start, unknown until the member
    says "I'm here" or a facilitator marks them. Seen by the person and the circle's members
    only, never by managers (purpose limitation)."""

    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[Presence] = mapped_column(_enum(Presence, "presence"), default=Presence.UNKNOWN)


class HeardMark(db.Model):
    """A member has spoken in this phase of this agenda item."""

    __tablename__ = "heard_marks"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[int] = mapped_column(Integer, primary_key=True)
    phase: Mapped[int] = mapped_column(Integer, primary_key=True)


class ActionPoint(db.Model):
    __tablename__ = "action_points"
    __table_args__ = (Index("ix_action_points_owner_done_due", "owner_id", "done_at", "due"),
                      Index("ix_action_points_meeting", "meeting_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    due: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)



class PulseAnswer(db.Model):
    """One anonymous answer to a meeting's pulse. Nothing links it to its author or to when it
    was given: a random key (no number in creation order), no user id, no time (the meeting is
    the finest time it carries), and on SQLite no hidden row number (WITHOUT ROWID). Who
    answered is kept apart, in PulseAnswered, written in the same transaction."""

    __tablename__ = "pulse_answers"
    __table_args__ = (Index("ix_pulse_answers_meeting", "meeting_id"), {"sqlite_with_rowid": False})

    #: Random (secrets.token_hex), so sorting by it says nothing about who answered first.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: "How useful was this session for your work?" 1 to 5, or None (not answered).
    usefulness: Mapped[int | None] = mapped_column(Integer)
    #: "How are you doing at work at the moment?" 1 to 5, or None. Wellbeing data (special
    #: category): shown only in organisation-wide figures of at least 5 answers.
    coping: Mapped[int | None] = mapped_column(Integer)
    #: Words for the facilitator (plain text), shown only once 5 answers exist, never beside a rating.
    words: Mapped[str] = mapped_column(Text, default="")


class PulseAnswered(db.Model):
    """That a person answered a meeting's pulse (so each answers once): nothing of the answer
    and no time. Erasure removes it; the anonymous answer stays."""

    __tablename__ = "pulse_answered"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class MemberNote(db.Model):
    """A short note from a circle's facilitator to a member who has missed meetings ("Send a
    note"), shown to the member in the app; the email says only that there is one."""

    __tablename__ = "member_notes"
    __table_args__ = (Index("ix_member_notes_recipient", "recipient_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    #: The meeting the member last missed, so the notification follows the circle's visibility.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
