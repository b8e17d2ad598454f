"""The floors: what Flask itself does on this machine, served by the same gunicorn settings.

    gunicorn 'bench.floors:hello_world()'
    BENCH_FLOOR_DATABASE_URL=... gunicorn 'bench.floors:one_select()'

The second runs one SELECT of 30 rows through Flask-SQLAlchemy on the benchmark database
and renders them with a Jinja template: the least any list page of the forum must do.
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, select

metadata = MetaData()
posts = Table("posts", metadata, Column("id", Integer, primary_key=True), Column("title", String),
              Column("status", String), Column("reply_count", Integer),
              Column("last_activity_at", DateTime(timezone=True)))


def hello_world() -> Flask:
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "Hello, World!"

    return app


def one_select() -> Flask:
    app = Flask(__name__)  # templates/floor_list.html, compiled once like any Flask template
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_FLOOR_DATABASE_URL"]
    db = SQLAlchemy(app)
    newest = (select(posts.c.id, posts.c.title, posts.c.reply_count, posts.c.last_activity_at)
              .where(posts.c.status == "published")
              .order_by(posts.c.last_activity_at.desc(), posts.c.id.desc()).limit(30))

    @app.route("/")
    def index():
        return render_template("floor_list.html", rows=db.session.execute(newest).all())

    return app
