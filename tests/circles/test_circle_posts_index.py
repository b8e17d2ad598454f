"""A circle's page reads its newest posts through an index on the circle (migration 0024),
not by walking every post in the forum from the newest."""

from __future__ import annotations

from sqlalchemy import event, inspect

from forum.accounts.models import User
from forum.cases import services
from forum.extensions import db


def test_a_circles_posts_are_read_through_the_circle_index(app, make_user, make_circle, make_post):
    member = make_user(name="Circle.Member")
    circle = make_circle("Index circle", facilitator=member)
    for number in range(3):
        make_post(f"Circle case {number}", author=member, circle_id=circle)
    statements = []
    with app.test_request_context("/"):
        listen = lambda conn, cursor, statement, parameters, context, many: statements.append((statement, parameters))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            found = services.circle_posts(db.session.get(User, member.id), circle)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert [card.title for card in found] == ["Circle case 2", "Circle case 1", "Circle case 0"]
        indexes = {index["name"]: index["column_names"] for index in inspect(db.engine).get_indexes("posts")}
        assert indexes["ix_posts_circle_status_last_activity"] == ["circle_id", "status", "last_activity_at", "id"]
        if db.engine.dialect.name == "sqlite":
            statement, parameters = next(pair for pair in statements if "posts.circle_id" in pair[0])
            plan = " ".join(row[3] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_posts_circle_status_last_activity" in plan, plan
