"""Command-line tasks: `flask --app wsgi create-admin` and `flask --app wsgi seed-demo`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from forum import demo, events, mail
from forum.accounts import services
from forum.dataprotection import retention
from forum.errors import Invalid
from forum.extensions import db


@click.command("create-admin")
@click.option("--email", prompt="Email address")
@click.option("--name", "display_name", prompt="Display name")
@click.password_option("--password", prompt="Password (12 to 128 characters)")
@with_appcontext
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an admin account: the first person, who then invites everyone else."""
    try:
        user = services.create_admin(email, display_name, password)
    except Invalid as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Admin {user.display_name} <{user.email}> created. Sign in and invite your teams.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill the database with a fictional demo organisation (safe to run twice)."""
    sign_ins = demo.seed()
    retention.leave_off_for_demo()  # the demo's posts are dated in the past on purpose
    db.session.commit()
    with mail.suppressed():  # the demo's replies notify people in the app, not by email
        events.release()
    click.echo("Demo organisation ready. Sign in at http://127.0.0.1:5000 with any of these:")
    click.echo(f"  password for every demo account: {demo.DEMO_PASSWORD}")
    for email, role, team in sign_ins:
        click.echo(f"  {email:<32} {role:<14} {team}")


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Send this week's email digests (for cron, weekly); running it twice sends nothing more."""
    from forum.notifications import email

    sent = email.send_digests()
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


meetings_group = click.Group("meetings", help="Meeting sweeps for cron.")


@meetings_group.command("roll")
@with_appcontext
def roll_meetings() -> None:
    """Keep every circle's next 12 weeks of meetings in place (idempotent)."""
    from forum.meetings import services

    added = services.roll_all()
    db.session.commit()
    events.release()
    click.echo(f"Added {added} meeting{'s' if added != 1 else ''}.")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Email members about 24 hours before each meeting (for cron, every few minutes)."""
    from forum.meetings import delivery

    sent = delivery.send_reminders()
    db.session.commit()
    click.echo(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")


@click.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; change nothing.")
@with_appcontext
def apply_retention(dry_run: bool) -> None:
    """Delete posts and attendance older than the retention period (for cron, nightly; idempotent)."""
    report = retention.apply(dry_run=dry_run)
    if not report.enabled:
        click.echo("Retention is off: nothing deleted.")
        return
    if not dry_run:
        db.session.commit()
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} (last activity before {report.cutoff:%Y-%m-%d %H:%M} UTC, {report.months} months):")
    for name, count in report.counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {count}")


def register(app: Flask) -> None:
    app.cli.add_command(send_digests)
    app.cli.add_command(meetings_group)
    app.cli.add_command(send_reminders)
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(apply_retention)
