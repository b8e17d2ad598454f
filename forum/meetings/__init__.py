"""Meetings: schedules, meeting rows, agendas, RSVPs, calendars and reminders. `schedule` and `ics` are pure."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum import events, templating


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.meetings import commands, policy, run_views, services, views

    app.register_blueprint(views.bp)
    app.register_blueprint(run_views.bp)
    app.cli.add_command(commands.meetings_group)
    app.cli.add_command(commands.send_reminders)
    app.jinja_env.globals["describe_schedule"] = services.describe
    templating.add_management_page(app, "meetings.signposting", "Support after the pulse",
                                   "The support (such as the employee assistance programme) shown after the "
                                   "meeting pulse asks how people are doing.", policy.may_set_signposting)
    # The next meeting beside a list on a wide screen (cases/list.html), so `cases` imports nothing of meetings.
    app.jinja_env.globals["soonest_meeting"] = lambda: services.soonest(current_user)
    # An archived circle's meetings are cancelled.
    events.subscribe("circle_archived", services.on_circle_archived)
    events.subscribe("left_circle", services.on_left_circle)
