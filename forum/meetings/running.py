"""Running a meeting in the app: the protocol, the live state (kept in the database so every
server process agrees), attendance, "everyone heard", notes, action points and the summary."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import Integer, Select, bindparam, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from forum import database, events
from forum.accounts.models import User
from forum.cases import guard
from forum.cases import services as cases
from forum.cases.models import Reply, Status
from forum.circles import policy as circles
from forum.circles.models import Circle
from forum.errors import DomainError, Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.meetings import policy, run
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
from forum.meetings.services import active_members
from forum.timeutil import as_utc, format_datetime, utcnow
from forum.text import clean

#: Starting more than this before the scheduled time asks for a confirmation first.
EARLY_START = timedelta(minutes=30)

STATUS = {MeetingStatus.SCHEDULED: run.NOT_STARTED, MeetingStatus.RUNNING: run.RUNNING,
          MeetingStatus.FINISHED: run.FINISHED}


class NotesConflict(DomainError):
    """Someone else saved these notes since this person loaded them: show both, lose neither."""

    def __init__(self, theirs: str, version: int):
        super().__init__("Someone else saved these notes while you were writing. Both versions are shown: "
                         "combine them and save again.", field="notes")
        self.theirs, self.version = theirs, version


# Protocol --------------------------------------------------------------------------------------------


def protocol_of(circle: Circle) -> tuple[run.Phase, ...]:
    return _protocol(circle.protocol, circle.protocol_json)


def _protocol(preset: str, phases_json: str) -> tuple[run.Phase, ...]:
    if phases_json:
        return run.from_json(phases_json)
    return run.PRESETS.get(preset, run.PRESETS[run.DEFAULT_PRESET]).phases


def choose_preset(actor: User, circle: Circle, key: str) -> None:
    if not policy.may_manage(actor, circle):
        raise Forbidden()
    if key not in run.PRESETS:
        raise Invalid("Choose one of the protocols", field="preset")
    circle.protocol, circle.protocol_json = key, ""


def edit_phases(actor: User, circle: Circle, phases: list[run.Phase]) -> None:
    if not policy.may_manage(actor, circle):
        raise Forbidden()
    problems = run.validate_phases(phases)
    if problems:
        raise Invalid(problems[0], field="phases")
    circle.protocol_json = run.to_json(phases)


def phases_of(meeting: Meeting, circle: Circle) -> tuple[run.Phase, ...]:
    """A started meeting keeps the protocol it started with."""
    return run.from_json(meeting.protocol_json) if meeting.protocol_json else protocol_of(circle)


# State -----------------------------------------------------------------------------------------------


def accepted_items(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status == AgendaStatus.ACCEPTED)
        .options(selectinload(AgendaItem.post)).order_by(AgendaItem.position, AgendaItem.id)))


def state_of(meeting: Meeting) -> run.RunState:
    return run.RunState(meeting.run_item, meeting.run_phase, as_utc(meeting.run_phase_started_at or meeting.starts_at),
                        meeting.run_extra_minutes, meeting.run_version,
                        STATUS.get(meeting.status, run.FINISHED))


def _store(meeting: Meeting, state: run.RunState) -> None:
    meeting.run_item, meeting.run_phase = state.item_index, state.phase_index
    meeting.run_phase_started_at, meeting.run_extra_minutes = state.phase_started_at, state.extra_minutes
    meeting.run_version = state.version
    if state.status == run.RUNNING:
        meeting.status = MeetingStatus.RUNNING
    elif state.status == run.FINISHED:
        meeting.status = MeetingStatus.FINISHED


def _require_facilitator(actor: User, circle: Circle) -> None:
    if not policy.may_run(actor, circle):
        raise Forbidden()


def starts_early(meeting: Meeting, now: datetime | None = None) -> bool:
    """Would starting now be more than 30 minutes before the scheduled time?"""
    return meeting.status == MeetingStatus.SCHEDULED and (now or utcnow()) < as_utc(meeting.starts_at) - EARLY_START


def control(actor: User, meeting: Meeting, circle: Circle, name: str, seen_version: int | None,
            now: datetime | None = None, early_ok: bool = False) -> None:
    """One press of a control; a stale or impossible one is refused and changes nothing.
    Starting more than 30 minutes early needs `early_ok` (the person confirmed)."""
    _require_facilitator(actor, circle)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid("This meeting is cancelled")
    now = now or utcnow()
    items = accepted_items(meeting)
    state = state_of(meeting)
    try:
        if name == "start":
            if starts_early(meeting, now) and not early_ok:
                raise Invalid(f"This meeting is scheduled for {format_datetime(meeting.starts_at, actor.timezone)}: "
                              "confirm that you want to start it now")
            new = run.start(state, len(items), now, seen_version)
            _begin(meeting, circle, items, now)
        elif name == "end":
            raise Invalid("Use “End meeting” to close it with its summary")
        else:
            new = run.apply(name, state, phases_of(meeting, circle), len(items), now, seen_version)
    except run.ControlRefused as refused:
        raise Invalid(str(refused)) from None
    _store(meeting, new)


def _begin(meeting: Meeting, circle: Circle, items: list[AgendaItem], now: datetime) -> None:
    """Starting: note the time, fix the protocol, open attendance (everyone unknown until they
    say "I'm here" or a facilitator marks them), suggest presenters."""
    meeting.started_at = now
    meeting.protocol_json = run.to_json(protocol_of(circle))
    have = set(db.session.scalars(select(Attendance.user_id).where(Attendance.meeting_id == meeting.id)))
    for person in active_members(circle.id):
        if person.id not in have:
            db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id, status=Presence.UNKNOWN))
    for item in items:
        if item.presenter_id is None and circles.is_member_id(item.nominated_by_id, circle.id):
            item.presenter_id = item.nominated_by_id


@dataclass
class View:
    """Everything the run page and the state poll show."""

    state: run.RunState
    items: list[AgendaItem]
    item: AgendaItem | None
    phase: run.Phase | None
    countdown: run.Countdown | None
    #: The members not recorded absent (present, or not recorded yet), by name: "everyone heard" lists them.
    present: list[User]
    heard: set[int]
    #: "Go round": the present members in this meeting's fixed random order (empty when it is off)...
    order: list[User]
    #: ...and who speaks next in this phase: the first of them not heard yet.
    next_speaker: User | None


def view(meeting: Meeting, circle: Circle, now: datetime | None = None) -> View:
    now = now or utcnow()
    state, phases, items = state_of(meeting), phases_of(meeting, circle), accepted_items(meeting)
    item = items[state.item_index] if run.has_current_item(state, len(items)) else None
    present_ids = set(db.session.scalars(select(Attendance.user_id).where(Attendance.meeting_id == meeting.id,
                                                                          Attendance.status != Presence.ABSENT)))
    present = list(db.session.scalars(select(User).where(User.id.in_(present_ids or [-1])).order_by(User.display_name_key)))
    heard = set(db.session.scalars(select(HeardMark.user_id).where(
        HeardMark.meeting_id == meeting.id, HeardMark.item == state.item_index, HeardMark.phase == state.phase_index)))
    order = speaking_order(meeting, present)
    return View(state, items, item, run.current_phase(state, phases) if item else None,
                run.countdown(state, phases, now, len(items)), present, heard, order,
                next((person for person in order if person.id not in heard), None))


@dataclass(frozen=True)
class Poll:
    """What the state poll shows, read as plain rows (no ORM objects): the meeting's run
    state and protocol, the current item's title, who is present and who was heard."""

    meeting_id: int
    state: run.RunState
    phases: tuple[run.Phase, ...]
    #: The current agenda item: its post's id and title, and its presenter's id (None: no item).
    item: tuple[int, str, int | None] | None
    phase: run.Phase | None
    countdown: run.Countdown | None
    #: Rows (id, display_name) of the members not recorded absent.
    present: list
    heard: set[int]
    go_round: bool
    #: (id, display name) of who speaks next in a go round.
    next_speaker: tuple[int, str] | None


def poll(user: User, meeting_id: int, now: datetime | None = None) -> Poll | None:
    """The state poll in three statements: the meeting with its circle's protocol (None when this
    person may not see it), the current item when it runs, and the people present and heard."""
    now = now or utcnow()
    statements = _poll_statements()
    row = database.rows(statements.meeting, {"meeting_id": meeting_id, "user_id": user.id}).first()
    if row is None:
        return None
    state = state_of(row)
    phases = run.from_json(row.protocol_json) if row.protocol_json else _protocol(row.circle_protocol,
                                                                                  row.circle_protocol_json)
    item, item_count = None, 0
    if state.status == run.RUNNING and state.item_index >= 0:
        found = database.rows(statements.item, {"meeting_id": row.id, "item_index": state.item_index}).first()
        if found is not None and run.has_current_item(state, found.items):
            item, item_count = (found.post_id, found.title, found.presenter_id), found.items
    rows = database.rows(statements.people, {"meeting_id": row.id, "item": state.item_index,
                                                  "phase": state.phase_index}).all()
    # In no particular order: the poll shows names by id, and the go round has its own order.
    present = [person for person in rows if person.kind == "present"]
    heard = {person.id for person in rows if person.kind == "heard"}
    order = speaking_order(row, present)
    return Poll(row.id, state, phases, item, run.current_phase(state, phases) if item else None,
                run.countdown(state, phases, now, item_count), present, heard, row.go_round,
                next(((person.id, person.display_name) for person in order if person.id not in heard), None))


@dataclass(frozen=True)
class _PollStatements:
    meeting: Select
    item: Select
    people: Select


@functools.cache
def _poll_statements() -> _PollStatements:
    """Built once per process with bound parameters: building them is a good part of a poll's CPU."""
    from forum.cases.models import Post  # the title only: posts belong to the cases module

    meeting_id = bindparam("meeting_id", type_=Integer)
    viewer = SimpleNamespace(id=bindparam("user_id", type_=Integer))  # the rules read only the id
    meeting = (select(Meeting.id, Meeting.status, Meeting.starts_at, Meeting.protocol_json, Meeting.run_item,
                      Meeting.run_phase, Meeting.run_phase_started_at, Meeting.run_extra_minutes, Meeting.run_version,
                      Meeting.go_round, Meeting.go_round_seed,
                      Circle.protocol.label("circle_protocol"), Circle.protocol_json.label("circle_protocol_json"))
               .join(Circle, Circle.id == Meeting.circle_id)
               .where(Meeting.id == meeting_id, policy.seen_by(viewer)))
    # The accepted item the run is on, and (a window over all of them) how many there are.
    item = (select(AgendaItem.post_id, Post.title, AgendaItem.presenter_id, func.count().over().label("items"))
            .join(Post, Post.id == AgendaItem.post_id)
            .where(AgendaItem.meeting_id == meeting_id, AgendaItem.status == AgendaStatus.ACCEPTED)
            .order_by(AgendaItem.position, AgendaItem.id)
            .offset(bindparam("item_index", type_=Integer)).limit(1))
    present = (select(literal("present").label("kind"), User.id, User.display_name)
               .join(Attendance, Attendance.user_id == User.id)
               .where(Attendance.meeting_id == meeting_id, Attendance.status != Presence.ABSENT))
    heard = (select(literal("heard").label("kind"), HeardMark.user_id, literal(""))
             .where(HeardMark.meeting_id == meeting_id, HeardMark.item == bindparam("item", type_=Integer),
                    HeardMark.phase == bindparam("phase", type_=Integer)))
    return _PollStatements(meeting, item, union_all(present, heard))


def speaking_order(meeting: Meeting, people: list[User]) -> list[User]:
    """The go round's order: random, but the same for the whole meeting (a hash of the
    meeting's stored random seed, its id and each person's id); empty when go round is off."""
    if not meeting.go_round:
        return []
    return sorted(people, key=lambda person: hashlib.sha256(
        f"{meeting.go_round_seed}:{meeting.id}:{person.id}".encode()).hexdigest())


def set_go_round(actor: User, meeting: Meeting, circle: Circle, on: bool) -> None:
    """The facilitator turns the speaking order on or off; its order is drawn once per meeting."""
    _require_facilitator(actor, circle)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.FINISHED):
        raise Invalid("The meeting is over: there is nobody left to go round")
    if on and not meeting.go_round_seed:
        meeting.go_round_seed = secrets.token_hex(8)
    meeting.go_round = on


def attendance(meeting: Meeting) -> list[tuple[User, Presence]]:
    """Each person's recorded attendance at this meeting, by name."""
    rows = db.session.execute(select(User, Attendance.status).join(Attendance, Attendance.user_id == User.id)
                              .where(Attendance.meeting_id == meeting.id).order_by(User.display_name_key))
    return [(person, status) for person, status in rows]


# Everyone heard, attendance, presenters ----------------------------------------------------------------


def _require_running(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.RUNNING:
        raise Invalid("The meeting is not running")


def mark_heard(actor: User, meeting: Meeting, circle: Circle, user_id: int, heard: bool) -> None:
    """The facilitator, or the member themselves, marks someone as heard in this phase."""
    _require_running(meeting)
    if not policy.may_mark_heard(actor, circle, user_id):
        raise Forbidden()
    if not circles.is_member_id(user_id, circle.id):
        raise NotFound()
    key = (meeting.id, user_id, meeting.run_item, meeting.run_phase)
    found = db.session.get(HeardMark, key)
    if heard and found is None:
        db.session.add(HeardMark(meeting_id=key[0], user_id=key[1], item=key[2], phase=key[3]))
    elif not heard and found is not None:
        db.session.delete(found)


def check_in(user: User, meeting: Meeting, circle: Circle) -> None:
    """"I'm here": a member records themselves present while the meeting runs (idempotent)."""
    if not circles.is_member_id(user.id, circle.id):
        raise NotFound()
    _require_running(meeting)
    row = db.session.get(Attendance, (meeting.id, user.id))
    if row is None:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, status=Presence.PRESENT))
    else:
        row.status = Presence.PRESENT


STALE_ATTENDANCE = "Attendance changed since you loaded the page (someone said they are here): refresh the page and mark it again"


def set_attendance(actor: User, meeting: Meeting, circle: Circle, marks: dict[int, tuple[str, str]]) -> int:
    """The facilitators record attendance during or after the meeting. `marks` maps a person
    to (the status the page showed, the status chosen); only changed ones are saved, and a
    change to someone whose record moved on since the page was loaded is refused, whole."""
    _require_facilitator(actor, circle)
    if meeting.status not in (MeetingStatus.RUNNING, MeetingStatus.FINISHED):
        raise Invalid("Attendance is taken once the meeting starts")
    try:
        wanted = {user_id: (Presence(seen), Presence(chosen)) for user_id, (seen, chosen) in marks.items()}
    except ValueError:
        raise Invalid("Choose present, absent or not recorded for each person") from None
    rows = {row.user_id: row for row in db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.user_id.in_(wanted or [-1])))}
    changed = 0
    for user_id, (seen, chosen) in wanted.items():
        row = rows.get(user_id)
        if row is None:
            if not circles.is_member_id(user_id, circle.id):
                raise NotFound()
            row = Attendance(meeting_id=meeting.id, user_id=user_id, status=Presence.UNKNOWN)
            db.session.add(row)
        if chosen == seen:
            continue  # not touched on the page: a member's own "I'm here" stands
        if row.status != seen:
            raise Invalid(STALE_ATTENDANCE)
        row.status = chosen
        changed += 1
    return changed


def set_presenter(actor: User, meeting: Meeting, circle: Circle, item_id: int, user_id: int | None) -> None:
    _require_facilitator(actor, circle)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound()
    if user_id is not None and not circles.is_member_id(user_id, circle.id):
        raise Invalid("Choose a member of the circle", field="presenter")
    item.presenter_id = user_id


def set_note_taker(actor: User, meeting: Meeting, circle: Circle, user_id: int | None) -> None:
    _require_facilitator(actor, circle)
    if user_id is not None and not circles.is_member_id(user_id, circle.id):
        raise Invalid("Choose a member of the circle", field="note_taker")
    meeting.note_taker_id = user_id


# Notes and action points -----------------------------------------------------------------------------


def save_notes(actor: User, meeting: Meeting, circle: Circle, item_id: int, text: str, seen_version: int | None) -> int:
    """Save notes unless someone saved since `seen_version`: then NotesConflict, nothing lost."""
    if not policy.may_write_notes(actor, meeting, circle):
        raise Forbidden()
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid("This meeting is cancelled")
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound()
    text = clean(text)
    if len(text) > 50_000:
        raise Invalid("Keep the notes to 50,000 characters or fewer", field="notes")
    if seen_version != item.notes_version and text != item.notes:
        raise NotesConflict(item.notes, item.notes_version)
    if text != item.notes:
        item.notes, item.notes_version = text, item.notes_version + 1
    return item.notes_version


def add_action(actor: User, meeting: Meeting, circle: Circle, item_id: int | None, owner_id: int | None,
               text: str, due: date | None, today: date | None = None) -> ActionPoint:
    if not policy.may_write_notes(actor, meeting, circle):
        raise Forbidden()
    if meeting.status not in (MeetingStatus.RUNNING, MeetingStatus.FINISHED):
        raise Invalid("Action points are recorded during or after the meeting")
    text = clean(text)
    if not text.strip():
        raise Invalid("Say what the action is", field="text")
    if len(text) > 500:
        raise Invalid("Keep the action to 500 characters or fewer", field="text")
    if owner_id is None or not circles.is_member_id(owner_id, circle.id):
        raise Invalid("Choose a member of the circle to own the action", field="owner")
    if due is not None and due < (today or utcnow().date()):
        raise Invalid("The due date cannot be in the past", field="due")
    if item_id is not None:
        item = db.session.get(AgendaItem, item_id)
        if item is None or item.meeting_id != meeting.id:
            raise NotFound()
    action = ActionPoint(meeting_id=meeting.id, agenda_item_id=item_id, owner_id=owner_id, text=text.strip(), due=due)
    db.session.add(action)
    db.session.flush()
    if owner_id != actor.id:
        events.emit("action_assigned", action_id=action.id, actor_id=actor.id)
    return action


def actions_of(meeting: Meeting) -> list[ActionPoint]:
    return list(db.session.scalars(select(ActionPoint).where(ActionPoint.meeting_id == meeting.id).order_by(ActionPoint.id)))


def previous_open_actions(meeting: Meeting) -> list[ActionPoint]:
    """The open actions of the circle's previous meeting: each meeting opens with them."""
    previous = db.session.scalar(select(Meeting.id).where(
        Meeting.circle_id == meeting.circle_id, Meeting.status == MeetingStatus.FINISHED,
        Meeting.starts_at < meeting.starts_at).order_by(Meeting.starts_at.desc()).limit(1))
    if previous is None:
        return []
    return list(db.session.scalars(select(ActionPoint).where(ActionPoint.meeting_id == previous,
                                                             ActionPoint.done_at.is_(None)).order_by(ActionPoint.id)))


def carry_over(actor: User, meeting: Meeting, circle: Circle, action_id: int) -> None:
    _require_facilitator(actor, circle)
    action = db.session.get(ActionPoint, action_id)
    if action is None or action not in previous_open_actions(meeting):
        raise NotFound()
    action.meeting_id = meeting.id


def toggle_done(actor: User, action_id: int, circle_facilitator_ok: bool = True) -> ActionPoint:
    """The owner (or a facilitator of its circle) marks an action done, or not done."""
    action = db.session.get(ActionPoint, action_id)
    if action is None:
        raise NotFound()
    meeting = db.session.get(Meeting, action.meeting_id)
    if not policy.may_see(actor, meeting):
        raise NotFound()
    circle = db.session.get(Circle, meeting.circle_id)
    if not policy.may_tick(actor, action, circle, circle_facilitator_ok):
        raise Forbidden()
    action.done_at = None if action.done_at else utcnow()
    return action


def open_actions(user: User) -> list[tuple[ActionPoint, str]]:
    """Home page: this person's open action points with their circle's name, soonest due first."""
    rows = db.session.execute(
        select(ActionPoint, Circle.name).join(Meeting, Meeting.id == ActionPoint.meeting_id)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(ActionPoint.owner_id == user.id, ActionPoint.done_at.is_(None),
               Meeting.circle_id.in_(circles.member_circle_ids(user)))
        .order_by(ActionPoint.due.is_(None), ActionPoint.due, ActionPoint.id).limit(50))
    return [(action, name) for action, name in rows]


# Ending ----------------------------------------------------------------------------------------------------


def _summary_text(item: AgendaItem, actions: list[ActionPoint], names: dict[int, str], full: bool) -> str:
    parts = ["**Circle discussion summary**"]
    if full and item.notes.strip():
        parts += ["", item.notes.strip()]
    if item.learning_points.strip():
        parts += ["", "Learning points:", "", item.learning_points.strip()]
    mine = [action for action in actions if action.agenda_item_id == item.id]
    if full and mine:
        parts += ["", "Actions:", ""] + [f"- {action.text} (@{names[action.owner_id]})" if action.owner_id in names
                                          else f"- {action.text}" for action in mine]
    return "\n".join(parts)


def end(actor: User, meeting: Meeting, circle: Circle, learning: dict[int, str], share: set[int],
        seen_version: int | None, now: datetime | None = None) -> list[int]:
    """Close the meeting with its summary replies; returns the ids of replies still waiting
    for their privacy check (then the meeting stays open, and nothing is lost)."""
    _require_facilitator(actor, circle)
    if meeting.status != MeetingStatus.RUNNING:
        raise Invalid("Only a running meeting can be ended")
    if seen_version != meeting.run_version:
        raise Invalid("The meeting has moved on since you loaded the page: look again, then end it")
    items, actions = accepted_items(meeting), actions_of(meeting)
    names = {person.id: person.display_name for person in active_members(circle.id)}
    waiting: list[int] = []
    for item in items:
        if item.id in learning:
            item.learning_points = clean(learning[item.id])[:5000]
        in_circle = item.post.circle_id == circle.id
        wanted = in_circle or (item.id in share and item.learning_points.strip())
        if item.summary_reply_id is not None:
            held = db.session.get(Reply, item.summary_reply_id)
            if held is not None and held.status == Status.DRAFT:
                waiting.append(held.id)
            continue
        if not wanted or item.post.status != Status.PUBLISHED:
            continue
        try:
            posted = cases.reply(actor, item.post, _summary_text(item, actions, names, full=in_circle))
            item.summary_reply_id = posted.id
        except guard.NeedsPrivacyReview as review:
            item.summary_reply_id = review.target.id
            waiting.append(review.target.id)
    if not waiting:
        now = now or utcnow()
        state = run.end(state_of(meeting), phases_of(meeting, circle), len(items), now, seen_version)
        _store(meeting, state)
        meeting.finished_at = now
        # Those recorded present are asked the pulse in the app (notifications listens).
        events.emit("meeting_finished", meeting_id=meeting.id)
        # Members recorded present are invited to reflect (notifications listens).
        events.emit("meeting_ended", meeting_id=meeting.id)
    return waiting


def summary(meeting: Meeting) -> dict:
    items = accepted_items(meeting)
    presenters = {item.presenter_id for item in items if item.presenter_id}
    owners = {action.owner_id for action in actions_of(meeting)}
    people = {person.id: person for person in db.session.scalars(select(User).where(User.id.in_((presenters | owners) or [-1])))}
    return {"items": items, "actions": actions_of(meeting), "attendance": attendance(meeting), "people": people,
            "Presence": Presence}


