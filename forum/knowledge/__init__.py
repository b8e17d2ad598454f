"""Knowledge that finds its reader: similar cases while writing and under a case, helpers'
offers ("I can help with"), unanswered cases routed to those helpers, the welcome path for new
advisers, and the figures on "what helped" that insights and the learning record read.

("What helped" itself, one column on the post, is `cases`': its policy decides who marks it.)"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported when the app is built, like every module's pages.
    from forum.knowledge import commands, display, views

    app.register_blueprint(views.bp)
    app.cli.add_command(commands.route_unanswered)
    display.register(app)
