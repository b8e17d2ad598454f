"""The active themes are kept per process (forum.themes.cache): a page after the first reads
only the version, and a change through another process (another server) shows on its next page."""

from __future__ import annotations

from sqlalchemy import update

from forum import create_app
from forum.extensions import db
from forum.themes.models import Theme
from tests.conftest import BASE_CONFIG, client_for


def themes_statements(statements) -> list[str]:
    return [statement for statement in statements if "FROM themes" in statement and "post_themes" not in statement]


def test_the_second_page_reads_only_the_version(app, adviser, make_theme, count_queries):
    make_theme("Housing")
    client = client_for(app, adviser)
    client.get("/themes")
    with count_queries() as again:
        assert "Housing" in client.get("/themes").get_data(as_text=True)
    assert themes_statements(again) == []
    assert sum("site_settings" in statement for statement in again) == 1


def test_a_change_through_another_server_shows_on_the_next_page(app, database_url, adviser, make_theme):
    theme_id = make_theme("Housing")
    client = client_for(app, adviser)
    assert "Housing" in client.get("/themes").get_data(as_text=True)  # kept by this process
    other = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with other.app_context():  # the other server renames it, through the ORM or a bulk statement
        db.session.get(Theme, theme_id).name = "Homes"
        db.session.commit()
    assert "Homes" in client.get("/themes").get_data(as_text=True)
    with other.app_context():
        db.session.execute(update(Theme).where(Theme.id == theme_id).values(name="Dwellings"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    page = client.get("/themes").get_data(as_text=True)
    assert "Dwellings" in page and "Homes" not in page


def test_a_change_rolled_back_leaves_the_version(app, adviser, make_theme):
    make_theme("Housing")
    client = client_for(app, adviser)
    client.get("/themes")
    with app.app_context():
        db.session.add(Theme(name="Rolled back", slug="rolled-back"))
        db.session.flush()
        db.session.rollback()
    assert "Rolled back" not in client.get("/themes").get_data(as_text=True)
