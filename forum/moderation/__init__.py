"""Moderation: flags, the review queue, moderation actions, suspensions and the audit log page."""

from __future__ import annotations

from flask import Flask

from forum import events


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.moderation import display, services, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.member_bp)
    display.register(app)
    # Posts waiting for approval join the queue once their write has committed.
    events.subscribe("post_pending", services.on_post_pending)
