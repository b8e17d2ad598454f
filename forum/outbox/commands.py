"""`flask deliver-mail` (cron, every minute) and `flask mail-worker` (a service that stays up)."""

from __future__ import annotations

import signal
import threading

import click

from forum.outbox import services


@click.command("deliver-mail")
def deliver_mail() -> None:
    """Send every email that is due, then exit."""
    done = services.deliver_due()
    services.purge()
    click.echo(f"Sent {done.sent}; {done.retrying} will be tried again; {done.gave_up} given up.")


@click.command("mail-worker")
@click.option("--poll", default=5.0, show_default=True,
              help="Seconds between looks at the outbox when the database cannot say (SQLite).")
def mail_worker(poll: float) -> None:
    """Deliver email until stopped (SIGTERM or Ctrl-C)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("The mail worker is delivering email. Stop it with Ctrl-C.", err=True)
    try:
        services.run_worker(poll, stop.is_set)
    except KeyboardInterrupt:
        pass
