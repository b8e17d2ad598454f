"""Who may see and retry the mail that could not be delivered: admins (it names recipients)."""

from __future__ import annotations

from forum.accounts.models import Role


def may_see_undelivered_mail(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN
