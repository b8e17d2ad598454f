"""insights: indexes for the managers' figures (posts by publication time, replies by author and time)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:20:00

Expand only: two indexes, which older code ignores.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX on both databases: no table is rebuilt (the search triggers stay).
    op.create_index('ix_posts_published_at', 'posts', ['published_at'], unique=False)
    op.create_index('ix_replies_author_created', 'replies', ['author_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_replies_author_created', table_name='replies')
    op.drop_index('ix_posts_published_at', table_name='posts')
