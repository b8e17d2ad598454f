"""Themes: the controlled vocabulary that cases and stories are tagged with."""

from __future__ import annotations

from flask import Flask, url_for

from forum import templating


def register(app: Flask) -> None:
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.themes import policy, views

    app.register_blueprint(views.bp)
    templating.add_management_page(app, "themes.manage", "Themes", "Create, rename, archive and merge themes.",
                                   policy.may_manage_themes, section=("themes.edit", "themes.archive", "themes.merge"))
    # (object, its address, its name): for lists of things a person follows.
    app.jinja_env.filters["theme_link"] = lambda theme: (theme, url_for("cases.theme", slug=theme.slug), theme.name)
