"""search: each document carries its post's themes, so a search within a theme is answered by the index

Revision ID: 0026
Revises: 0025

A search within a theme walked the words' matches newest first and, for each, looked up the
post's themes: to find the 2,001 newest matches in a theme that holds about 40% of them, it read
5,326 (at full scale, 35 ms of a 48 ms statement on SQLite). With the themes in the index, the
walk reads only matches in the theme, as cheap as a search without one.

- SQLite: the FTS5 table gets a `themes` column, "t<theme id>" per theme of the post (a reply's
  document carries its post's themes). FTS5 tables cannot take a new column, so the table is
  made again and refilled. Searches match words in `{title body}` only, so a word typed by a
  person never matches a theme token.
- PostgreSQL: a `theme_ids integer[]` column, tested beside `@@` on each row of the walk.

Triggers keep them: a document is written with its post's themes, and adding or removing a
theme of a post rewrites the themes of the post's documents (the post's and its replies').
"""
import importlib.util
from pathlib import Path

from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def _migration(file_name: str):
    path = Path(__file__).with_name(file_name)
    spec = importlib.util.spec_from_file_location(file_name.removesuffix(".py"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0003 = _migration("0003_search.py")
_0021 = _migration("0021_search_newest_first.py")
post_key, reply_key, POST_COLUMNS = _0021.post_key, _0021.reply_key, _0021.POST_COLUMNS
_POST_BODY = _0003._post_body


# SQLite ---------------------------------------------------------------------------------------

def sqlite_themes(post_id: str) -> str:
    """A post's themes as index tokens: "t3 t12"."""
    return f"coalesce((SELECT group_concat('t' || theme_id, ' ') FROM post_themes WHERE post_id = {post_id}), '')"


SQLITE_TABLE = """CREATE VIRTUAL TABLE search_documents USING fts5(
    title, body, themes, doc_type UNINDEXED, post_id UNINDEXED, reply_id UNINDEXED,
    tokenize = 'porter unicode61')"""

_COLUMNS = "(rowid, title, body, themes, doc_type, post_id, reply_id)"

INSERT_POST = f"""
    INSERT INTO search_documents {_COLUMNS}
    SELECT {post_key('NEW')}, NEW.title, {_POST_BODY('NEW')}, {sqlite_themes('NEW.id')}, 'post', NEW.id, NULL
    WHERE NEW.status = 'published';"""

INSERT_REPLIES_OF_NEW = f"""
    INSERT INTO search_documents {_COLUMNS}
    SELECT {reply_key('replies')}, '', replies.body_md, {sqlite_themes('NEW.id')}, 'reply', replies.post_id, replies.id
    FROM replies WHERE replies.post_id = NEW.id AND replies.status = 'published' AND NEW.status = 'published';"""

INSERT_REPLY = f"""
    INSERT INTO search_documents {_COLUMNS}
    SELECT {reply_key('NEW')}, '', NEW.body_md, {sqlite_themes('NEW.post_id')}, 'reply', NEW.post_id, NEW.id
    FROM posts WHERE posts.id = NEW.post_id AND posts.status = 'published' AND NEW.status = 'published';"""


def _retheme(row: str) -> str:
    # By key: post_id is not indexed in FTS5, so a WHERE on it would read every document.
    return f"""
    UPDATE search_documents SET themes = {sqlite_themes(f'{row}.post_id')}
    WHERE rowid IN (SELECT {post_key('posts')} FROM posts WHERE posts.id = {row}.post_id
                    UNION ALL SELECT {reply_key('replies')} FROM replies WHERE replies.post_id = {row}.post_id);"""


def _with_themes(trigger: str) -> str:
    for old, new in ((_0021.INSERT_REPLIES_OF_NEW, INSERT_REPLIES_OF_NEW), (_0021.INSERT_POST, INSERT_POST),
                     (_0021.INSERT_REPLY, INSERT_REPLY)):
        trigger = trigger.replace(old, new)
    return trigger


#: The triggers of migration 0021 writing the themes too, and two on post_themes (the bench loader reuses these).
SQLITE_TRIGGERS = [
    *(_with_themes(trigger) for trigger in _0021.SQLITE_TRIGGERS),
    f"""CREATE TRIGGER search_themes_insert AFTER INSERT ON post_themes BEGIN {_retheme('NEW')} END""",
    f"""CREATE TRIGGER search_themes_delete AFTER DELETE ON post_themes BEGIN {_retheme('OLD')} END""",
]
SQLITE_TRIGGER_NAMES = _0021.SQLITE_TRIGGER_NAMES + ("search_themes_insert", "search_themes_delete")

#: Every published post and reply, in key order (as FTS5 likes).
SQLITE_BACKFILL = [
    f"""INSERT INTO search_documents {_COLUMNS}
        SELECT {post_key('posts')}, title, {_POST_BODY('posts')}, {sqlite_themes('posts.id')}, 'post', id, NULL
        FROM posts WHERE status = 'published' ORDER BY 1""",
    f"""INSERT INTO search_documents {_COLUMNS}
       SELECT {reply_key('replies')}, '', replies.body_md, {sqlite_themes('replies.post_id')}, 'reply', replies.post_id, replies.id
       FROM replies JOIN posts ON posts.id = replies.post_id
       WHERE replies.status = 'published' AND posts.status = 'published' ORDER BY 1""",
]


def _remake_sqlite(table: str, triggers: list[str], backfill: list[str], dropped: tuple[str, ...]) -> None:
    for name in dropped:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_documents")  # takes FTS5's shadow tables with it
    for statement in [table, *backfill, *triggers]:
        op.execute(statement)


# PostgreSQL -----------------------------------------------------------------------------------

def pg_themes(post_id: str) -> str:
    return f"(SELECT coalesce(array_agg(theme_id ORDER BY theme_id), '{{}}') FROM post_themes WHERE post_id = {post_id})"


PG_POST_BODY = _0003.PG_POST_BODY

PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION search_index_post() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM search_documents WHERE id = 2 * OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
                INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at, theme_ids)
                VALUES (2 * NEW.id, 'post', NEW.id, NULL, NEW.title, {PG_POST_BODY},
                        coalesce(NEW.published_at, NEW.created_at), {pg_themes('NEW.id')});
            END IF;
            -- A post's replies are findable only while the post is: they leave and come back with it.
            IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.status = 'published') <> (NEW.status = 'published')) THEN
                DELETE FROM search_documents WHERE id IN (SELECT 2 * id + 1 FROM replies WHERE post_id = OLD.id);
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.status <> 'published' AND NEW.status = 'published' THEN
                INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at, theme_ids)
                SELECT 2 * id + 1, 'reply', post_id, id, '', body_md, created_at, {pg_themes('NEW.id')}
                FROM replies WHERE post_id = NEW.id AND status = 'published';
            END IF;
            RETURN NULL;
        END $$""",
    f"""CREATE OR REPLACE FUNCTION search_index_reply() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP <> 'INSERT' THEN
               DELETE FROM search_documents WHERE id = 2 * OLD.id + 1;
           END IF;
           IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
               INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at, theme_ids)
               SELECT 2 * NEW.id + 1, 'reply', NEW.post_id, NEW.id, '', NEW.body_md, NEW.created_at, {pg_themes('NEW.post_id')}
               FROM posts WHERE posts.id = NEW.post_id AND posts.status = 'published';
           END IF;
           RETURN NULL;
       END $$""",
]

PG_THEMES_TRIGGER = [
    f"""CREATE FUNCTION search_index_themes() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.post_id ELSE NEW.post_id END;
        BEGIN
            UPDATE search_documents SET theme_ids = {pg_themes('changed')}
            WHERE id = 2 * changed OR id IN (SELECT 2 * id + 1 FROM replies WHERE post_id = changed);
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER search_index_themes AFTER INSERT OR DELETE ON post_themes
       FOR EACH ROW EXECUTE FUNCTION search_index_themes()""",
]

#: As migration 0003's backfill, with the themes (the bench loader reuses these).
PG_BACKFILL = [
    f"""INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at, theme_ids)
        SELECT 2 * id, 'post', id, NULL, title, {PG_POST_BODY.replace('NEW.', 'posts.')},
               coalesce(published_at, created_at), {pg_themes('posts.id')}
        FROM posts WHERE status = 'published'""",
    f"""INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at, theme_ids)
       SELECT 2 * replies.id + 1, 'reply', replies.post_id, replies.id, '', replies.body_md, replies.created_at,
              {pg_themes('replies.post_id')}
       FROM replies JOIN posts ON posts.id = replies.post_id
       WHERE replies.status = 'published' AND posts.status = 'published'""",
]

PG_UPGRADE = _0003.PG_UPGRADE  # the GIN index's statement, for the bench loader


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _remake_sqlite(SQLITE_TABLE, SQLITE_TRIGGERS, SQLITE_BACKFILL, _0021.SQLITE_TRIGGER_NAMES)
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN theme_ids integer[] NOT NULL DEFAULT '{}'")
    op.execute("""UPDATE search_documents SET theme_ids = themes.ids
                  FROM (SELECT post_id, array_agg(theme_id ORDER BY theme_id) AS ids FROM post_themes GROUP BY post_id) AS themes
                  WHERE search_documents.post_id = themes.post_id""")
    for statement in PG_FUNCTIONS + PG_THEMES_TRIGGER:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _remake_sqlite(_0003.SQLITE_UPGRADE[0], _0021.SQLITE_TRIGGERS, _0021.SQLITE_BACKFILL, SQLITE_TRIGGER_NAMES)
        return
    op.execute("DROP TRIGGER search_index_themes ON post_themes")
    op.execute("DROP FUNCTION search_index_themes()")
    for statement in _0003.PG_UPGRADE:  # the functions as they were
        if statement.startswith("CREATE FUNCTION"):
            op.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.execute("ALTER TABLE search_documents DROP COLUMN theme_ids")
