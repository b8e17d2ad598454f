"""Meeting sweeps for cron: `flask --app wsgi meetings roll` and `flask --app wsgi send-reminders`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum import events
from forum.extensions import db
from forum.meetings import delivery, services

meetings_group = click.Group("meetings", help="Meeting sweeps for cron.")


@meetings_group.command("roll")
@with_appcontext
def roll_meetings() -> None:
    """Keep every circle's next 12 weeks of meetings in place (idempotent)."""
    added = services.roll_all()
    db.session.commit()
    events.release()
    click.echo(f"Added {added} meeting{'s' if added != 1 else ''}.")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Email members about 24 hours before each meeting (for cron, every few minutes)."""
    sent = delivery.send_reminders()
    db.session.commit()
    click.echo(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
