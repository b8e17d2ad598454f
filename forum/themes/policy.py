"""Who may do what with themes: the only place these answers live.

Every signed-in person may read the list of themes and tag posts with active ones;
line managers and admins look after the vocabulary.
"""

from __future__ import annotations

from forum.accounts.models import Role, User


def may_manage_themes(user: User) -> bool:
    """Create, rename, describe, archive, restore and merge themes."""
    return user.role in (Role.MANAGER, Role.ADMIN)
