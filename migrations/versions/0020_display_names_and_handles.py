"""display names with spaces and accents, unique ignoring capitals and accents; @mention handles

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 09:50:00

Adds `users.handle` (unique index), set for every existing account to its old display-name key
(the case-folded name), so every @mention already written still finds its person; new accounts
get a handle made from their name (forum.accounts.names). Then `display_name_key` becomes the
name without capitals or accents: where two existing names now count as the same ("Siân" and
"Sian"), the later account's display name gets " 2" (" 3"...) added, so they stay distinct.
Erased accounts ("~erased-..." keys) keep theirs. Plain ALTERs, not a batch: rebuilding `users`
would trip its many foreign keys on SQLite (so the column stays nullable in the database).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# A copy of forum.accounts.names at this revision: a migration must not change when the app does.
_PLAIN = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
                        "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ı": "i", "’": "'", "‘": "'"})


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.translate(_PLAIN))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(plain.split())[:40]


def upgrade():
    op.add_column('users', sa.Column('handle', sa.String(length=40), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('display_name', sa.String),
                     sa.column('display_name_key', sa.String), sa.column('handle', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.display_name, users.c.display_name_key)
                              .order_by(users.c.id)).all()
    # First out of the way (the unique key must hold after every statement), then the new keys.
    for row in rows:
        if not row.display_name_key.startswith("~"):
            connection.execute(users.update().where(users.c.id == row.id)
                               .values(display_name_key=f"~moving-{row.id}", handle=row.display_name_key))
        else:
            connection.execute(users.update().where(users.c.id == row.id).values(handle=row.display_name_key))
    taken = {row.display_name_key for row in rows if row.display_name_key.startswith("~")}
    for row in rows:
        if row.display_name_key.startswith("~"):
            continue
        name, number = row.display_name, 2
        while _key(name) in taken:
            suffix = f" {number}"
            name = row.display_name[:40 - len(suffix)] + suffix
            number += 1
        taken.add(_key(name))
        connection.execute(users.update().where(users.c.id == row.id).values(display_name=name, display_name_key=_key(name)))
    op.create_index('ix_users_handle', 'users', ['handle'], unique=True)


def downgrade():
    op.drop_index('ix_users_handle', table_name='users')
    op.drop_column('users', 'handle')
