"""Absolute links come from FORUM_BASE_URL, never from the request's Host header; production
answers only its own host names; X-Forwarded-* counts only behind FORUM_PROXY_HOPS proxies."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from forum import create_app
from forum.audit import AuditEntry
from forum.config import ConfigError
from forum.extensions import db
from forum.timeutil import utcnow
from tests.conftest import post, sign_in

FORUM = Path(__file__).resolve().parents[2] / "forum"


@pytest.fixture
def evil_client(client):
    """Every request of this client names another host in its Host header."""
    client.environ_base["HTTP_HOST"] = "evil.example"
    return client


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_a_reset_link_ignores_the_host_header(evil_client, adviser, outbox):
    assert post(evil_client, "/reset", {"email": adviser.email}, page="/reset").status_code == 302
    text = outbox[-1].text + outbox[-1].html
    assert "evil.example" not in text
    assert any(link.startswith("http://localhost/reset/") for link in links_in(text))


def test_an_invitation_link_ignores_the_host_header(evil_client, admin, outbox):
    sign_in(evil_client, admin)
    response = post(evil_client, "/invitations", {"email": "new@example.org", "role": "adviser", "team_id": "0"},
                    page="/invitations")
    assert response.status_code == 302
    text = outbox[-1].text + outbox[-1].html
    assert "evil.example" not in text
    assert any(link.startswith("http://localhost/invite/") for link in links_in(text))


def test_calendar_feed_address_and_uids_ignore_the_host_header(evil_client, adviser, make_circle, make_meeting):
    client = evil_client
    sign_in(client, adviser)
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "evil.example" not in page
    feed = re.search(r"http://localhost(/calendar/\d+/[\w\-]+\.ics)", page).group(1)
    circle_id = make_circle("Friday circle", facilitator=adviser)
    make_meeting(circle_id, utcnow() + timedelta(days=3))
    calendar = client.get(feed).get_data(as_text=True)
    assert "BEGIN:VEVENT" in calendar and "evil.example" not in calendar
    assert "@localhost" in calendar and "http://localhost/meetings/" in calendar


def test_no_view_writes_a_link_from_the_request():
    """Every absolute link goes through forum.mail.link (FORUM_BASE_URL)."""
    offenders = [str(path.relative_to(FORUM)) for path in FORUM.rglob("*.py")
                 if "_external" in path.read_text() and path.name != "mail.py"]
    offenders += [str(path.relative_to(FORUM)) for path in FORUM.rglob("*.html")
                  if "_external" in path.read_text()]
    assert offenders == []


# Configuration -----------------------------------------------------------------------------


def production(database_url, **extra):
    return {"FORUM_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "MAIL_BACKEND": "memory", **extra}


def test_production_refuses_to_start_without_a_base_url(database_url):
    with pytest.raises(ConfigError, match="FORUM_BASE_URL"):
        create_app(production(database_url))


@pytest.mark.parametrize("value", ["forum.example.org", "ftp://forum.example.org", "https://", "https://x.org/forum",
                                   "https://x.org/?a=1"])
def test_a_malformed_base_url_is_refused_with_a_clear_message(database_url, value):
    with pytest.raises(ConfigError, match="FORUM_BASE_URL must be the forum's public address"):
        create_app(production(database_url, FORUM_BASE_URL=value))


def test_development_links_default_to_the_local_address(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert app.config["FORUM_BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config.get("TRUSTED_HOSTS") is None


@pytest.fixture
def production_app(database_url):
    app = create_app(production(database_url, FORUM_BASE_URL="https://forum.example.org/",
                                FORUM_TRUSTED_HOSTS="127.0.0.1:8001, health.internal"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_answers_only_its_own_host_names(production_app):
    client = production_app.test_client()
    assert production_app.config["TRUSTED_HOSTS"] == ["forum.example.org", "127.0.0.1", "health.internal"]
    assert client.get("/login", base_url="https://forum.example.org").status_code == 200
    assert client.get("/login", base_url="http://127.0.0.1:8001").status_code == 200
    assert client.get("/login", base_url="http://health.internal").status_code == 200
    refused = client.get("/login", base_url="https://evil.example")
    assert refused.status_code == 400
    assert refused.get_data(as_text=True) == "Bad request: unknown host name.\n"
    assert client.post("/reset", data={"email": "a@example.org"}, base_url="https://evil.example").status_code == 400


# Proxies -----------------------------------------------------------------------------------


def failed_sign_in_ip(app, client, **headers) -> str | None:
    client.post("/login", data={"email": "nobody@example.org", "password": "wrong"}, headers=headers)
    with app.app_context():
        return db.session.scalars(select(AuditEntry.ip).order_by(AuditEntry.id.desc())).first()


@pytest.fixture
def app_without_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_forwarded_headers_are_ignored_without_proxy_hops(app_without_csrf):
    app = app_without_csrf
    assert failed_sign_in_ip(app, app.test_client(), **{"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"


def test_forwarded_headers_count_behind_the_configured_proxies(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "MAIL_BACKEND": "memory",
                      "WTF_CSRF_ENABLED": False, "FORUM_PROXY_HOPS": 1})
    client = app.test_client()
    # One proxy: its own entry (the last) is the client; anything a client put before it is not.
    assert failed_sign_in_ip(app, client, **{"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}) == "203.0.113.9"
    with app.app_context():
        db.engine.dispose()
