"""Circles: small case-discussion groups and who belongs to them (open, by request, by invitation)."""

from __future__ import annotations

from flask import Flask, url_for


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.circles import views

    app.register_blueprint(views.bp)
    # (object, its address, its name): for lists of things a person follows.
    app.jinja_env.filters["circle_link"] = lambda circle: (circle, url_for("pages.circle", circle_id=circle.id), circle.name)
