"""Demo learning record for `seed-demo`: the first demo adviser (Alex) has reflected on a
meeting they attended and on a colleague's case, and set a learning goal under a theme,
all through the learning services."""

from __future__ import annotations

from sqlalchemy import exists, select

from forum.accounts.models import User
from forum.cases import policy as cases_policy
from forum.cases.models import Post, PostKind, Status
from forum.extensions import db
from forum.learning import services
from forum.learning.models import Goal, Reflection
from forum.meetings.models import Attendance, Meeting, MeetingStatus, Presence
from forum.themes.models import Theme

GOAL = "Get better at helping people talk about money worries"
MEETING_REFLECTION = services.ReflectionInput(
    took="Letting the presenter finish before anyone suggested anything changed the whole discussion: "
         "the real barrier only came out after ten minutes.",
    will_try="Ask one more open question before I offer a solution, and write down what I hear.")
POST_REFLECTION = services.ReflectionInput(
    took="A better-off calculation done together turns a frightening change into a plan.",
    will_try="Book a longer appointment when someone is thinking about a first job offer.")


def seed_learning(advisers: list[User]) -> int:
    """Once: two reflections and a goal for the first demo adviser."""
    person = advisers[0]
    if db.session.scalar(select(exists().where(Goal.owner_id == person.id, Goal.text == GOAL))):
        return 0
    meeting = db.session.scalar(
        select(Meeting).join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Attendance.user_id == person.id, Attendance.status == Presence.PRESENT,
               Meeting.status == MeetingStatus.FINISHED).order_by(Meeting.starts_at.desc()).limit(1))
    if meeting is not None and not db.session.scalar(select(exists().where(Reflection.author_id == person.id,
                                                                            Reflection.meeting_id == meeting.id))):
        services.add_reflection(person, MEETING_REFLECTION, meeting=meeting)
    post = db.session.scalar(select(Post).where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED,
                                                Post.author_id != person.id, Post.circle_id.is_(None))
                             .order_by(Post.id).limit(1))
    if post is not None and cases_policy.may_read(person, post):
        services.add_reflection(person, POST_REFLECTION, post=post)
    theme_ids = list(db.session.scalars(select(Theme.id).where(Theme.archived.is_(False)).order_by(Theme.id).limit(1)))
    services.add_goal(person, GOAL, theme_ids)
    return 1
