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


# Figures other modules read (insights, the learning record). The imports are inside the
# functions, like register's, so that importing this package loads nothing else.


def unanswered_after_routing(since, until, team_id: int | None = None) -> int:
    """Cases sent to helpers in [since, until) that still have no reply (of one team's authors)."""
    from forum.knowledge import routing

    return routing.unanswered_after_routing(since, until, team_id)


def median_hours_to_what_helped(since, until, team_id: int | None = None) -> float | None:
    """Median hours from a case's publication to the reply marked "what helped", over cases
    published in [since, until) (of one team's authors); None when there is none."""
    from forum.knowledge import services

    return services.median_hours_to_what_helped(since, until, team_id)


def what_helped_count(user_id: int, since=None, until=None) -> int:
    """How many of this person's replies (written in [since, until), if given) are marked "what
    helped" (their learning record)."""
    from forum.knowledge import services

    return services.what_helped_count(user_id, since, until)
