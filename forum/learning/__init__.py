"""Learning: each person's own record of what they learned from peers (meetings attended,
cases presented and discussed, posts, helpful replies, outcomes, action points), private
reflections, learning goals, a PDF and CSV to take to supervision, and read-only snapshots
shared with one manager at a time. Nobody but the person sees their record."""

from __future__ import annotations

from flask import Flask

from forum import events, templating


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.learning import display, views

    app.register_blueprint(views.bp)
    display.register(app)
    templating.add_navigation(app, "learning", lambda person: True)
