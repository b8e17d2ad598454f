"""The application factory: configuration and extensions, then each module registers itself."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import accounts, cases, circles, dataprotection, demo, events, knowledge, learning, meetings, moderation
from forum import config as forum_config
from forum import insights, logmask, logs, notifications, outbox, outcomes, pages, search, templating, themes, web
from forum.accounts import signin
from forum.database import configure_engine
from forum.extensions import csrf, db, limiter, migrate
from forum.instrumentation import count_statements
from forum.models import include_object

#: Each module registers its own pages, commands, template helpers and event listeners, in
#: this order (the order blueprints' routes are matched in).
MODULES = (accounts, outbox, themes, cases, search, notifications, circles, meetings, moderation, outcomes, knowledge,
           learning, dataprotection, insights, pages, demo)

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides the environment (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = web.IdConverter
    app.config.update(forum_config.load(app.instance_path, config))
    os.makedirs(app.instance_path, exist_ok=True)
    _trust_proxies(app)
    logmask.install(app)
    _configure_extensions(app)
    logs.register(app)
    templating.register(app)
    _register_modules(app)
    events.register(app)
    count_statements(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """X-Forwarded-For/-Proto/-Host/-Port count only from the FORUM_PROXY_HOPS proxies in front."""
    hops = app.config["FORUM_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def _configure_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS, compare_type=True,
                     include_object=include_object, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    signin.configure(app)


def _register_modules(app: Flask) -> None:
    web.register(app)
    for module in MODULES:
        module.register(app)
