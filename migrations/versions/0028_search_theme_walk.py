"""search (PostgreSQL): the date index holds each document's themes, so a walk within a theme reads only its documents

Revision ID: 0028
Revises: 0027

A search within a theme walks `ix_search_documents_created` newest first. It fetched every
document to test its themes: for the forum's largest theme (40% of the documents), 5,388 rows
to find 2,001 matches at full scale. With the themes in the index (INCLUDE), the walk tests
them in the index and fetches only the documents in the theme (an index-only scan, then a
lookup by key): 60 to 81 statements a second under 4 connections.

An index-only scan skips the row only on pages the visibility map marks all-visible, which
VACUUM sets. By default autovacuum visits a table after inserts only when they reach 20% of it
(220,000 documents at full scale): the newest documents, the ones every search walks, would
never be marked. So this table is vacuumed after every 1,000 new documents (cheap: VACUUM
skips the pages already all-visible). SQLite: nothing to do (FTS5 matches the themes itself).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_documents_created")
    op.execute("CREATE INDEX ix_search_documents_created ON search_documents (created_at, id) INCLUDE (theme_ids)")
    op.execute("ALTER TABLE search_documents SET (autovacuum_vacuum_insert_threshold = 1000,"
               " autovacuum_vacuum_insert_scale_factor = 0)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents RESET (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor)")
    op.execute("DROP INDEX ix_search_documents_created")
    op.execute("CREATE INDEX ix_search_documents_created ON search_documents (created_at, id)")
