"""`flask --app wsgi insights refresh`: rebuild the monthly summary insights reads (for cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.extensions import db
from forum.insights import summary

insights_group = click.Group("insights", help="The monthly summary behind the insights page.")


@insights_group.command("refresh")
@click.option("--months", type=click.IntRange(min=1), default=None,
              help="Rebuild only the last N months (this one included); every month by default.")
@with_appcontext
def refresh(months: int | None) -> None:
    """Rebuild the summary from the posts, replies and outcomes (idempotent: twice changes nothing)."""
    with summary.deferred(db.session):
        rebuilt = summary.rebuild(db.session, months)
        db.session.commit()
    click.echo(f"Rebuilt {rebuilt} month{'s' if rebuilt != 1 else ''} of the insights summary.")
