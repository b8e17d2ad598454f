"""Cases: cases, stories, replies, revisions, helpful marks, bookmarks, lists and theme pages."""

from __future__ import annotations

from flask import Flask

from forum import templating


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.cases import display, views

    app.register_blueprint(views.bp)
    display.register(app)
    # Managers' link; facilitators reach their circles' clearances from the circle page
    # (so other pages need no query to find out).
    templating.add_management_page(app, "cases.privacy_review", "Privacy review",
                                   "Details that authors cleared in the privacy check: redact what could identify someone.",
                                   lambda person: person.is_manager, section=("cases.redact",))
