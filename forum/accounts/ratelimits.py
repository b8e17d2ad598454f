"""Limits on guessing: sign-in, two-factor codes, password reset and invitation links.

Only failures count, but once a limit is reached every attempt gets 429, even one with
the right password, until the window moves on (a minute).
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.accounts.signin import pending_user_id
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


def _code_account_key() -> str:
    """The account whose code is being tried: the one waiting at sign-in, or the signed-in one."""
    user_id = pending_user_id()
    if user_id is None and current_user.is_authenticated:
        user_id = current_user.id
    return f"codes:user:{user_id}" if user_id is not None else f"codes:ip:{get_remote_address()}"


def code_limits():
    """The sign-in limits, for two-factor codes and password confirmations (SECURITY item 3).

    Counted per account and per address across every page that takes a code or a
    password from someone already known, so moving between those pages gains nothing.
    """
    per_account = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope="code-entry",
        key_func=_code_account_key, deduct_when=_failed, methods=["POST"],
    )
    per_address = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], scope="code-entry-address",
        key_func=_address_key, deduct_when=_failed, methods=["POST"],
    )

    def decorate(view):
        return per_address(per_account(view))

    return decorate
