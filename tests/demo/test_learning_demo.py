"""The demo adviser has a learning record on `make run`: reflections and a goal, once."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.extensions import db
from forum.learning.models import Goal, Reflection
from tests.conftest import client_for
from tests.factories import Person


def test_the_demo_adviser_has_reflections_and_a_goal(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # twice adds nothing
    with app.app_context():
        alex = db.session.scalar(select(User).where(User.email == "alex.adviser@example.org"))
        assert db.session.scalar(select(func.count(Reflection.id)).where(Reflection.author_id == alex.id)) == 2
        assert db.session.scalar(select(func.count(Goal.id)).where(Goal.owner_id == alex.id)) == 1
        person = Person(alex.id, alex.email, alex.display_name, password="demo forum password 2026")
    page = client_for(app, person).get("/learning").get_data(as_text=True)
    assert "Get better at helping people talk about money worries" in page and "Letting the presenter finish" in page
