"""What every page shares: deny by default, security headers, error pages, home."""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import suppress
from functools import lru_cache
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.routing import IntegerConverter

from forum import audit
from forum.extensions import db, limiter

bp = Blueprint("web", __name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

ERROR_TITLES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    401: ("Sign in to continue", "You need to sign in to see this page."),
    403: ("You cannot do that", "Your role does not allow this action. If you think it should, ask your line manager."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you followed a link, the page may have been removed or you may not have access to it."),
    405: ("That action is not allowed here", "This address does not accept that kind of request. Use the buttons on the page instead."),
    410: ("This link no longer works", "The link has expired or has already been used."),
    413: ("That was too large to send", "What you sent is over the 1 MB limit. Shorten it and try again; nothing was saved."),
    415: ("That kind of content is not accepted", "Send the form from the page; file uploads are not accepted."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Sorry, something went wrong on our side", "Nothing you did caused this. Try again in a few minutes; if it keeps happening, tell your admin."),
}


# Who each page is for ------------------------------------------------------------------
# Every view declares one of these, right under its route; `check_access` reads it before
# every request (tests/hardening/test_declared_access.py fails on a view without one).

PUBLIC, MEMBER, MANAGER = "public", "member", "manager"


def public(view):
    """Open to guests: signing in, invitations, resets, and links that carry their own token."""
    view.access = PUBLIC
    return view


def member(view):
    """For any signed-in person; what they may do with each thing is their module's policy."""
    view.access = MEMBER
    return view


def manager(view):
    """Managers' and admins' work (their policy may let others in too, such as a circle's
    facilitators): a manager or admin without two-factor sign-in is sent to set it up first."""
    view.access = MANAGER
    return view


def access_of(endpoint: str | None) -> str | None:
    """The declaration of the view behind `endpoint`; None when it has none."""
    if endpoint in (None, "static"):
        return PUBLIC  # no route (a 404 to answer) or the stylesheet and script
    return getattr(current_app.view_functions.get(endpoint), "access", None)


def guard_managers_pages(app: Flask, check) -> None:
    """Add `check()` (a response to send instead, or None) for every manager's page; the
    accounts module adds the two-factor set-up this way (a root module names no domain)."""
    app.extensions.setdefault("forum_manager_checks", []).append(check)


def safe_next_url(target: str | None) -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    home = url_for("pages.home")
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home
    return target


# Deny by default ----------------------------------------------------------------------


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def check_access():
    """The one check of every view's declaration: guests only on public pages; managers'
    pages (and any view that declares nothing) only past the checks modules added."""
    access = access_of(request.endpoint)
    if access == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if _wants_json():
            return jsonify(error="Sign in to continue"), 401
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if access != MEMBER:
        for check in current_app.extensions.get("forum_manager_checks", ()):
            if (response := check()) is not None:
                return response
    return None


def refuse_nul_characters():
    """NUL cannot be stored (PostgreSQL refuses it in text) and is never meant: say so plainly."""
    values = list(request.args.values())
    if request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.values()
    if any("\x00" in value for value in values):
        return render_error(400, "That request held a character the forum cannot accept. Go back and try again.")
    return None


class IdConverter(IntegerConverter):
    """Ids in addresses fit the database's integer: a larger number is simply not found."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def handle_bad_value(error: Exception):
    """A value the database cannot hold (an id out of range in a query or form): not found."""
    db.session.rollback()
    return render_error(404)


def refuse_untrusted_host():
    """Production answers only the host names in TRUSTED_HOSTS: stop before anything runs."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def handle_untrusted_host(error: SecurityError):
    # No page: without a trusted host no address on this site can be built.
    return "Bad request: unknown host name.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def refuse_multipart():
    # There are no uploads: refusing multipart keeps file parsing off the attack surface.
    if request.mimetype == "multipart/form-data":
        return render_error(415)
    return None


def refresh_last_seen():
    """Note activity in the signed cookie, which the user loader reads for the idle limit."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, "is_passive", False):
        return  # polling by an open page is not the person being active
    if current_user.is_authenticated:
        now = time.time()
        # Rewriting the cookie once a minute is enough for a two-hour limit.
        if now - session.get("last_seen", 0) > 60:
            session["last_seen"] = now


# Headers ------------------------------------------------------------------------------


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user.is_authenticated or request.endpoint != "static":
        # Pages may hold case text or tokens: never keep them in a cache.
        headers["Cache-Control"] = "no-store"
        headers.add("Vary", "Cookie")
    return response


# Errors -------------------------------------------------------------------------------


def render_error(status: int, message: str | None = None):
    title, advice = ERROR_TITLES.get(status, ERROR_TITLES[500])
    if _wants_json():
        return jsonify(error=title), status
    return render_template("error.html", status=status, title=title, advice=message or advice), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    if status in (403, 404):
        _audit_refusal(status)
    response = render_error(status if status in ERROR_TITLES else 500)
    if status == 405 and getattr(error, "valid_methods", None):
        response = current_app.make_response(response)
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _audit_refusal(status: int) -> None:
    """A signed-in person refused an object by its id (SECURITY item 28): who, which, when."""
    ids = {name: value for name, value in (request.view_args or {}).items() if name.endswith("_id")}
    if not ids or not current_user.is_authenticated:
        return
    name, value = next(iter(ids.items()))
    try:
        db.session.rollback()
        audit.record(current_user.id, "access.refused", name.removesuffix("_id"), value if isinstance(value, int) else None,
                     reason=request.endpoint, outcome=str(status))
        db.session.commit()
    except Exception:  # the refusal itself must still be answered
        db.session.rollback()
        current_app.logger.exception("Could not record a refusal in the audit log")


def handle_csrf_error(error: CSRFError):
    db.session.rollback()
    audit.record(current_user.id if current_user.is_authenticated else None,
                 "csrf.failure", outcome="denied", reason=request.endpoint)
    db.session.commit()
    return render_error(400, "The form had expired or did not come from this site. Go back, reload the page and try again.")


def handle_rate_limit(error):
    db.session.rollback()
    if request.endpoint in ("accounts.login", "security.sign_in_code"):
        audit.record(None, "sign_in", "user", None, outcome="locked")
        db.session.commit()
    limit = limiter.current_limit
    wait = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
    minutes = (wait + 59) // 60
    advice = f"Nothing was saved. Wait {minutes} minute{'s' if minutes != 1 else ''}, then try again."
    response = current_app.make_response(render_error(429, advice))
    response.headers.setdefault("Retry-After", str(wait))
    return response


def handle_server_error(error: Exception):
    db.session.rollback()
    if not isinstance(error, HTTPException):
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def static_version(endpoint: str, values: dict) -> None:
    """`/static/forum.css?v=<hash of the file>`: nginx lets browsers keep static files for a
    year, and a new release's files get new addresses."""
    if endpoint == "static" and "filename" in values:
        path = os.path.join(current_app.static_folder, values["filename"])
        with suppress(OSError):
            values["v"] = _file_hash(path, os.stat(path).st_mtime_ns)


@lru_cache(maxsize=64)
def _file_hash(path: str, modified: int) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.url_defaults(static_version)
    # Before CSRF checking, which would otherwise parse the multipart body first.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_multipart)
    app.before_request_funcs[None].insert(0, refuse_untrusted_host)
    app.before_request_funcs[None].insert(2, refuse_nul_characters)
    app.before_request(check_access)
    app.before_request(refresh_last_seen)
    app.after_request(security_headers)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(DataError, handle_bad_value)
    app.register_error_handler(OverflowError, handle_bad_value)  # SQLite: an integer over 64 bits
    app.register_error_handler(429, handle_rate_limit)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)


# Pages --------------------------------------------------------------------------------


@bp.route("/healthz")
@public
def health():
    """For the load balancer and monitoring: the database and, when configured, Redis answer."""
    checks = {"database": _answers(lambda: db.session.execute(text("SELECT 1")))}
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "rediss")):
        checks["redis"] = _answers(limiter.storage.check)
    healthy = all(answer == "ok" for answer in checks.values())
    return {"status": "ok" if healthy else "failing", **checks}, 200 if healthy else 503


def _answers(check) -> str:
    try:
        return "ok" if check() is not False else "failing"
    except Exception:  # a health check reports a failure, it does not raise one
        db.session.rollback()
        current_app.logger.warning("Health check failed", exc_info=True)
        return "failing"
