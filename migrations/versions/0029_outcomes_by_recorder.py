"""outcomes: an index for the outcomes a person recorded, by day (their learning record)

Revision ID: 0029
Revises: 0028

The learning record lists the outcomes its owner recorded in a period. With no index on who
recorded them, SQLite's planner walked every post and looked for its outcomes: 1.1 s a record
at the benchmark's full scale (100,000 posts).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_outcome_updates_recorded_by_occurred", "outcome_updates", ["recorded_by_id", "occurred_on", "id"])


def downgrade():
    op.drop_index("ix_outcome_updates_recorded_by_occurred", table_name="outcome_updates")
