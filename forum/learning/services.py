"""The learning record worked out for a period, reflections (privacy guard: warnings only),
goals, and shared snapshots. Services raise domain errors; views commit.

The record is read from other modules' rows in a fixed number of statements, whatever its
size (`record`). `plain(record, sections, reflection_ids)` turns it into plain data: the one
shape the page's share snapshot, the PDF and the CSV are all made from. Totals are a list
(`TOTALS`): a later figure (replies marked as what helped) is one more entry there."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, select

from forum import audit, knowledge, privacy
from forum.accounts.models import User
from forum.cases import guard
from forum.cases.models import Helpful, Post, PostKind, Reply, Status, post_themes
from forum.circles.models import Circle
from forum.errors import Invalid, check_all
from forum.extensions import db
from forum.learning import policy
from forum.learning.models import Goal, GoalTheme, Reflection, Share
from forum.meetings import services as meetings
from forum.meetings.models import ActionPoint, AgendaItem, AgendaStatus, Attendance, Meeting, MeetingStatus, Presence
from forum.outcomes.models import OutcomeUpdate
from forum.text import clean
from forum.themes.models import Theme
from forum.timeutil import as_utc, in_zone, utcnow

MAX_REFLECTION = 20_000
MAX_GOAL = 500

#: What a share or a download can hold, in the order they appear.
SECTIONS = {
    "totals": "Totals",
    "meetings": "Meetings attended",
    "contributions": "Cases presented, posts, helpful replies, outcomes and action points",
    "goals": "Learning goals",
    "reflections": "Reflections",
}


# Periods -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """[start, end] as UTC moments: from midnight at its start to midnight after its end, in the person's zone."""
        local = ZoneInfo(zone)
        begin = datetime.combine(self.start, time(), local)
        finish = datetime.combine(self.end + timedelta(days=1), time(), local)
        return as_utc(begin), as_utc(finish)

    @property
    def words(self) -> str:
        return f"{day(self.start)} to {day(self.end)}"


def day(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def this_year(user: User, now: datetime | None = None) -> Period:
    today = in_zone(now or utcnow(), user.timezone).date()
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def check_period(start: date | None, end: date | None, user: User) -> Period:
    """A period typed in a form; either end left empty means this year's."""
    default = this_year(user)
    start, end = start or default.start, end or default.end
    if end < start:
        raise Invalid("The end of the period must be on or after its start", field="end")
    return Period(start, end)


# The record -------------------------------------------------------------------------------------


@dataclass
class MeetingLine:
    meeting_id: int
    starts_at: datetime
    circle: str
    length: timedelta
    cases: list[str] = field(default_factory=list)


@dataclass
class Record:
    person: User
    period: Period
    meetings: list[MeetingLine]
    presented: list[tuple[datetime, str]]
    posts: list[Post]
    helpful: list[tuple[str, int]]
    outcomes: list[tuple[date, str, str]]
    actions_done: list[ActionPoint]
    actions_open: list[ActionPoint]
    reflections: list[Reflection]
    reflection_subjects: dict[int, str]
    goals: list[GoalLine]
    #: Their replies written in the period that an author marked as what helped their case.
    what_helped: int = 0

    @property
    def hours(self) -> float:
        return sum((line.length for line in self.meetings), timedelta()).total_seconds() / 3600

    @property
    def cases_discussed(self) -> int:
        return sum(len(line.cases) for line in self.meetings)

    @property
    def totals(self) -> list[tuple[str, str, str]]:
        return [(key, label, str(count(self))) for key, label, count in TOTALS]


@dataclass
class GoalLine:
    goal: Goal
    themes: list[str]
    posts: int = 0
    replies: int = 0

    @property
    def activity(self) -> str:
        if not self.themes:
            return "No themes chosen"
        return f"{self.posts} {_plural(self.posts, 'post')} and {self.replies} {_plural(self.replies, 'reply', 'replies')} in these themes"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return one if count == 1 else (many or one + "s")


def hours_text(hours: float) -> str:
    return f"{hours:.1f}".rstrip("0").rstrip(".") if hours else "0"


#: The totals, in order: (key, label, count(record)). Add one with `add_total`.
TOTALS: list[tuple[str, str, Callable[[Record], object]]] = [
    ("meetings", "Circle meetings attended", lambda record: len(record.meetings)),
    ("hours", "Hours in circle meetings", lambda record: hours_text(record.hours)),
    ("presented", "Cases presented", lambda record: len(record.presented)),
    ("discussed", "Cases discussed at those meetings", lambda record: record.cases_discussed),
    ("posts", "Cases and stories posted", lambda record: len(record.posts)),
    ("helpful", "Times others marked a reply helpful", lambda record: sum(count for _, count in record.helpful)),
    ("what_helped", "Replies marked as what helped a case", lambda record: record.what_helped),
    ("outcomes", "Outcome updates recorded", lambda record: len(record.outcomes)),
    ("actions_done", "Action points done", lambda record: len(record.actions_done)),
    ("actions_open", "Action points still open", lambda record: len(record.actions_open)),
    ("reflections", "Reflections written", lambda record: len(record.reflections)),
]


def add_total(key: str, label: str, count: Callable[[Record], object]) -> None:
    TOTALS[:] = [entry for entry in TOTALS if entry[0] != key] + [(key, label, count)]


def record(user: User, period: Period) -> Record:
    """The person's record for the period: a fixed number of statements, whatever its size."""
    begin, finish = period.bounds(user.timezone)
    lines = _meetings(user, begin, finish)
    presented = _cases_of(user, lines)
    posts = list(db.session.scalars(select(Post).where(
        Post.author_id == user.id, Post.status == Status.PUBLISHED, Post.published_at >= begin, Post.published_at < finish)
        .order_by(Post.published_at, Post.id)))
    reflections, subjects = _reflections(user, begin, finish)
    actions = list(db.session.scalars(select(ActionPoint).where(ActionPoint.owner_id == user.id, ActionPoint.created_at < finish)
                                      .order_by(ActionPoint.due.is_(None), ActionPoint.due, ActionPoint.id)))
    done = [action for action in actions if action.done_at is not None and begin <= as_utc(action.done_at) < finish]
    still_open = [action for action in actions if action.done_at is None]
    return Record(person=user, period=period, meetings=lines, presented=presented, posts=posts,
                  helpful=_helpful(user, begin, finish), outcomes=_outcomes(user, period),
                  actions_done=done, actions_open=still_open, reflections=reflections, reflection_subjects=subjects,
                  goals=_goals(user, begin, finish), what_helped=knowledge.what_helped_count(user.id, begin, finish))


def _meetings(user: User, begin: datetime, finish: datetime) -> list[MeetingLine]:
    """Meetings in the period at which the person was recorded present (absent or unrecorded ones do not count)."""
    rows = db.session.execute(
        select(Meeting, Circle.name).join(Attendance, and_(Attendance.meeting_id == Meeting.id, Attendance.user_id == user.id))
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Attendance.status == Presence.PRESENT, Meeting.status != MeetingStatus.CANCELLED,
               Meeting.starts_at >= begin, Meeting.starts_at < finish)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    return [MeetingLine(meeting.id, meeting.starts_at, name, meetings.meeting_length(meeting)) for meeting, name in rows]


def _cases_of(user: User, lines: list[MeetingLine]) -> list[tuple[datetime, str]]:
    """Fills in each meeting's cases discussed; returns the ones the person presented (one statement)."""
    by_id = {line.meeting_id: line for line in lines}
    presented = []
    for item_meeting, presenter_id, title, status in db.session.execute(
            select(AgendaItem.meeting_id, AgendaItem.presenter_id, Post.title, Post.status)
            .join(Post, Post.id == AgendaItem.post_id)
            .where(AgendaItem.meeting_id.in_(list(by_id) or [-1]), AgendaItem.status == AgendaStatus.ACCEPTED)
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)):
        title = title if status == Status.PUBLISHED else "A case no longer on the forum"
        line = by_id[item_meeting]
        line.cases.append(title)
        if presenter_id == user.id:
            presented.append((line.starts_at, title))
    return presented


def _helpful(user: User, begin: datetime, finish: datetime) -> list[tuple[str, int]]:
    """Per post, how many times others marked the person's replies on it helpful in the period."""
    rows = db.session.execute(
        select(Post.title, func.count(Helpful.id)).select_from(Helpful)
        .join(Reply, and_(Helpful.target_type == "reply", Helpful.target_id == Reply.id))
        .join(Post, Post.id == Reply.post_id)
        .where(Reply.author_id == user.id, Helpful.user_id != user.id, Reply.status == Status.PUBLISHED,
               Helpful.created_at >= begin, Helpful.created_at < finish)
        .group_by(Post.id, Post.title).order_by(Post.id)).all()
    return [(title, count) for title, count in rows]


def _outcomes(user: User, period: Period) -> list[tuple[date, str, str]]:
    rows = db.session.execute(
        select(OutcomeUpdate.occurred_on, Post.title, OutcomeUpdate.id).join(Post, Post.id == OutcomeUpdate.post_id)
        .where(OutcomeUpdate.recorded_by_id == user.id, OutcomeUpdate.published_at.is_not(None),
               OutcomeUpdate.occurred_on >= period.start, OutcomeUpdate.occurred_on <= period.end)
        .order_by(OutcomeUpdate.occurred_on, OutcomeUpdate.id)).all()
    return [(occurred, title, "") for occurred, title, _ in rows]


def _reflections(user: User, begin: datetime, finish: datetime) -> tuple[list[Reflection], dict[int, str]]:
    """The person's reflections written in the period, and what each is about (one statement)."""
    rows = db.session.execute(
        select(Reflection, Post.title, Circle.name, Meeting.starts_at)
        .outerjoin(Post, Post.id == Reflection.post_id).outerjoin(Meeting, Meeting.id == Reflection.meeting_id)
        .outerjoin(Circle, Circle.id == Meeting.circle_id)
        .where(Reflection.author_id == user.id, Reflection.created_at >= begin, Reflection.created_at < finish)
        .order_by(Reflection.created_at, Reflection.id)).all()
    subjects = {}
    for reflection, title, circle, starts_at in rows:
        subjects[reflection.id] = subject_words(user, title, circle, starts_at)
    return [row[0] for row in rows], subjects


def subject_words(user: User, title: str | None, circle: str | None, starts_at: datetime | None) -> str:
    if title is not None:
        return f"“{title}”"
    if circle is not None:
        return f"the {circle} meeting on {day(in_zone(starts_at, user.timezone).date())}"
    return "something no longer on the forum"


def _goals(user: User, begin: datetime, finish: datetime) -> list[GoalLine]:
    """Every goal (open first), its themes, and the person's posts and replies in those themes in the period."""
    goals = list(db.session.scalars(select(Goal).where(Goal.owner_id == user.id)
                                    .order_by(Goal.done_at.is_not(None), Goal.id)))
    themes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for goal_id, theme_id, name in db.session.execute(
            select(GoalTheme.goal_id, Theme.id, Theme.name).join(Theme, Theme.id == GoalTheme.theme_id)
            .join(Goal, Goal.id == GoalTheme.goal_id).where(Goal.owner_id == user.id).order_by(func.lower(Theme.name))):
        themes[goal_id].append((theme_id, name))
    theme_ids = sorted({theme_id for pairs in themes.values() for theme_id, _ in pairs})
    posts_by_theme: dict[int, set[int]] = defaultdict(set)
    replies_by_theme: dict[int, set[int]] = defaultdict(set)
    if theme_ids:
        # From the person's own posts and replies, then their themes. (Started from the themes,
        # SQLite read every reply of a large theme's posts: 1.2 s at the benchmark's full scale.)
        for theme_id, post_id in db.session.execute(
                select(post_themes.c.theme_id, Post.id).select_from(Post).join(post_themes, post_themes.c.post_id == Post.id)
                .where(post_themes.c.theme_id.in_(theme_ids), Post.author_id == user.id, Post.status == Status.PUBLISHED,
                       Post.published_at >= begin, Post.published_at < finish)
                .with_hint(Post, "INDEXED BY ix_posts_author_status_last_activity", "sqlite")):
            posts_by_theme[theme_id].add(post_id)
        for theme_id, reply_id in db.session.execute(
                select(post_themes.c.theme_id, Reply.id).select_from(Reply).join(post_themes, post_themes.c.post_id == Reply.post_id)
                .where(post_themes.c.theme_id.in_(theme_ids), Reply.author_id == user.id, Reply.status == Status.PUBLISHED,
                       Reply.created_at >= begin, Reply.created_at < finish)
                .with_hint(Reply, "INDEXED BY ix_replies_author_created", "sqlite")):
            replies_by_theme[theme_id].add(reply_id)
    lines = []
    for goal in goals:
        ids = [theme_id for theme_id, _ in themes[goal.id]]
        lines.append(GoalLine(goal, [name for _, name in themes[goal.id]],
                              len(set().union(*(posts_by_theme[i] for i in ids))) if ids else 0,
                              len(set().union(*(replies_by_theme[i] for i in ids))) if ids else 0))
    return lines


# Plain data: shares, PDF, CSV ---------------------------------------------------------------------


def duration(length: timedelta) -> str:
    minutes = round(length.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part) or "0 min"


def plain(rec: Record, sections: list[str], reflection_ids: set[int] | None = None) -> dict:
    """The chosen sections of a record as plain strings (dates in the person's words and zone).
    Reflections: only those in `reflection_ids` (None: every one in the period)."""
    zone = rec.person.timezone

    def when(moment) -> str:
        return day(in_zone(moment, zone).date())

    data: dict = {"name": rec.person.display_name, "period": rec.period.words,
                  "start": rec.period.start.isoformat(), "end": rec.period.end.isoformat(), "sections": list(sections)}
    if "totals" in sections:
        data["totals"] = [[label, value] for _, label, value in rec.totals]
    if "meetings" in sections:
        data["meetings"] = [{"date": when(line.starts_at), "circle": line.circle, "duration": duration(line.length),
                             "cases": line.cases} for line in rec.meetings]
    if "contributions" in sections:
        data["contributions"] = {
            "presented": [{"date": when(moment), "title": title} for moment, title in rec.presented],
            "posts": [{"date": when(post.published_at), "kind": "Story" if post.kind == PostKind.STORY else "Case",
                       "title": post.title} for post in rec.posts],
            "helpful": [{"title": title, "count": count} for title, count in rec.helpful],
            "outcomes": [{"date": day(occurred), "title": title} for occurred, title, _ in rec.outcomes],
            "actions_done": [{"text": action.text, "done": when(action.done_at)} for action in rec.actions_done],
            "actions_open": [{"text": action.text, "due": day(action.due) if action.due else ""} for action in rec.actions_open],
        }
    if "goals" in sections:
        data["goals"] = [{"text": line.goal.text, "themes": line.themes, "activity": line.activity,
                          "done": when(line.goal.done_at) if line.goal.done_at else ""} for line in rec.goals]
    if "reflections" in sections:
        data["reflections"] = [{"date": when(reflection.created_at), "on": rec.reflection_subjects[reflection.id],
                                "took": reflection.took, "will_try": reflection.will_try}
                               for reflection in rec.reflections if reflection_ids is None or reflection.id in reflection_ids]
    return data


def check_sections(chosen: list[str], field_name: str = "sections") -> list[str]:
    picked = [key for key in SECTIONS if key in chosen]
    if not picked:
        raise Invalid("Choose at least one part of your record", field=field_name)
    return picked


# Reflections -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionInput:
    took: str
    will_try: str


def _check_text(text: str, field_name: str) -> str:
    if len(text) > MAX_REFLECTION:
        raise Invalid(f"Keep this to {MAX_REFLECTION:,} characters or fewer (it has {len(text):,})", field=field_name)
    return text


def _checked(data: ReflectionInput) -> tuple[str, str]:
    took, will_try = clean(data.took), clean(data.will_try)
    check_all(lambda: _check_text(took, "took"), lambda: _check_text(will_try, "will_try"))
    if not took.strip() and not will_try.strip():
        raise Invalid("Write what you took from it, what you will try, or both", field="took")
    return took, will_try


def add_reflection(actor: User, data: ReflectionInput, *, meeting: Meeting | None = None, post: Post | None = None,
                   now: datetime | None = None) -> Reflection:
    """A new private reflection on a meeting the person attended or a post they may read (the
    views load both through the policy). The privacy guard only warns: see `warnings`."""
    took, will_try = _checked(data)
    now = now or utcnow()
    reflection = Reflection(author_id=actor.id, meeting_id=meeting.id if meeting else None, post_id=post.id if post else None,
                            took=took, will_try=will_try, created_at=now, updated_at=now)
    db.session.add(reflection)
    db.session.flush()
    return reflection


def edit_reflection(actor: User, reflection: Reflection, data: ReflectionInput, now: datetime | None = None) -> Reflection:
    if reflection.author_id != actor.id:
        raise Invalid("That is not your reflection")
    reflection.took, reflection.will_try = _checked(data)
    reflection.updated_at = now or utcnow()
    return reflection


def delete_reflection(actor: User, reflection: Reflection) -> None:
    if reflection.author_id == actor.id:
        db.session.delete(reflection)


@dataclass(frozen=True)
class Warning:
    field: str
    label: str
    #: What each finding looks like, in words ("name", "phone number").
    kinds: list[str]
    marked: object


QUESTIONS = {"took": "What did you take from this?", "will_try": "What will you try?"}


def warnings(fields: dict[str, str]) -> list[Warning]:
    """What the privacy guard finds in a reflection: shown as warnings beside it, never a
    reason to refuse it (it is the person's own note). Nothing is stored or logged."""
    found = []
    for name, text in fields.items():
        findings = privacy.scan(text) if text else []
        if findings:
            numbered = [(number, _Marked(finding, number)) for number, finding in enumerate(findings, start=1)]
            found.append(Warning(name, QUESTIONS[name], sorted({guard.label_for(finding) for finding in findings}),
                                 guard.marked(text, numbered)))
    return found


class _Marked:
    """A scan finding in the shape `guard.marked` draws (an id for its anchor)."""

    def __init__(self, finding, number: int):
        self._finding = finding
        self.id = f"w{number}"

    def __getattr__(self, name):
        return getattr(self._finding, name)


def own_reflection_count(user: User, *, post_id: int | None = None, meeting_id: int | None = None) -> int:
    query = select(func.count(Reflection.id)).where(Reflection.author_id == user.id)
    query = query.where(Reflection.post_id == post_id) if post_id is not None else query.where(Reflection.meeting_id == meeting_id)
    return db.session.scalar(query) or 0


def subject_of_meeting(user: User, meeting: Meeting) -> str:
    circle = db.session.get(Circle, meeting.circle_id)
    return subject_words(user, None, circle.name, meeting.starts_at)


def subject_of(user: User, reflection: Reflection) -> str:
    if reflection.post_id is not None:
        post = db.session.get(Post, reflection.post_id)
        return subject_words(user, post.title, None, None)
    if reflection.meeting_id is not None:
        meeting = db.session.get(Meeting, reflection.meeting_id)
        circle = db.session.get(Circle, meeting.circle_id)
        return subject_words(user, None, circle.name, meeting.starts_at)
    return subject_words(user, None, None, None)


# Goals ---------------------------------------------------------------------------------------------


def add_goal(actor: User, text: str, theme_ids: list[int]) -> Goal:
    text = clean(text).strip()
    if not text:
        raise Invalid("Write your goal in your own words", field="text")
    if len(text) > MAX_GOAL:
        raise Invalid(f"Keep your goal to {MAX_GOAL} characters or fewer (it has {len(text):,})", field="text")
    known = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(theme_ids or [-1]), Theme.archived.is_(False))))
    if set(theme_ids) - known:
        raise Invalid("Choose themes from the list", field="themes")
    goal = Goal(owner_id=actor.id, text=text, themes=[GoalTheme(theme_id=theme_id) for theme_id in sorted(known)])
    db.session.add(goal)
    db.session.flush()
    return goal


def set_goal_done(actor: User, goal: Goal, done: bool) -> None:
    if goal.owner_id == actor.id:
        goal.done_at = utcnow() if done else None


def delete_goal(actor: User, goal: Goal) -> None:
    if goal.owner_id == actor.id:
        db.session.delete(goal)


# Shares ----------------------------------------------------------------------------------------------


def share(actor: User, manager_id: int | None, start: date | None, end: date | None, sections: list[str]) -> Share:
    """A read-only copy of the chosen parts of the record, for one manager. Audited without content."""
    manager = db.session.get(User, manager_id) if manager_id else None

    def who() -> User:
        if manager is None or manager.id == actor.id or not policy.may_be_shared_with(manager):
            raise Invalid("Choose a manager from the list", field="manager")
        return manager

    _, period, picked = check_all(who, lambda: check_period(start, end, actor), lambda: check_sections(sections))
    snapshot = plain(record(actor, period), picked)
    row = Share(owner_id=actor.id, manager_id=manager.id, period_start=period.start, period_end=period.end,
                sections=",".join(picked), content=json.dumps(snapshot))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "learning.shared", "learning_share", row.id,
                 reason=f"{period.start.isoformat()} to {period.end.isoformat()}; {', '.join(picked)}")
    return row


def revoke(actor: User, row: Share) -> None:
    if row.owner_id != actor.id:
        return
    audit.record(actor, "learning.share_revoked", "learning_share", row.id)
    db.session.execute(delete(Share).where(Share.id == row.id))


def shares_made(user: User) -> list[tuple[Share, str]]:
    return [(row, name) for row, name in db.session.execute(
        select(Share, User.display_name).join(User, User.id == Share.manager_id)
        .where(Share.owner_id == user.id).order_by(Share.id.desc())).all()]


def shares_received(user: User) -> list[tuple[Share, str]]:
    if not policy.may_receive_shares(user):
        return []
    return [(row, name) for row, name in db.session.execute(
        select(Share, User.display_name).join(User, User.id == Share.owner_id)
        .where(Share.manager_id == user.id).order_by(Share.id.desc())).all()]


def snapshot(row: Share) -> dict:
    return json.loads(row.content)
