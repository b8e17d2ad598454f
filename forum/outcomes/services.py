"""Rules and transactions for outcomes: recording an update (privacy guard included), the
timeline, follow-up prompts (an idempotent sweep), "stop asking", and turning a case into a
story. Services raise domain errors; views and commands commit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import selectinload

from forum import events
from forum.accounts.models import User
from forum.cases import guard, redaction
from forum.cases import services as cases
from forum.cases.models import Barrier, OutcomeType, Post, PostKind, Status
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.outcomes import policy
from forum.outcomes.models import FollowUpPrompt, FollowUpStop, OutcomeUpdate, OutcomeUpdateType, StoryOrigin
from forum.text import clean
from forum.timeutil import format_date, in_zone, utcnow

#: Where the guard keeps a note's findings (PrivacyFinding.target_type).
TARGET = "outcome"


def _updates_by_id(ids: list[int]) -> dict[int, OutcomeUpdate]:
    return {entry.id: entry for entry in db.session.scalars(select(OutcomeUpdate).where(OutcomeUpdate.id.in_(ids or [-1])))}


def _set_note(entry: OutcomeUpdate, _field: str, text: str) -> None:
    entry.note_md, entry.note_html = text, cases.render(text)


#: A cleared finding in a published note goes to the privacy review like one in a reply.
REVIEWED_TEXT = redaction.TextKind(
    label="an outcome update",
    ids_about=lambda post_ids: select(OutcomeUpdate.id).where(OutcomeUpdate.post_id.in_(post_ids)),
    load=_updates_by_id,
    is_public=lambda entry: entry.published_at is not None,
    set_text=_set_note,
)


@dataclass(frozen=True)
class OutcomeInput:
    """What the form sent, unchecked: the service decides what is valid."""

    types: tuple[str, ...]
    occurred_on: date | None
    note: str = ""
    barriers: tuple[str, ...] = ()
    resolved: bool = False


def _kinds(values: tuple[str, ...]) -> list[OutcomeType]:
    if not values:
        raise Invalid("Choose at least one thing that happened", field="types")
    try:
        return sorted({OutcomeType(value) for value in values}, key=list(OutcomeType).index)
    except ValueError:
        raise Invalid("Choose what happened from the list", field="types") from None


def _barriers(values: tuple[str, ...], kinds: list[OutcomeType]) -> list[Barrier]:
    try:
        chosen = sorted({Barrier(value) for value in values}, key=list(Barrier).index)
    except ValueError:
        raise Invalid("Choose the barrier from the list", field="barriers") from None
    if OutcomeType.BARRIER_REMOVED in kinds and not chosen:
        raise Invalid("Choose which barrier was removed", field="barriers")
    if chosen and OutcomeType.BARRIER_REMOVED not in kinds:
        raise Invalid("Tick “A barrier removed” too, or untick the barriers", field="barriers")
    return chosen


def _check_date(actor: User, post: Post, occurred_on: date | None, now: datetime) -> date:
    if occurred_on is None:
        raise Invalid("Enter the date it happened", field="occurred_on")
    if occurred_on > in_zone(now, actor.timezone).date():
        raise Invalid("The date cannot be in the future", field="occurred_on")
    published = in_zone(post.published_at or post.created_at, actor.timezone).date()
    if occurred_on < published:
        raise Invalid(f"The date cannot be before the case was published ({format_date(post.published_at, actor.timezone)})",
                      field="occurred_on")
    return occurred_on


def draft_of(actor: User, post: Post) -> OutcomeUpdate | None:
    """The update this person started that waits for its privacy check."""
    return db.session.scalar(
        select(OutcomeUpdate).where(OutcomeUpdate.post_id == post.id, OutcomeUpdate.recorded_by_id == actor.id,
                                    OutcomeUpdate.published_at.is_(None))
        .options(selectinload(OutcomeUpdate.types)).order_by(OutcomeUpdate.id.desc()).limit(1))


def record(actor: User, post: Post, data: OutcomeInput, choices: dict | None = None,
           now: datetime | None = None) -> OutcomeUpdate:
    """Add an update to the case's timeline. A note with possible personal details waits, as a
    draft only its recorder sees, until each finding is fixed or cleared (guard.NeedsPrivacyReview)."""
    now = now or utcnow()
    if not policy.may_record(actor, post):
        raise Forbidden()
    data = replace(data, note=clean(data.note))
    kinds = _kinds(data.types)
    barriers = _barriers(data.barriers, kinds)
    occurred_on = _check_date(actor, post, data.occurred_on, now)
    if len(data.note) > cases.MAX_PART:
        raise Invalid(f"Keep the note to {cases.MAX_PART:,} characters or fewer", field="note")
    entry = draft_of(actor, post) or OutcomeUpdate(post_id=post.id, recorded_by_id=actor.id, types=[])
    entry.occurred_on, entry.note_md, entry.note_html = occurred_on, data.note, cases.render(data.note)
    entry.types = [OutcomeUpdateType(outcome_type=kind, barrier="") for kind in kinds if kind != OutcomeType.BARRIER_REMOVED] + [
        OutcomeUpdateType(outcome_type=OutcomeType.BARRIER_REMOVED, barrier=barrier.value) for barrier in barriers]
    db.session.add(entry)
    db.session.flush()
    guard.require_resolved(guard.review(actor, TARGET, entry.id, {"note": data.note}, choices), entry)
    entry.published_at = now
    # It answers the prompts asked so far; later ones still come (did it last?).
    db.session.execute(update(FollowUpPrompt).where(FollowUpPrompt.post_id == post.id,
                                                    FollowUpPrompt.answered_at.is_(None)).values(answered_at=now))
    if OutcomeType.MOVED_ON in kinds:
        _stop(post, "moved_on", now)
    if data.resolved:
        cases.mark_resolved(post)
    cases.touch(post)
    return entry


def note_with_placeholder(actor: User, post: Post, data: OutcomeInput, finding_id: int) -> str:
    """The one-click fix in a note held for its privacy check."""
    entry = draft_of(actor, post)
    if entry is None:
        raise NotFound()
    return guard.with_placeholder(actor, TARGET, entry.id, {"note": clean(data.note)}, finding_id)["note"]


def timeline(post: Post, viewer: User | None = None) -> list[OutcomeUpdate]:
    """The case's published updates, oldest first; with `viewer`, their own drafts too (one query)."""
    shown = OutcomeUpdate.published_at.is_not(None)
    if viewer is not None:
        shown = shown | (OutcomeUpdate.recorded_by_id == viewer.id)
    return list(db.session.scalars(
        select(OutcomeUpdate).where(OutcomeUpdate.post_id == post.id, shown)
        .options(selectinload(OutcomeUpdate.types)).order_by(OutcomeUpdate.occurred_on, OutcomeUpdate.id)))


@dataclass(frozen=True)
class CaseState:
    story_id: int | None
    stopped: bool
    #: The week of the latest prompt no update has answered yet.
    open_week: int | None


def case_state(post: Post) -> CaseState:
    """The story it became, whether asking stopped, and the open prompt: one query."""
    row = db.session.execute(select(
        select(StoryOrigin.story_id).where(StoryOrigin.case_id == post.id).scalar_subquery(),
        exists().where(FollowUpStop.post_id == post.id),
        select(func.max(FollowUpPrompt.week)).where(FollowUpPrompt.post_id == post.id,
                                                   FollowUpPrompt.answered_at.is_(None)).scalar_subquery(),
    )).one()
    return CaseState(row[0], bool(row[1]), None if row[1] else row[2])


def has_positive_outcome(entries: list[OutcomeUpdate]) -> bool:
    return any(kind.positive for entry in entries for kind in entry.outcome_types)


def day(when: date) -> str:
    """'3 March 2026'."""
    return f"{when.day} {when:%B %Y}"


# Follow-up prompts -----------------------------------------------------------------------------------------


def _stop(post: Post, reason: str, now: datetime) -> None:
    if db.session.get(FollowUpStop, post.id) is None:
        db.session.add(FollowUpStop(post_id=post.id, reason=reason, stopped_at=now))


def stop_asking(actor: User, post: Post, now: datetime | None = None) -> None:
    if not policy.may_stop_asking(actor, post):
        raise Forbidden()
    _stop(post, "asked", now or utcnow())


def send_followups(now: datetime | None = None) -> int:
    """Ask each case's author "What happened next?" at each of FOLLOW_UP_WEEKS after it was
    published: once per case and week (run it as often as you like), never after "stop asking",
    and only while a prompt is at most FOLLOW_UP_GRACE_DAYS late. The notification and its email
    (title and link only) follow the commit (event `follow_up_due`)."""
    now = now or utcnow()
    grace = timedelta(days=current_app.config["FOLLOW_UP_GRACE_DAYS"])
    sent = 0
    for week in current_app.config["FOLLOW_UP_WEEKS"]:
        due_by = now - timedelta(weeks=week)
        due = select(Post.id).join(User, User.id == Post.author_id).where(
            Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, User.is_active.is_(True),
            Post.published_at <= due_by, Post.published_at > due_by - grace,
            ~exists().where(FollowUpPrompt.post_id == Post.id, FollowUpPrompt.week == week),
            ~exists().where(FollowUpStop.post_id == Post.id),
        ).order_by(Post.id)
        for post_id in db.session.scalars(due).all():
            prompt = FollowUpPrompt(post_id=post_id, week=week, sent_at=now)
            db.session.add(prompt)
            db.session.flush()
            events.emit("follow_up_due", post_id=post_id, week=week)
            sent += 1
    return sent


# Turning a case into a story ---------------------------------------------------------------------------------


def story_of(case: Post) -> Post | None:
    """The story this case became (any status: callers check who may read it)."""
    return db.session.scalar(select(Post).join(StoryOrigin, StoryOrigin.story_id == Post.id)
                             .where(StoryOrigin.case_id == case.id, Post.status != Status.DELETED))


def case_of(story: Post) -> Post | None:
    return db.session.scalar(select(Post).join(StoryOrigin, StoryOrigin.case_id == Post.id)
                             .where(StoryOrigin.story_id == story.id))


def turn_into_story(actor: User, case: Post) -> Post:
    """A draft story from the case, for its author to check and publish through the privacy
    guard: the situation, what was tried as "what worked", the positive outcome types, the
    same themes, circle and anonymity. One story per case: asking again opens it."""
    entries = timeline(case)
    if not policy.may_turn_into_story(actor, case, has_positive_outcome(entries)):
        raise Forbidden()
    existing = story_of(case)
    if existing is not None:
        return existing
    kinds = sorted({kind for entry in entries for kind in entry.outcome_types if kind.positive}, key=list(OutcomeType).index)
    outcome_lines = [f"- {day(entry.occurred_on)}: "
                     + "; ".join(kind.label for kind in entry.outcome_types) for entry in entries]
    data = cases.PostInput(
        kind=PostKind.STORY, title=case.title,
        parts={"situation": case.situation_md, "what_worked": case.tried_md, "outcome_text": "\n".join(outcome_lines)},
        theme_ids=[theme.id for theme in case.themes], show_author=case.show_author,
        outcome_types=tuple(kinds), circle_id=case.circle_id)
    story = cases.save(actor, data, publish=False)
    db.session.add(StoryOrigin(story_id=story.id, case_id=case.id))
    db.session.flush()
    return story
