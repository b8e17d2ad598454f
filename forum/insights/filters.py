"""What one insights page is about: its period, team and theme, checked against who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from forum.accounts.models import Team, User
from forum.errors import Invalid, check_all
from forum.extensions import db
from forum.insights import policy
from forum.insights.periods import LONGEST, Period
from forum.insights.suppression import MINIMUM
from forum.themes.models import Theme


@dataclass(frozen=True)
class Organisation:
    """The teams, and which of them are big enough to be chosen for per-team figures."""

    #: id -> name, every team.
    teams: dict[int, str]
    #: Teams with at least MINIMUM active people, in name order.
    selectable: list[int]


@dataclass(frozen=True)
class Filter:
    period: Period
    #: None: the whole organisation.
    team_id: int | None
    team_name: str
    #: None: every theme.
    theme_id: int | None
    theme_name: str
    #: Why the figures are not the team asked for (a team too small), or None.
    notice: str | None
    made_at: datetime


def organisation() -> Organisation:
    """Every team with its number of active people: one grouped query."""
    rows = db.session.execute(
        select(Team.id, Team.name, func.count(User.id))
        .outerjoin(User, (User.team_id == Team.id) & User.is_active & User.erased_at.is_(None))
        .group_by(Team.id, Team.name).order_by(Team.name)).all()
    return Organisation({team_id: name for team_id, name, _ in rows},
                        [team_id for team_id, _, people in rows if people >= MINIMUM])


def themes() -> list[Theme]:
    """The themes one may filter by: every theme that was not merged into another."""
    return list(db.session.scalars(select(Theme).where(Theme.merged_into_id.is_(None)).order_by(Theme.name)))


def build(user: User, org: Organisation, all_themes: list[Theme], *, period: str, since: date | None,
          until: date | None, team: str, theme: str, today: date, now: datetime) -> Filter:
    """The filter asked for, or Invalid naming each field that is wrong (all at once)."""

    def check_period() -> Period:
        if period in ("3", "6", "12"):
            return Period.last(int(period), today)
        if period != "custom":
            raise Invalid("Choose a period from the list", "period")
        if since is None or until is None:
            raise Invalid("Enter both the start and the end of the period", "since" if since is None else "until")
        if until < since:
            raise Invalid("The end of the period must be the same as or after its start", "until")
        chosen = Period.between(since, until)
        if chosen.length > LONGEST:
            raise Invalid(f"Choose a period of at most {LONGEST} months", "until")
        return chosen

    def check_team() -> tuple[int | None, str, str | None]:
        if team in ("", "all"):
            return None, "Whole organisation", None
        team_id = int(team) if team.isdigit() else None
        if team_id not in org.teams or not policy.may_choose_team(user, team_id):
            raise Invalid("Choose a team from the list", "team")
        if team_id not in org.selectable:
            return None, "Whole organisation", (
                f"{org.teams[team_id]} has fewer than {MINIMUM} active people, so its own figures could point to "
                "individuals: these are the whole organisation's figures.")
        return team_id, org.teams[team_id], None

    def check_theme() -> tuple[int | None, str]:
        if theme in ("", "all"):
            return None, "All themes"
        for each in all_themes:
            if each.slug == theme:
                return each.id, each.name
        raise Invalid("Choose a theme from the list", "theme")

    chosen, (team_id, team_name, notice), (theme_id, theme_name) = check_all(check_period, check_team, check_theme)
    return Filter(chosen, team_id, team_name, theme_id, theme_name, notice, now)
