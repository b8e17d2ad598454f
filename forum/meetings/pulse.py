"""The pulse after a meeting: two optional questions (1 to 5) and optional words for the
facilitator, asked of each member recorded present.

Answers cannot be linked to a person: each is a row with a random key, the meeting and the
answers only, written in the same transaction as a separate marker (meeting, person) that
holds nothing of the answer. Every answer also rewrites the meeting's earlier answers in a
random order, so neither PostgreSQL's physical order nor its transaction ids keep the order
in which people answered (SQLite's table has no row number at all: WITHOUT ROWID).

A pulse is open for 7 days after the meeting ends; figures appear only once it has closed, so
they never change afterwards and nobody can work out a late answer by difference. Every figure
needs at least 5 answers. "How are you doing" is only ever counted organisation-wide."""

from __future__ import annotations

import random
import secrets
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from forum import privacy
from forum.accounts.models import User
from forum.errors import Forbidden, Invalid, NotFound, check_all
from forum.extensions import db
from forum.meetings import policy
from forum.meetings.models import Attendance, Meeting, MeetingStatus, PulseAnswer, PulseAnswered
from forum.settings import get as get_setting
from forum.settings import put as put_setting
from forum.text import clean
from forum.timeutil import as_utc, utcnow

#: The smallest number of answers any figure is built from.
MIN_ANSWERS = 5
OPEN_FOR = timedelta(days=7)
MAX_WORDS = 1000
SCORES = range(1, 6)

#: The admins' signposting shown after the coping question (site settings keys).
SIGNPOST_TEXT = "pulse_signpost_text"
SIGNPOST_LINK = "pulse_signpost_link"


@dataclass(frozen=True)
class Figure:
    """An average on the 1 to 5 scale, its spread (lowest and highest answer) and the number of answers."""

    answers: int
    average: float
    low: int
    high: int
    spread: float


def figure(values: Iterable[int | None]) -> Figure | None:
    """The figure of these answers, or None when fewer than 5 were given."""
    given = [value for value in values if value is not None]
    if len(given) < MIN_ANSWERS:
        return None
    return Figure(len(given), round(statistics.fmean(given), 1), min(given), max(given),
                  round(statistics.pstdev(given), 1))


# When a pulse is open ------------------------------------------------------------------------------


def ended_at(meeting: Meeting) -> datetime:
    """When the meeting ended: pressed End, or (a meeting not run in the app) its scheduled end."""
    return as_utc(meeting.finished_at or meeting.ends_at)


def closes_at(meeting: Meeting) -> datetime:
    return ended_at(meeting) + OPEN_FOR


def is_open(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.status == MeetingStatus.FINISHED and (now or utcnow()) < closes_at(meeting)


def is_closed(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.status == MeetingStatus.FINISHED and (now or utcnow()) >= closes_at(meeting)


# Answering -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PulseInput:
    usefulness: str | None = None
    coping: str | None = None
    words: str = ""


def was_present(user: User, meeting: Meeting) -> bool:
    row = db.session.get(Attendance, (meeting.id, user.id))
    return row is not None and policy.may_answer_pulse(user, meeting, row.status)


def has_answered(user: User, meeting: Meeting) -> bool:
    return db.session.get(PulseAnswered, (meeting.id, user.id)) is not None


def asks(user: User, meeting: Meeting, now: datetime | None = None) -> bool:
    """Whether the summary page asks this person the pulse now."""
    return is_open(meeting, now) and was_present(user, meeting) and not has_answered(user, meeting)


def _score(value: str | None, field: str, question: str) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) not in SCORES:
        raise Invalid(f"Choose a number from 1 to 5 for “{question}”, or leave it unanswered", field=field)
    return int(text)


def _words(value: str) -> str:
    text = clean(value or "").strip()
    if len(text) > MAX_WORDS:
        raise Invalid(f"Keep your words to {MAX_WORDS:,} characters or fewer", field="words")
    if privacy.blocking(privacy.scan(text)):
        raise Invalid("Your words may identify someone (a name, number or address): take that out and send them again",
                      field="words")
    return text


def answer(user: User, meeting: Meeting, data: PulseInput, now: datetime | None = None) -> None:
    """Record one person's pulse, once. Someone not recorded present gets NotFound (the pulse
    is not theirs to know of); a closed pulse, a second answer or a value outside 1 to 5 is
    refused and nothing is stored."""
    if meeting.status != MeetingStatus.FINISHED or not was_present(user, meeting):
        raise NotFound()
    if not is_open(meeting, now):
        raise Invalid("This meeting's pulse has closed: answers are taken for 7 days after a meeting")
    if has_answered(user, meeting):
        raise Invalid("You have already answered this meeting's pulse. Thank you")
    usefulness, coping, words = check_all(
        lambda: _score(data.usefulness, "usefulness", "How useful was this session for your work?"),
        lambda: _score(data.coping, "coping", "How are you doing at work at the moment?"),
        lambda: _words(data.words))
    if usefulness is None and coping is None and not words:
        raise Invalid("Answer a question or write a few words before you send, or simply leave this page",
                      field="usefulness")
    db.session.add(PulseAnswered(meeting_id=meeting.id, user_id=user.id))
    db.session.add(PulseAnswer(id=secrets.token_hex(16), meeting_id=meeting.id, usefulness=usefulness, coping=coping,
                               words=words))
    db.session.flush()
    _shuffle(meeting.id)


def _shuffle(meeting_id: int) -> None:
    """Rewrite every answer of the meeting, in a random order, in this transaction: on
    PostgreSQL each update writes a new row version, so the table's physical order becomes
    this random one and every row carries the same (this) transaction id."""
    ids = list(db.session.scalars(select(PulseAnswer.id).where(PulseAnswer.meeting_id == meeting_id)))
    random.SystemRandom().shuffle(ids)
    for answer_id in ids:
        db.session.execute(update(PulseAnswer).where(PulseAnswer.id == answer_id)
                           .values(meeting_id=PulseAnswer.meeting_id).execution_options(synchronize_session=False))


# What the facilitators see -----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingPulse:
    closed: bool
    closes_at: datetime
    usefulness: Figure | None
    #: The words for the facilitator, once 5 answers exist (in no order that says anything).
    words: list[str]


def meeting_pulse(meeting: Meeting, now: datetime | None = None) -> MeetingPulse:
    """A meeting's figures for its facilitators: nothing until the pulse has closed, then
    usefulness once 5 have rated it and the words once 5 have answered. Never who, never coping."""
    closed = is_closed(meeting, now)
    if not closed:
        return MeetingPulse(False, closes_at(meeting), None, [])
    rows = db.session.execute(select(PulseAnswer.usefulness, PulseAnswer.words)
                              .where(PulseAnswer.meeting_id == meeting.id).order_by(PulseAnswer.id)).all()
    words = sorted(words for _useful, words in rows if words) if len(rows) >= MIN_ANSWERS else []
    return MeetingPulse(True, closes_at(meeting), figure(useful for useful, _words in rows), words)


@dataclass(frozen=True)
class Period:
    label: str
    usefulness: Figure | None


def _quarter(moment: datetime) -> tuple[int, int]:
    return moment.year, (moment.month - 1) // 3 + 1


def _quarter_end(year: int, quarter: int) -> datetime:
    month = quarter * 3 + 1
    return datetime(year + (month > 12), (month - 1) % 12 + 1, 1, tzinfo=timezone.utc)


def circle_pulse(circle_id: int, now: datetime | None = None, quarters: int = 4) -> list[Period]:
    """Usefulness per 3 months (calendar quarters) for a circle's facilitators, newest first.
    A quarter's figure appears once it is over and all its meetings' pulses have closed (so it
    never changes), from 5 or more answers; and only when the answers of its meetings that show
    no figure of their own number 0 or at least 5, so that no small group's answers can be
    worked out from the quarter and the meetings' figures. One query."""
    now = now or utcnow()
    since = now - timedelta(days=92 * (quarters + 1))
    rows = db.session.execute(
        select(Meeting.id, Meeting.starts_at, Meeting.finished_at, Meeting.ends_at, PulseAnswer.usefulness)
        .join(PulseAnswer, PulseAnswer.meeting_id == Meeting.id)
        .where(Meeting.circle_id == circle_id, Meeting.status == MeetingStatus.FINISHED, Meeting.starts_at >= since)).all()
    by_meeting: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    latest_close: dict[tuple[int, int], datetime] = {}
    for meeting_id, starts_at, finished_at, ends_at, usefulness in rows:
        key = _quarter(as_utc(starts_at))
        if usefulness is not None:
            by_meeting[key][meeting_id].append(usefulness)
        closes = as_utc(finished_at or ends_at) + OPEN_FOR
        latest_close[key] = max(latest_close.get(key, closes), closes)
    periods = []
    year, number = _quarter(now)
    for _ in range(quarters):
        number -= 1
        if number == 0:
            year, number = year - 1, 4
        key = (year, number)
        done = _quarter_end(year, number) + OPEN_FOR <= now and latest_close.get(key, now) <= now
        meetings = by_meeting.get(key, {})
        hidden = sum(len(values) for values in meetings.values() if len(values) < MIN_ANSWERS)
        found = figure(value for values in meetings.values() for value in values)
        months = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}[number]
        periods.append(Period(f"{months} {year}", found if done and (hidden == 0 or hidden >= MIN_ANSWERS) else None))
    return periods


# Organisation-wide figures (for the insights page) ------------------------------------------------


def _closed_answers(since: datetime, until: datetime, circle_ids: Iterable[int] | None = None):
    query = (select(Meeting.circle_id, Meeting.finished_at, Meeting.ends_at, PulseAnswer.usefulness, PulseAnswer.coping)
             .join(PulseAnswer, PulseAnswer.meeting_id == Meeting.id)
             .where(Meeting.status == MeetingStatus.FINISHED, Meeting.starts_at >= since, Meeting.starts_at < until))
    if circle_ids is not None:
        query = query.where(Meeting.circle_id.in_(list(circle_ids) or [-1]))
    now = utcnow()
    return [(circle_id, usefulness, coping) for circle_id, finished_at, ends_at, usefulness, coping in db.session.execute(query)
            if as_utc(finished_at or ends_at) + OPEN_FOR <= now]


def organisation_coping(since: datetime, until: datetime) -> dict | None:
    """"How are you doing at work" across the organisation, for meetings starting in
    [since, until) whose pulses have closed: {"answers", "average", "low", "high", "spread"},
    or None when fewer than 5 answered it. Never per circle, team or person."""
    found = figure(coping for _circle, _useful, coping in _closed_answers(since, until))
    return None if found is None else vars(found).copy()


def usefulness_by_circle(circle_ids: Iterable[int], since: datetime, until: datetime) -> dict[int, dict | None]:
    """Usefulness per circle for meetings starting in [since, until) whose pulses have closed:
    per circle {"answers", "average", "low", "high", "spread"}, or None when fewer than 5
    answered. The caller keeps its periods fixed, so no figure can be taken from another."""
    ids = list(circle_ids)
    values: dict[int, list[int | None]] = {circle_id: [] for circle_id in ids}
    for circle_id, usefulness, _coping in _closed_answers(since, until, ids):
        values[circle_id].append(usefulness)
    return {circle_id: (None if (found := figure(given)) is None else vars(found).copy())
            for circle_id, given in values.items()}


# Signposting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signpost:
    text: str
    link: str


def signpost() -> Signpost:
    return Signpost(get_setting(SIGNPOST_TEXT), get_setting(SIGNPOST_LINK))


def save_signpost(actor: User, text: str, link: str) -> None:
    if not policy.may_set_signposting(actor):
        raise Forbidden()
    text, link = clean(text or "").strip(), clean(link or "").strip()
    check_all(lambda: _signpost_text(text), lambda: _signpost_link(link))
    put_setting(SIGNPOST_TEXT, text)
    put_setting(SIGNPOST_LINK, link)


def _signpost_text(text: str) -> None:
    if len(text) > 500:
        raise Invalid("Keep the text to 500 characters or fewer", field="text")


def _signpost_link(link: str) -> None:
    if len(link) > 500 or (link and not link.startswith(("https://", "http://"))):
        raise Invalid("Enter a link starting with https://, or leave it empty", field="link")
