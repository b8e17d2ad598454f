"""`flask --app wsgi send-followups`: the follow-up sweep, for cron (once a day is enough)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum import events
from forum.extensions import db
from forum.outcomes import services


@click.command("send-followups")
@with_appcontext
def send_followups() -> None:
    """Ask authors "What happened next?" at 4, 13 and 26 weeks (idempotent)."""
    sent = services.send_followups()
    db.session.commit()
    events.release()
    click.echo(f"Sent {sent} follow-up prompt{'s' if sent != 1 else ''}.")
