"""Meeting protocols and the run state machine: presets, validation, JSON, controls, countdown."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.meetings import run
from forum.meetings.run import (
    CONTROLS,
    DEFAULT_PRESET,
    FINISHED,
    NOT_STARTED,
    PRESENTER_STATES,
    PRESETS,
    RUNNING,
    AlreadyStarted,
    CannotMove,
    ControlRefused,
    Countdown,
    NotRunning,
    Phase,
    RunState,
    StaleVersion,
    add_minutes,
    apply,
    available_controls,
    countdown,
    current_phase,
    end,
    from_json,
    has_current_item,
    initial_state,
    next_case,
    next_phase,
    presenter_guidance,
    previous_phase,
    start,
    to_json,
    validate_phases,
)

T0 = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
PHASES = PRESETS["consultancy"].phases  # 6 phases
LAST_PHASE = len(PHASES) - 1


def at(minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def started(item_count: int = 3) -> RunState:
    return start(initial_state(T0), item_count, T0)


# --- presets -----------------------------------------------------------------

EXPECTED = {
    "consultancy": ("Consultancy", [8, 5, 10, 15, 5, 7], ["telling", "answering", "answering", "listening", "reflecting", "reflecting"]),
    "quick": ("Quick consultancy", [4, 3, 8, 5], ["telling", "answering", "listening", "reflecting"]),
    "action_learning": ("Action learning set", [3, 7, 15, 3, 5], ["telling", "answering", "answering", "reflecting", "reflecting"]),
    "balint": ("Balint-style", [12, 8, 18, 5, 2], ["telling", "answering", "listening", "reflecting", "reflecting"]),
    "intervision": (
        "Intervision / incident method",
        [5, 7, 3, 15, 8, 7],
        ["reflecting", "telling", "answering", "listening", "listening", "reflecting"],
    ),
}
TOTALS = {"consultancy": 50, "quick": 20, "action_learning": 33, "balint": 45, "intervision": 45}


def test_exactly_the_five_presets_with_consultancy_the_default():
    assert set(PRESETS) == set(EXPECTED)
    assert DEFAULT_PRESET == "consultancy"
    assert all(key == preset.key for key, preset in PRESETS.items())


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_preset_names_minutes_and_presenter_states(key):
    name, minutes, states = EXPECTED[key]
    preset = PRESETS[key]
    assert preset.name == name
    assert len(preset.phases) == len(minutes)
    assert [p.minutes for p in preset.phases] == minutes
    assert [p.presenter for p in preset.phases] == states
    assert preset.total_minutes == sum(minutes) == TOTALS[key]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_preset_prompts_are_written_and_the_presets_are_valid(key):
    for phase in PRESETS[key].phases:
        assert phase.name.strip()
        assert len(phase.prompt.strip()) > 20
        assert phase.prompt.rstrip().endswith(".")
    assert validate_phases(PRESETS[key].phases) == []


def test_consultancy_phase_names():
    assert [p.name for p in PRESETS["consultancy"].phases] == [
        "Presenter's overview and focus question",
        "Clarifying questions, facts only",
        "Probing questions",
        "Discussion while the presenter listens and takes notes",
        "Presenter's reflection",
        "Actions and debrief",
    ]


def test_presenter_guidance_for_each_state():
    assert presenter_guidance("listening") == "You are listening: take notes, do not answer yet."
    assert presenter_guidance("telling") == "You are telling the story: give the facts and your focus question."
    assert presenter_guidance("answering") == "Answer the group's questions briefly: facts, not solutions."
    assert presenter_guidance("reflecting") == "Say what you heard and what you will try."
    assert len({presenter_guidance(s) for s in PRESENTER_STATES}) == 4
    with pytest.raises(ValueError):
        presenter_guidance("dancing")


# --- validating and storing edited protocols ---------------------------------

GOOD = Phase("Check-in", 5, "How is everyone?", "reflecting")


def test_validate_phases_counts():
    assert validate_phases([]) == ["Add at least one phase"]
    assert validate_phases([GOOD] * 12) == []
    assert validate_phases([GOOD] * 13) == ["A protocol can have at most 12 phases"]


def test_validate_phases_names_minutes_states_and_prompts():
    phases = [
        GOOD,
        replace(GOOD, name="   "),
        replace(GOOD, name="x" * 81),
        replace(GOOD, minutes=0),
        replace(GOOD, minutes=121),
        replace(GOOD, minutes=True),
        replace(GOOD, minutes="5"),
        replace(GOOD, presenter="sleeping"),
        replace(GOOD, prompt="p" * 501),
    ]
    assert validate_phases(phases) == [
        "Phase 2: enter a name",
        "Phase 3: the name must be 80 characters or fewer",
        "Phase 4: enter a whole number of minutes between 1 and 120",
        "Phase 5: enter a whole number of minutes between 1 and 120",
        "Phase 6: enter a whole number of minutes between 1 and 120",
        "Phase 7: enter a whole number of minutes between 1 and 120",
        "Phase 8: choose what the presenter does: telling, answering, listening or reflecting",
        "Phase 9: the prompt must be 500 characters or fewer",
    ]


def test_validate_phases_limits_are_inclusive():
    edge = [replace(GOOD, name="x" * 80, minutes=120, prompt="p" * 500), replace(GOOD, minutes=1, prompt="")]
    assert validate_phases(edge) == []
    assert validate_phases([replace(GOOD, name=None), "not a phase"]) == ["Phase 1: enter a name", "Phase 2: this is not a phase"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_json_round_trip(key):
    text = to_json(PRESETS[key].phases)
    assert isinstance(text, str)
    assert from_json(text) == PRESETS[key].phases


def test_json_keeps_non_ascii_and_edited_phases():
    phases = (Phase("Réflexion — “quiet” time", 3, "Café talk: 5 minutes’ thought", "reflecting"),)
    assert from_json(to_json(phases)) == phases
    assert from_json("[]") == ()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        None,
        '{"name": "x"}',
        "[1]",
        '[{"name": "x", "minutes": 5, "prompt": ""}]',
        '[{"name": "x", "minutes": 5, "prompt": "", "presenter": "telling", "extra": 1}]',
        '[{"name": "x", "minutes": "5", "prompt": "", "presenter": "telling"}]',
        '[{"name": "x", "minutes": true, "prompt": "", "presenter": "telling"}]',
        '[{"name": 1, "minutes": 5, "prompt": "", "presenter": "telling"}]',
    ],
)
def test_from_json_refuses_the_wrong_shape(text):
    with pytest.raises(ValueError):
        from_json(text)


# --- run state: starting -----------------------------------------------------


def test_initial_state_and_start():
    state = initial_state(T0)
    assert state == RunState(0, 0, T0, 0, 0, NOT_STARTED)
    later = at(3)
    running = start(state, 3, later)
    assert running == RunState(0, 0, later, 0, 1, RUNNING)
    assert state.status == NOT_STARTED  # never mutated
    assert has_current_item(running, 3)
    assert current_phase(running, PHASES) == PHASES[0]
    assert available_controls(state, PHASES, 3) == {"start"}
    assert available_controls(running, PHASES, 3) == {"next_phase", "add_minutes", "next_case", "end"}


def test_start_checks_the_seen_version_when_given():
    state = initial_state(T0)
    assert start(state, 2, T0, seen_version=0).version == 1
    with pytest.raises(StaleVersion):
        start(state, 2, T0, seen_version=5)


def test_start_twice_or_after_the_end_is_refused():
    running = started()
    with pytest.raises(AlreadyStarted, match="already started"):
        start(running, 3, at(1))
    finished = end(running, PHASES, 3, at(1), 1)
    with pytest.raises(AlreadyStarted, match="ended"):
        start(finished, 3, at(2))
    assert issubclass(AlreadyStarted, NotRunning)


def test_start_needs_aware_times_and_a_sane_item_count():
    with pytest.raises(ValueError):
        start(initial_state(T0), 3, datetime(2026, 3, 3, 10))
    with pytest.raises(ValueError):
        start(initial_state(T0), -1, T0)
    with pytest.raises(ValueError):
        RunState(0, 0, datetime(2026, 3, 3, 10), 0, 0, NOT_STARTED)
    with pytest.raises(ValueError):
        RunState(0, 0, T0, 0, 0, "paused")
    with pytest.raises(ValueError):
        RunState(-1, 0, T0, 0, 0, RUNNING)


def test_times_in_other_zones_are_stored_as_utc():
    plus_one = timezone(timedelta(hours=1))
    state = start(initial_state(T0), 1, datetime(2026, 3, 3, 11, 0, tzinfo=plus_one))
    assert state.phase_started_at == T0
    assert state.phase_started_at.utcoffset() == timedelta(0)


# --- run state: phases -------------------------------------------------------


def test_next_phase_moves_on_resets_the_timer_and_bumps_the_version():
    state = add_minutes(started(), PHASES, 3, at(5), 1)
    assert state.extra_minutes == 2
    moved = next_phase(state, PHASES, 3, at(9), state.version)
    assert (moved.item_index, moved.phase_index) == (0, 1)
    assert moved.phase_started_at == at(9)
    assert moved.extra_minutes == 0
    assert moved.version == state.version + 1
    assert moved.status == RUNNING
    assert state.phase_index == 0  # the old state is untouched


def test_next_phase_walks_to_the_last_phase_and_stays_there():
    state = started()
    for step in range(1, len(PHASES)):
        state = next_phase(state, PHASES, 3, at(step), state.version)
        assert state.phase_index == step
    assert state.phase_index == LAST_PHASE
    assert "next_phase" not in available_controls(state, PHASES, 3)
    with pytest.raises(CannotMove, match="last phase"):
        next_phase(state, PHASES, 3, at(30), state.version)
    # still on the same item: moving to the next case is its own control
    assert state.item_index == 0


def test_previous_phase_goes_back_and_stays_at_the_first():
    state = started()
    with pytest.raises(CannotMove, match="first phase"):
        previous_phase(state, PHASES, 3, at(1), state.version)
    assert "previous_phase" not in available_controls(state, PHASES, 3)
    state = next_phase(state, PHASES, 3, at(1), state.version)
    state = next_phase(state, PHASES, 3, at(2), state.version)
    state = add_minutes(state, PHASES, 3, at(3), state.version)
    back = previous_phase(state, PHASES, 3, at(4), state.version)
    assert (back.item_index, back.phase_index, back.phase_started_at, back.extra_minutes) == (0, 1, at(4), 0)
    assert back.version == state.version + 1
    back = previous_phase(back, PHASES, 3, at(5), back.version)
    assert back.phase_index == 0
    with pytest.raises(CannotMove):
        previous_phase(back, PHASES, 3, at(6), back.version)


def test_previous_phase_from_the_last_phase():
    state = replace(started(), phase_index=LAST_PHASE)
    back = previous_phase(state, PHASES, 3, at(1), state.version)
    assert back.phase_index == LAST_PHASE - 1


def test_a_protocol_shortened_mid_meeting_still_works():
    short = PRESETS["quick"].phases  # 4 phases
    state = replace(started(), phase_index=5)
    assert current_phase(state, short) == short[-1]
    with pytest.raises(CannotMove):
        next_phase(state, short, 3, at(1), state.version)
    assert previous_phase(state, short, 3, at(1), state.version).phase_index == 2


# --- run state: time ---------------------------------------------------------


def test_add_minutes_keeps_the_phase_and_its_start():
    state = next_phase(started(), PHASES, 3, at(8), 1)
    more = add_minutes(state, PHASES, 3, at(12), state.version)
    assert more == replace(state, extra_minutes=2, version=state.version + 1)
    more = add_minutes(more, PHASES, 3, at(13), more.version)
    assert more.extra_minutes == 4
    assert more.phase_started_at == at(8)
    assert add_minutes(more, PHASES, 3, at(13), more.version, minutes=5).extra_minutes == 9


def test_add_minutes_refuses_nonsense_and_too_much():
    state = started()
    for minutes in (0, -2, 1.5, True):
        with pytest.raises(CannotMove):
            add_minutes(state, PHASES, 3, at(1), state.version, minutes=minutes)
    full = replace(state, extra_minutes=run.MAX_EXTRA_MINUTES - 2)
    full = add_minutes(full, PHASES, 3, at(1), full.version)
    assert full.extra_minutes == run.MAX_EXTRA_MINUTES
    assert "add_minutes" not in available_controls(full, PHASES, 3)
    with pytest.raises(CannotMove, match="extra minutes"):
        add_minutes(full, PHASES, 3, at(1), full.version)


def test_countdown_before_and_after_time_is_up():
    state = started()  # first phase: 8 minutes from T0
    assert countdown(state, PHASES, T0) == Countdown(ends_at=at(8), seconds_left=480, over=False)
    assert countdown(state, PHASES, at(5, 30)) == Countdown(at(8), 150, False)
    assert countdown(state, PHASES, at(7, 59.4)) == Countdown(at(8), 1, False)  # rounded up
    assert countdown(state, PHASES, at(8)) == Countdown(at(8), 0, True)
    assert countdown(state, PHASES, at(20)) == Countdown(at(8), 0, True)
    # time being up never moves the meeting on
    assert state.phase_index == 0


def test_extra_minutes_extend_the_countdown():
    state = started()
    state = add_minutes(state, PHASES, 3, at(9), state.version)  # already over, then 2 more
    assert countdown(state, PHASES, at(9)) == Countdown(at(10), 60, False)
    state = add_minutes(state, PHASES, 3, at(9), state.version)
    assert countdown(state, PHASES, at(9)) == Countdown(at(12), 180, False)
    assert countdown(state, PHASES, at(12)).over


def test_countdown_restarts_with_each_phase():
    state = next_phase(started(), PHASES, 3, at(10), 1)  # clarifying questions: 5 minutes
    assert countdown(state, PHASES, at(10)) == Countdown(at(15), 300, False)


def test_countdown_is_none_when_there_is_nothing_to_time():
    assert countdown(initial_state(T0), PHASES, T0) is None
    state = started()
    assert countdown(end(state, PHASES, 3, at(1), 1), PHASES, at(1)) is None
    assert countdown(state, (), at(1)) is None
    empty = started(item_count=0)
    assert countdown(empty, PHASES, at(1), item_count=0) is None
    assert countdown(state, PHASES, at(1), item_count=3) == Countdown(at(8), 420, False)


# --- run state: cases and the end --------------------------------------------


def test_next_case_goes_to_the_first_phase_of_the_next_item():
    state = started()
    state = next_phase(state, PHASES, 3, at(8), state.version)
    state = add_minutes(state, PHASES, 3, at(10), state.version)
    moved = next_case(state, PHASES, 3, at(14), state.version)
    assert moved == RunState(1, 0, at(14), 0, state.version + 1, RUNNING)
    assert "previous_phase" not in available_controls(moved, PHASES, 3)
    with pytest.raises(CannotMove):  # previous never goes back to the last case
        previous_phase(moved, PHASES, 3, at(15), moved.version)


def test_next_case_on_the_last_item_is_refused():
    state = started(item_count=2)
    state = next_case(state, PHASES, 2, at(1), state.version)
    assert state.item_index == 1
    assert "next_case" not in available_controls(state, PHASES, 2)
    with pytest.raises(CannotMove, match="last case"):
        next_case(state, PHASES, 2, at(2), state.version)
    # from the last phase of the last case only "end" (and going back or more time) is left
    state = replace(state, phase_index=LAST_PHASE)
    assert available_controls(state, PHASES, 2) == {"previous_phase", "add_minutes", "end"}


def test_a_single_item_agenda():
    state = started(item_count=1)
    with pytest.raises(CannotMove):
        next_case(state, PHASES, 1, at(1), state.version)
    assert next_phase(state, PHASES, 1, at(1), state.version).phase_index == 1


def test_end_finishes_and_keeps_the_place():
    state = next_phase(started(), PHASES, 3, at(8), 1)
    finished = end(state, PHASES, 3, at(20), state.version)
    assert finished == replace(state, version=state.version + 1, status=FINISHED)
    assert available_controls(finished, PHASES, 3) == frozenset()
    assert not has_current_item(finished, 3)
    assert current_phase(finished, PHASES) is None


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_controls_after_the_end_are_refused(name):
    finished = end(started(), PHASES, 3, at(1), 1)
    with pytest.raises(NotRunning, match="ended"):
        CONTROLS[name](finished, PHASES, 3, at(2), finished.version)


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_controls_before_the_start_are_refused(name):
    state = initial_state(T0)
    with pytest.raises(NotRunning, match="not started"):
        CONTROLS[name](state, PHASES, 3, at(2), state.version)


# --- empty agenda ------------------------------------------------------------


def test_an_empty_agenda_can_start_and_only_end():
    state = started(item_count=0)
    assert state.status == RUNNING
    assert (state.item_index, state.phase_index, state.version) == (0, 0, 1)
    assert not has_current_item(state, 0)
    assert available_controls(state, PHASES, 0) == {"end"}
    for name in ("next_phase", "previous_phase", "add_minutes", "next_case"):
        with pytest.raises(CannotMove, match="no cases"):
            CONTROLS[name](state, PHASES, 0, at(1), state.version)
    finished = end(state, PHASES, 0, at(1), state.version)
    assert finished.status == FINISHED
    assert finished.version == 2


def test_controls_need_a_protocol():
    state = started()
    with pytest.raises(CannotMove, match="no phases"):
        next_phase(state, (), 3, at(1), state.version)
    assert available_controls(state, (), 3) == {"end"}
    assert end(state, (), 3, at(1), state.version).status == FINISHED


# --- versions ----------------------------------------------------------------


def test_two_nexts_with_the_same_seen_version_apply_once():
    state = started()
    seen = state.version
    first = next_phase(state, PHASES, 3, at(1), seen)
    with pytest.raises(StaleVersion) as refused:
        next_phase(first, PHASES, 3, at(1), seen)
    assert refused.value.seen == seen
    assert refused.value.current == first.version
    assert "Refresh" in str(refused.value)
    assert first.phase_index == 1


@pytest.mark.parametrize("name", sorted(CONTROLS))
@pytest.mark.parametrize("seen", [0, 2, 99, None, "1", True])
def test_every_control_refuses_a_stale_or_missing_version(name, seen):
    state = started()  # version 1
    with pytest.raises(StaleVersion):
        CONTROLS[name](state, PHASES, 3, at(1), seen)


def test_a_stale_version_is_reported_before_the_status():
    finished = end(started(), PHASES, 3, at(1), 1)
    with pytest.raises(StaleVersion):
        end(finished, PHASES, 3, at(2), 1)  # the second facilitator's "end"


def test_versions_go_up_by_one_per_accepted_control():
    state = initial_state(T0)
    versions = [state.version]
    state = start(state, 2, T0)
    versions.append(state.version)
    for control in ("next_phase", "add_minutes", "previous_phase", "next_case", "next_phase", "end"):
        state = apply(control, state, PHASES, 2, at(len(versions)), state.version)
        versions.append(state.version)
    assert versions == list(range(8))


def test_refusals_are_value_errors_with_messages():
    for cls in (StaleVersion, NotRunning, AlreadyStarted, CannotMove):
        assert issubclass(cls, ControlRefused)
    assert issubclass(ControlRefused, ValueError)
    with pytest.raises(ControlRefused, match="Unknown control"):
        apply("jump", started(), PHASES, 3, at(1), 1)


# --- every order -------------------------------------------------------------

ALL_CONTROLS = ["start", *sorted(CONTROLS)]


@given(
    item_count=st.integers(min_value=0, max_value=4),
    preset=st.sampled_from(sorted(PRESETS)),
    steps=st.lists(
        st.tuples(st.sampled_from(ALL_CONTROLS), st.integers(min_value=0, max_value=600), st.booleans()),
        max_size=40,
    ),
)
@settings(max_examples=300, deadline=None)
def test_any_sequence_of_controls_keeps_the_state_sound(item_count, preset, steps):
    phases = PRESETS[preset].phases
    state = initial_state(T0)
    now = T0
    for control, seconds, stale in steps:
        now += timedelta(seconds=seconds)
        expected_ok = control in available_controls(state, phases, item_count)
        seen = state.version - 1 if stale else state.version
        try:
            new = apply(control, state, phases, item_count, now, seen)
        except StaleVersion:
            assert stale
            continue
        except ControlRefused:
            assert not stale and not expected_ok
            continue
        assert not stale and expected_ok
        # accepted: exactly one version step, indices in range, only the right things reset
        assert new.version == state.version + 1
        assert new.status in (RUNNING, FINISHED)
        assert 0 <= new.phase_index < len(phases)
        assert new.item_index == 0 or new.item_index < item_count
        if (new.item_index, new.phase_index) != (state.item_index, state.phase_index) or control == "start":
            assert (new.phase_started_at, new.extra_minutes) == (now, 0)
        if control == "add_minutes":
            assert new.extra_minutes == state.extra_minutes + 2
            assert new.phase_started_at == state.phase_started_at
        if state.status == FINISHED:
            pytest.fail("a finished meeting changed")
        state = new
    if state.status == RUNNING and item_count:
        assert countdown(state, phases, now, item_count) is not None
