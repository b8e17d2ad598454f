"""`flask --app wsgi create-admin`: the first person, who then invites everyone else."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from forum.accounts import services
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
