"""knowledge: "what helped" on posts, helpers' offers, routed unanswered cases, the welcome path

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 10:00:00

Expand only: a nullable column and new tables that older code never reads. The column is
added without rebuilding `posts` (a batch rebuild on SQLite would drop the search triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('posts', sa.Column('helped_reply_id', sa.Integer(), nullable=True))
    op.create_index('ix_posts_helped_reply_id', 'posts', ['helped_reply_id'], unique=False)
    op.create_table(
        'helper_offers',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('offering', sa.Boolean(), nullable=False),
        sa.Column('years', sa.Integer(), nullable=True),
        sa.Column('on_profile', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_helper_offers_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_helper_offers')),
    )
    op.create_table(
        'helper_themes',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_helper_themes_theme_id_themes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_helper_themes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'theme_id', name=op.f('pk_helper_themes')),
    )
    op.create_index('ix_helper_themes_theme_id_user_id', 'helper_themes', ['theme_id', 'user_id'], unique=False)
    op.create_table(
        'routed_cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_routed_cases_post_id_posts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_routed_cases_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_routed_cases')),
        sa.UniqueConstraint('post_id', 'user_id', name='uq_routed_cases_post_user'),
    )
    op.create_index('ix_routed_cases_user_sent', 'routed_cases', ['user_id', 'sent_at'], unique=False)
    op.create_table(
        'welcome_progress',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('stories_read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dismissed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_welcome_progress_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_welcome_progress')),
    )


def downgrade():
    op.drop_table('welcome_progress')
    op.drop_index('ix_routed_cases_user_sent', table_name='routed_cases')
    op.drop_table('routed_cases')
    op.drop_index('ix_helper_themes_theme_id_user_id', table_name='helper_themes')
    op.drop_table('helper_themes')
    op.drop_table('helper_offers')
    op.drop_index('ix_posts_helped_reply_id', table_name='posts')
    with op.batch_alter_table('posts', recreate='never') as batch_op:
        batch_op.drop_column('helped_reply_id')
