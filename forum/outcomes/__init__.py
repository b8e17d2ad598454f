"""Outcomes: what happened next for a case's jobseeker (a dated timeline on one vocabulary), follow-up prompts, and a case turned into a story."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported when the app is built, like every module's pages.
    from forum.cases import redaction
    from forum.outcomes import commands, display, services, views

    app.register_blueprint(views.bp)
    redaction.add_text_kind(services.TARGET, services.REVIEWED_TEXT)
    app.cli.add_command(commands.send_followups)
    display.register(app)
