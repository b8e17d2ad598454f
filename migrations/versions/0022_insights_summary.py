"""insights: the monthly summary the page reads, the marks that keep it current, and their triggers

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 13:00:00

Three indexes for the rest of the page (posts by kind, status and publication; the same for
posts marked "what helped" only; cases sent to helpers by time), and two tables
(`forum/insights/models.py`): `insights_monthly` (per month, figure, team and theme:
a count and the people behind it) and `insights_dirty` (month, part and team whose figures
changed). Triggers on posts, replies, post themes, outcome updates (and their types) and
people's teams mark what a write touches, in the same transaction as the write, so no content
module needs to know insights exists (as with search, migration 0003); the app recomputes the
marked parts before that transaction commits (`forum/insights/summary.py`).

The upgrade fills the summary for the data already there, with the app's own code
(`summary.rebuild`), so a database upgraded from 0020 shows the same insights at once. That
code reads only columns that exist at this revision (posts, replies, post_themes, users,
outcome updates and their types); a later migration that renames one of them must keep this
working or fill the summary itself. A later migration that rebuilds posts, replies,
post_themes, outcome_updates, outcome_update_types or users on SQLite (batch mode) must
create these triggers again, as for the search triggers.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def _month(column: str, dialect: str, is_date: bool = False) -> str:
    if dialect == "sqlite":
        return f"substr({column}, 1, 7)"
    return f"to_char({column}, 'YYYY-MM')" if is_date else f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"


def _team(user_id: str) -> str:
    return f"coalesce((SELECT users.team_id FROM users WHERE users.id = {user_id}), 0)"


def _marks(table: str, row: str, dialect: str, inserted: bool = False) -> list[str]:
    """SELECTs of (month, part, team_id) that a change of `row` (NEW or OLD) of `table` touches
    (`inserted`: a new row, for which replies mark only what can change)."""
    ts = lambda column: _month(column, dialect)  # noqa: E731
    day = lambda column: _month(column, dialect, is_date=True)  # noqa: E731
    post_of = (f"SELECT {ts('p.published_at')} AS month, 'posts' AS part, {_team('p.author_id')} AS team_id "
               f"FROM posts p WHERE p.id = {row}.post_id AND p.published_at IS NOT NULL")

    def outcomes_of(post_id: str) -> str:
        return (f"SELECT {day('u.occurred_on')} AS month, 'outcomes' AS part, {_team('p.author_id')} AS team_id "
                f"FROM outcome_updates u JOIN posts p ON p.id = u.post_id WHERE u.post_id = {post_id}")

    if table == "posts":
        return [f"SELECT {ts(row + '.published_at')} AS month, 'posts' AS part, {_team(row + '.author_id')} AS team_id "
                f"WHERE {row}.published_at IS NOT NULL",
                f"SELECT {day('u.occurred_on')} AS month, 'outcomes' AS part, {_team(row + '.author_id')} AS team_id "
                f"FROM outcome_updates u WHERE u.post_id = {row}.id"]
    # A case's figures move with its first published reply by someone other than its author,
    # and with nothing else a reply does: a reply that is not (or was not) that first answer
    # leaves the case's month alone. (Publishing a reply is an update from draft: without this,
    # every reply recomputed a month of its team's posts, about a second at full scale.)
    first_answer = (f"{post_of} AND p.kind = 'case' AND {row}.status = 'published' AND {row}.author_id <> p.author_id "
                    f"AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.post_id = {row}.post_id AND r.status = 'published' "
                    f"AND r.author_id <> p.author_id AND r.created_at <= {row}.created_at AND r.id <> {row}.id)")
    if table == "replies" and inserted:
        # A new reply changes who replied that month only if published.
        return [f"SELECT {ts(row + '.created_at')} AS month, 'replies' AS part, {_team(row + '.author_id')} AS team_id "
                f"WHERE {row}.status = 'published'", first_answer]
    if table == "replies":
        return [f"SELECT {ts(row + '.created_at')} AS month, 'replies' AS part, {_team(row + '.author_id')} AS team_id",
                first_answer]
    if table == "post_themes":
        return [post_of, outcomes_of(f"{row}.post_id")]
    if table == "outcome_updates":
        return [f"SELECT {day(row + '.occurred_on')} AS month, 'outcomes' AS part, {_team('p.author_id')} AS team_id "
                f"FROM posts p WHERE p.id = {row}.post_id",
                outcomes_of(f"{row}.post_id"), post_of]
    if table == "outcome_update_types":
        return [outcomes_of(f"(SELECT o.post_id FROM outcome_updates o WHERE o.id = {row}.update_id)")]
    if table == "users":
        team = f"coalesce({row}.team_id, 0)"
        return [f"SELECT DISTINCT {ts('published_at')} AS month, 'posts' AS part, {team} AS team_id "
                f"FROM posts WHERE author_id = {row}.id AND published_at IS NOT NULL",
                f"SELECT DISTINCT {ts('created_at')} AS month, 'replies' AS part, {team} AS team_id "
                f"FROM replies WHERE author_id = {row}.id",
                f"SELECT DISTINCT {day('u.occurred_on')} AS month, 'outcomes' AS part, {team} AS team_id "
                f"FROM outcome_updates u JOIN posts p ON p.id = u.post_id WHERE p.author_id = {row}.id"]
    raise ValueError(table)


def _mark(select: str, dialect: str) -> str:
    # SQLite's writers take turns, so one mark per unit is enough; on PostgreSQL a transaction
    # skips only the marks it made itself (another's may be consumed before this one commits).
    xid = "0" if dialect == "sqlite" else "txid_current()"
    return (f"INSERT INTO insights_dirty (month, part, team_id, xid) "
            f"SELECT DISTINCT s.month, s.part, s.team_id, {xid} FROM ({select}) AS s "
            f"WHERE s.month IS NOT NULL AND NOT EXISTS (SELECT 1 FROM insights_dirty d WHERE d.month = s.month "
            f"AND d.part = s.part AND d.team_id = s.team_id AND d.xid = {xid})")


#: Table -> the columns whose change moves a figure (None: the table has no updates that matter).
WATCHED = {
    "posts": "status, published_at, kind, author_id",
    "replies": "status, created_at, author_id, post_id",
    "post_themes": None,
    "outcome_updates": "occurred_on, published_at, post_id",
    "outcome_update_types": None,
    "users": "team_id",
}


def _body(table: str, rows: list[str], dialect: str, inserted: bool = False) -> str:
    return "; ".join(_mark(select, dialect) for row in rows for select in _marks(table, row, dialect, inserted)) + ";"


def sqlite_triggers() -> list[str]:
    found = []
    for table, columns in WATCHED.items():
        if table != "users":
            found.append(f"CREATE TRIGGER insights_{table}_insert AFTER INSERT ON {table} "
                         f"BEGIN {_body(table, ['NEW'], 'sqlite', inserted=True)} END")
            # BEFORE: a post's outcome updates are still there to be named (they go with it).
            when = "BEFORE" if table == "posts" else "AFTER"
            found.append(f"CREATE TRIGGER insights_{table}_delete {when} DELETE ON {table} "
                         f"BEGIN {_body(table, ['OLD'], 'sqlite')} END")
        if columns:
            condition = " WHEN OLD.team_id IS NOT NEW.team_id" if table == "users" else ""
            found.append(f"CREATE TRIGGER insights_{table}_update AFTER UPDATE OF {columns} ON {table}{condition} "
                         f"BEGIN {_body(table, ['OLD', 'NEW'], 'sqlite')} END")
    return found


SQLITE_TRIGGER_NAMES = [f"insights_{table}_{event}" for table, columns in WATCHED.items()
                        for event in ((("insert", "delete") if table != "users" else ()) + (("update",) if columns else ()))]


def postgres_triggers() -> list[str]:
    found = []
    for table, columns in WATCHED.items():
        found.append(f"""CREATE FUNCTION insights_mark_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {_body(table, ['OLD'], 'postgresql')} END IF;
                IF TG_OP = 'INSERT' THEN {_body(table, ['NEW'], 'postgresql', inserted=True)} END IF;
                IF TG_OP = 'UPDATE' THEN {_body(table, ['NEW'], 'postgresql')} END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NULL;
            END $$""")
        events = []
        if table != "users":
            events.append("INSERT")
        if columns:
            events.append(f"UPDATE OF {columns}")
        condition = " WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id)" if table == "users" else ""
        found.append(f"CREATE TRIGGER insights_mark_{table} AFTER {' OR '.join(events)} ON {table} "
                     f"FOR EACH ROW{condition} EXECUTE FUNCTION insights_mark_{table}()")
        if table != "users":
            # BEFORE: a post's outcome updates are still there to be named (they go with it).
            found.append(f"CREATE TRIGGER insights_mark_{table}_delete {'BEFORE' if table == 'posts' else 'AFTER'} "
                         f"DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION insights_mark_{table}()")
    return found


def postgres_drops() -> list[str]:
    found = []
    for table in WATCHED:
        found.append(f"DROP TRIGGER IF EXISTS insights_mark_{table} ON {table}")
        found.append(f"DROP TRIGGER IF EXISTS insights_mark_{table}_delete ON {table}")
        found.append(f"DROP FUNCTION IF EXISTS insights_mark_{table}()")
    return found


def upgrade():
    op.create_table(
        'insights_monthly',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('figure', sa.String(length=16), nullable=False),
        sa.Column('variant', sa.String(length=32), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('people', sa.LargeBinary(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('month', 'figure', 'variant', 'team_id', 'theme_id', name=op.f('pk_insights_monthly')),
    )
    op.create_table(
        'insights_dirty',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('part', sa.String(length=12), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('xid', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_insights_dirty')),
    )
    op.create_index('ix_insights_dirty_unit', 'insights_dirty', ['month', 'part', 'team_id', 'xid'], unique=False)
    # The rest of the page: the period's unanswered cases in order (the first 20), the few
    # marked "what helped", and the cases sent to helpers in a period.
    op.create_index('ix_posts_kind_status_published', 'posts', ['kind', 'status', 'published_at'], unique=False)
    op.create_index('ix_posts_helped_published', 'posts', ['kind', 'status', 'published_at'], unique=False,
                    sqlite_where=sa.text('helped_reply_id IS NOT NULL'),
                    postgresql_where=sa.text('helped_reply_id IS NOT NULL'))
    op.create_index('ix_routed_cases_sent', 'routed_cases', ['sent_at'], unique=False)
    bind = op.get_bind()
    for statement in sqlite_triggers() if bind.dialect.name == "sqlite" else postgres_triggers():
        op.execute(statement)
    # The data already there, summed by the app's own code (in this migration's transaction).
    from forum.insights import summary

    session = Session(bind=bind)
    try:
        summary.rebuild(session)
        session.flush()
    finally:
        session.close()


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for statement in postgres_drops():
            op.execute(statement)
    op.drop_index('ix_routed_cases_sent', table_name='routed_cases')
    op.drop_index('ix_posts_helped_published', table_name='posts')
    op.drop_index('ix_posts_kind_status_published', table_name='posts')
    op.drop_index('ix_insights_dirty_unit', table_name='insights_dirty')
    op.drop_table('insights_dirty')
    op.drop_table('insights_monthly')
