"""Two-factor sign-in, required before a manager's or admin's privileges count.

Every view declares who it is for (`forum.web.public`, `member`, `manager`). Until a
manager or admin has set two-factor sign-in up, every `manager` page answers 302 to the
set-up page (which returns them afterwards): `register(app)` adds `setup_redirect` to the
one access check in `forum.web`. Privileges that depend on the object (someone else's
post, edit history, an author's name) are the policies' answer (`policy.acts_as_manager`);
where the answer is no, `refuse()` sends such a person to set up instead of a plain 403.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from forum.accounts import policy


def setup_redirect():
    """A redirect to the set-up page when the signed-in person still needs it, else None."""
    if not current_user.is_authenticated or not policy.needs_two_factor_setup(current_user):
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("security.two_factor_setup", next=back))


def refuse(status: int = 403):
    """Refuse the signed-in person; a manager or admin without two-factor is sent to set it up,
    since it may be what stands between them and this page."""
    abort(setup_redirect() or status)
