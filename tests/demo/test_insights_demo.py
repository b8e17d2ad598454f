"""The demo's two years of history give every section of insights something to show, once."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.cases.models import Post
from forum.extensions import db
from forum.insights import filters, services
from forum.timeutil import utcnow


def test_every_insights_section_shows_figures_from_the_demo(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        posts = db.session.scalar(select(func.count()).select_from(Post))
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        org, themes = filters.organisation(), filters.themes()
        chosen = filters.build(admin, org, themes, period="12", since=None, until=None, team="", theme="",
                               today=utcnow().date(), now=utcnow())
        for section in services.sections(chosen, org, themes):
            shown = [cell for table in section.tables for row in table.rows if row.kind != "pulse"
                     for cell in [*row.cells, row.total] if cell is not None and not cell.hidden]
            assert shown, section.key
        assert len(org.selectable) == 2  # both demo teams can be chosen
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == posts
