"""CPU time of `/insights?period=12` in one process, on a benchmark database.

    python -m tools.insights_timing --scale 0.01                  # SQLite, builds (or reuses) bench/.cache
    python -m tools.insights_timing --scale 0.1 --db postgresql   # PostgreSQL (FORUM_BENCH_POSTGRES_URL or the default)

Prints the median CPU milliseconds (process time: this process only, so the database's own
work on PostgreSQL is not in it; wall time is printed beside it) of: the whole page, asked by a
manager with two-factor through the test client; the five sections from the monthly summary
(`forum.insights.services`); and the same five sections by the grouped queries they replaced
(`tests/insights/reference.py`, "before"). Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench import loader
from bench.dataset import scaled
from bench.run import managers_with_two_factor, production_app
from bench.sessions import USER_AGENT, sign_in
from forum.insights import filters, services
from forum.timeutil import in_zone, utcnow

POSTGRES = os.environ.get("FORUM_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def timed(action, repeat: int) -> tuple[float, float]:
    """Median CPU ms and wall ms of `action` over `repeat` runs (after one warm-up)."""
    action()
    cpu, wall = [], []
    for _ in range(repeat):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # Its own PostgreSQL database names, so that the benchmark's cached databases are left alone.
    built = loader.cached(args.db, scaled(args.scale), args.seed, POSTGRES if args.db == "postgresql" else None,
                          prefix="forum_insights_timing")
    app = production_app(built.url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # a database cached before migration 0022 gets the summary
    manager_id = managers_with_two_factor(app, 1)[0]
    cookie = sign_in(app, manager_id).cookie
    client = app.test_client()
    name, value = cookie.split("=", 1)
    client.set_cookie(name, value, domain="127.0.0.1")

    def page():
        response = client.get("/insights?period=12", headers={"User-Agent": USER_AGENT}, base_url="http://127.0.0.1")
        assert response.status_code == 200, response.status_code

    from tests.insights import reference

    def sections(module):
        def run():
            with app.app_context():
                from forum.accounts.models import User
                from forum.extensions import db

                org, themes = filters.organisation(), filters.themes()
                user = db.session.get(User, manager_id)
                now = utcnow()
                chosen = filters.build(user, org, themes, period="12", since=None, until=None, team="", theme="",
                                       today=in_zone(now, user.timezone).date(), now=now)
                module.sections(chosen, org, themes)
                db.session.remove()
        return run

    print(f"{args.db}, scale {args.scale:g} ({built.scale['posts']:,} posts, {built.scale['replies']:,} replies), "
          f"median of {args.repeat}:")
    for label, action in (("page /insights?period=12 (summary)", page),
                          ("five sections, summary", sections(services)),
                          ("five sections, grouped queries (before)", sections(reference))):
        cpu, wall = timed(action, args.repeat)
        print(f"  {label}: {cpu:.0f} ms CPU, {wall:.0f} ms wall")


if __name__ == "__main__":
    main()
