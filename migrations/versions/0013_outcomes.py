"""outcomes: one vocabulary, outcome timelines, follow-up prompts, stories grown from cases

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

- Stories' single `posts.outcome_type` becomes one or more rows of `story_outcomes`, on the
  new vocabulary ("confidence or wellbeing" becomes both "more confident" and "health or
  wellbeing better"); the old column is dropped.
- Each case's "What happened next" text and "resolved" mark becomes the first entry of its
  timeline (`outcome_updates`, type "other"), dated when it was written: when it was marked
  resolved, else the case's last activity (the text carried no date of its own). The
  privacy guard's findings in that text move with it; the text leaves `posts` (its columns
  stay, read by the search triggers of 0003, and are no longer written).
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

OUTCOME_TYPE = sa.Enum('started_work', 'kept_job', 'in_work_13_weeks', 'in_work_26_weeks', 'better_job',
                       'started_education', 'started_volunteering', 'more_confident', 'wellbeing_better',
                       'barrier_removed', 'moved_on', 'no_change_yet', 'other', name='outcome_type',
                       native_enum=False, length=24)
OLD_OUTCOME_TYPE = sa.Enum('started_work', 'stayed_in_work', 'education_or_training', 'volunteering',
                           'confidence_or_wellbeing', 'other', name='outcome_type', native_enum=False, length=24)

#: Today's story types on the new vocabulary.
STORY_TYPES = {
    'started_work': ['started_work'],
    'stayed_in_work': ['kept_job'],
    'education_or_training': ['started_education'],
    'volunteering': ['started_volunteering'],
    'confidence_or_wellbeing': ['more_confident', 'wellbeing_better'],
    'other': ['other'],
}
#: Back again, for a downgrade: the first matching old type.
OLD_TYPES = {new: old for old, news in reversed(STORY_TYPES.items()) for new in news}

LONDON = ZoneInfo("Europe/London")


def _moment(value):
    """A timestamp as the driver hands it back (SQLite: a string, naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def upgrade():
    op.create_table('story_outcomes',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('outcome_type', OUTCOME_TYPE, nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_story_outcomes_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'outcome_type', name=op.f('pk_story_outcomes'))
    )
    op.create_table('outcome_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('note_md', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_outcome_updates_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_outcome_updates_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_updates'))
    )
    with op.batch_alter_table('outcome_updates', schema=None) as batch_op:
        batch_op.create_index('ix_outcome_updates_post_occurred', ['post_id', 'occurred_on', 'id'], unique=False)
        batch_op.create_index('ix_outcome_updates_published_occurred', ['published_at', 'occurred_on'], unique=False)
    op.create_table('outcome_update_types',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('outcome_type', OUTCOME_TYPE, nullable=False),
    sa.Column('barrier', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['outcome_updates.id'], name=op.f('fk_outcome_update_types_update_id_outcome_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('update_id', 'outcome_type', 'barrier', name=op.f('pk_outcome_update_types'))
    )
    with op.batch_alter_table('outcome_update_types', schema=None) as batch_op:
        batch_op.create_index('ix_outcome_update_types_type', ['outcome_type', 'update_id'], unique=False)
    op.create_table('follow_up_prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_follow_up_prompts_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_prompts')),
    sa.UniqueConstraint('post_id', 'week', name='uq_follow_up_prompts_post_week')
    )
    op.create_table('follow_up_stops',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_follow_up_stops_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_follow_up_stops'))
    )
    op.create_table('story_origins',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['posts.id'], name=op.f('fk_story_origins_case_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['posts.id'], name=op.f('fk_story_origins_story_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', name=op.f('pk_story_origins')),
    sa.UniqueConstraint('case_id', name=op.f('uq_story_origins_case_id'))
    )
    bind = op.get_bind()
    _story_types(bind)
    _first_timeline_entries(bind)
    op.execute("ALTER TABLE posts DROP COLUMN outcome_type")


def _story_types(bind) -> None:
    rows = bind.execute(sa.text("SELECT id, outcome_type FROM posts WHERE kind = 'story' AND outcome_type IS NOT NULL"))
    values = [{"post_id": post_id, "outcome_type": new} for post_id, old in rows for new in STORY_TYPES.get(old, ['other'])]
    if values:
        bind.execute(sa.text("INSERT INTO story_outcomes (post_id, outcome_type) VALUES (:post_id, :outcome_type)"), values)


def _first_timeline_entries(bind) -> None:
    rows = bind.execute(sa.text(
        "SELECT id, author_id, outcome_update_md, outcome_update_html, resolved_at, last_activity_at FROM posts"
        " WHERE kind = 'case' AND (outcome_update_md <> '' OR resolved_at IS NOT NULL) ORDER BY id")).all()
    for post_id, author_id, text, html, resolved_at, last_activity_at in rows:
        written = _moment(resolved_at or last_activity_at)
        day = written.astimezone(LONDON).date()
        if bind.dialect.name == "sqlite":  # stored as SQLAlchemy stores them there: text, UTC
            written, day = written.strftime("%Y-%m-%d %H:%M:%S.%f"), day.isoformat()
        update_id = bind.execute(sa.text(
            "INSERT INTO outcome_updates (post_id, recorded_by_id, occurred_on, note_md, note_html, created_at, published_at)"
            " VALUES (:post_id, :author_id, :day, :text, :html, :written, :written) RETURNING id"),
            {"post_id": post_id, "author_id": author_id, "day": day, "text": text,
             "html": html, "written": written}).scalar_one()
        bind.execute(sa.text("INSERT INTO outcome_update_types (update_id, outcome_type, barrier) VALUES (:id, 'other', '')"),
                     {"id": update_id})
        bind.execute(sa.text(
            "UPDATE privacy_findings SET target_type = 'outcome', target_id = :update_id, field = 'note'"
            " WHERE target_type = 'post' AND target_id = :post_id AND field = 'outcome_update'"),
            {"update_id": update_id, "post_id": post_id})
    bind.execute(sa.text("UPDATE posts SET outcome_update_md = '', outcome_update_html = ''"
                         " WHERE kind = 'case' AND outcome_update_md <> ''"))


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table('posts', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('outcome_type', OLD_OUTCOME_TYPE, nullable=True))
    for post_id, new in bind.execute(sa.text("SELECT post_id, MIN(outcome_type) FROM story_outcomes GROUP BY post_id")).all():
        bind.execute(sa.text("UPDATE posts SET outcome_type = :old WHERE id = :id"), {"old": OLD_TYPES.get(new, 'other'), "id": post_id})
    # The oldest note of each case goes back to "What happened next"; later entries are lost.
    firsts = bind.execute(sa.text(
        "SELECT post_id, note_md, note_html FROM outcome_updates u WHERE published_at IS NOT NULL AND note_md <> ''"
        " AND id = (SELECT MIN(id) FROM outcome_updates o WHERE o.post_id = u.post_id AND o.published_at IS NOT NULL"
        " AND o.note_md <> '')")).all()
    for post_id, text, html in firsts:
        bind.execute(sa.text("UPDATE posts SET outcome_update_md = :text, outcome_update_html = :html WHERE id = :id"),
                     {"text": text, "html": html, "id": post_id})
    bind.execute(sa.text("DELETE FROM privacy_findings WHERE target_type = 'outcome'"))
    op.drop_table('story_origins')
    op.drop_table('follow_up_stops')
    op.drop_table('follow_up_prompts')
    with op.batch_alter_table('outcome_update_types', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_update_types_type')
    op.drop_table('outcome_update_types')
    with op.batch_alter_table('outcome_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_updates_published_occurred')
        batch_op.drop_index('ix_outcome_updates_post_occurred')
    op.drop_table('outcome_updates')
    op.drop_table('story_outcomes')
