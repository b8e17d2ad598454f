"""Running as a provider would: several servers need PostgreSQL; /healthz checks the database
and Redis; logs are JSON lines with a request id that the response carries too, and hold no
personal data or tokens."""

from __future__ import annotations

import json
import logging
import os
import socket

import pytest

from forum import create_app, logs
from forum.config import ConfigError, load
from forum.extensions import db
from tests.conftest import BASE_CONFIG, post

PRODUCTION = {"FORUM_ENV": "production", "SECRET_KEY": "s" * 40, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
              "FORUM_BASE_URL": "https://forum.example.org"}


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_several_servers_refuse_sqlite(tmp_path):
    sqlite = {**PRODUCTION, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3"}
    assert load(str(tmp_path), sqlite)["FORUM_SERVERS"] == 1  # one server may use SQLite
    with pytest.raises(ConfigError, match="FORUM_SERVERS is more than 1: DATABASE_URL must be a PostgreSQL"):
        load(str(tmp_path), sqlite, environ={"FORUM_SERVERS": "2"})
    postgres = {**PRODUCTION, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://forum@db/forum"}
    assert load(str(tmp_path), postgres, environ={"FORUM_SERVERS": "3"})["FORUM_SERVERS"] == 3
    with pytest.raises(ConfigError, match="FORUM_SERVERS must be a whole number"):
        load(str(tmp_path), postgres, environ={"FORUM_SERVERS": "two"})


def test_production_logs_json_and_hides_statement_values(tmp_path):
    settings = load(str(tmp_path), {**PRODUCTION, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://forum@db/forum"})
    assert settings["FORUM_LOG_FORMAT"] == "json"
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert load(str(tmp_path))["FORUM_LOG_FORMAT"] == "text"
    with pytest.raises(ConfigError, match="FORUM_LOG_FORMAT must be json or text"):
        load(str(tmp_path), {"FORUM_LOG_FORMAT": "xml"})


def test_health_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


@pytest.fixture
def app_with(database_url):
    made = []

    def make(**config):
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config})
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_health_checks_redis_when_it_is_configured(app_with):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis must run on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    healthy = app_with(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0").test_client().get("/healthz")
    assert healthy.status_code == 200 and healthy.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_fails_when_redis_does_not_answer(app_with):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once this block ends
    failing = app_with(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0").test_client().get("/healthz")
    assert failing.status_code == 503
    assert failing.json == {"status": "failing", "database": "ok", "redis": "failing"}


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert len(first.headers["X-Request-Id"]) == 32 and first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    given = client.get("/login", headers={"X-Request-Id": "nginx-0123456789abcdef"})
    assert given.headers["X-Request-Id"] == "nginx-0123456789abcdef"  # the proxy's id, to follow a request
    forged = client.get("/login", headers={"X-Request-Id": 'bad", "level": "ERROR'})
    assert len(forged.headers["X-Request-Id"]) == 32 and '"' not in forged.headers["X-Request-Id"]


def test_log_lines_are_json_with_the_request_id_and_no_tokens_or_addresses(app, client, adviser, outbox, caplog):
    caplog.set_level(logging.INFO)
    post(client, "/reset", {"email": adviser.email}, page="/reset")
    token = outbox[-1].text.split("/reset/")[1].split()[0]
    caplog.clear()
    response = client.get(f"/reset/{token}", headers={"X-Request-Id": "req-abcdef123456"})
    lines = [logs.JsonFormatter().format(record) for record in caplog.records]
    entries = [json.loads(line) for line in lines]
    assert all("\n" not in line for line in lines)
    [entry] = [entry for entry in entries if entry["logger"] == "forum.requests"]
    assert entry["request_id"] == response.headers["X-Request-Id"] == "req-abcdef123456"
    assert (entry["method"], entry["route"], entry["status"]) == ("GET", "/reset/<token>", response.status_code)
    assert isinstance(entry["duration_ms"], float)
    everything = "\n".join(lines)
    assert token not in everything and adviser.email not in everything and "127.0.0.1" not in everything


def test_json_logs_are_switched_on_once(app_with):
    root = logging.getLogger()
    saved = list(root.handlers)
    # An earlier production app in this process may have switched them on already.
    root.handlers[:] = [handler for handler in saved if not isinstance(handler.formatter, logs.JsonFormatter)]
    try:
        app_with(FORUM_LOG_FORMAT="json")
        app_with(FORUM_LOG_FORMAT="json")
        json_handlers = [handler for handler in root.handlers if isinstance(handler.formatter, logs.JsonFormatter)]
        assert len(json_handlers) == 1
    finally:
        root.handlers[:] = saved
