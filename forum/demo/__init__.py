"""The fictional demo organisation that `flask seed-demo` fills in, one file per module it fills."""

from __future__ import annotations

from flask import Flask

from forum.demo.accounts import DEMO_PASSWORD, advisers, seed_people
from forum.demo.cases import seed_posts
from forum.demo.insights import seed_history
from forum.demo.learning import seed_learning
from forum.demo.knowledge import seed_knowledge
from forum.demo.meetings import seed_circles
from forum.demo.moderation import seed_flags
from forum.demo.outcomes import seed_outcomes
from forum.demo.themes import seed_themes

__all__ = ["DEMO_PASSWORD", "register", "seed"]


def seed() -> list[tuple[str, str, str]]:
    """Two teams, eleven people, twenty themes, about forty cases and stories with replies and
    outcome updates, three circles with their meetings, a flag in the review queue, two years of history
    for insights (`insights.py`), and a learning record (reflections and a goal) for the first adviser.

    Idempotent: running it again finds what is there and adds only what is missing. Returns
    (email, role, team) for every demo sign-in.
    """
    sign_ins = seed_people()
    seed_themes()
    people = advisers()
    seed_posts(people)
    seed_outcomes(people)
    seed_circles(people)
    seed_flags(people)
    seed_history(people)
    seed_learning(people)
    seed_knowledge(people)
    return sign_ins


def register(app: Flask) -> None:
    # Imported when the app is built: the command imports this package's seed().
    from forum.demo import commands

    app.cli.add_command(commands.seed_demo)
