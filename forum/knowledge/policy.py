"""Who may see and do what with helpers' offers and the welcome path."""

from __future__ import annotations

from datetime import timedelta

from forum.accounts.models import User
from forum.timeutil import utcnow

#: The welcome path is shown for this long after a person joined (accepted their invitation).
WELCOME_DAYS = 30


def may_see_offer(viewer: User, owner_id: int, on_profile: bool) -> bool:
    """An offer to help shows on a profile only if its owner chose so (they always see their own)."""
    return on_profile or viewer.id == owner_id


def welcome_since(now=None):
    """Invitations accepted after this moment make a person new (the welcome path)."""
    return (now or utcnow()) - timedelta(days=WELCOME_DAYS)
