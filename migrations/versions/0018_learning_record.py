"""learning: private reflections, learning goals (with themes) and shared snapshots of a record

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 09:37:22.146666

Expand only: new tables that older code never reads.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learning_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_learning_goals_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_goals'))
    )
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.create_index('ix_learning_goals_owner', ['owner_id', 'done_at', 'id'], unique=False)

    op.create_table('learning_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('sections', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_learning_shares_manager_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_learning_shares_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_shares'))
    )
    with op.batch_alter_table('learning_shares', schema=None) as batch_op:
        batch_op.create_index('ix_learning_shares_manager', ['manager_id', 'id'], unique=False)
        batch_op.create_index('ix_learning_shares_owner', ['owner_id', 'id'], unique=False)

    op.create_table('learning_goal_themes',
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['learning_goals.id'], name=op.f('fk_learning_goal_themes_goal_id_learning_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_learning_goal_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('goal_id', 'theme_id', name=op.f('pk_learning_goal_themes'))
    )
    with op.batch_alter_table('learning_goal_themes', schema=None) as batch_op:
        batch_op.create_index('ix_learning_goal_themes_theme', ['theme_id'], unique=False)

    op.create_table('reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('took', sa.Text(), nullable=False),
    sa.Column('will_try', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reflections_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reflections_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_reflections_post_id_posts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections'))
    )
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.create_index('ix_reflections_author_created', ['author_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_reflections_author_meeting', ['author_id', 'meeting_id'], unique=False)
        batch_op.create_index('ix_reflections_author_post', ['author_id', 'post_id'], unique=False)
        batch_op.create_index('ix_reflections_updated', ['updated_at'], unique=False)



def downgrade():
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_index('ix_reflections_updated')
        batch_op.drop_index('ix_reflections_author_post')
        batch_op.drop_index('ix_reflections_author_meeting')
        batch_op.drop_index('ix_reflections_author_created')

    op.drop_table('reflections')
    with op.batch_alter_table('learning_goal_themes', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_goal_themes_theme')

    op.drop_table('learning_goal_themes')
    with op.batch_alter_table('learning_shares', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_shares_owner')
        batch_op.drop_index('ix_learning_shares_manager')

    op.drop_table('learning_shares')
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_goals_owner')

    op.drop_table('learning_goals')
