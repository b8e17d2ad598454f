"""posts: an index for a circle's newest posts

Revision ID: 0024
Revises: 0023

A circle's page lists its newest posts. With no index on `circle_id`, both databases walked
every post's activity index from the newest, keeping the circle's: at full scale (100,000
posts, a circle with a few hundred) about 180 ms per page. (circle_id, status, last_activity_at,
id) serves it as a range, as the author's and the kind's indexes do for theirs.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_circle_status_last_activity", "posts",
                    ["circle_id", "status", "last_activity_at", "id"])


def downgrade():
    op.drop_index("ix_posts_circle_status_last_activity", table_name="posts")
