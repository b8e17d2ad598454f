"""meetings: the pulse after a meeting (anonymous answers and who answered, kept apart),
facilitators' notes to members, and the speaking order ("go round")

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:00:00

Expand only: new tables and two columns with defaults, which older code never reads.
`pulse_answers` is a WITHOUT ROWID table on SQLite, so no hidden row number keeps the order
in which people answered.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pulse_answers',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('usefulness', sa.Integer(), nullable=True),
        sa.Column('coping', sa.Integer(), nullable=True),
        sa.Column('words', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_pulse_answers_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_answers')),
        sqlite_with_rowid=False)
    op.create_index('ix_pulse_answers_meeting', 'pulse_answers', ['meeting_id'])
    op.create_table('pulse_answered',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_pulse_answered_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pulse_answered_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_pulse_answered')))
    op.create_table('member_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('circle_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('sender_id', sa.Integer(), nullable=True),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_member_notes_circle_id_circles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_member_notes_meeting_id_meetings'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_member_notes_sender_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_member_notes_recipient_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_notes')))
    op.create_index('ix_member_notes_recipient', 'member_notes', ['recipient_id', 'created_at'])
    # A plain ADD COLUMN (never a table copy): recreating `meetings` on SQLite would drop the
    # old table, and its ON DELETE CASCADE would empty attendance, agendas and RSVPs.
    op.add_column('meetings', sa.Column('go_round', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('meetings', sa.Column('go_round_seed', sa.String(length=32), nullable=False, server_default=''))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): no table copy, so no cascade empties the meetings' rows.
    op.drop_column('meetings', 'go_round_seed')
    op.drop_column('meetings', 'go_round')
    op.drop_index('ix_member_notes_recipient', table_name='member_notes')
    op.drop_table('member_notes')
    op.drop_table('pulse_answered')
    op.drop_index('ix_pulse_answers_meeting', table_name='pulse_answers')
    op.drop_table('pulse_answers')
