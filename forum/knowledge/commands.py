"""`flask --app wsgi route-unanswered`: send unanswered cases to helpers, for cron."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum import events
from forum.extensions import db
from forum.knowledge import routing


@click.command("route-unanswered")
@with_appcontext
def route_unanswered() -> None:
    """Send cases unanswered after UNANSWERED_AFTER_HOURS to helpers of their themes (idempotent)."""
    sent = routing.route_unanswered()
    db.session.commit()
    events.release()
    click.echo(f"Sent {sent} request{'s' if sent != 1 else ''} for help.")
