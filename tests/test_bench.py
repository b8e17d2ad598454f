"""The benchmark cannot rot: its loader writes what the services write, and its pipeline runs."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from datetime import timedelta
from functools import cache

import pytest
from sqlalchemy import select, text

from bench import corpus, drive, loader, report
from bench.__main__ import main as bench_main
from bench.load_check import main as load_check_main
from bench.dataset import PostSpec, ReplySpec
from bench.pages import PAGE_KEYS
from forum import create_app
from forum.accounts.models import User
from forum.cases import services
from forum.cases.models import Post, PostKind, PrivacyFinding, Reply
from forum.extensions import db
from forum.themes import services as themes
from forum.timeutil import utcnow
from tests.servers import Nginx
from tests.conftest import BASE_CONFIG, postgres_admin_url

#: Post columns that differ between any two posts by nature, not by how they were written.
OWN_COLUMNS = {"id", "created_at", "published_at", "last_activity_at"}
REPLY_OWN_COLUMNS = {"id", "post_id", "created_at"}


@cache
def small_corpus() -> corpus.Corpus:
    return corpus.build(seed=3, bodies=40, lines=10, titles=10, vocabulary_size=3000)


def _row(table: str, key: str, value: int, leave_out: set[str], order: str = "id") -> list[dict]:
    rows = db.session.execute(text(f"SELECT * FROM {table} WHERE {key} = :value ORDER BY {order}"), {"value": value})
    return [{name: column for name, column in row._mapping.items() if name not in leave_out} for row in rows]


def _search_documents(post_id: int) -> list[tuple]:
    if db.engine.dialect.name == "sqlite":
        query = ("SELECT doc_type, title, body, themes FROM search_documents WHERE post_id = :post "
                 "ORDER BY reply_id IS NOT NULL, reply_id")
    else:  # the tsvector too: what search actually matches
        query = ("SELECT doc_type, title, body, tsv::text, theme_ids FROM search_documents WHERE post_id = :post "
                 "ORDER BY reply_id IS NOT NULL, reply_id")
    return [tuple(row) for row in db.session.execute(text(query), {"post": post_id})]


def _through_services(author: User, repliers: list[User], title: str, parts: dict, theme_ids: list[int],
                      replies: list) -> int:
    data = services.PostInput(kind=PostKind.CASE, title=title, parts={name: body.markdown for name, body in parts.items()},
                              theme_ids=theme_ids)
    post = services.save(author, data, publish=True)
    db.session.commit()
    for replier, body in zip(repliers, replies):
        services.reply(replier, post, body.markdown)
        db.session.commit()
    return post.id


def _through_loader(author: User, repliers: list[User], title: str, parts: dict, theme_ids: list[int],
                    replies: list) -> int:
    now = utcnow()
    spec = PostSpec(kind=PostKind.CASE, title=title, parts=parts, author_id=author.id, theme_ids=tuple(theme_ids),
                    published_at=now)
    thread = [ReplySpec(author_id=replier.id, body=body, created_at=now + timedelta(seconds=number + 1))
              for number, (replier, body) in enumerate(zip(repliers, replies))]
    (post_id,) = loader.bulk_load([(spec, thread)])
    return post_id


def test_a_loaded_post_is_the_post_the_services_make(app, make_user):
    people = [make_user(name=f"Writer{number}") for number in range(3)]
    text_pool = small_corpus()
    title = text_pool.titles[0]
    parts = {"situation": text_pool.bodies[0], "tried": text_pool.bodies[1], "ask": text_pool.lines[0]}
    replies = text_pool.bodies[2:5]
    with app.app_context():
        theme_ids = [themes.add("Housing").id, themes.add("Debt advice").id]
        db.session.commit()
        author, *repliers = [db.session.get(User, person.id) for person in people]
        repliers = repliers + [author]
        made = _through_services(author, repliers, title, parts, theme_ids, replies)
        loaded = _through_loader(author, repliers, title, parts, theme_ids, replies)

        assert _row("posts", "id", loaded, OWN_COLUMNS) == _row("posts", "id", made, OWN_COLUMNS)
        assert _row("replies", "post_id", loaded, REPLY_OWN_COLUMNS) == _row("replies", "post_id", made, REPLY_OWN_COLUMNS)
        assert (_row("post_themes", "post_id", loaded, {"post_id"}, order="theme_id")
                == _row("post_themes", "post_id", made, {"post_id"}, order="theme_id"))
        assert _search_documents(loaded) == _search_documents(made)
        assert len(_search_documents(made)) == 1 + len(replies)
        assert all(document[-1] for document in _search_documents(made))  # the post's themes, on every document
        for post_id in (made, loaded):  # the last reply is the post's last activity
            last_reply = db.session.scalar(select(Reply.created_at).where(Reply.post_id == post_id)
                                           .order_by(Reply.created_at.desc()).limit(1))
            assert db.session.scalar(select(Post.last_activity_at).where(Post.id == post_id)) == last_reply
        assert db.session.scalar(select(PrivacyFinding.id)) is None  # the corpus is clean, so nothing was held


def test_the_corpus_reads_like_writing():
    text_pool = small_corpus()
    assert len(set(text_pool.words)) == len(text_pool.words) > 2000
    assert all(corpus.SHORTEST <= len(body.markdown) <= corpus.LONGEST for body in text_pool.bodies)
    assert all(body.html.startswith(("<p>", "<ul>")) for body in text_pool.bodies)
    assert sum(text_pool.rare_phrase in body.markdown.replace("*", "") for body in text_pool.bodies) == 1


def _wrk_or_skip() -> None:
    if drive.wrk_available():
        return
    if os.environ.get("CI"):
        pytest.fail("wrk is missing: .ci/run installs it")
    pytest.skip("wrk is not installed (apt-get install wrk)")


@pytest.fixture
def bench_prefix():
    """A name prefix for the PostgreSQL databases the pipeline makes; they are dropped afterwards."""
    prefix = f"forum_bench_test_{uuid.uuid4().hex[:8]}"
    yield prefix
    if postgres_admin_url():
        loader.drop_postgres_databases(postgres_admin_url(), prefix)


def test_the_benchmark_runs_end_to_end_at_a_tiny_scale(tmp_path, bench_prefix):
    """Every step of `python -m bench` on 200 posts, 1 s per page: every page answers as it should."""
    _wrk_or_skip()
    dialect = "postgresql" if postgres_admin_url() else "sqlite"
    arguments = ["--scale", "0.01", "--posts", "200", "--replies", "1500", "--small-world", "--db", dialect,
                 "--seconds", "1", "--warmup", "0", "--repetitions", "1", "--write-seconds", "1",
                 "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results"),
                 "--report", str(tmp_path / "RESULTS.md"), "--postgres-prefix", bench_prefix]
    if postgres_admin_url():
        arguments += ["--postgres-url", postgres_admin_url()]
    try:
        assert bench_main(arguments) == 0
    finally:
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)

    record = json.loads((tmp_path / "results" / f"{dialect}-scale0.01.json").read_text())
    for page in record["pages"]:
        assert page["status"] == (302 if page["group"] == "write" else 200), page
        assert page["statements"] is not None and page["statements"] > 0, page
        for repetition in page["repetitions"]:
            assert repetition["requests"] > 0 and repetition["errors"] == 0, page
    write = next(page for page in record["pages"] if page["group"] == "write")
    assert write["extra"]["lost"] == 0 and write["extra"]["unexplained"] == 0 and write["extra"]["counter_matches"]
    assert {page["key"] for page in record["pages"]} == set(PAGE_KEYS)
    assert all(record["floors"][name]["repetitions"][0]["errors"] == 0 for name in ("hello", "one_select"))
    report = (tmp_path / "RESULTS.md").read_text()
    assert "Floor: one SELECT of 30 rows" in report and "Search: a rare phrase" in report


def test_statement_counting_is_opt_in(app, database_url):
    assert "X-Statements" not in app.test_client().get("/healthz").headers
    counting = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "COUNT_STATEMENTS": True})
    assert counting.test_client().get("/healthz").headers["X-Statements"] == "1"  # its SELECT 1
    with counting.app_context():
        db.engine.dispose()


def test_the_load_check_passes_through_nginx_with_two_servers(tmp_path, bench_prefix):
    """`python -m bench.load_check` at a tiny scale for 2 s: both servers behind nginx answer every
    reader and writer without an error and every reply is stored."""
    _wrk_or_skip()
    if not postgres_admin_url():
        pytest.skip("the load check runs on PostgreSQL (two servers share one database)")
    if not os.path.exists(Nginx.BINARY):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    arguments = ["--scale", "0.01", "--posts", "200", "--replies", "1500", "--seconds", "2", "--connections", "8",
                 "--workers", "1", "--cache", str(tmp_path / "cache"), "--results", str(tmp_path / "results" / "load"),
                 "--report", str(tmp_path / "RESULTS.md"), "--postgres-prefix", bench_prefix,
                 "--postgres-url", postgres_admin_url()]
    try:
        assert load_check_main(arguments) == 0
    finally:
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    record = json.loads((tmp_path / "results" / "load" / "postgresql-scale0.01.json").read_text())
    assert record["read"]["statuses"].keys() == {"200"} and record["write"]["statuses"].keys() == {"302"}
    assert record["outcome"]["lost"] == 0 and record["outcome"]["stored"] >= record["outcome"]["accepted"] > 0
    assert "Load check: two servers behind nginx" in (tmp_path / "RESULTS.md").read_text()


def test_a_page_answered_with_any_error_is_a_failed_measurement_without_a_speed():
    """429s (a per-person limit reached) are fast: a page with any of them reports no speed."""
    refused = {"key": "search_rare", "title": "Search: a rare phrase", "path": "/search?q=x", "group": "search",
               "status": 200, "statements": 4,
               "repetitions": [{"per_second": 830.1, "p50_ms": 1.5, "p99_ms": 3.0, "errors": 7341,
                                "statuses": {"200": 960, "429": 7341}}]}
    floor = {"repetitions": [{"per_second": 1000.0, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}]}
    rows = report.page_rows({"floors": {"hello": floor, "one_select": floor}, "pages": [refused], "factor": 0.01})
    row = next(row for row in rows if "rare phrase" in row)
    assert "failed measurement" in row and "830" not in row and "'429': 7341" in row and "**no**" in row


@pytest.mark.parametrize(("group", "share", "p50", "full_scale", "met"), [
    ("list", 0.45, 10, True, True), ("list", 0.35, 10, True, False),
    ("poll", 0.55, 5, True, False), ("poll", 0.65, 5, True, True),  # the state poll: 60%, not 40%
    ("report", 0.01, 250, True, True), ("report", 0.01, 350, True, False), ("report", 0.01, 350, False, None),
])
def test_each_page_is_judged_by_its_own_target(group, share, p50, full_scale, met):
    assert report.target({"group": group}, share, p50, 20.0, full_scale)[1] is met


def test_the_benchmark_raises_every_per_person_limit():
    from bench.run import RAISED_LIMITS
    from forum.config import ENV_VARIABLES

    assert {"POST_LIMIT", "REPLY_LIMIT", "SEARCH_LIMIT", "FLAG_LIMIT"} <= RAISED_LIMITS.keys()
    # Every rate limit a person can meet ("n/period"), not the flag-hiding count.
    assert {name for name in ENV_VARIABLES if name.endswith("_LIMIT")} - RAISED_LIMITS.keys() == {"URGENT_HIDE_LIMIT"}


def _insights_insert_triggers() -> set[str]:
    if db.engine.dialect.name == "sqlite":
        return set(db.session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'insights_%_insert'")))
    return {name.removeprefix("insights_mark_") for name in db.session.scalars(text(
        "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'insights_mark_%' AND tgname NOT LIKE '%_delete' "
        "AND tgenabled <> 'D'"))}


def test_the_bulk_load_pauses_insights_triggers_on_what_it_writes_and_puts_them_back(app):
    # Their checks read replies by post, an index the load drops: left on, a full-scale load
    # scanned every reply for each reply it wrote.
    with app.app_context():
        before = _insights_insert_triggers()
        db.session.commit()
        with loader.bulk_mode(1):
            during = _insights_insert_triggers()
            db.session.commit()
        after = _insights_insert_triggers()
        db.session.commit()
        sqlite = db.engine.dialect.name == "sqlite"
    paused = {f"insights_{table}_insert" for table in loader.INSIGHTS_LOADED} if sqlite else set(loader.INSIGHTS_LOADED)
    assert paused <= before and during == before - paused and after == before
