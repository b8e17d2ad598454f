"""Signed-in cookies for the load tool, made the way the sign-in page makes them.

Signing in over HTTP is limited to 6 attempts per address per minute (and costs an Argon2
hash each), so the benchmark does what `accounts.views._sign_in` does inside the app: a
`SignInSession` row through the accounts services, then Flask-Login's session, signed with the
app's secret into the session cookie the server reads. The CSRF token for the write test is
made in the same session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from forum.accounts import services
from forum.accounts.models import User
from forum.extensions import db

#: Sent by every benchmark request: Flask-Login's session protection hashes the user agent.
USER_AGENT = "forum-bench"
#: Ahead of the clock, so the app's once-a-minute "last seen" cookie refresh does not fire on
#: every request: a browser would store the refreshed cookie, wrk cannot.
LAST_SEEN_AHEAD = 24 * 3600


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    cookie: str  # "name=value" for the Cookie header
    csrf_token: str


def sign_in(app, user_id: int) -> SignedIn:
    """A remembered sign-in session (no idle limit) for this person, as a cookie."""
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT},
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        user = db.session.get(User, user_id)
        services.start_session(user, remember=True)
        db.session.commit()
        login_user(user, remember=False)
        session["last_seen"] = time.time() + LAST_SEEN_AHEAD
        token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.session.remove()
    return SignedIn(user_id, f"{app.config['SESSION_COOKIE_NAME']}={value}", token)
