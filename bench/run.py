"""One benchmark run on one database: load (or reuse), serve, find the pages, measure, record."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench import drive, loader, machine
from bench.dataset import Scale
from bench.loader import Built, log
from bench.pages import (
    PAGE_KEYS,
    Page,
    all_pages,
    follow_older,
    reply_form,
    request,
    similar_form,
    similar_title,
    wait_until_idle,
)
from bench.server import gunicorn
import pyotp

from bench.sessions import SignedIn, sign_in
from forum import create_app
from forum.accounts import sealing
from forum.accounts.models import Role, TwoFactor, User
from forum.config import defaults
from forum.cases.models import Post, Reply, Status
from forum.extensions import db
from forum.timeutil import utcnow

SECRET_KEY = "benchmark-secret-key-not-for-production-0123456789"
#: Raised, never disabled: every per-person rate limit the settings name (posting, replying,
#: search, and any added later) stays on, on the Redis storage production uses, high enough
#: that the benchmark measures pages, not refusals.
RAISED_LIMITS = {name: "1000000/hour" for name, value in defaults("").items()
                 if name.endswith("_LIMIT") and "/" in str(value)}
REDIS = "redis://127.0.0.1:6379/9"


@dataclass
class Settings:
    scale: Scale
    factor: float
    seed: int = 1
    seconds: float = 10
    warmup: float = 3
    repetitions: int = 3
    write_seconds: float = 30
    pages: tuple[str, ...] = ()
    postgres_admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    postgres_prefix: str = "forum_bench"
    cache: Path = loader.CACHE
    workdir: Path = loader.CACHE


@dataclass
class PageResult:
    key: str
    title: str
    path: str
    group: str
    status: int
    statements: int | None
    repetitions: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def production_env(url: str) -> dict:
    return {"FORUM_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url,
            "RATELIMIT_STORAGE_URI": REDIS, "FORUM_BASE_URL": "http://127.0.0.1", "FORUM_COUNT_STATEMENTS": "1",
            **RAISED_LIMITS}


def production_app(url: str):
    """The same configuration as the server's, in this process: for sign-ins and counting rows."""
    return create_app({"FORUM_ENV": "production", "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url,
                       "RATELIMIT_STORAGE_URI": REDIS, "MAIL_BACKEND": "memory",
                       "FORUM_BASE_URL": "http://127.0.0.1", **RAISED_LIMITS})


def figures(found: drive.Measurement) -> dict:
    return {**asdict(found), "per_second": round(found.per_second, 1), "errors": found.errors,
            "successes": found.successes()}


def measure(base: str, page: Page, identities: list[drive.Identity], settings: Settings) -> list[dict]:
    """A warm-up, then the repetitions; each repetition's figures."""
    if settings.warmup:
        drive.run(base, page.path, identities, settings.warmup, settings.workdir, page.method)
    results = []
    for _ in range(settings.repetitions):
        wait_until_idle(base)
        results.append(figures(drive.run(base, page.path, identities, settings.seconds, settings.workdir, page.method)))
    return results


def published_replies(app, post_id: int) -> tuple[int, int]:
    """Replies in the database and the post's own counter of them, read in one statement (one
    snapshot), once writes still running on the server after wrk stopped have finished."""
    stored = (select(func.count()).select_from(Reply)
              .where(Reply.post_id == post_id, Reply.status == Status.PUBLISHED).scalar_subquery())
    query = select(stored, Post.reply_count).where(Post.id == post_id)
    previous = None
    with app.app_context():
        for _ in range(30):
            found = tuple(db.session.execute(query).one())
            db.session.rollback()
            if found == previous:
                break
            previous = found
            time.sleep(1)
        db.session.remove()
    return found


def run_write(base: str, page: Page, people: list[SignedIn], app, settings: Settings) -> PageResult:
    """8 writers for the write time; every 2xx/3xx answer must be a reply in the database."""
    text = "Thank you, this helps. We tried the same and it worked for us."
    identities = [drive.Identity(person.cookie, reply_form(person.csrf_token, text)) for person in people]
    post_id = int(page.path.split("/")[2])
    if settings.warmup:  # the first write in each worker loads the privacy guard's word lists
        drive.run(base, page.path, identities, settings.warmup, settings.workdir, "POST")
    before, _ = published_replies(app, post_id)
    probe = request(base, page.path, people[0].cookie, "POST", identities[0].body)
    found = drive.run(base, page.path, identities, settings.write_seconds, settings.workdir, "POST")
    after, counter = published_replies(app, post_id)
    accepted = found.successes() + (1 if 200 <= probe.status < 400 else 0)
    return PageResult(page.key, page.title, page.path, page.group, probe.status, probe.statements, [figures(found)],
                      extra=write_outcome(accepted, after - before, counter == after, settings.write_seconds))


def write_outcome(accepted: int, stored: int, counter_matches: bool, seconds: float,
                  connections: int = drive.CONNECTIONS) -> dict:
    """A reply answered 2xx/302 but missing from the database is lost. wrk stops with up to one
    request per connection in flight: those are stored but never counted as answered."""
    return {"accepted": accepted, "stored": stored, "lost": max(accepted - stored, 0),
            "unanswered_in_flight": max(stored - accepted, 0),
            "unexplained": max(stored - accepted - connections, 0),
            "counter_matches": counter_matches, "seconds": seconds}


def run_similar(base: str, page: Page, people: list[SignedIn], title: str, settings: Settings) -> PageResult:
    """The editor's side panel: a read, sent by POST with each adviser's CSRF token (issue 21)."""
    identities = [drive.Identity(person.cookie, similar_form(person.csrf_token, title)) for person in people]
    wait_until_idle(base)
    probe = request(base, page.path, people[0].cookie, "POST", identities[0].body)
    log(f"  {page.key}: {page.path} answered {probe.status} with {probe.statements} statements")
    return PageResult(page.key, page.title, page.path, page.group, probe.status, probe.statements,
                      measure(base, page, identities, settings))


def run_pages(base: str, pages: list[Page], people: list[SignedIn], app, settings: Settings,
              managers: list[SignedIn] | None = None, title: str = "") -> list[PageResult]:
    results = []
    for page in pages:
        if page.group == "similar":
            results.append(run_similar(base, page, people, title, settings))
            continue
        if page.method == "POST":
            wait_until_idle(base)
            log(f"  {page.key}: {settings.write_seconds:g} s of 8 writers")
            results.append(run_write(base, page, people, app, settings))
            continue
        askers = managers if page.who == "manager" and managers else people
        identities = [drive.Identity(person.cookie) for person in askers]
        wait_until_idle(base)
        probe = request(base, page.path, askers[0].cookie)
        log(f"  {page.key}: {page.path} answered {probe.status} with {probe.statements} statements")
        results.append(PageResult(page.key, page.title, page.path, page.group, probe.status, probe.statements,
                                  measure(base, page, identities, settings)))
    return results


def managers_with_two_factor(app, count: int = drive.CONNECTIONS) -> list[int]:
    """Up to `count` line managers of the working copy, with two-factor sign-in turned on (as
    their role requires before any manager's page), for the managers' pages."""
    with app.app_context():
        ids = list(db.session.scalars(select(User.id).where(User.role == Role.MANAGER).order_by(User.id).limit(count)))
        have = set(db.session.scalars(select(TwoFactor.user_id).where(TwoFactor.user_id.in_(ids or [-1]))))
        for user_id in ids:
            if user_id not in have:
                db.session.add(TwoFactor(user_id=user_id, sealed_secret=sealing.seal(pyotp.random_base32()),
                                         confirmed_at=utcnow()))
        db.session.commit()
        db.session.remove()
    return ids


def run_floors(url: str, settings: Settings, log_file: Path) -> dict:
    floors = {}
    for name, target in (("hello", "bench.floors:hello_world()"), ("one_select", "bench.floors:one_select()")):
        with gunicorn(target, {"BENCH_FLOOR_DATABASE_URL": url}, log_file) as server:
            page = Page(name, name, "/", "floor")
            floors[name] = {"repetitions": measure(server.base, page, [drive.Identity("")], settings),
                            "peak_rss_mb": server.peak_rss_per_worker()}
        log(f"  floor {name}: {statistics.median(rep['per_second'] for rep in floors[name]['repetitions']):.0f} req/s")
    return floors


def chosen(pages: list[Page], keys: tuple[str, ...]) -> list[Page]:
    return [page for page in pages if not keys or page.key in keys]


def run_database(dialect: str, settings: Settings) -> dict:
    """Everything for one database; returns the record written to bench/results/."""
    started = time.time()
    admin = settings.postgres_admin_url if dialect == "postgresql" else None
    built: Built = loader.cached(dialect, settings.scale, settings.seed, admin, settings.cache, settings.postgres_prefix)
    url = loader.working_copy(built, dialect, admin, settings.cache, settings.postgres_prefix)
    app = production_app(url)
    with app.app_context():
        upgrade()  # a database cached before the latest migrations gets them (a no-op otherwise)
        db.engine.dispose()
    loader.add_learning(url, built.adviser_ids)
    loader.add_reading(url, built.adviser_ids)
    people = [sign_in(app, user_id) for user_id in built.adviser_ids]
    managers = [sign_in(app, user_id) for user_id in managers_with_two_factor(app)] if _wants(settings, "insights") else []
    log_file = settings.workdir / f"gunicorn-{dialect}.log"
    log(f"{dialect}: serving the forum (2 sync workers, production mode)")
    with gunicorn("wsgi:app", production_env(url), log_file) as server:
        deep_path, reached = follow_older(server.base, people[0].cookie) if _wants(settings, "latest_deep") else ("/posts", 0)
        pages = chosen(all_pages(built, deep_path, reached), settings.pages)
        results = run_pages(server.base, pages, people, app, settings, managers, similar_title(built))
        rss = server.peak_rss_per_worker()
    log(f"{dialect}: floors")
    floors = run_floors(url, settings, log_file)
    with app.app_context():
        db.engine.dispose()
    if dialect == "postgresql":
        loader.drop_postgres_databases(admin, f"{settings.postgres_prefix}_work")
    return {"database": dialect, "factor": settings.factor, "scale": asdict(settings.scale), "seed": settings.seed,
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)), "machine": machine.describe(),
            "settings": {"seconds": settings.seconds, "warmup": settings.warmup, "repetitions": settings.repetitions,
                         "write_seconds": settings.write_seconds, "connections": drive.CONNECTIONS,
                         "limits": RAISED_LIMITS, "ratelimit_storage": REDIS},
            "load_seconds": built.load_seconds, "deep_page_reached": reached,
            "pages": [asdict(result) for result in results], "floors": floors, "peak_rss_mb": rss}


def _wants(settings: Settings, key: str) -> bool:
    return not settings.pages or key in settings.pages


def save(record: dict, results_dir: Path) -> Path:
    """Write the run's record; a run of some pages only replaces those pages in the last record."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{record['database']}-scale{record['factor']:g}.json"
    if path.exists():
        earlier = json.loads(path.read_text())
        measured = {page["key"] for page in record["pages"]}
        kept = [page for page in earlier["pages"] if page["key"] not in measured]
        order = {key: number for number, key in enumerate(PAGE_KEYS)}
        record = {**record, "pages": sorted(kept + record["pages"], key=lambda page: order.get(page["key"], 99)),
                  "deep_page_reached": record["deep_page_reached"] or earlier.get("deep_page_reached", 0)}
    path.write_text(json.dumps(record, indent=1))
    return path
