"""Demo circles for `seed-demo`: three circles with members, schedules, past and upcoming
meetings and agendas. Idempotent: a circle that exists by name is left alone.

Circles and their meetings share this file: each row of `CIRCLES` holds both the circle and
its schedule, and meetings are added only to a circle created in the same run."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, time, timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.cases.models import Post, PostKind, Status
from forum.circles import services as circles
from forum.circles.models import Circle, Membership, Mode
from forum.extensions import db
from forum.meetings import schedule as recurrence
from forum.meetings import services
from forum.meetings.models import (
    AgendaItem,
    AgendaStatus,
    Answer,
    Attendance,
    Meeting,
    MeetingStatus,
    Presence,
    PulseAnswer,
    PulseAnswered,
    Rsvp,
)
from forum.timeutil import utcnow

#: Who in the first circle has missed its last meetings (an index into the advisers): the
#: facilitator sees them under "Members you have not seen lately".
DRIFTING = 6

#: The pulse after each past meeting, one (usefulness, coping, words) per person present.
PULSES = ((4, 3, "Good to hear how others handle this."), (5, 4, ""), (3, 2, "A bit rushed at the end."),
          (4, None, ""), (5, 4, "The quiet round helped."), (2, 3, ""))

#: (name, purpose, mode, facilitator index, member indexes, frequency, weekday, hour, nth)
CIRCLES = (
    ("Northgate Tuesday case circle", "A weekly hour for Northgate advisers to bring a stuck case and leave with next steps.",
     Mode.OPEN, 0, (1, 2, 3, 5, 6), "weekly", 1, 10, None),
    ("Riverside consultancy circle", "Fortnightly structured case consultations for the Riverside team.",
     Mode.REQUEST, 4, (5, 6, 7), "fortnightly", 3, 14, None),
    ("New advisers' learning set", "An action learning set for advisers in their first year.",
     Mode.INVITE, 2, (0, 5), "monthly", 2, 13, 2),
)


def _next(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def seed_circles(advisers: list[User]) -> int:
    """Add the demo circles that are not there yet, with their meetings; returns how many were added."""
    existing = set(db.session.scalars(select(Circle.name)))
    cases = list(db.session.scalars(select(Post).where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED,
                                                       Post.circle_id.is_(None)).order_by(Post.id)))
    added = 0
    for number, (name, purpose, mode, lead, members, frequency, weekday, hour, nth) in enumerate(CIRCLES):
        if name in existing:
            continue
        facilitator = advisers[lead]
        circle = circles.create(facilitator, circles.CircleInput(name, purpose, mode, 12))
        for index in members:
            db.session.add(Membership(circle_id=circle.id, user_id=advisers[index].id))
        db.session.flush()
        services.save_schedule(facilitator, circle, services.ScheduleInput(
            frequency, _next(weekday), time(hour, 0), 60, "Europe/London", nth=nth,
            weekday=weekday if frequency == "monthly" else None, call_link="https://meet.example.org/" + str(circle.id)))
        people = [facilitator] + [advisers[index] for index in members]
        _past_meetings(circle, people, cases[number * 3:number * 3 + 3], advisers[DRIFTING] if number == 0 else None)
        _first_agenda(circle, people, cases[number * 3 + 9:number * 3 + 11])
        added += 1
    return added


def _past_meetings(circle: Circle, people: list[User], cases: list[Post], drifting: User | None = None) -> None:
    """The last two meetings on the circle's schedule, finished, each with a case discussed, who
    came (`drifting` missed both) and the pulse those present answered."""
    row = services.schedule_of(circle)
    # The same recurrence, begun a year earlier (52 weeks keeps fortnightly weeks in step).
    earlier = replace(services.as_recurrence(row), start_date=row.start_date - timedelta(weeks=52), until=None)
    now = utcnow()
    held = list(recurrence.occurrences(earlier, now - timedelta(weeks=10), now))[-2:]
    for occurrence, post in zip(held, cases, strict=False):
        meeting = Meeting(circle_id=circle.id, schedule_id=row.id, occurrence=occurrence.local_date.isoformat(),
                          starts_at=occurrence.starts_at, ends_at=occurrence.ends_at, timezone=row.timezone,
                          status=MeetingStatus.FINISHED, started_at=occurrence.starts_at, finished_at=occurrence.ends_at,
                          call_link=f"https://meet.example.org/{circle.id}")
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=meeting.id, post_id=post.id, nominated_by_id=people[-1].id,
                                  status=AgendaStatus.ACCEPTED, position=1, minutes=45))
        missing = drifting.id if drifting is not None else None
        present = [person for person in people if person.id != missing]
        for person in people:
            db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, answer=Answer.GOING))
            db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id,
                                      status=Presence.ABSENT if person.id == missing else Presence.PRESENT))
        for person, (usefulness, coping, words) in zip(present, PULSES, strict=False):
            db.session.add(PulseAnswered(meeting_id=meeting.id, user_id=person.id))
            db.session.add(PulseAnswer(id=secrets.token_hex(16), meeting_id=meeting.id, usefulness=usefulness,
                                       coping=coping, words=words))


def _first_agenda(circle: Circle, people: list[User], cases: list[Post]) -> None:
    """The next meeting: one case accepted, one nominated, a few answers."""
    upcoming = services.upcoming(circle, limit=1)
    if not upcoming or not cases:
        return
    meeting = upcoming[0]
    for position, post in enumerate(cases, start=1):
        db.session.add(AgendaItem(meeting_id=meeting.id, post_id=post.id, nominated_by_id=people[position % len(people)].id,
                                  note="Similar to what several of us see.",
                                  status=AgendaStatus.ACCEPTED if position == 1 else AgendaStatus.NOMINATED,
                                  position=position, minutes=30))
    for person, answer in zip(people, (Answer.GOING, Answer.GOING, Answer.MAYBE), strict=False):
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, answer=answer))
    db.session.flush()
