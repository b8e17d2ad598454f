"""Meetings: schedules, meeting rows, agendas, RSVPs, calendars and reminders. `schedule` and `ics` are pure."""

from __future__ import annotations


def register() -> None:
    """Listen to the circles module: an archived circle's meetings are cancelled."""
    from forum import events
    from forum.meetings import services

    events.subscribe("circle_archived", services.on_circle_archived)
