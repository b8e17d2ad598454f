"""What a page costs before it does anything of its own: the floor's page served inside the forum.

    python -m tools.fixed_cost --db /tmp/lead-cache/sqlite-1000p-10000r-500u-seed1.sqlite3

The benchmark's one-SELECT floor (`bench.floors.one_select`: one SELECT of 30 rows and a small
template, in a bare Flask app) is served three ways, CPU milliseconds per request in one
process (`time.process_time()`, Flask test client, on a copy of a benchmark SQLite database):

- the floor app itself;
- the same view and template added to the forum's production app, open to anyone: everything
  the forum does around every request (host check, session cookie, rate limiter, request log,
  security headers, the sign-in lookup the cookie asks for);
- the same, for signed-in members only (`web.member`), as every list page is;

and, for comparison, the forum's latest list (`/posts`). The difference between the floor app
and the forum's copy of it is the forum's fixed cost per request (issue 19): the share of the
floor any page can reach is at most floor / (floor + fixed cost). Not a unit test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

BASE = "https://127.0.0.1"


def cpu_per_request(client, path: str, headers: dict, seconds: float) -> float:
    answer = client.get(path, base_url=BASE, headers=headers)
    assert answer.status_code == 200, (path, answer.status_code)
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        client.get(path, base_url=BASE, headers=headers)
        count += 1
    return (time.process_time() - started) * 1000 / count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.fixed_cost", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a benchmark SQLite file (its .json beside it)")
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating the pages; the lowest is kept")
    options = parser.parse_args(argv)

    from sqlalchemy import select

    from bench import floors
    from bench.run import production_app
    from bench.sessions import USER_AGENT, sign_in
    from forum.extensions import db
    from forum.web import member

    built = json.loads(options.db.with_suffix(".json").read_text())
    workdir = Path(tempfile.mkdtemp(prefix="fixed_cost-"))
    copy = workdir / "copy.sqlite3"
    shutil.copyfile(options.db, copy)
    url = f"sqlite:///{copy}"
    os.environ["BENCH_FLOOR_DATABASE_URL"] = url
    floor = floors.one_select()

    app = production_app(url)
    logging.getLogger("forum.requests").disabled = True  # a line per request otherwise (gunicorn keeps it)
    template = app.jinja_env.from_string((Path(floors.__file__).parent / "templates" / "floor_list.html").read_text())
    statement = (select(floors.posts.c.id, floors.posts.c.title, floors.posts.c.reply_count,
                               floors.posts.c.last_activity_at)
                 .where(floors.posts.c.status == "published")
                 .order_by(floors.posts.c.last_activity_at.desc(), floors.posts.c.id.desc()).limit(30))

    def floor_page():
        return template.render(rows=db.session.execute(statement).all())

    app.add_url_rule("/fixed-cost/open", "fixed_cost_open", floor_page)
    app.add_url_rule("/fixed-cost/member", "fixed_cost_member", member(lambda: floor_page()))

    name, value = sign_in(app, built["adviser_ids"][0]).cookie.split("=", 1)
    client = app.test_client()
    client.set_cookie(name, value, domain="127.0.0.1", secure=True)
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    headers = {"User-Agent": USER_AGENT}
    pages = {"floor app": (floor.test_client(), "/"), "forum, open": (client, "/fixed-cost/open"),
             "forum, members": (client, "/fixed-cost/member"), "forum /posts": (client, "/posts")}
    lowest = {label: float("inf") for label in pages}
    for _ in range(options.rounds):
        for label, (which, path) in pages.items():
            lowest[label] = min(lowest[label], cpu_per_request(which, path, headers, options.seconds))
    base = lowest["floor app"]
    print(f"{'page':<16} {'ms CPU':>7} {'floor / page':>13}")
    for label, milliseconds in lowest.items():
        print(f"{label:<16} {milliseconds:>7.2f} {base / milliseconds:>12.0%}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
