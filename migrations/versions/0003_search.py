"""search: full-text index of published posts and replies, kept by triggers

Revision ID: 0003
Revises: 0002

One document per published post (title + its Markdown parts) and per published reply of a
published post. Database triggers keep the index current in the same transaction as every
write, edit, hide and delete, so no content module needs to know search exists.

Each document's key is derived from its source row, so a trigger can find it at once:
2 * post id for a post, 2 * reply id + 1 for a reply.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

#: The post columns a document is built from; other updates (counters, last activity) skip the triggers.
POST_COLUMNS = "title, situation_md, tried_md, ask_md, what_worked_md, outcome_text_md, outcome_update_md, status, published_at"


def _post_body(row: str) -> str:
    parts = ("situation_md", "tried_md", "ask_md", "what_worked_md", "outcome_text_md", "outcome_update_md")
    return " || char(10) || ".join(f"{row}.{part}" for part in parts)


# SQLite: an FTS5 table that stores its own copy of the text. (An external-content table would
# need the exact old text on every delete, and a post's body is a concatenation of six fields.)
SQLITE_INSERT_POST = f"""
    INSERT INTO search_documents (rowid, title, body, doc_type, post_id, reply_id)
    SELECT 2 * NEW.id, NEW.title, {_post_body('NEW')}, 'post', NEW.id, NULL
    WHERE NEW.status = 'published';"""

SQLITE_INSERT_REPLIES_OF_NEW = """
    INSERT INTO search_documents (rowid, title, body, doc_type, post_id, reply_id)
    SELECT 2 * replies.id + 1, '', replies.body_md, 'reply', replies.post_id, replies.id
    FROM replies WHERE replies.post_id = NEW.id AND replies.status = 'published' AND NEW.status = 'published';"""

SQLITE_INSERT_REPLY = """
    INSERT INTO search_documents (rowid, title, body, doc_type, post_id, reply_id)
    SELECT 2 * NEW.id + 1, '', NEW.body_md, 'reply', NEW.post_id, NEW.id
    FROM posts WHERE posts.id = NEW.post_id AND posts.status = 'published' AND NEW.status = 'published';"""

SQLITE_DELETE_REPLIES_OF_OLD = """
    DELETE FROM search_documents WHERE rowid IN (SELECT 2 * id + 1 FROM replies WHERE post_id = OLD.id);"""

SQLITE_UPGRADE = [
    """CREATE VIRTUAL TABLE search_documents USING fts5(
           title, body, doc_type UNINDEXED, post_id UNINDEXED, reply_id UNINDEXED,
           tokenize = 'porter unicode61')""",
    f"""CREATE TRIGGER search_post_insert AFTER INSERT ON posts BEGIN {SQLITE_INSERT_POST} END""",
    f"""CREATE TRIGGER search_post_update AFTER UPDATE OF {POST_COLUMNS} ON posts BEGIN
            DELETE FROM search_documents WHERE rowid = 2 * OLD.id; {SQLITE_INSERT_POST} END""",
    # A post's replies are findable only while the post is: they leave and come back with it.
    f"""CREATE TRIGGER search_post_status AFTER UPDATE OF status ON posts
        WHEN (OLD.status = 'published') <> (NEW.status = 'published') BEGIN
            {SQLITE_DELETE_REPLIES_OF_OLD} {SQLITE_INSERT_REPLIES_OF_NEW} END""",
    f"""CREATE TRIGGER search_post_delete AFTER DELETE ON posts BEGIN
            DELETE FROM search_documents WHERE rowid = 2 * OLD.id; {SQLITE_DELETE_REPLIES_OF_OLD} END""",
    f"""CREATE TRIGGER search_reply_insert AFTER INSERT ON replies BEGIN {SQLITE_INSERT_REPLY} END""",
    f"""CREATE TRIGGER search_reply_update AFTER UPDATE OF body_md, status, post_id ON replies BEGIN
            DELETE FROM search_documents WHERE rowid = 2 * OLD.id + 1; {SQLITE_INSERT_REPLY} END""",
    """CREATE TRIGGER search_reply_delete AFTER DELETE ON replies BEGIN
           DELETE FROM search_documents WHERE rowid = 2 * OLD.id + 1; END""",
]

SQLITE_DOWNGRADE = [
    *(f"DROP TRIGGER {name}" for name in ("search_post_insert", "search_post_update", "search_post_status",
                                          "search_post_delete", "search_reply_insert", "search_reply_update",
                                          "search_reply_delete")),
    "DROP TABLE search_documents",  # takes FTS5's shadow tables with it
]


# PostgreSQL: a plain table; the tsvector is a generated column (title weighted A, body B).
PG_POST_BODY = "concat_ws(E'\\n', NEW.situation_md, NEW.tried_md, NEW.ask_md, NEW.what_worked_md, NEW.outcome_text_md, NEW.outcome_update_md)"

PG_UPGRADE = [
    """CREATE TABLE search_documents (
           id bigint PRIMARY KEY,
           doc_type varchar(8) NOT NULL,
           post_id integer NOT NULL,
           reply_id integer,
           title text NOT NULL,
           body text NOT NULL,
           tsv tsvector GENERATED ALWAYS AS (
               setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
           ) STORED,
           created_at timestamptz NOT NULL
       )""",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
    f"""CREATE FUNCTION search_index_post() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM search_documents WHERE id = 2 * OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
                INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at)
                VALUES (2 * NEW.id, 'post', NEW.id, NULL, NEW.title, {PG_POST_BODY},
                        coalesce(NEW.published_at, NEW.created_at));
            END IF;
            -- A post's replies are findable only while the post is: they leave and come back with it.
            IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.status = 'published') <> (NEW.status = 'published')) THEN
                DELETE FROM search_documents WHERE id IN (SELECT 2 * id + 1 FROM replies WHERE post_id = OLD.id);
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.status <> 'published' AND NEW.status = 'published' THEN
                INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at)
                SELECT 2 * id + 1, 'reply', post_id, id, '', body_md, created_at
                FROM replies WHERE post_id = NEW.id AND status = 'published';
            END IF;
            RETURN NULL;
        END $$""",
    f"""CREATE TRIGGER search_index_post AFTER INSERT OR DELETE OR UPDATE OF {POST_COLUMNS}, created_at
        ON posts FOR EACH ROW EXECUTE FUNCTION search_index_post()""",
    """CREATE FUNCTION search_index_reply() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP <> 'INSERT' THEN
               DELETE FROM search_documents WHERE id = 2 * OLD.id + 1;
           END IF;
           IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
               INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at)
               SELECT 2 * NEW.id + 1, 'reply', NEW.post_id, NEW.id, '', NEW.body_md, NEW.created_at
               FROM posts WHERE posts.id = NEW.post_id AND posts.status = 'published';
           END IF;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER search_index_reply AFTER INSERT OR DELETE OR UPDATE OF body_md, status, post_id, created_at
       ON replies FOR EACH ROW EXECUTE FUNCTION search_index_reply()""",
]

PG_DOWNGRADE = [
    "DROP TRIGGER search_index_reply ON replies",
    "DROP TRIGGER search_index_post ON posts",
    "DROP FUNCTION search_index_reply()",
    "DROP FUNCTION search_index_post()",
    "DROP TABLE search_documents",
]

# Index what was already published before this migration.
SQLITE_BACKFILL = [
    f"""INSERT INTO search_documents (rowid, title, body, doc_type, post_id, reply_id)
        SELECT 2 * id, title, {_post_body('posts')}, 'post', id, NULL FROM posts WHERE status = 'published'""",
    """INSERT INTO search_documents (rowid, title, body, doc_type, post_id, reply_id)
       SELECT 2 * replies.id + 1, '', replies.body_md, 'reply', replies.post_id, replies.id
       FROM replies JOIN posts ON posts.id = replies.post_id
       WHERE replies.status = 'published' AND posts.status = 'published'""",
]

PG_BACKFILL = [
    f"""INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at)
        SELECT 2 * id, 'post', id, NULL, title, {PG_POST_BODY.replace('NEW.', 'posts.')},
               coalesce(published_at, created_at)
        FROM posts WHERE status = 'published'""",
    """INSERT INTO search_documents (id, doc_type, post_id, reply_id, title, body, created_at)
       SELECT 2 * replies.id + 1, 'reply', replies.post_id, replies.id, '', replies.body_md, replies.created_at
       FROM replies JOIN posts ON posts.id = replies.post_id
       WHERE replies.status = 'published' AND posts.status = 'published'""",
]


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in (SQLITE_UPGRADE + SQLITE_BACKFILL) if sqlite else (PG_UPGRADE + PG_BACKFILL):
        op.execute(statement)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else PG_DOWNGRADE:
        op.execute(statement)
