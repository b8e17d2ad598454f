"""`flask --app wsgi apply-retention [--dry-run]`: delete what is older than the retention period."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.dataprotection import retention
from forum.extensions import db


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
