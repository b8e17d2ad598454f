"""the bell's unread count kept on users; a version for the per-process themes cache

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 13:00:00

`users.unread_notifications`: the unread notifications each person may still see, kept by
forum.notifications.unread from now on, filled here with the rules of
`notifications.services.visible_notifications` at this revision (unread; its post published
and forum-wide or in one of their circles; its reply published; its meeting in one of their
circles). The `site_settings` row `themes_version` tells each server when its cached themes
are out of date (forum.themes.cache).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

_THEIR_CIRCLES = "SELECT circle_id FROM memberships WHERE user_id = users.id AND status = 'active'"

BACKFILL = f"""
UPDATE users SET unread_notifications = (
    SELECT count(n.id) FROM notifications n
    LEFT OUTER JOIN posts p ON p.id = n.post_id
    LEFT OUTER JOIN replies r ON r.id = n.reply_id
    LEFT OUTER JOIN meetings m ON m.id = n.meeting_id
    WHERE n.recipient_id = users.id AND n.read_at IS NULL
      AND (n.post_id IS NULL OR (p.status = 'published' AND (p.circle_id IS NULL OR p.circle_id IN ({_THEIR_CIRCLES}))))
      AND (n.reply_id IS NULL OR r.status = 'published')
      AND (n.meeting_id IS NULL OR m.circle_id IN ({_THEIR_CIRCLES}))
)
"""


def upgrade():
    op.add_column('users', sa.Column('unread_notifications', sa.Integer(), server_default='0', nullable=False))
    op.execute(BACKFILL)
    op.execute("INSERT INTO site_settings (key, value, updated_at) "
               "VALUES ('themes_version', '1', CURRENT_TIMESTAMP)")


def downgrade():
    op.execute("DELETE FROM site_settings WHERE key = 'themes_version'")
    op.drop_column('users', 'unread_notifications')
