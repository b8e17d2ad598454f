"""Two years of history for the demo organisation, so every section of insights shows
something real on `make run`: eight more advisers (who joined over those years), short cases
and stories each month with replies, outcome updates (work that started and lasted), and a
monthly meeting of each circle with recorded attendance, a case discussed, action points and
"everyone heard" marks. Deterministic (a seeded random), and added once: a second run finds
the first history adviser and adds nothing."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, update

from forum.accounts import passwords
from forum.accounts.models import Role, Team, User
from forum.accounts.services import display_name_key, new_handle
from forum.cases.models import OutcomeType, Post, PostKind, Reply, Status, post_themes
from forum.circles.models import Circle, Membership, MemberStatus
from forum.demo.accounts import DEMO_PASSWORD, TEAMS
from forum.extensions import db
from forum.markdown import render
from forum.meetings import schedule as recurrence
from forum.meetings import services
from forum.meetings.models import (
    ActionPoint,
    AgendaItem,
    AgendaStatus,
    Attendance,
    HeardMark,
    Meeting,
    MeetingStatus,
    Presence,
)
from forum.outcomes.models import OutcomeUpdate, OutcomeUpdateType
from forum.themes.models import Theme
from forum.timeutil import utcnow

MONTHS = 24

#: (display name, email, team index): obviously fictional, like the other demo people.
HISTORY_PEOPLE = (
    ("Kai.Adviser", "kai.adviser@example.org", 0), ("Logan.Adviser", "logan.adviser@example.org", 0),
    ("Marlow.Adviser", "marlow.adviser@example.org", 0), ("Noel.Adviser", "noel.adviser@example.org", 0),
    ("Oakley.Adviser", "oakley.adviser@example.org", 1), ("Parker.Adviser", "parker.adviser@example.org", 1),
    ("Quinn.Adviser", "quinn.adviser@example.org", 1), ("Rowan.Adviser", "rowan.adviser@example.org", 1),
)

TITLES = (
    "Client anxious about travelling to a new workplace", "Better-off calculation before accepting part-time hours",
    "Rent arrears while waiting for the first wage", "Childcare gap in the school holidays",
    "Disclosing a health condition to a new employer", "Confidence after a long time out of work",
    "Debt letters stopping someone engaging", "Moving from volunteering into paid work",
    "Starting a course alongside Universal Credit", "Keeping a job through a difficult first month",
    "Transport costs for an early shift", "Adjustments at work after an injury",
)
ANSWERS = ("We did a better-off calculation together first.", "The flexible support fund covered the first month.",
           "A phased start helped a lot.", "Ask the employer about a trial day.", "Worth a referral to the debt service.")


def _month_start(months_ago: int) -> date:
    today = date.today().replace(day=1)
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=utcnow().tzinfo)


def seed_history(advisers: list[User]) -> int:
    """Add the history once; returns how many posts it added."""
    if db.session.scalar(select(User.id).where(User.email == HISTORY_PEOPLE[0][1])) is not None:
        return 0
    rng = random.Random(17)
    teams = {name: team_id for team_id, name in db.session.execute(select(Team.id, Team.name))}
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    people = list(advisers)
    for number, (name, email, team) in enumerate(HISTORY_PEOPLE):
        joined = _at(_month_start(MONTHS - 1 - number * 2), 9)
        person = User(email=email, display_name=name, display_name_key=display_name_key(name), handle=new_handle(name),
                      password_hash=password_hash, role=Role.ADVISER, team_id=teams.get(TEAMS[team]), created_at=joined)
        db.session.add(person)
        db.session.flush()  # the next person's handle sees this one
        people.append(person)
    db.session.flush()
    themes = list(db.session.scalars(select(Theme.id).where(Theme.archived.is_(False)).order_by(Theme.id)))
    now = utcnow()
    cases_by_month: dict[int, list[int]] = {}
    added = 0
    for months_ago in range(MONTHS - 1, -1, -1):
        start = _month_start(months_ago)
        cases_by_month[months_ago] = []
        for author in people:
            if rng.random() > 0.75:
                continue
            published = _at(start + timedelta(days=rng.randrange(0, 27)), rng.randrange(8, 17))
            if published > now - timedelta(hours=2):
                continue
            kind = PostKind.CASE if rng.random() < 0.75 else PostKind.STORY
            title = rng.choice(TITLES)
            text = "A client I am supporting; details changed. " + title + "."
            post = Post(kind=kind, title=title, situation_md=text, situation_html=render(text), author_id=author.id,
                        status=Status.PUBLISHED, created_at=published, published_at=published, last_activity_at=published,
                        show_author=rng.random() > 0.2)
            db.session.add(post)
            db.session.flush()
            # Most advisers' work falls in a few themes, so those show month by month.
            busy = themes[:4] if rng.random() < 0.7 else themes
            chosen = rng.sample(busy, k=min(len(busy), rng.choice((1, 1, 2))))
            db.session.execute(insert(post_themes), [{"post_id": post.id, "theme_id": theme} for theme in chosen])
            added += 1
            replies = 0
            for _ in range(rng.choice((0, 1, 2, 2, 3))):
                answer_at = published + timedelta(hours=rng.choice((1, 3, 6, 20, 30, 70, 200)))
                if answer_at >= now:
                    continue
                replier = rng.choice([person for person in people if person.id != author.id])
                body = rng.choice(ANSWERS)
                db.session.add(Reply(post_id=post.id, author_id=replier.id, body_md=body, body_html=render(body),
                                     created_at=answer_at))
                replies += 1
            db.session.execute(update(Post).where(Post.id == post.id).values(reply_count=replies))
            if kind == PostKind.CASE:
                cases_by_month[months_ago].append(post.id)
                _outcomes(rng, post.id, author.id, published, now)
    _meetings(rng, cases_by_month, now)
    return added


def _outcome(post_id: int, author_id: int, day: date, *types: OutcomeType, barrier: str = "") -> None:
    db.session.add(OutcomeUpdate(post_id=post_id, recorded_by_id=author_id, occurred_on=day, created_at=utcnow(),
                                 published_at=utcnow(), types=[
                                     OutcomeUpdateType(outcome_type=kind, barrier=barrier if kind == OutcomeType.BARRIER_REMOVED else "")
                                     for kind in types]))


def _outcomes(rng: random.Random, post_id: int, author_id: int, published: datetime, now: datetime) -> None:
    """About half the cases lead to work (and some of it lasts); others to indirect outcomes."""
    roll = rng.random()
    today = now.date()
    if roll < 0.45:
        started = (published + timedelta(weeks=rng.randrange(3, 9))).date()
        if started > today:
            return
        _outcome(post_id, author_id, started, OutcomeType.STARTED_WORK)
        for weeks, kind, chance in ((13, OutcomeType.IN_WORK_13_WEEKS, 0.75), (26, OutcomeType.IN_WORK_26_WEEKS, 0.6)):
            if started + timedelta(weeks=weeks) > today or rng.random() > chance:
                return
            _outcome(post_id, author_id, started + timedelta(weeks=weeks), kind)
    elif roll < 0.8:
        day = (published + timedelta(weeks=rng.randrange(2, 7))).date()
        if day <= today:
            kind = rng.choice((OutcomeType.MORE_CONFIDENT, OutcomeType.WELLBEING_BETTER, OutcomeType.BARRIER_REMOVED))
            _outcome(post_id, author_id, day, kind, barrier=rng.choice(("housing", "debt", "childcare", "transport")))


def _meetings(rng: random.Random, cases_by_month: dict[int, list[int]], now: datetime) -> None:
    """One meeting a month per circle on its schedule (a few cancelled), before the two the
    circles' demo made: recorded attendance, a case discussed, action points, and who was
    heard in each phase."""
    circles = list(db.session.scalars(select(Circle).where(Circle.archived_at.is_(None)).order_by(Circle.id)))
    history = list(db.session.scalars(select(User).where(User.email.in_([email for _, email, _ in HISTORY_PEOPLE]))
                                      .order_by(User.id)))
    for number, circle in enumerate(circles):
        for person in history[number::len(circles) or 1][:3]:
            db.session.add(Membership(circle_id=circle.id, user_id=person.id, status=MemberStatus.ACTIVE))
    db.session.flush()
    for circle in circles:
        members = list(db.session.scalars(select(Membership.user_id).where(
            Membership.circle_id == circle.id, Membership.status == MemberStatus.ACTIVE)))
        row = services.schedule_of(circle)
        if row is None:
            continue
        # On the circle's own schedule, begun two years earlier: its first meeting of each month.
        earlier = replace(services.as_recurrence(row), start_date=row.start_date - timedelta(weeks=52 * 2 + 4), until=None)
        firsts: dict[date, recurrence.Occurrence] = {}
        for occurrence in recurrence.occurrences(earlier, _at(_month_start(MONTHS - 1), 0), _at(_month_start(2), 0)):
            firsts.setdefault(occurrence.local_date.replace(day=1), occurrence)
        for month in sorted(firsts):
            occurrence = firsts[month]
            starts = occurrence.starts_at
            meeting = Meeting(circle_id=circle.id, schedule_id=row.id, occurrence=occurrence.local_date.isoformat(),
                              starts_at=starts, ends_at=occurrence.ends_at, timezone=row.timezone,
                              status=MeetingStatus.FINISHED if rng.random() < 0.9 else MeetingStatus.CANCELLED,
                              started_at=starts, finished_at=occurrence.ends_at)
            db.session.add(meeting)
            db.session.flush()
            if meeting.status == MeetingStatus.CANCELLED:
                continue
            present = [person for person in members if rng.random() < 0.8]
            for person in members:
                db.session.add(Attendance(meeting_id=meeting.id, user_id=person,
                                          status=Presence.PRESENT if person in present else Presence.ABSENT))
            months_ago = (date.today().year - month.year) * 12 + date.today().month - month.month
            if cases_by_month.get(months_ago):
                db.session.add(AgendaItem(meeting_id=meeting.id, post_id=rng.choice(cases_by_month[months_ago]),
                                          nominated_by_id=members[0], status=AgendaStatus.ACCEPTED, position=1, minutes=45))
            for phase in range(4):
                heard = present if rng.random() < 0.7 else present[:-1]
                for person in heard:
                    db.session.add(HeardMark(meeting_id=meeting.id, user_id=person, item=0, phase=phase))
            for owner in rng.sample(present, k=min(2, len(present))):
                due = (starts + timedelta(days=14)).date()
                done = _at(due - timedelta(days=rng.randrange(0, 10)), 12) if rng.random() < 0.7 else None
                db.session.add(ActionPoint(meeting_id=meeting.id, owner_id=owner, text="Try the approach we discussed.",
                                           due=due, done_at=done, created_at=starts))
