"""The production load check: two app servers behind the deploy/ nginx site, one PostgreSQL
database and Redis, 32 connections for 60 seconds reading the latest list and replying at once.

    python -m bench.load_check --scale 0.01 --seconds 60

Passes when no answer is an error (400 or more, or a socket error) and every reply the forum
answered with its redirect is in the database. The record goes to bench/results/load/ and its
section into bench/RESULTS.md. The servers and nginx are the two-server test harness's
(tests/servers.py), so what is measured is what the production tests check.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

from bench import drive, loader, machine, report
from bench.dataset import scaled
from bench.loader import log
from bench.pages import reply_form
from bench.run import REDIS, RAISED_LIMITS, SECRET_KEY, figures, production_app, published_replies, write_outcome
from bench.sessions import sign_in
from forum.extensions import db
from tests.servers import Cluster, Nginx

HERE = Path(__file__).resolve().parent
REPLY_TEXT = "Thank you, this helps. We tried the same and it worked for us."
#: The nginx site answers under this name (FORUM_BASE_URL's host, so production's host check passes).
HOST = "127.0.0.1"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32, help="in all, half reading and half replying")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--posts", type=int, help="override the scale's posts (tests)")
    parser.add_argument("--replies", type=int, help="override the scale's replies (tests)")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--postgres-prefix", default="forum_bench")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "load")
    parser.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    return parser.parse_args(argv)


def server_env(url: str, base: str) -> dict:
    """Production settings for both servers: behind one proxy, sharing Redis for limits and sessions."""
    return {"FORUM_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url, "RATELIMIT_STORAGE_URI": REDIS,
            "FORUM_BASE_URL": base, "FORUM_PROXY_HOPS": "1", "FORUM_SERVERS": "2", **RAISED_LIMITS}


def split(connections: int) -> tuple[int, int]:
    readers = max(connections // 2, 1)
    return readers, max(connections - readers, 1)


def run_load(base: str, origin: str, identities: list[drive.Identity], reply_path: str, seconds: float,
             connections: int, workdir: Path) -> tuple[drive.Measurement, drive.Measurement]:
    """Readers of the latest list and writers of replies at the same time, each wrk in its own folder."""
    readers, writers = split(connections)
    (workdir / "read").mkdir(exist_ok=True)
    (workdir / "write").mkdir(exist_ok=True)
    forms = [drive.Identity(one.cookie, one.body) for one in identities]
    plain = [drive.Identity(one.cookie) for one in identities]
    # Over HTTPS Flask-WTF checks a POST's Referer against the site's address, as a browser sends it
    # (the site's own name: nginx forwards the host without the test's port).
    headers = {"Referer": f"{origin}{reply_path.rsplit('/', 1)[0]}"}
    with ThreadPoolExecutor(2) as pool:
        reading = pool.submit(drive.run, base, "/posts", plain, seconds, workdir / "read", "GET", readers)
        writing = pool.submit(drive.run, base, reply_path, forms, seconds, workdir / "write", "POST", writers, headers)
        return reading.result(), writing.result()


def check(settings: argparse.Namespace) -> dict:
    scale = scaled(settings.scale)
    if settings.posts:
        scale = replace(scale, posts=settings.posts)
    if settings.replies:
        scale = replace(scale, replies=settings.replies)
    settings.cache.mkdir(parents=True, exist_ok=True)
    admin = settings.postgres_url
    built = loader.cached("postgresql", scale, settings.seed, admin, settings.cache, settings.postgres_prefix)
    url = loader.working_copy(built, "postgresql", admin, settings.cache, settings.postgres_prefix)
    app = production_app(url)
    people = [sign_in(app, user_id) for user_id in built.adviser_ids]
    reply_path = f"/posts/{built.write_post_id}/replies"
    identities = [drive.Identity(person.cookie, reply_form(person.csrf_token, REPLY_TEXT)) for person in people]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="forum-load-") as folder:
        workdir = Path(folder)
        with Cluster(url, count=2, env=server_env(url, f"https://{HOST}"), workers=settings.workers,
                     log_dir=workdir) as cluster:
            upstreams = [address.removeprefix("http://") for address in cluster.urls]
            with Nginx(workdir, upstreams) as proxy:
                # Production's host check compares names only, so FORUM_BASE_URL needs no port.
                base = f"https://{HOST}:{proxy.https_port}"
                before, _ = published_replies(app, built.write_post_id)
                log(f"load check: {settings.connections} connections for {settings.seconds:g} s through {base}")
                reading, writing = run_load(base, f"https://{HOST}", identities, reply_path, settings.seconds, settings.connections, workdir)
                after, counter = published_replies(app, built.write_post_id)
    with app.app_context():
        db.engine.dispose()
    loader.drop_postgres_databases(admin, f"{settings.postgres_prefix}_work")
    readers, writers = split(settings.connections)
    return {"database": "postgresql", "factor": settings.scale, "scale": asdict(scale), "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
            "machine": machine.describe(), "seconds": settings.seconds, "servers": 2, "workers": settings.workers,
            "readers": readers, "writers": writers,
            "read": figures(reading), "write": figures(writing),
            "outcome": write_outcome(writing.successes(), after - before, counter == after, settings.seconds, writers)}


def passed(record: dict) -> bool:
    outcome = record["outcome"]
    return (record["read"]["errors"] == 0 and record["write"]["errors"] == 0 and record["read"]["requests"] > 0
            and record["write"]["requests"] > 0 and outcome["lost"] == 0 and outcome["unexplained"] == 0
            and outcome["counter_matches"])


def save(record: dict, results: Path) -> Path:
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"postgresql-scale{record['factor']:g}.json"
    path.write_text(json.dumps(record, indent=1))
    return path


def main(argv: list[str] | None = None) -> int:
    settings = parse(sys.argv[1:] if argv is None else argv)
    if not drive.wrk_available():
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not Path(Nginx.BINARY).exists():
        raise SystemExit("nginx is missing: apt-get install nginx")
    record = check(settings)
    path = save(record, settings.results)
    log(f"recorded {path}")
    report.write(settings.results.parent, settings.report)
    log(f"report: {settings.report}")
    ok = passed(record)
    log("load check " + ("passed" if ok else "FAILED") + f": {report.load_line(record)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
