"""Demo teams and people for `seed-demo`: two teams and eleven obviously fictional people
who all sign in with `DEMO_PASSWORD`. A person already there by email is left alone."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts import passwords
from forum.accounts.models import Role, Team, User
from forum.accounts.services import display_name_key, new_handle
from forum.extensions import db

DEMO_PASSWORD = "demo forum password 2026"

TEAMS = ("Northgate Employment Support", "Riverside Employment Support")

#: (display name, email, role, team index or None): obviously fictional people.
PEOPLE = (
    ("Ada.Admin", "admin@example.org", Role.ADMIN, None),
    ("Morgan.Manager", "morgan.manager@example.org", Role.MANAGER, 0),
    ("Riley.Manager", "riley.manager@example.org", Role.MANAGER, 1),
    ("Alex.Adviser", "alex.adviser@example.org", Role.ADVISER, 0),
    ("Bailey.Adviser", "bailey.adviser@example.org", Role.ADVISER, 0),
    ("Casey.Adviser", "casey.adviser@example.org", Role.ADVISER, 0),
    ("Devon.Adviser", "devon.adviser@example.org", Role.ADVISER, 0),
    ("Emery.Adviser", "emery.adviser@example.org", Role.ADVISER, 1),
    ("Finley.Adviser", "finley.adviser@example.org", Role.ADVISER, 1),
    ("Harper.Adviser", "harper.adviser@example.org", Role.ADVISER, 1),
    ("Jordan.Adviser", "jordan.adviser@example.org", Role.ADVISER, 1),
    # A name with a space and an accent: handle @sian.evans (type "@si" in a reply).
    ("Siân Evans", "sian.evans@example.org", Role.MANAGER, 1),
)


def _team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
        db.session.flush()
    return team


def seed_people() -> list[tuple[str, str, str]]:
    """Create the teams and people that are missing; return (email, role, team) for every demo sign-in."""
    teams = [_team(name) for name in TEAMS]
    password_hash = None
    sign_ins = []
    for name, email, role, team_index in PEOPLE:
        team = teams[team_index] if team_index is not None else None
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            password_hash = password_hash or passwords.hash_password(DEMO_PASSWORD)
            db.session.add(User(email=email, display_name=name, display_name_key=display_name_key(name),
                                handle=new_handle(name), password_hash=password_hash, role=role, team=team))
            db.session.flush()  # the next person's handle sees this one
        sign_ins.append((email, role.label, team.name if team else "(no team)"))
    db.session.flush()
    return sign_ins


def advisers() -> list[User]:
    """The demo advisers in the order they were created: the other demo files index into this list."""
    return list(db.session.scalars(
        select(User).where(User.email.in_([email for _n, email, role, _t in PEOPLE if role == Role.ADVISER]))
        .order_by(User.id)))
