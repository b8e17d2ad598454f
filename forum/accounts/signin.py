"""How Flask-Login finds the signed-in person for a request.

The session and remember-me cookies carry the token of a `SignInSession` row, not the
user id, so ending the row (sign-out, password change, deactivation) makes every copy of
those cookies worthless at once.
"""

from __future__ import annotations

import time

from flask import current_app, session

from forum.accounts import services
from forum.extensions import db, login_manager


@login_manager.user_loader
def load_user(token: str):
    record = services.load_session(token)
    if record is None:
        return None
    if not record.remember and _idle_too_long():
        services.end_session(token)
        db.session.commit()
        return None
    return record.user


def _idle_too_long() -> bool:
    last_seen = session.get("last_seen")
    idle = current_app.config["SESSION_IDLE"].total_seconds()
    return last_seen is None or time.time() - last_seen > idle


def configure(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    # "basic" marks restored sessions as not fresh; our own rows do the real protection.
    login_manager.session_protection = "basic"


# Between the password and the code -------------------------------------------------------

PENDING_KEY = "two_factor_pending"


def hold_for_code(user, remember: bool) -> None:
    """The password was right; no session exists until the second step succeeds."""
    session.clear()  # nothing planted before sign-in survives it
    session[PENDING_KEY] = {"user": user.id, "remember": bool(remember), "at": time.time()}


def pending_user_id() -> int | None:
    """Whose code the sign-in page is waiting for, if it was asked recently enough."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    lifetime = current_app.config["TWO_FACTOR_PENDING_LIFETIME"].total_seconds()
    if not 0 <= time.time() - pending.get("at", 0) <= lifetime:
        return None
    return pending["user"]


def pending_remember() -> bool:
    return bool((session.get(PENDING_KEY) or {}).get("remember"))


def clear_pending() -> None:
    session.pop(PENDING_KEY, None)
