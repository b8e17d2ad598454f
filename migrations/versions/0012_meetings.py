"""meetings: recorded attendance, the real start and finish, series answers and reminder
choices

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Attendance becomes present, absent or unknown; every existing row becomes unknown, since
nothing recorded whether it was ever confirmed (it was assumed from the answers).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('present', 'absent', 'unknown', name='presence',
                                                        native_enum=False, length=16),
                                      nullable=False, server_default='unknown'))
        batch_op.drop_column('present')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('series_answers',
        sa.Column('circle_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.Enum('going', 'maybe', 'not_going', name='series_answer', native_enum=False, length=16),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_series_answers_circle_id_circles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_series_answers_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('circle_id', 'user_id', name=op.f('pk_series_answers')))

    op.create_table('reminder_choices',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day_before', sa.Boolean(), nullable=False),
        sa.Column('two_hours_before', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_choices_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_choices')))

    # A reminder is now one of a kind ("24h", "2h"): the kind joins the key. Every reminder
    # sent so far was the 24-hour one.
    with op.batch_alter_table('reminders_sent', schema=None, recreate='always') as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=8), nullable=False, server_default='24h'))
        batch_op.drop_constraint('pk_reminders_sent', type_='primary')
        batch_op.create_primary_key('pk_reminders_sent', ['meeting_id', 'user_id', 'kind'])
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)


def downgrade():
    op.execute("DELETE FROM reminders_sent WHERE kind <> '24h'")
    with op.batch_alter_table('reminders_sent', schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint('pk_reminders_sent', type_='primary')
        batch_op.create_primary_key('pk_reminders_sent', ['meeting_id', 'user_id'])
        batch_op.drop_column('kind')
    op.drop_table('reminder_choices')
    op.drop_table('series_answers')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
        batch_op.drop_column('started_at')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('present', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE attendance SET present = (status = 'present')")
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('status')
