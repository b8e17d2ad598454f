"""Two-factor sign-in, required where a manager's or admin's account opens sensitive pages.

Until a manager or admin has set two-factor sign-in up, every page guarded here answers
302 to the set-up page (which returns them afterwards). Apply it to one view with
`@two_factor_required`, or to every view of a blueprint with `require_two_factor(bp)`.
Guests are left to the deny-by-default sign-in check, which runs first.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from forum.accounts import policy, two_factor


def _setup_redirect():
    """A redirect to the set-up page when the signed-in person still needs it, else None."""
    if not current_user.is_authenticated or not policy.must_use_two_factor(current_user):
        return None
    if two_factor.is_enabled(current_user):
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("security.two_factor_setup", next=back))


def two_factor_required(view):
    """Send managers and admins without two-factor sign-in to set it up before this view."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return _setup_redirect() or view(*args, **kwargs)

    return guarded


def require_two_factor(blueprint: Blueprint) -> Blueprint:
    """Guard every view of `blueprint` (e.g. moderation) as `@two_factor_required` does."""
    blueprint.before_request(_setup_redirect)
    return blueprint
