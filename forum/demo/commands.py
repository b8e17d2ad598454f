"""`flask --app wsgi seed-demo`: fill the database with the fictional demo organisation."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum import events, mail
from forum.dataprotection import retention
from forum.demo import DEMO_PASSWORD, seed
from forum.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill the database with a fictional demo organisation (safe to run twice)."""
    sign_ins = seed()
    retention.leave_off_for_demo()  # the demo's posts are dated in the past on purpose
    db.session.commit()
    with mail.suppressed():  # the demo's replies notify people in the app, not by email
        events.release()
    click.echo("Demo organisation ready. Sign in at http://127.0.0.1:5000 with any of these:")
    click.echo(f"  password for every demo account: {DEMO_PASSWORD}")
    for email, role, team in sign_ins:
        click.echo(f"  {email:<32} {role:<14} {team}")
