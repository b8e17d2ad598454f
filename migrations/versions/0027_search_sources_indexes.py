"""search: narrow indexes of posts and replies for the walk over a query's newest matches

Revision ID: 0027
Revises: 0026

The walk over a query's 2,001 newest matches reads each match's post (status, circle, dates) and
reply (post, status, date) to keep only what the person may read. In both tables those columns
come after the text: on SQLite each lookup read a row of kilobytes, often from overflow pages;
on PostgreSQL each was a heap fetch. From these indexes the lookups read a few bytes (SQLite
is told to use them; PostgreSQL takes them as index-only scans). Measured at full scale for two
common words in a theme: SQLite's walk 22 -> 8 ms (with the keys giving the reply and post),
PostgreSQL's whole search statement 68 -> 48 ms.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_search_sources", "posts", ["id", "status", "circle_id", "published_at", "created_at"])
    op.create_index("ix_replies_search_sources", "replies", ["id", "post_id", "status", "created_at"])


def downgrade():
    op.drop_index("ix_replies_search_sources", table_name="replies")
    op.drop_index("ix_posts_search_sources", table_name="posts")
