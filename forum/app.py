"""The application factory: configuration, extensions, blueprints, templates, commands."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from forum import cli, events, templating, web
from forum import config as forum_config
from forum.accounts import security_views  # noqa: F401  (adds the two-factor and re-authentication routes)
from forum.accounts import signin
from forum.accounts.views import bp as accounts_bp
from forum.cases.views import bp as cases_bp
from forum.dataprotection.views import bp as dataprotection_bp
from forum.circles.views import bp as circles_bp
from forum.meetings import register as register_meetings
from forum.meetings import run_views  # noqa: F401  (adds the live-meeting routes to the blueprint)
from forum.meetings.views import bp as meetings_bp
from forum.database import configure_engine
from forum.extensions import csrf, db, limiter, migrate
from forum.instrumentation import count_statements
from forum.models import include_object
from forum.moderation import register as register_moderation
from forum.moderation.views import bp as moderation_bp
from forum.moderation.views import member_bp as flags_bp
from forum.notifications import register as register_notifications
from forum.notifications.views import bp as notifications_bp
from forum.search.views import bp as search_bp
from forum.themes.views import bp as themes_bp

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides the environment (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = web.IdConverter
    app.config.update(forum_config.load(app.instance_path, config))
    os.makedirs(app.instance_path, exist_ok=True)
    _configure_extensions(app)
    _register_blueprints(app)
    templating.register(app)
    events.register(app)
    cli.register(app)
    count_statements(app)
    return app


def _configure_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS, compare_type=True,
                     include_object=include_object, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    signin.configure(app)


def _register_blueprints(app: Flask) -> None:
    web.register(app)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(circles_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(flags_bp)
    app.register_blueprint(dataprotection_bp)
    register_meetings()
    register_moderation()
    register_notifications()
