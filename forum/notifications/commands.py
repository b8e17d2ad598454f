"""`flask --app wsgi send-digests`: the weekly email digests, for cron."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.notifications import email


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Send this week's email digests (for cron, weekly); running it twice sends nothing more."""
    sent = email.send_digests()
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
