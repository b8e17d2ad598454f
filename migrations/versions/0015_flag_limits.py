"""flag limits: which flag hid an item, urgent flags dismissed as unfounded, the urgent-first queue index

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00

Expand only: a new column with a default, a new table and a new index, so servers still
running the previous release keep working while this migration runs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hid', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.create_table(
        'dismissed_flags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('flag_id', sa.Integer(), nullable=True),
        sa.Column('target_type', sa.String(length=8), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('dismissed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dismissed_flags_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissed_flags')),
    )
    with op.batch_alter_table('dismissed_flags', schema=None) as batch_op:
        batch_op.create_index('ix_dismissed_flags_user', ['user_id', 'dismissed_at'], unique=False)
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index('ix_review_items_status_urgent_opened', ['status', 'urgent', 'opened_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('ix_review_items_status_urgent_opened')
    with op.batch_alter_table('dismissed_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_dismissed_flags_user')
    op.drop_table('dismissed_flags')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_column('hid')
