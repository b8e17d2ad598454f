"""What every page shares: deny by default, headers, error pages, CSRF, limits, config."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from forum import create_app
from forum.audit import AuditEntry
from forum.config import ConfigError
from forum.extensions import db
from tests.conftest import BASE_CONFIG, TEST_PASSWORD, csrf_token, post, sign_in

PUBLIC_ENDPOINTS = {"static", "web.health", "accounts.login", "security.sign_in_code", "accounts.request_reset",
                    "accounts.reset", "accounts.accept_invitation", "notifications.unsubscribe",
                    "notifications.confirm_unsubscribe", "meetings.feed"}


def test_importing_the_package_needs_no_environment_and_does_no_work(tmp_path):
    code = (
        "import sys, forum, forum.markdown, forum.privacy;"
        "assert not [name for name in sys.modules if name.startswith(('flask', 'sqlalchemy'))];"
        "import forum.models, forum.accounts.services, forum.cases.services;"
        "import forum.accounts.passwords as p; assert p.common_passwords.cache_info().currsize == 0;"
        "print('ok')"
    )
    root = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": root},
                            capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
    assert not list(tmp_path.iterdir())  # no database, no instance folder, nothing written


def test_guest_crawl_of_the_route_map_is_denied_by_default(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        values = {name: (rule.defaults or {}).get(name, 1) for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
        assert client.get(url, headers={"Accept": "application/json"}).status_code == 401, url
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("path", ["/login", "/reset", "/healthz", "/static/forum.css", "/no-such-page"])
def test_security_headers_on_guest_responses(client, path):
    response = client.get(path)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    if response.mimetype == "text/html":
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'", "form-action 'self'"):
            assert part in csp
        assert "charset=utf-8" in headers["Content-Type"]


@pytest.mark.parametrize("path", ["/", "/account", "/people", "/invitations", "/people/1", "/missing"])
def test_signed_in_pages_are_never_cached(client, admin, path):
    sign_in(client, admin)
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers
    assert "Strict-Transport-Security" not in response.headers  # development runs over HTTP


def test_templates_carry_no_inline_script_or_style(app):
    import pathlib

    templates = pathlib.Path(app.root_path, "templates").rglob("*.html")
    for template in templates:
        if "email" in template.parts:
            continue
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert " style=" not in source and "<style" not in source, template
        assert not re.search(r"\son[a-z]+=", source), template


def test_not_found_is_the_same_page_whatever_the_path(client, admin):
    sign_in(client, admin)
    first, second = client.get("/people/999998"), client.get("/people/999999")
    assert first.status_code == second.status_code == 404
    assert first.data == second.data
    assert client.get("/nothing-here").data == first.data


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_unsupported_methods_get_405_in_the_layout(client, method):
    response = client.open("/login", method=method)
    assert response.status_code == 405
    assert "That action is not allowed here" in response.get_data(as_text=True)


def test_get_on_a_mutating_route_is_405(client, admin):
    sign_in(client, admin)
    for path in ("/account/password", "/account/profile", f"/people/{admin.id}/reactivate", "/invitations/1/revoke"):
        assert client.get(path).status_code == 405, path


def test_missing_or_foreign_csrf_token_is_400_and_changes_nothing(app, client, admin, adviser):
    sign_in(client, admin)
    response = client.post(f"/people/{adviser.id}", data={"role": "admin", "team_id": "0"})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    other = app.test_client()
    foreign = csrf_token(other)
    response = client.post(f"/people/{adviser.id}", data={"role": "admin", "team_id": "0", "csrf_token": foreign})
    assert response.status_code == 400
    with app.app_context():
        from forum.accounts.models import Role, User

        assert db.session.get(User, adviser.id).role == Role.ADVISER
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "csrf.failure")) is not None


def test_body_over_the_limit_is_413(client):
    response = client.post("/login", data={"email": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "over the 1 MB limit" in response.get_data(as_text=True)


def test_multipart_is_refused(client):
    from io import BytesIO

    response = client.post("/login", data={"file": (BytesIO(b"hello"), "hello.txt")}, content_type="multipart/form-data")
    assert response.status_code == 415


@pytest.fixture
def failing_app(database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/explode")
    def explode():
        raise RuntimeError("secret internals")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_server_error_page_is_generic(failing_app, admin):
    client = failing_app.test_client()
    sign_in(client, admin)
    response = client.get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body and "Werkzeug" not in body


def test_production_refuses_to_start_without_its_settings(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY, DATABASE_URL, RATELIMIT_STORAGE_URI"):
        create_app({"FORUM_ENV": "production"})
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({"FORUM_ENV": "production", "SECRET_KEY": "s" * 40,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3"})


def test_production_cookies_are_secure_and_host_only(database_url):
    app = create_app({"FORUM_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "MAIL_BACKEND": "memory",
                      "FORUM_BASE_URL": "https://localhost"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert not app.debug
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    with app.app_context():
        db.engine.dispose()


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "false")
    app = create_app({"SECRET_KEY": "x" * 40})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["MAIL_PORT"] == 2525 and app.config["MAIL_USE_TLS"] is False


def test_audit_log_is_append_only_in_the_database(app):
    with app.app_context():
        from forum import audit

        audit.record(None, "test.entry", reason="line one\r\nforged: line")
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry))
        assert "\r\n" not in entry.reason and "\\r\\n" in entry.reason
        for statement in ("UPDATE audit_entries SET action = 'changed'", "DELETE FROM audit_entries"):
            with pytest.raises(Exception, match="append-only"):
                db.session.execute(text(statement))
                db.session.flush()
            db.session.rollback()
        assert db.session.scalar(select(AuditEntry.action)) == "test.entry"


def test_no_passwords_or_tokens_reach_the_logs(app, client, admin, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, admin)
    post(client, "/invitations", {"email": "someone@example.org", "role": "adviser", "team_id": "0"}, page="/invitations")
    token = outbox[-1].text.split("/invite/")[1].split()[0]
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert TEST_PASSWORD not in logged
    assert token not in logged


def test_models_and_migrations_agree(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from forum.models import include_object

    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": include_object, "compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_create_admin_and_seed_demo_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "First@Example.org", "--name", "First.Admin",
                                 "--password", "a strong admin passphrase"])
    assert result.exit_code == 0, result.output
    weak = runner.invoke(args=["create-admin", "--email", "second@example.org", "--name", "Second",
                               "--password", "short"])
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    assert "morgan.manager@example.org" in first.output and "demo forum password" in first.output
    with app.app_context():
        from forum.accounts.models import Team, User

        # The first admin, the twelve demo people, and eight advisers of the insights history.
        assert len(db.session.scalars(select(User)).all()) == 21
        assert len(db.session.scalars(select(Team)).all()) == 2
        from forum.cases.models import Post, Status
        from forum.themes.models import Theme

        assert len(db.session.scalars(select(Theme)).all()) == 20
        posts = db.session.scalars(select(Post)).all()
        assert len(posts) >= 40 and all(post.status == Status.PUBLISHED for post in posts)
        assert sum(post.reply_count for post in posts) >= 40
        from forum.circles.models import Circle
        from forum.meetings.models import Meeting

        assert len(db.session.scalars(select(Circle)).all()) == 3
        assert len(db.session.scalars(select(Meeting)).all()) >= 12


def test_sqlite_write_requests_take_the_write_lock_first(app, client, admin, count_queries):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite locking only")
    begins: list[str] = []
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
        pragmas = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                   for name in ("foreign_keys", "journal_mode", "busy_timeout", "cache_size")}
    # A 16 MB page cache (negative: in KiB), not SQLite's 2 MB: issue 19.
    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 10000, "cache_size": -16384}

    def note(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        client.get("/healthz")
        reads = list(begins)
        post(client, "/login", {"email": admin.email, "password": TEST_PASSWORD})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert reads and all(statement == "BEGIN" for statement in reads)
    assert "BEGIN IMMEDIATE" in begins[len(reads):]


@pytest.mark.parametrize("path", [
    "/posts/99999999999999999999", "/posts?author=99999999999999", "/posts?author=9999999999999999999999999",
    "/circles/99999999999", "/meetings/99999999999", "/people/99999999999", "/replies/99999999999/edit",
    "/posts?older=99991231T000000.000000_99999999999", "/search?q=x&after=99999999999", "/search?q=%00",
    "/themes/%00", "/posts?theme=%00", "/calendar/99999999999/abc.ics", "/posts?newer=%00_1",
])
def test_odd_addresses_never_fail(client, admin, path):
    sign_in(client, admin)
    response = client.get(path)
    assert response.status_code in (200, 302, 400, 404, 410), path
    assert "Sorry, something went wrong" not in response.get_data(as_text=True)


def test_odd_form_values_never_fail(client, admin):
    sign_in(client, admin)
    for data in ({"email": "a\x00b@example.org", "role": "adviser", "team_id": "0"},
                 {"email": "ok@example.org", "role": "adviser", "team_id": "99999999999999999999"}):
        response = post(client, "/invitations", data, page="/invitations")
        assert response.status_code in (400, 403, 404), data


def test_postgresql_connections_run_no_parallel_workers_and_sqlite_gets_no_such_option(tmp_path):
    from forum import config

    postgres = config.load(str(tmp_path), {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@127.0.0.1/db"}, environ={})
    assert postgres["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"options": "-c max_parallel_workers_per_gather=0"}
    sqlite = config.load(str(tmp_path), {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite3"}, environ={})
    assert "connect_args" not in sqlite["SQLALCHEMY_ENGINE_OPTIONS"]
