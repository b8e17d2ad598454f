"""Configuration: safe development defaults, overridden by environment variables.

Every variable read here is listed in the README. Tests pass a mapping to `create_app`
instead of touching the environment.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ENV_VARIABLES = (
    "FORUM_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_KEY_PREFIX",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_FROM",
    "FORUM_BASE_URL",
    "FORUM_TRUSTED_HOSTS",
    "FORUM_PROXY_HOPS",
    "POST_LIMIT",
    "REPLY_LIMIT",
    "FLAG_LIMIT",
    "URGENT_HIDE_LIMIT",
    "EXPORT_LIMIT",
    "INVITATION_LIMIT",
    "SEARCH_LIMIT",
    "TWO_FACTOR_KEY",
    "FOLLOW_UP_WEEKS",
    "UNANSWERED_AFTER_HOURS",
    "FORUM_SERVERS",
    "FORUM_LOG_FORMAT",
)

REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "FORUM_BASE_URL")

DEVELOPMENT_SECRET = "development-only-secret-key-do-not-use-in-production"

#: Where links in emails and calendars point in development (production must set its own).
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """The environment does not hold what the chosen mode needs."""


def defaults(instance_path: str) -> dict:
    """The settings every mode starts from."""
    return {
        "FORUM_ENV": "development",
        "SECRET_KEY": DEVELOPMENT_SECRET,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "forum.sqlite3"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # No X-RateLimit-* headers on every answer: they cost two more Redis round trips a limited
        # request (issue 19). A refusal still says when to try again (web.handle_rate_limit's Retry-After).
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_KEY_PREFIX": "forum",
        "MAIL_SERVER": None,
        "MAIL_PORT": 587,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": True,
        "MAIL_FROM": "Adviser forum <forum@localhost>",
        # Every absolute link (emails, calendars): never the request's Host header.
        # Unset in development: DEVELOPMENT_BASE_URL; production refuses to start without it.
        "FORUM_BASE_URL": None,
        # Host names accepted besides FORUM_BASE_URL's, in production (health checks, direct addresses).
        "FORUM_TRUSTED_HOSTS": "",
        # How many proxies in front of the forum set X-Forwarded-*; 0 trusts none of them.
        "FORUM_PROXY_HOPS": 0,
        # Bodies over 1 MB get 413: the forum has no uploads.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        "SESSION_COOKIE_NAME": "forum_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_NAME": "forum_remember",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A session without "remember me" ends after this long idle, and any session
        # after SESSION_ABSOLUTE (remember-me ones after REMEMBER_COOKIE_DURATION).
        "SESSION_IDLE": timedelta(hours=2),
        "SESSION_ABSOLUTE": timedelta(hours=12),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "INVITATION_LIFETIME": timedelta(days=7),
        "PASSWORD_RESET_LIFETIME": timedelta(hours=1),
        "WTF_CSRF_TIME_LIMIT": None,
        # Sign-in, reset and invitation failures: per account and per address.
        "LOGIN_LIMIT_PER_ACCOUNT": "10/minute",
        "LOGIN_LIMIT_PER_ADDRESS": "6/minute",
        # Per person: new cases and stories, replies, invitations, searches (SECURITY.md item 26).
        "POST_LIMIT": "20/hour",
        "REPLY_LIMIT": "120/hour",
        "FLAG_LIMIT": "30/hour",
        # Per person: urgent flags that hide the item at once, in any 24 hours; beyond it the
        # item is queued (urgent first) but stays up unless a second person flags it too.
        "URGENT_HIDE_LIMIT": 3,
        # Per person: data exports, each built on request (SECURITY.md items 26 and 32).
        "EXPORT_LIMIT": "2/day",
        "INVITATION_LIMIT": "20/day",
        "SEARCH_LIMIT": "120/minute",
        # Sensitive account changes need the password (and a code) entered this recently.
        "REAUTH_WINDOW": timedelta(minutes=5),
        # How long the sign-in page waits for the code after a right password.
        "TWO_FACTOR_PENDING_LIFETIME": timedelta(minutes=5),
        # Encrypts the two-factor secrets; unset, a key derived from SECRET_KEY.
        "TWO_FACTOR_KEY": None,
        "DEFAULT_TIMEZONE": "Europe/London",
        # With JavaScript, a draft being written is saved this often (seconds).
        "AUTOSAVE_SECONDS": 20,
        # "What happened next?" is asked this many weeks after a case is published; a prompt
        # more than FOLLOW_UP_GRACE_DAYS late is not sent (old cases are not flooded).
        "FOLLOW_UP_WEEKS": (4, 13, 26),
        "FOLLOW_UP_GRACE_DAYS": 14,
        # A forum-wide case with no reply after this many hours is sent to helpers of its themes.
        "UNANSWERED_AFTER_HOURS": 48,
        "HSTS": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # How many app servers share the database: more than one needs PostgreSQL.
        "FORUM_SERVERS": 1,
        # "json" (one object per line, production's default) or "text".
        "FORUM_LOG_FORMAT": None,
    }


def from_environment(environ: os._Environ | dict) -> dict:
    """Settings named by environment variables, converted to their Python types."""
    found: dict = {}
    for name in ENV_VARIABLES:
        value = environ.get(name)
        if value in (None, ""):
            continue
        found[name] = value
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = found.pop("DATABASE_URL")
    if "MAIL_PORT" in found:
        found["MAIL_PORT"] = int(found["MAIL_PORT"])
    if "FORUM_PROXY_HOPS" in found:
        found["FORUM_PROXY_HOPS"] = int(found["FORUM_PROXY_HOPS"])
    if "FOLLOW_UP_WEEKS" in found:  # "4,13,26"
        found["FOLLOW_UP_WEEKS"] = tuple(sorted(int(week) for week in found["FOLLOW_UP_WEEKS"].split(",") if week.strip()))
    if "URGENT_HIDE_LIMIT" in found:
        try:
            found["URGENT_HIDE_LIMIT"] = int(found["URGENT_HIDE_LIMIT"])
        except ValueError:
            raise ConfigError("URGENT_HIDE_LIMIT must be a whole number, such as 3.") from None
    if "UNANSWERED_AFTER_HOURS" in found:
        found["UNANSWERED_AFTER_HOURS"] = int(found["UNANSWERED_AFTER_HOURS"])
    if "FORUM_SERVERS" in found:
        try:
            found["FORUM_SERVERS"] = int(found["FORUM_SERVERS"])
        except ValueError:
            raise ConfigError("FORUM_SERVERS must be a whole number, such as 2.") from None
    if "MAIL_USE_TLS" in found:
        found["MAIL_USE_TLS"] = found["MAIL_USE_TLS"].lower() in ("1", "true", "yes", "on")
    return found


def production_overrides() -> dict:
    """Settings that production forces, whatever else was asked for."""
    return {
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        # The __Host- prefix makes the browser refuse the cookie unless it is Secure,
        # host-only and for the whole site.
        "SESSION_COOKIE_NAME": "__Host-forum_session",
        "REMEMBER_COOKIE_NAME": "__Host-forum_remember",
        "HSTS": True,
        "DEBUG": False,
        "TESTING": False,
    }


def check_production(settings: dict, default_database: str) -> None:
    """Refuse to start production with development secrets or in-process state."""
    missing = []
    if settings["SECRET_KEY"] == DEVELOPMENT_SECRET:
        missing.append("SECRET_KEY")
    if settings["SQLALCHEMY_DATABASE_URI"] == default_database:
        missing.append("DATABASE_URL")
    # In-process rate limits would not hold across several servers.
    if settings["RATELIMIT_STORAGE_URI"].startswith("memory"):
        missing.append("RATELIMIT_STORAGE_URI")
    # Links in emails must not follow the Host header of whoever asked for them.
    if not settings["FORUM_BASE_URL"]:
        missing.append("FORUM_BASE_URL")
    # Each server's SQLite file would be a database of its own.
    if settings["FORUM_SERVERS"] > 1 and settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise ConfigError("FORUM_SERVERS is more than 1: DATABASE_URL must be a PostgreSQL database, not SQLite.")
    if missing:
        raise ConfigError(
            "FORUM_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    if len(settings["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be a random value of at least 32 characters.")


def base_url(value: str) -> str:
    """FORUM_BASE_URL checked: http(s), a host, nothing after it; without the trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ConfigError(
            "FORUM_BASE_URL must be the forum's public address, such as https://forum.example.org "
            f"(a scheme and a host, nothing after them), not {value!r}.")
    return f"{parts.scheme}://{parts.netloc}"


def trusted_hosts(settings: dict) -> list[str]:
    """The host names production answers to: FORUM_BASE_URL's, then FORUM_TRUSTED_HOSTS'
    (comma-separated; a port such as 127.0.0.1:8001 is allowed and ignored, as Flask ignores it)."""
    hosts = [urlsplit(settings["FORUM_BASE_URL"]).hostname]
    for entry in settings["FORUM_TRUSTED_HOSTS"].split(","):
        entry = entry.strip()
        if entry:
            hosts.append(urlsplit("//" + entry).hostname or entry)
    return hosts


def postgres_options(options: dict) -> dict:
    """A request's statements are short: on a few cores, parallel workers for one request's
    query only take the cores the other requests need (search for a common word at full
    scale: 66 ms without them against 80 ms with two, measured one at a time)."""
    connect_args = {**options.get("connect_args", {}), "options": "-c max_parallel_workers_per_gather=0"}
    return {**options, "connect_args": connect_args}


def load(instance_path: str, overrides: dict | None = None, environ=None) -> dict:
    """Defaults, then the environment, then the caller's overrides (tests)."""
    environ = os.environ if environ is None else environ
    settings = defaults(instance_path)
    settings.update(from_environment(environ))
    if overrides:
        settings.update(overrides)
    if settings["FORUM_ENV"] not in ("development", "production"):
        raise ConfigError("FORUM_ENV must be development or production.")
    if settings["FORUM_ENV"] == "production":
        check_production(settings, defaults(instance_path)["SQLALCHEMY_DATABASE_URI"])
        settings.update(production_overrides())
        # Error messages then never carry the values of a statement (addresses, text).
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {**settings["SQLALCHEMY_ENGINE_OPTIONS"], "hide_parameters": True}
    if str(settings["SQLALCHEMY_DATABASE_URI"] or "").startswith("postgresql"):
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = postgres_options(settings["SQLALCHEMY_ENGINE_OPTIONS"])
    settings["FORUM_BASE_URL"] = base_url(settings["FORUM_BASE_URL"] or DEVELOPMENT_BASE_URL)
    if settings["FORUM_ENV"] == "production":
        # Any other Host header gets 400 (Flask's TRUSTED_HOSTS).
        settings["TRUSTED_HOSTS"] = trusted_hosts(settings)
    if settings["FORUM_LOG_FORMAT"] is None:
        settings["FORUM_LOG_FORMAT"] = "json" if settings["FORUM_ENV"] == "production" else "text"
    if settings["FORUM_LOG_FORMAT"] not in ("json", "text"):
        raise ConfigError("FORUM_LOG_FORMAT must be json or text.")
    return settings
