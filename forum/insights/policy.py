"""Who may see insights, and which teams each person may choose: the only place these answers live."""

from __future__ import annotations

from forum.accounts.models import Role, User


def may_see_insights(user: User) -> bool:
    """Managers and admins (their pages ask for two-factor first). Advisers, a circle's
    facilitators included, may not: their circles' figures are on the circle's page."""
    return user.role in (Role.MANAGER, Role.ADMIN)


def may_choose_team(user: User, team_id: int | None) -> bool:
    """Admins any team; managers their own team (and, like everyone here, the whole organisation)."""
    if team_id is None:
        return may_see_insights(user)
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and user.team_id == team_id


def choosable_teams(user: User, teams: dict[int, str]) -> list[tuple[int, str]]:
    return [(team_id, name) for team_id, name in teams.items() if may_choose_team(user, team_id)]
