"""The bulk loader: a migrated forum database filled at a given scale, cached by scale and seed.

People, themes, circles and meetings are few and go through the app's own services. Posts,
replies and their themes are many: they are inserted in batches with the search triggers
and secondary indexes off, then the indexes and the full-text documents are built once, by
the same statements as the search migration (0026) uses, and insights' monthly summary by
`forum.insights.summary.rebuild` (what `flask insights refresh` runs), since the bulk inserts
leave its marks for the end rather than recomputing them at each batch's commit.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.engine import make_url

from bench import corpus as corpus_module
from bench.dataset import Generator, PostSpec, ReplySpec, Scale, post_row, reply_row
from forum import create_app
from forum.accounts import passwords
from forum.accounts.models import Role, Team, User
from forum.accounts.services import display_name_key
from forum.cases.models import Post, Reply, post_themes
from forum.circles import policy as circles_policy
from forum.circles import services as circles
from forum.circles.models import Membership, Mode
from forum.extensions import db
from forum.insights import summary
from forum.meetings import running
from forum.meetings import services as meetings
from forum.themes import services as themes
from forum.timeutil import utcnow

CACHE = Path(__file__).resolve().parent / ".cache"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
BATCH = 5_000
#: The advisers the load tool signs in as, one per connection; they all belong to circle 1.
BENCH_ADVISERS = 8
PASSWORD = "bench forum password 2026"
LOADER_CONFIG = {"SECRET_KEY": "bench-loader-secret-key-of-more-than-32-characters", "MAIL_BACKEND": "memory",
                 "FORUM_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://"}


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


@dataclass
class Built:
    """What the benchmark needs to know about a built database (kept beside it as JSON)."""

    url: str
    scale: dict
    seed: int
    common_word: str
    rare_phrase: str
    big_thread_post_id: int
    write_post_id: int
    theme_slugs: list[str]  # most used first
    meeting_id: int
    adviser_ids: list[int]
    load_seconds: float
    #: The second most common word (search with two words), and circle 1 (the advisers' own).
    #: Empty in databases cached before they were recorded: `completed()` fills them in.
    second_word: str = ""
    circle_id: int = 0


def _migration(file_name: str):
    spec = importlib.util.spec_from_file_location(file_name.removesuffix(".py"), MIGRATIONS / file_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _search_migration(dialect: str):
    """Where the search triggers and backfill statements are, as the database has them: both
    engines' were last rewritten by migration 0026 (documents carry their post's themes)."""
    return _migration("0026_search_themes.py")


# Where a database lives ------------------------------------------------------------------------


def cache_name(dialect: str, scale: Scale, seed: int) -> str:
    return f"{dialect}-{scale.label}-seed{seed}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def recreate_postgres_database(admin_url: str, name: str, template: str | None = None) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return postgres_url(admin_url, name)


def drop_postgres_databases(admin_url: str, prefix: str) -> None:
    """Every database whose name starts with `prefix` (the benchmark's own)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        names = connection.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
                                   {"prefix": prefix}).scalars().all()
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def cached(dialect: str, scale: Scale, seed: int, admin_url: str | None, cache: Path = CACHE,
           prefix: str = "forum_bench") -> Built:
    """The built database for this scale and seed: loaded once, then reused (meta JSON marks it complete)."""
    name = cache_name(dialect, scale, seed)
    meta = cache / f"{name}.json"
    if meta.exists():
        log(f"{name}: cached, skipping the load")
        built = completed(Built(**json.loads(meta.read_text())))
        meta.write_text(json.dumps(asdict(built), indent=1))
        return built
    cache.mkdir(parents=True, exist_ok=True)
    if dialect == "sqlite":
        path = cache / f"{name}.sqlite3"
        for leftover in cache.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        url = sqlite_url(path)
    else:
        url = recreate_postgres_database(admin_url, f"{prefix}_{name}".replace("-", "_"))
    built = build(url, scale, seed)
    meta.write_text(json.dumps(asdict(built), indent=1))
    return built


def completed(built: Built) -> Built:
    """Fills in what databases cached before the field existed do not record."""
    if not built.second_word:
        scale = built.scale
        text_pool = corpus_module.build(built.seed, bodies=scale["bodies"], vocabulary_size=scale["vocabulary"])
        built.second_word = text_pool.words[1]
    if not built.circle_id:
        from forum.meetings.models import Meeting

        engine = create_engine(built.url)
        with engine.connect() as connection:
            built.circle_id = connection.scalar(select(Meeting.circle_id).where(Meeting.id == built.meeting_id))
        engine.dispose()
    return built


def working_copy(built: Built, dialect: str, admin_url: str | None, cache: Path = CACHE,
                 prefix: str = "forum_bench") -> str:
    """A copy to run against, so the write test never changes the cached database."""
    if dialect == "sqlite":
        source = Path(make_url(built.url).database)
        target = cache / "work.sqlite3"
        for leftover in cache.glob("work.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(source, target)
        return sqlite_url(target)
    return recreate_postgres_database(admin_url, f"{prefix}_work", template=make_url(built.url).database)


# Building --------------------------------------------------------------------------------------


#: The loader's SQLite page cache: with SQLite's default (2 MB) a full-scale load spends most of
#: its time in the kernel, reading back the index pages it just wrote, one read a page.
LOADER_SQLITE_CACHE_KB = 1_048_576


def loader_app(url: str):
    app = create_app({**LOADER_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if url.startswith("sqlite"):
            @event.listens_for(db.engine, "connect")
            def _large_cache(dbapi_connection, _record):
                dbapi_connection.execute(f"PRAGMA cache_size = -{LOADER_SQLITE_CACHE_KB}")
        else:
            @event.listens_for(db.engine, "connect")
            def _no_flush_per_commit(dbapi_connection, _record):
                # A lost load is loaded again: its commits need not wait for the disk.
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit = off")
                dbapi_connection.commit()
    return app


def build(url: str, scale: Scale, seed: int) -> Built:
    started = time.monotonic()
    log(f"building {scale} into {make_url(url).render_as_string()}")
    text_pool = corpus_module.build(seed, bodies=scale.bodies, vocabulary_size=scale.vocabulary)
    log(f"corpus: {len(text_pool.words)} words, {len(text_pool.bodies)} bodies, rare phrase {text_pool.rare_phrase!r}")
    app = loader_app(url)
    with app.app_context():
        upgrade()
        now = utcnow()
        user_ids = add_people(scale.users)
        theme_ids = add_themes(text_pool, scale.themes)
        circle_members = add_circles(user_ids, scale.circles)
        db.session.commit()
        generator = Generator(text_pool, scale, seed, now, user_ids, theme_ids, circle_members)
        # Insights' monthly summary: built once after the bulk insert, not at each batch's commit.
        with summary.deferred(db.session):
            post_ids = load_posts(generator, scale)
            log("building the insights summary")
            summary.rebuild(db.session)
            db.session.commit()
        meeting_id = add_running_meeting(user_ids[-BENCH_ADVISERS:], circle_members)
        db.session.commit()
        slugs = theme_slugs_by_use()
        write_post_id = db.session.scalar(select(func.max(Post.id)).where(Post.circle_id.is_(None)))
        db.session.remove()
        db.engine.dispose()  # PostgreSQL copies a database only when nobody is connected to it
    built = Built(url=url, scale=asdict(scale), seed=seed, common_word=text_pool.common_word,
                  rare_phrase=text_pool.rare_phrase, big_thread_post_id=post_ids[0], write_post_id=write_post_id,
                  theme_slugs=slugs, meeting_id=meeting_id, adviser_ids=user_ids[-BENCH_ADVISERS:],
                  load_seconds=round(time.monotonic() - started, 1), second_word=text_pool.words[1],
                  circle_id=min(circle_members))
    log(f"built in {built.load_seconds} s")
    return built


def add_people(count: int) -> list[int]:
    """Two admins, a line manager per 15 people, advisers for the rest; one password hash for all."""
    teams = [Team(name=f"Bench team {number}") for number in range(1, 11)]
    db.session.add_all(teams)
    db.session.flush()
    hashed = passwords.hash_password(PASSWORD)
    rows = []
    for number in range(1, count + 1):
        role = Role.ADMIN if number <= 2 else Role.MANAGER if number % 15 == 0 else Role.ADVISER
        name = f"{role.value}.{number:04d}"
        rows.append({"email": f"{name}@bench.example.org", "display_name": name, "display_name_key": display_name_key(name),
                     "password_hash": hashed, "role": role, "team_id": teams[number % len(teams)].id,
                     "is_active": True, "timezone": "Europe/London", "created_at": utcnow()})
    db.session.execute(insert(User), rows)
    # Every adviser's id: the load tool signs in as the last few.
    return list(db.session.scalars(select(User.id).where(User.role == Role.ADVISER).order_by(User.id)))


def add_themes(text_pool, count: int) -> list[int]:
    names = [f"{word.capitalize()} {other}" for word, other in zip(text_pool.words[100:100 + count], text_pool.words[200:])]
    return [themes.add(name, "A theme of the benchmark forum.").id for name in names]


def add_circles(adviser_ids: list[int], count: int) -> dict[int, list[int]]:
    """Circles of up to 12; circle 1 holds the benchmark's signed-in advisers."""
    members: dict[int, list[int]] = {}
    bench = adviser_ids[-BENCH_ADVISERS:]
    others = adviser_ids[:-BENCH_ADVISERS]
    for number in range(count):
        group = bench if number == 0 else [others[(number * 11 + offset) % len(others)] for offset in range(10)]
        founder = db.session.get(User, group[0])
        circle = circles.create(founder, circles.CircleInput(f"Bench circle {number + 1}", "A circle of the benchmark.", Mode.OPEN, 12))
        for user_id in group[1:]:
            db.session.add(Membership(circle_id=circle.id, user_id=user_id))
        db.session.flush()
        members[circle.id] = list(group)
        meetings.save_schedule(founder, circle, meetings.ScheduleInput(
            "weekly", date.today() + timedelta(days=1 + number % 7), clock(10, 0), 60, "Europe/London"))
    return members


def add_running_meeting(bench_ids: list[int], circle_members: dict[int, list[int]]) -> int:
    """Circle 1's next meeting: three cases on the agenda, answers from everyone, started."""
    circle_id = min(circle_members)
    circle = circles_policy.known_circle(db.session.get(User, bench_ids[0]), circle_id)
    facilitator = db.session.get(User, circle_members[circle_id][0])
    meeting = meetings.upcoming(circle, limit=1)[0]
    cases = db.session.scalars(select(Post.id).where(Post.circle_id.is_(None), Post.kind == "case")
                               .order_by(Post.last_activity_at.desc()).limit(3))
    for position, post_id in enumerate(cases):
        nominator = db.session.get(User, bench_ids[position % len(bench_ids)])
        item = meetings.nominate(nominator, meeting, post_id, "We see this often.")
        meetings.decide(facilitator, meeting, circle, item.id, accept=True)
    for user_id in bench_ids:
        meetings.rsvp(db.session.get(User, user_id), meeting, "going")
    db.session.flush()
    # The benchmark starts the meeting it builds at once, whenever it is scheduled.
    running.control(facilitator, meeting, circle, "start", meeting.run_version, early_ok=True)
    return meeting.id


def add_learning(url: str, adviser_ids: list[int], weeks: int = 40, reflections: int = 20) -> None:
    """The signed-in advisers' learning records, on the working copy (so cached databases built
    before the learning record still serve): a weekly circle-1 meeting over the past `weeks`
    weeks, finished, with a case discussed and everyone recorded present; a goal under two
    themes and `reflections` reflections each. Idempotent: a second call adds nothing."""
    from forum.learning.models import Goal, GoalTheme, Reflection
    from forum.meetings.models import AgendaItem, AgendaStatus, Attendance, Meeting, MeetingStatus, Presence
    from forum.themes.models import Theme

    app = loader_app(url)
    with app.app_context():
        if db.session.scalar(select(func.count(Goal.id)).where(Goal.owner_id.in_(adviser_ids))):
            return
        circle_id = db.session.scalar(select(Membership.circle_id).where(Membership.user_id == adviser_ids[0])
                                      .order_by(Membership.circle_id).limit(1))
        cases = list(db.session.scalars(select(Post.id).where(Post.circle_id.is_(None)).order_by(Post.id).limit(weeks)))
        theme_ids = list(db.session.scalars(select(Theme.id).order_by(Theme.id).limit(2)))
        now = utcnow()
        for week in range(1, weeks + 1):
            starts = now - timedelta(weeks=week)
            meeting = Meeting(circle_id=circle_id, starts_at=starts, ends_at=starts + timedelta(hours=1),
                              status=MeetingStatus.FINISHED, started_at=starts, finished_at=starts + timedelta(minutes=70))
            db.session.add(meeting)
            db.session.flush()
            db.session.add(AgendaItem(meeting_id=meeting.id, post_id=cases[week % len(cases)], nominated_by_id=adviser_ids[0],
                                      status=AgendaStatus.ACCEPTED, presenter_id=adviser_ids[week % len(adviser_ids)]))
            db.session.add_all([Attendance(meeting_id=meeting.id, user_id=user_id, status=Presence.PRESENT)
                                for user_id in adviser_ids])
        for user_id in adviser_ids:
            db.session.add(Goal(owner_id=user_id, text="Get better at difficult conversations",
                                themes=[GoalTheme(theme_id=theme_id) for theme_id in theme_ids]))
            db.session.add_all([Reflection(author_id=user_id, post_id=cases[number % len(cases)],
                                           took="What I took from it. " * 20, will_try="What I will try. " * 10,
                                           created_at=now - timedelta(days=number * 5), updated_at=now - timedelta(days=number * 5))
                                for number in range(reflections)])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def add_reading(url: str, adviser_ids: list[int], posts: int = 60) -> None:
    """The signed-in advisers' bookmarks and notifications, on the working copy, through the
    app's own services: each bookmarks and follows the newest `posts` forum-wide posts, and the
    newest reply of each is announced as if just written (a page of notifications each, read
    and unread). Idempotent: a second call adds nothing."""
    from forum.cases import services as cases
    from forum.cases.models import Bookmark
    from forum.notifications import services as notifications

    app = loader_app(url)
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Bookmark).where(Bookmark.user_id.in_(adviser_ids))):
            return
        newest = list(db.session.scalars(select(Post).where(Post.circle_id.is_(None))
                                         .order_by(Post.last_activity_at.desc()).limit(posts)))
        for user_id in adviser_ids:
            person = db.session.get(User, user_id)
            for post in newest:
                cases.bookmark(person, post)
                notifications.follow(user_id, "post", post.id)
        db.session.flush()
        for post in newest:
            reply_id = db.session.scalar(select(func.max(Reply.id)).where(Reply.post_id == post.id))
            if reply_id is not None:
                notifications.on_reply_posted(reply_id)
        db.session.commit()
        for user_id in adviser_ids[::2]:  # half of them have read theirs
            notifications.mark_all_read(db.session.get(User, user_id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def theme_slugs_by_use() -> list[str]:
    from forum.themes.models import Theme

    uses = func.count(post_themes.c.post_id)
    rows = db.session.execute(select(Theme.slug, uses).join(post_themes, post_themes.c.theme_id == Theme.id)
                              .group_by(Theme.slug).order_by(uses.desc()))
    return [slug for slug, _count in rows]


# Posts and replies in bulk -----------------------------------------------------------------------


def load_posts(generator: Generator, scale: Scale) -> list[int]:
    """The forum's posts and replies; the first id returned is a big thread's.

    Ids are given in date order, as a real forum's grow: posts by publication, replies by
    writing, across all threads (search walks its index newest first by these keys)."""
    specs = [generator.post(forum_wide=index < scale.big_threads) for index in range(scale.posts)]
    counts = generator.reply_counts(scale.posts)
    threads = [(spec, generator.thread(spec, count)) for spec, count in zip(specs, counts)]
    log(f"generated {len(specs)} posts; inserting them with {sum(counts)} replies")
    by_date = sorted(range(len(threads)), key=lambda index: threads[index][0].published_at)
    post_ids = bulk_load([threads[index] for index in by_date])
    return [post_ids[by_date.index(0)]] + [post_id for post_id, index in zip(post_ids, by_date) if index != 0]


def reply_ids_by_date(threads: list[tuple[PostSpec, list[ReplySpec]]], first: int) -> list[list[int]]:
    """Each thread's reply ids, numbered across all threads in the order they were written."""
    written = sorted((reply.created_at, thread, position) for thread, (_spec, replies) in enumerate(threads)
                     for position, reply in enumerate(replies))
    ids = [[0] * len(replies) for _spec, replies in threads]
    for number, (_at, thread, position) in enumerate(written):
        ids[thread][position] = first + number
    return ids


def bulk_load(threads: list[tuple[PostSpec, list[ReplySpec]]]) -> list[int]:
    """Insert posts (numbered in the order given) with their replies and themes, in batches;
    returns the new posts' ids."""
    first_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    reply_ids = reply_ids_by_date(threads, (db.session.scalar(select(func.max(Reply.id))) or 0) + 1)
    db.session.commit()  # SQLite: release the write lock before bulk mode takes its own connection
    post_id = first_post
    with bulk_mode(first_post):
        numbered = zip(threads, reply_ids)
        for number, batch in enumerate(batched(numbered, BATCH // 10), start=1):
            posts, replies, tags = [], [], []
            for (spec, thread), ids in batch:
                posts.append(post_row(post_id, spec, thread))
                tags += [{"post_id": post_id, "theme_id": theme_id} for theme_id in spec.theme_ids]
                replies += [reply_row(reply_id, post_id, reply) for reply_id, reply in zip(ids, thread)]
                post_id += 1
            insert_rows(posts, replies, tags)
            if number % 40 == 0:
                log(f"  {post_id - first_post} posts loaded")
    return list(range(first_post, post_id))


def batched(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert_rows(posts: list[dict], replies: list[dict], tags: list[dict]) -> None:
    session = db.session
    session.execute(insert(Post.__table__), posts)
    if tags:
        session.execute(insert(post_themes), tags)
    for start in range(0, len(replies), BATCH):
        session.execute(insert(Reply.__table__), replies[start:start + BATCH])
    session.commit()


@contextmanager
def bulk_mode(first_post_id: int):
    """Search triggers and secondary indexes off while loading; then built once for the new rows."""
    dialect = db.engine.dialect.name
    indexes = [index for table in (Post.__table__, Reply.__table__, post_themes) for index in table.indexes]
    migration = _search_migration(dialect)
    with db.engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
        pause_search(connection, dialect, migration)
        pause_insights(connection, dialect)
    yield
    log("building indexes and search documents")
    with db.engine.begin() as connection:
        for index in indexes:
            index.create(connection)
        index_new_posts(connection, dialect, migration, first_post_id)
        resume_search(connection, dialect, migration)
        resume_insights(connection, dialect)
    if dialect == "postgresql":
        finish_postgres_sequences()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # VACUUM as autovacuum would soon after such a load: it marks the pages all-visible, so
        # index-only scans (a post's themes, for the theme filters) do not fetch every row.
        connection.execute(text("VACUUM ANALYZE" if dialect == "postgresql" else "ANALYZE"))


def pause_search(connection, dialect: str, migration) -> None:
    if dialect == "sqlite":
        for name in migration.SQLITE_TRIGGER_NAMES:
            connection.exec_driver_sql(f"DROP TRIGGER {name}")
    else:
        connection.exec_driver_sql("ALTER TABLE posts DISABLE TRIGGER search_index_post")
        connection.exec_driver_sql("ALTER TABLE replies DISABLE TRIGGER search_index_reply")
        connection.exec_driver_sql("ALTER TABLE post_themes DISABLE TRIGGER search_index_themes")
        connection.exec_driver_sql("DROP INDEX ix_search_documents_tsv")


def resume_search(connection, dialect: str, migration) -> None:
    if dialect == "sqlite":
        for statement in migration.SQLITE_TRIGGERS:  # the triggers, as the migration made them
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql("ALTER TABLE posts ENABLE TRIGGER search_index_post")
        connection.exec_driver_sql("ALTER TABLE replies ENABLE TRIGGER search_index_reply")
        connection.exec_driver_sql("ALTER TABLE post_themes ENABLE TRIGGER search_index_themes")
        connection.exec_driver_sql(next(statement for statement in migration.PG_UPGRADE if "USING gin" in statement))


#: The tables the load writes, whose insights triggers (migration 0022) it pauses: a reply's
#: trigger looks for the case's other replies, by an index the load has dropped (a scan of
#: every reply for each reply), and the caller rebuilds the summary once at the end anyway.
INSIGHTS_LOADED = ("posts", "replies", "post_themes")


def pause_insights(connection, dialect: str) -> None:
    for table in INSIGHTS_LOADED:
        connection.exec_driver_sql(f"DROP TRIGGER insights_{table}_insert" if dialect == "sqlite"
                                   else f"ALTER TABLE {table} DISABLE TRIGGER insights_mark_{table}")


def resume_insights(connection, dialect: str) -> None:
    if dialect == "sqlite":
        names = {f"insights_{table}_insert" for table in INSIGHTS_LOADED}
        for statement in _migration("0022_insights_summary.py").sqlite_triggers():
            if statement.split()[2] in names:
                connection.exec_driver_sql(statement)
    else:
        for table in INSIGHTS_LOADED:
            connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER insights_mark_{table}")


def index_new_posts(connection, dialect: str, migration, first_post_id: int) -> None:
    """The search migration's backfill, limited to the posts just loaded (and their replies)."""
    backfill = migration.SQLITE_BACKFILL if dialect == "sqlite" else migration.PG_BACKFILL
    posts, replies = backfill
    connection.exec_driver_sql(posts.replace("WHERE status = 'published'",
                                             f"WHERE status = 'published' AND id >= {int(first_post_id)}"))
    connection.exec_driver_sql(replies.replace("WHERE replies.status = 'published'",
                                               f"WHERE replies.post_id >= {int(first_post_id)} AND replies.status = 'published'"))


def finish_postgres_sequences() -> None:
    """Ids were given explicitly: move the sequences past them, or the next write would collide."""
    with db.engine.begin() as connection:
        for table in ("posts", "replies", "users"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


def remove(url: str) -> None:
    if url.startswith("sqlite"):
        path = make_url(url).database
        for leftover in Path(path).parent.glob(Path(path).name + "*"):
            os.remove(leftover)
