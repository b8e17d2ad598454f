"""Running a circle meeting: case-consultation protocols and the run state machine.

Pure: dataclasses in, dataclasses out. No Flask, no database, no clock of its own
(every function that needs the time is given `now`, an aware datetime).

Protocols
    A protocol is an ordered tuple of `Phase`s. `PRESETS` holds the five presets of
    issue 7; a facilitator may edit a copy, checked by `validate_phases` and stored as
    JSON text with `to_json` / `from_json`.

Run state
    `RunState` is what the database keeps for a meeting: the current agenda item and
    phase, when that phase started, extra minutes added to it, a version and a status.
    Every control takes the `seen_version` the facilitator's page showed and returns a
    NEW state with `version + 1`; it never mutates its argument. A refused control
    raises a `ControlRefused` (a `ValueError`) whose message can be shown as it is, and
    the stored state stays exactly as it was:

    - `StaleVersion`: the page was out of date (someone else pressed a control first).
      Checked before anything else, so the answer to an out-of-date click is always
      "refresh and look again".
    - `NotRunning`: a control on a meeting that has not started or has finished, or
      `start` on one that is already running or finished (`AlreadyStarted`).
    - `CannotMove`: the move is impossible from here: `previous_phase` at the first
      phase, `next_phase` at the last phase (moving on to the next case is its own
      control), `next_case` on the last item, anything but `end` with an empty agenda,
      or too much extra time. Boundaries are refusals rather than silent no-ops so that
      every accepted control changes the state and bumps the version exactly once.

    Empty agenda: `start` with `item_count == 0` is allowed (a meeting may be only the
    review of last time's action points). There is then no current item
    (`has_current_item` is false, `countdown` gives None) and only `end` applies.

    `available_controls` tells a page which buttons would be accepted right now.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

# ---------------------------------------------------------------------------
# Protocols
# ---------------------------------------------------------------------------

PRESENTER_STATES = ("telling", "answering", "listening", "reflecting")

MAX_PHASES = 12
MAX_NAME_LENGTH = 80
MIN_PHASE_MINUTES = 1
MAX_PHASE_MINUTES = 120
MAX_PROMPT_LENGTH = 500

_GUIDANCE = {
    "telling": "You are telling the story: give the facts and your focus question.",
    "answering": "Answer the group's questions briefly: facts, not solutions.",
    "listening": "You are listening: take notes, do not answer yet.",
    "reflecting": "Say what you heard and what you will try.",
}


@dataclass(frozen=True)
class Phase:
    name: str
    minutes: int
    prompt: str  # shown to the group during the phase
    presenter: str  # one of PRESENTER_STATES


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    phases: tuple[Phase, ...]

    @property
    def total_minutes(self) -> int:
        return sum(phase.minutes for phase in self.phases)


def presenter_guidance(state: str) -> str:
    """What the presenter's own view says during a phase with this presenter state."""
    try:
        return _GUIDANCE[state]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown presenter state: {state!r}") from None


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "consultancy",
            "Consultancy",
            (
                Phase(
                    "Presenter's overview and focus question",
                    8,
                    "The presenter describes the case and ends with one focus question for the group. "
                    "Everyone else listens without interrupting.",
                    "telling",
                ),
                Phase(
                    "Clarifying questions, facts only",
                    5,
                    "Ask short questions about the facts you need to understand the case. "
                    "No advice and no opinions yet.",
                    "answering",
                ),
                Phase(
                    "Probing questions",
                    10,
                    "Ask open questions that help the presenter think more deeply about the focus question. "
                    "The presenter answers; still no advice.",
                    "answering",
                ),
                Phase(
                    "Discussion while the presenter listens and takes notes",
                    15,
                    "Discuss the case among yourselves: ideas, possibilities and what you notice. "
                    "Talk about the case, not to the presenter, who listens and takes notes.",
                    "listening",
                ),
                Phase(
                    "Presenter's reflection",
                    5,
                    "The presenter says what struck them in the discussion and what they will take away. "
                    "The group listens.",
                    "reflecting",
                ),
                Phase(
                    "Actions and debrief",
                    7,
                    "Agree the presenter's next steps and record the action points. "
                    "Then say briefly how the process worked for the group.",
                    "reflecting",
                ),
            ),
        ),
        Preset(
            "quick",
            "Quick consultancy",
            (
                Phase(
                    "Overview and question",
                    4,
                    "The presenter gives a short outline of the case and the question they want help with.",
                    "telling",
                ),
                Phase(
                    "Clarifying questions",
                    3,
                    "Ask a few quick questions about the facts. Save your advice for later.",
                    "answering",
                ),
                Phase(
                    "Discussion while the presenter listens",
                    8,
                    "Share ideas and suggestions among yourselves while the presenter listens and takes notes.",
                    "listening",
                ),
                Phase(
                    "Reflection and actions",
                    5,
                    "The presenter says what was useful and what they will do next. Record the action points.",
                    "reflecting",
                ),
            ),
        ),
        Preset(
            "action_learning",
            "Action learning set",
            (
                Phase(
                    "Issue",
                    3,
                    "The presenter describes the issue they want to work on and why it matters to them now.",
                    "telling",
                ),
                Phase(
                    "Clarifying questions",
                    7,
                    "Ask questions to understand the situation and the people involved. Keep to the facts.",
                    "answering",
                ),
                Phase(
                    "Open helping questions, no advice",
                    15,
                    "Ask open questions that help the presenter find their own way forward. "
                    "Do not give advice or tell your own stories.",
                    "answering",
                ),
                Phase(
                    "Presenter's summary",
                    3,
                    "The presenter sums up what they have learnt and how they now see the issue.",
                    "reflecting",
                ),
                Phase(
                    "Actions",
                    5,
                    "The presenter names the actions they will take before the next meeting. Record them as action points.",
                    "reflecting",
                ),
            ),
        ),
        Preset(
            "balint",
            "Balint-style",
            (
                Phase(
                    "The story told without notes",
                    12,
                    "The presenter tells the story of the case from memory, without notes. "
                    "The group listens without interrupting.",
                    "telling",
                ),
                Phase(
                    "Brief factual questions",
                    8,
                    "Ask only brief questions about the facts of the story.",
                    "answering",
                ),
                Phase(
                    "The group explores feelings and the working relationship; presenter listens",
                    18,
                    "Explore the feelings the story raises and the relationship between the presenter and the other person. "
                    "The presenter sits back and listens.",
                    "listening",
                ),
                Phase(
                    "Presenter returns and responds",
                    5,
                    "The presenter rejoins the group and responds to what they heard.",
                    "reflecting",
                ),
                Phase(
                    "Reflection",
                    2,
                    "Each member says briefly what they are taking away from the case.",
                    "reflecting",
                ),
            ),
        ),
        Preset(
            "intervision",
            "Intervision / incident method",
            (
                Phase(
                    "Feedback on the last case's actions",
                    5,
                    "The last presenter says how their actions went since the previous meeting.",
                    "reflecting",
                ),
                Phase(
                    "Incident told",
                    7,
                    "The presenter describes one specific incident: what happened, who was involved and what they did.",
                    "telling",
                ),
                Phase(
                    "Key question agreed",
                    3,
                    "Agree with the presenter on the one key question the group will work on.",
                    "answering",
                ),
                Phase(
                    "Analysis while the presenter listens",
                    15,
                    "Analyse the incident together: what was going on and why. The presenter listens and takes notes.",
                    "listening",
                ),
                Phase(
                    "Advice round",
                    8,
                    "Each member in turn gives one piece of advice on the key question. The presenter listens.",
                    "listening",
                ),
                Phase(
                    "Presenter's response and follow-up agreed",
                    7,
                    "The presenter responds to the advice and says what they will do. "
                    "Agree when the group will hear how it went.",
                    "reflecting",
                ),
            ),
        ),
    )
}

DEFAULT_PRESET = "consultancy"


def validate_phases(phases: Sequence[Phase]) -> list[str]:
    """Problems with an edited protocol, as sentences for the person editing it; [] if usable.

    Messages about one phase start with its number ("Phase 2: ...").
    """
    try:
        phases = list(phases)
    except TypeError:
        return ["Add at least one phase"]
    problems: list[str] = []
    if not phases:
        problems.append("Add at least one phase")
    elif len(phases) > MAX_PHASES:
        problems.append(f"A protocol can have at most {MAX_PHASES} phases")
    for number, phase in enumerate(phases, start=1):
        label = f"Phase {number}"
        if not isinstance(phase, Phase):
            problems.append(f"{label}: this is not a phase")
            continue
        name = phase.name.strip() if isinstance(phase.name, str) else ""
        if not name:
            problems.append(f"{label}: enter a name")
        elif len(name) > MAX_NAME_LENGTH:
            problems.append(f"{label}: the name must be {MAX_NAME_LENGTH} characters or fewer")
        if not _is_int(phase.minutes) or not MIN_PHASE_MINUTES <= phase.minutes <= MAX_PHASE_MINUTES:
            problems.append(f"{label}: enter a whole number of minutes between {MIN_PHASE_MINUTES} and {MAX_PHASE_MINUTES}")
        if phase.presenter not in PRESENTER_STATES:
            problems.append(f"{label}: choose what the presenter does: telling, answering, listening or reflecting")
        if not isinstance(phase.prompt, str):
            problems.append(f"{label}: the prompt must be text")
        elif len(phase.prompt) > MAX_PROMPT_LENGTH:
            problems.append(f"{label}: the prompt must be {MAX_PROMPT_LENGTH} characters or fewer")
    return problems


def to_json(phases: Iterable[Phase]) -> str:
    """A protocol as JSON text: a list of {"name", "minutes", "prompt", "presenter"} objects."""
    return json.dumps(
        [{"name": p.name, "minutes": p.minutes, "prompt": p.prompt, "presenter": p.presenter} for p in phases],
        ensure_ascii=False,
    )


def from_json(text: str) -> tuple[Phase, ...]:
    """The phases stored by `to_json`. Raises ValueError when the text is not that shape.

    Only the shape and types are checked here, not the limits of `validate_phases`, so a
    protocol saved under older limits still loads.
    """
    try:
        data = json.loads(text)
    except (TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"Protocol is not valid JSON: {error}") from None
    if not isinstance(data, list):
        raise ValueError("Protocol JSON must be a list of phases")  # noqa: TRY004 - one error type for bad stored text
    phases = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or set(item) != {"name", "minutes", "prompt", "presenter"}:
            raise ValueError(f"Phase {number} must have exactly name, minutes, prompt and presenter")
        if not (
            isinstance(item["name"], str)
            and _is_int(item["minutes"])
            and isinstance(item["prompt"], str)
            and isinstance(item["presenter"], str)
        ):
            raise ValueError(f"Phase {number} has a value of the wrong type")
        phases.append(Phase(item["name"], item["minutes"], item["prompt"], item["presenter"]))
    return tuple(phases)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------
# Run state
# ---------------------------------------------------------------------------

NOT_STARTED = "not_started"
RUNNING = "running"
FINISHED = "finished"
STATUSES = (NOT_STARTED, RUNNING, FINISHED)

DEFAULT_ADD_MINUTES = 2
MAX_EXTRA_MINUTES = 120  # per phase


class ControlRefused(ValueError):
    """A control that was not applied; the message is fit to show to the facilitator."""


class StaleVersion(ControlRefused):
    def __init__(self, seen: object, current: int) -> None:
        super().__init__("Someone else changed the meeting first. Refresh to see where it is now.")
        self.seen = seen
        self.current = current


class NotRunning(ControlRefused):
    """A control on a meeting that has not started or has finished."""


class AlreadyStarted(NotRunning):
    """`start` on a meeting that is running or finished."""


class CannotMove(ControlRefused):
    """The move is impossible from the current place (a boundary, or an empty agenda)."""


@dataclass(frozen=True)
class RunState:
    item_index: int  # 0-based position in the agenda
    phase_index: int  # 0-based position in the protocol
    phase_started_at: datetime  # aware; stored as UTC
    extra_minutes: int  # added to the current phase
    version: int  # +1 on every accepted control
    status: str  # one of STATUSES

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Unknown run status: {self.status!r}")
        for field in ("item_index", "phase_index", "extra_minutes", "version"):
            value = getattr(self, field)
            if not _is_int(value) or value < 0:
                raise ValueError(f"{field} must be a whole number of 0 or more, not {value!r}")
        object.__setattr__(self, "phase_started_at", _utc(self.phase_started_at, "phase_started_at"))


@dataclass(frozen=True)
class Countdown:
    ends_at: datetime  # UTC: phase start + phase minutes + extra minutes
    seconds_left: int  # whole seconds, rounded up; 0 once time is up
    over: bool  # time is up (the meeting never moves on by itself)


def initial_state(now: datetime) -> RunState:
    """The state of a meeting that has not started yet (version 0)."""
    return RunState(0, 0, _utc(now, "now"), 0, 0, NOT_STARTED)


def has_current_item(state: RunState, item_count: int) -> bool:
    """Whether a running meeting is on an agenda item (false with an empty agenda)."""
    return state.status == RUNNING and 0 <= state.item_index < item_count


def current_phase(state: RunState, phases: Sequence[Phase]) -> Phase | None:
    """The phase a running meeting is in; None when not running or the protocol is empty.

    If the protocol was shortened during the meeting, the last phase stands in.
    """
    if state.status != RUNNING or not phases:
        return None
    return phases[_phase_here(state, phases)]


def start(state: RunState, item_count: int, now: datetime, seen_version: int | None = None) -> RunState:
    """Running, at the first phase of the first item (or of no item, with an empty agenda).

    `seen_version` is checked when given (two facilitators pressing "start" together).
    """
    now = _utc(now, "now")
    if seen_version is not None:
        _check_version(state, seen_version)
    if state.status != NOT_STARTED:
        raise AlreadyStarted("This meeting has already started." if state.status == RUNNING else "This meeting has ended.")
    _check_item_count(item_count)
    return replace(state, item_index=0, phase_index=0, phase_started_at=now, extra_minutes=0, version=state.version + 1, status=RUNNING)


def next_phase(state: RunState, phases: Sequence[Phase], item_count: int, now: datetime, seen_version: int) -> RunState:
    """On to the next phase of the same item; refused at the last phase (use `next_case`)."""
    now = _check_running(state, seen_version, now)
    _check_on_item(state, phases, item_count)
    if state.phase_index >= len(phases) - 1:
        raise CannotMove("This is the last phase. Move to the next case or end the meeting.")
    return _moved(state, state.item_index, state.phase_index + 1, now)


def previous_phase(state: RunState, phases: Sequence[Phase], item_count: int, now: datetime, seen_version: int) -> RunState:
    """Back to the previous phase of the same item (restarting its timer); refused at the first."""
    now = _check_running(state, seen_version, now)
    _check_on_item(state, phases, item_count)
    here = _phase_here(state, phases)
    if here == 0:
        raise CannotMove("This is the first phase of this case.")
    return _moved(state, state.item_index, here - 1, now)


def add_minutes(
    state: RunState,
    phases: Sequence[Phase],
    item_count: int,
    now: datetime,
    seen_version: int,
    minutes: int = DEFAULT_ADD_MINUTES,
) -> RunState:
    """More time for the current phase; its start time is kept, so the countdown moves on."""
    now = _check_running(state, seen_version, now)
    _check_on_item(state, phases, item_count)
    if not _is_int(minutes) or minutes < 1:
        raise CannotMove("Add a whole number of minutes, 1 or more.")
    if state.extra_minutes + minutes > MAX_EXTRA_MINUTES:
        raise CannotMove(f"A phase can have at most {MAX_EXTRA_MINUTES} extra minutes.")
    return replace(state, extra_minutes=state.extra_minutes + minutes, version=state.version + 1)


def next_case(state: RunState, phases: Sequence[Phase], item_count: int, now: datetime, seen_version: int) -> RunState:
    """The first phase of the next agenda item; refused on the last item (end the meeting instead)."""
    now = _check_running(state, seen_version, now)
    _check_on_item(state, phases, item_count)
    if state.item_index >= item_count - 1:
        raise CannotMove("This is the last case. End the meeting when you are ready.")
    return _moved(state, state.item_index + 1, 0, now)


def end(state: RunState, phases: Sequence[Phase], item_count: int, now: datetime, seen_version: int) -> RunState:
    """Finished. Item, phase and times are kept as they were when the meeting ended."""
    _check_running(state, seen_version, now)
    return replace(state, version=state.version + 1, status=FINISHED)


CONTROLS: dict[str, Callable[..., RunState]] = {
    "next_phase": next_phase,
    "previous_phase": previous_phase,
    "add_minutes": add_minutes,
    "next_case": next_case,
    "end": end,
}


def apply(control: str, state: RunState, phases: Sequence[Phase], item_count: int, now: datetime, seen_version: int) -> RunState:
    """Apply a control by its form name: "start" or a key of CONTROLS. Unknown names are refused."""
    if control == "start":
        return start(state, item_count, now, seen_version)
    try:
        function = CONTROLS[control]
    except (KeyError, TypeError):
        raise ControlRefused("Unknown control.") from None
    return function(state, phases, item_count, now, seen_version)


def available_controls(state: RunState, phases: Sequence[Phase], item_count: int) -> frozenset[str]:
    """The controls that would be accepted now (ignoring versions), for enabling buttons."""
    if state.status == NOT_STARTED:
        return frozenset({"start"})
    if state.status != RUNNING:
        return frozenset()
    names = {"end"}
    if phases and 0 <= state.item_index < item_count:
        if state.phase_index < len(phases) - 1:
            names.add("next_phase")
        if _phase_here(state, phases) > 0:
            names.add("previous_phase")
        if state.extra_minutes + DEFAULT_ADD_MINUTES <= MAX_EXTRA_MINUTES:
            names.add("add_minutes")
        if state.item_index < item_count - 1:
            names.add("next_case")
    return frozenset(names)


def countdown(state: RunState, phases: Sequence[Phase], now: datetime, item_count: int | None = None) -> Countdown | None:
    """The current phase's countdown from the stored times; None when there is nothing to time.

    Nothing to time: the meeting is not running, the protocol is empty, or (when
    `item_count` is given) there is no current agenda item.
    """
    now = _utc(now, "now")
    phase = current_phase(state, phases)
    if phase is None or (item_count is not None and not has_current_item(state, item_count)):
        return None
    ends_at = state.phase_started_at + timedelta(minutes=phase.minutes + state.extra_minutes)
    seconds_left = max(0, math.ceil((ends_at - now).total_seconds()))
    return Countdown(ends_at=ends_at, seconds_left=seconds_left, over=seconds_left == 0)


def _phase_here(state: RunState, phases: Sequence[Phase]) -> int:
    """The phase index in effect: the last phase if the protocol was shortened mid-meeting."""
    return min(state.phase_index, len(phases) - 1)


def _moved(state: RunState, item_index: int, phase_index: int, now: datetime) -> RunState:
    return replace(
        state,
        item_index=item_index,
        phase_index=phase_index,
        phase_started_at=now,
        extra_minutes=0,
        version=state.version + 1,
    )


def _check_version(state: RunState, seen_version: object) -> None:
    if not _is_int(seen_version) or seen_version != state.version:
        raise StaleVersion(seen_version, state.version)


def _check_running(state: RunState, seen_version: object, now: datetime) -> datetime:
    now = _utc(now, "now")
    _check_version(state, seen_version)
    if state.status == NOT_STARTED:
        raise NotRunning("This meeting has not started yet.")
    if state.status != RUNNING:
        raise NotRunning("This meeting has ended.")
    return now


def _check_item_count(item_count: int) -> None:
    if not _is_int(item_count) or item_count < 0:
        raise ValueError(f"item_count must be a whole number of 0 or more, not {item_count!r}")


def _check_on_item(state: RunState, phases: Sequence[Phase], item_count: int) -> None:
    _check_item_count(item_count)
    if item_count == 0:
        raise CannotMove("There are no cases on the agenda. You can end the meeting.")
    if state.item_index >= item_count:
        raise CannotMove("The current case is no longer on the agenda.")
    if not phases:
        raise CannotMove("This circle's protocol has no phases.")


def _utc(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {moment!r}")
    return moment.astimezone(UTC)
