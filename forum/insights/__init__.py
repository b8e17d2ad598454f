"""Insights: read-only figures for managers and commissioners (themes over time, cases and
answers, outcomes, circles, participation), each a server-drawn chart with its table and a
CSV, never built from fewer than 5 people and never about one person."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported when the app is built, like every module's pages.
    from forum import templating
    from forum.insights import commands, export, policy, summary, views

    app.register_blueprint(views.bp)
    app.cli.add_command(commands.insights_group)
    # Every write that touches posts, replies or outcomes brings the monthly summary up to date.
    summary.install()
    app.jinja_env.globals["insight_cell"] = export.cell_text
    templating.add_management_page(app, "insights.index", "Insights",
                                   "Themes over time, cases and answers, outcomes, circles and participation, "
                                   "for your team or the whole organisation; printable.",
                                   policy.may_see_insights, section=("insights.",))
