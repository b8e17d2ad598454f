"""Wall time of each SQL statement one page runs, on a cached benchmark database.

    python -m tools.statement_timing --cache /work/bench-cache --db sqlite --path "/insights?period=12" --manager

Prints, for the median of `--repeat` requests, each statement's wall milliseconds (slowest
first) and the page's total: to find which statement carries a page's time at full scale.
Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event

from bench import loader
from bench.pages import similar_form, similar_title
from bench.run import managers_with_two_factor, production_app
from bench.sessions import USER_AGENT, sign_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale-name", default="100000p-1000000r-500u-seed1")
    parser.add_argument("--path", default="/insights?period=12")
    parser.add_argument("--manager", action="store_true", help="sign in as a manager with two-factor")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--similar", action="store_true", help="POST /similar with the benchmark's draft title")
    args = parser.parse_args()
    meta = json.loads((args.cache / f"{args.db}-{args.scale_name}.json").read_text())
    built = loader.completed(loader.Built(**meta))
    app = production_app(built.url)
    app.config["SEARCH_LIMIT"] = "100000 per minute"
    user_id = managers_with_two_factor(app, 1)[0] if args.manager else built.adviser_ids[0]
    signed_in = sign_in(app, user_id)
    cookie = signed_in.cookie
    client = app.test_client()
    name, value = cookie.split("=", 1)
    client.set_cookie(name, value, domain="127.0.0.1")
    times: dict[str, list[float]] = defaultdict(list)
    with app.app_context():
        from forum.extensions import db

        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany):
        times[statement].append((time.perf_counter() - conn.info["started"]) * 1000)

    totals = []
    for attempt in range(args.repeat + 1):
        if attempt == 1:
            times.clear()
        started = time.perf_counter()
        if args.similar:
            response = client.post("/similar", data=similar_form(signed_in.csrf_token, similar_title(built)),
                                   content_type="application/x-www-form-urlencoded",
                                   headers={"User-Agent": USER_AGENT}, base_url="http://127.0.0.1")
        else:
            response = client.get(args.path, headers={"User-Agent": USER_AGENT}, base_url="http://127.0.0.1")
        assert response.status_code == 200, response.status_code
        totals.append((time.perf_counter() - started) * 1000)
    rows = sorted(((statistics.median(spent), len(spent) // args.repeat, statement) for statement, spent in times.items()),
                  reverse=True)
    print(f"{args.db} {'POST /similar' if args.similar else args.path}: page {statistics.median(totals[1:]):.0f} ms wall (median of {args.repeat}), "
          f"SQL {sum(ms * count for ms, count, _ in rows):.0f} ms in {sum(count for _, count, _ in rows)} statements")
    for ms, count, statement in rows:
        print(f"{ms:7.1f} ms x{count}  {' '.join(statement.split())[:160]}")


if __name__ == "__main__":
    main()
