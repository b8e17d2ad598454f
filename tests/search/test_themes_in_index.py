"""Each search document carries its post's themes (migration 0026), kept by triggers: a search
within a theme reads them instead of the post's themes, so they must follow every change."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, insert, text

from forum.cases.models import Post, Status, post_themes
from forum.extensions import db
from forum.knowledge.similar import similar


def found(page) -> set[tuple[int, int | None]]:
    return {(result.post_id, result.reply_id) for result in page.results}


def set_themes(app, post_id: int, theme_ids: list[int]) -> None:
    """Rows removed and added one by one, as the ORM writes a changed collection."""
    with app.app_context():
        db.session.execute(delete(post_themes).where(post_themes.c.post_id == post_id))
        for theme_id in theme_ids:
            db.session.execute(insert(post_themes).values(post_id=post_id, theme_id=theme_id))
        db.session.commit()


def test_a_theme_given_or_taken_later_moves_the_post_and_its_replies(app, make_theme, make_post, make_reply, find):
    housing, debt = make_theme("Housing"), make_theme("Debt")
    post = make_post("Tenancy letter", themes=[debt])
    reply = make_reply(post, "The tenancy ended well.")

    assert found(find("tenancy", theme_ids=[housing])) == set()
    set_themes(app, post, [debt, housing])
    assert found(find("tenancy", theme_ids=[housing])) == {(post, None), (post, reply)}
    later = make_reply(post, "Another tenancy question.")
    assert found(find("tenancy", theme_ids=[housing])) == {(post, None), (post, reply), (post, later)}

    set_themes(app, post, [housing])
    assert found(find("tenancy", theme_ids=[debt])) == set()
    set_themes(app, post, [])
    assert found(find("tenancy", theme_ids=[housing])) == set()
    assert found(find("tenancy")) == {(post, None), (post, reply), (post, later)}


def test_a_post_published_or_restored_later_comes_back_with_its_themes(app, make_theme, make_post, make_reply,
                                                                        find, update):
    housing = make_theme("Housing")
    draft = make_post("Lantern draft", status="draft", themes=[housing])
    shown = make_post("Lantern shown", themes=[housing])
    reply = make_reply(shown, "A lantern reply.")

    update(Post, draft, status=Status.PUBLISHED)
    update(Post, shown, status=Status.HIDDEN)
    assert found(find("lantern", theme_ids=[housing])) == {(draft, None)}
    update(Post, shown, status=Status.PUBLISHED)
    assert found(find("lantern", theme_ids=[housing])) == {(draft, None), (shown, None), (shown, reply)}


def test_a_word_that_looks_like_a_theme_token_finds_only_text(app, make_theme, make_post, find, reader):
    housing = make_theme("Housing 0")
    while housing < 10:  # similar cases skip words shorter than three letters: "t10" is a word
        housing = make_theme(f"Housing {housing}")
    make_post("Nothing to see", situation="Plain words.", themes=[housing])
    written = make_post(f"About t{housing}", situation="A reference code.")

    assert found(find(f"t{housing}")) == {(written, None)}
    assert found(find(f"t{housing}", theme_ids=[housing])) == set()
    with app.app_context():
        from forum.accounts.models import User

        person = db.session.get(User, reader.id)
        assert [result.id for result in similar(person, f"t{housing} t{housing}", [], "")] == [written]


def _document_themes() -> list[tuple]:
    if db.engine.dialect.name == "sqlite":
        query = "SELECT post_id, reply_id, themes FROM search_documents ORDER BY post_id, reply_id"
    else:
        query = "SELECT post_id, reply_id, theme_ids FROM search_documents ORDER BY post_id, reply_id NULLS FIRST"
    return [tuple(row) for row in db.session.execute(text(query))]


def test_the_migration_gives_existing_documents_their_themes_and_its_downgrade_takes_them_away(
        app, make_theme, make_post, make_reply, find):
    housing, debt = make_theme("Housing"), make_theme("Debt")
    post = make_post("Harbour before", themes=[housing, debt])
    reply = make_reply(post, "A harbour reply.")
    other = make_post("Harbour elsewhere")
    with app.app_context():
        before = _document_themes()
        db.session.remove()
        downgrade(revision="0025")
        try:
            columns = {row[1] for row in db.session.execute(text("PRAGMA table_info(search_documents)"))} \
                if db.engine.dialect.name == "sqlite" else set(db.session.execute(text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'search_documents'")).scalars())
            assert "themes" not in columns and "theme_ids" not in columns
            assert db.session.execute(text("SELECT count(*) FROM search_documents")).scalar() == 3
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        assert _document_themes() == before
    assert found(find("harbour", theme_ids=[debt])) == {(post, None), (post, reply)}
    assert found(find("harbour")) == {(post, None), (post, reply), (other, None)}
