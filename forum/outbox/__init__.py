"""The outbox's delivery: the mail worker and its commands, retries, and the admins' page of mail that could not be delivered."""

from __future__ import annotations

from flask import Flask

from forum import templating
from forum.outbox import commands, services, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.deliver_mail)
    app.cli.add_command(commands.mail_worker)
    # Listed under "Manage" only while some email was given up on, with how many.
    templating.add_management_page(app, "outbox.undelivered", "Mail not delivered",
                                   "Emails the forum gave up on after 48 hours, with their error and a Retry button.",
                                   lambda person: services.undelivered_count_for(person) > 0,
                                   count=services.undelivered_count_for)
