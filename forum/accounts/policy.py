"""Who may do what with accounts and invitations: the only place these answers live."""

from __future__ import annotations

from sqlalchemy import Select

from forum.accounts import two_factor
from forum.accounts.models import Invitation, Role, Team, User


def may_manage_people(user: User) -> bool:
    return user.role == Role.ADMIN


def may_send_invitations(user: User) -> bool:
    """Whether the invitations pages are theirs at all."""
    return user.role == Role.ADMIN or (user.role == Role.MANAGER and user.team_id is not None)


def may_invite(user: User, role: Role, team: Team | None) -> bool:
    """Admins invite anyone anywhere; managers invite advisers to their own team."""
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.MANAGER
        and role == Role.ADVISER
        and team is not None
        and team.id == user.team_id
    )


def invitable_roles(user: User) -> list[Role]:
    return list(Role) if user.role == Role.ADMIN else [Role.ADVISER]


def invitable_teams(user: User, teams: list[Team]) -> list[Team]:
    if user.role == Role.ADMIN:
        return teams
    return [team for team in teams if team.id == user.team_id]


def may_manage_invitation(user: User, invitation: Invitation) -> bool:
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.MANAGER
        and invitation.role == Role.ADVISER
        and invitation.team_id is not None
        and invitation.team_id == user.team_id
    )


def manageable_invitations(user: User, query: Select) -> Select:
    """Scope an invitation query to what this person may see and manage."""
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.MANAGER and user.team_id is not None:
        return query.where(Invitation.role == Role.ADVISER, Invitation.team_id == user.team_id)
    return query.where(Invitation.id.is_(None))


def must_use_two_factor(user: User) -> bool:
    """Managers and admins open the review queue, the audit log and people's accounts:
    a stolen password alone must not be enough (SECURITY.md item 5)."""
    return user.role in (Role.MANAGER, Role.ADMIN)


def needs_two_factor_setup(user: User) -> bool:
    """A manager or admin who has not set two-factor sign-in up yet: until then they have an
    adviser's rights only (SECURITY.md item 5)."""
    return must_use_two_factor(user) and not two_factor.is_enabled(user)


def acts_as_manager(user: User) -> bool:
    """A manager's or admin's rights over other people's things: only with two-factor on."""
    return user.is_manager and not needs_two_factor_setup(user)


def acts_as_admin(user: User) -> bool:
    """An admin's rights over other people's things: only with two-factor on."""
    return user.is_admin and not needs_two_factor_setup(user)


def mentionable(query: Select) -> Select:
    """The people anyone signed in may @mention: every active account (a mention notifies them;
    what they may then read is decided by the post's own visibility)."""
    return query.where(User.is_active.is_(True), User.erased_at.is_(None), User.handle.is_not(None))
