"""Pages that compose several modules (home, a circle's page): no models and no rules of their own."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported when the app is built, like every module's pages.
    from forum.pages import views

    app.register_blueprint(views.bp)
