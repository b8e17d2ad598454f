"""Re-authentication ("confirm it's you") before sensitive changes to an account.

Changing the email address, turning two-factor sign-in off, replacing recovery codes and
erasing an account need the password, and a code where two-factor sign-in is on, entered
within REAUTH_WINDOW (5 minutes). The confirmation page records the time in the session
(which is cleared at every sign-in and sign-out) and returns to the action.

Use `@fresh_confirmation_required` on a view, or ask `is_fresh()` and send the person to
`confirm_url(next)` yourself.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user

SESSION_KEY = "confirmed_at"


def mark_fresh() -> None:
    """The person has just proved who they are: remember when, for this user only."""
    session[SESSION_KEY] = {"user": current_user.id, "at": time.time()}


def is_fresh() -> bool:
    """Whether the signed-in person confirmed their password within REAUTH_WINDOW."""
    record = session.get(SESSION_KEY)
    if not current_user.is_authenticated or not isinstance(record, dict):
        return False
    if record.get("user") != current_user.id:
        return False
    window = current_app.config["REAUTH_WINDOW"].total_seconds()
    confirmed = record.get("at")
    return isinstance(confirmed, (int, float)) and 0 <= time.time() - confirmed <= window


def forget() -> None:
    session.pop(SESSION_KEY, None)


def confirm_url(next_url: str | None = None) -> str:
    return url_for("security.confirm_identity", next=next_url or request.path)


def fresh_confirmation_required(view):
    """Send the person to "confirm it's you" first unless they confirmed within the window.

    A GET comes back to the same address; a POST that arrives too late comes back to the
    page its form was on (the GET of the same address), so put the form on that page.
    """

    @wraps(view)
    def guarded(*args, **kwargs):
        if is_fresh():
            return view(*args, **kwargs)
        back = request.full_path.rstrip("?") if request.method == "GET" else request.path
        return redirect(confirm_url(back), 303 if request.method != "GET" else 302)

    return guarded
