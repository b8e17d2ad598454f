"""The outbox's delivery: the mail worker and its commands, retries, and the admins' page of mail that could not be delivered."""

from __future__ import annotations

from flask import Flask

from forum import templating
from forum.outbox import commands, services, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.deliver_mail)
    app.cli.add_command(commands.mail_worker)
    templating.add_navigation(app, "undelivered_mail", services.undelivered_count_for)
