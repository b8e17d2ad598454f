"""Limits on guessing: sign-in, password reset and invitation links.

Only failures count, but once a limit is reached every attempt gets 429, even one with
the right password, until the window moves on (a minute).
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from forum.extensions import limiter


def _account_key() -> str:
    """The account or link being tried; the address when there is neither."""
    email = request.form.get("email", "").strip().lower()
    token = (request.view_args or {}).get("token")
    subject = email or (f"token:{token}" if token else f"ip:{get_remote_address()}")
    return f"{request.endpoint}:{subject}"


def _address_key() -> str:
    return f"attempts:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code >= 400 or request.endpoint == "accounts.request_reset" and request.method == "POST"


def attempt_limits(methods: tuple[str, ...] = ("POST",)):
    """Apply the per-account and per-address failure limits to a view's `methods`."""
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
        deduct_when=_failed, methods=list(methods),
    )
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_address_key,
        deduct_when=_failed, methods=list(methods),
    )

    def decorate(view):
        return per_address(per_account(view))

    return decorate
