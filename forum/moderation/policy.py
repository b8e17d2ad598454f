"""Who may flag, moderate, suspend and read the audit log: the only place these answers live."""

from __future__ import annotations

from forum.accounts.models import User


def may_moderate(user: User) -> bool:
    """The review queue, its actions, suspensions and the audit log: managers and admins."""
    return user.is_manager


def may_see_flag_history(user: User) -> bool:
    """Who flagged what, and what counts against someone's urgent flags: managers and admins,
    never peers (nor the person, who is not told)."""
    return user.is_manager


def may_change_site_settings(user: User) -> bool:
    return user.is_admin


def may_suspend(actor: User, person: User) -> bool:
    """Managers suspend advisers and managers; only admins suspend admins; nobody themselves."""
    if not actor.is_manager or actor.id == person.id:
        return False
    return actor.is_admin or not person.is_admin


def may_require_approval(actor: User, person: User) -> bool:
    return actor.is_manager and actor.id != person.id


def may_flag(user: User, author_id: int) -> bool:
    """Anyone who can see an item may flag it, except its author (who can edit or delete it)."""
    return user.id != author_id


def may_see_moderation_notes(viewer: User, author_id: int) -> bool:
    """What was done to a post and why: its author, and the people who moderate."""
    return viewer.id == author_id or viewer.is_manager
