"""CPU milliseconds per request of the forum's pages, in one process: a figure that does not
depend on how loaded the (shared) machine is, unlike requests per second under wrk.

    python -m tools.page_cpu --db /tmp/cache/sqlite-1000p-10000r-500u-seed1.sqlite3
    python -m tools.page_cpu --db FILE --pages latest,theme,post --seconds 2
    python -m tools.page_cpu --db FILE --html /tmp/before --user 12 --variety   # save each page's HTML
    python -m tools.page_cpu --db FILE --pages run_state --profile 40   # where a page's time goes

Runs on a COPY of a benchmark database (`python -m bench --scale 0.01 --db sqlite --load-only`,
whose JSON beside the file names the advisers, themes, meeting and big thread), with the
benchmark server's configuration (`bench.run.production_app`), signed in the way the benchmark
signs in (`bench.sessions.sign_in`). Each page is asked for once to warm up, then again and again
for `--seconds` of `time.process_time()`. The benchmark data has no bookmarks or notifications:
the copy gets 40 of each for the signed-in person. `--variety` also marks some posts resolved,
helpful, "what helped" and hidden, for comparing HTML before and after a change.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

#: Page key -> address; {…} filled from the benchmark's JSON and the copy.
PAGES = {
    "latest": "/posts",
    "latest_deep": "{deep}",
    "theme": "/themes/{theme}",
    "two_themes": "/posts?theme={theme}&theme={theme2}",
    "bookmarks": "/bookmarks",
    "notifications": "/notifications",
    "home": "/",
    "circle": "/circles/{circle}",
    "meeting": "/meetings/{meeting}",
    "post": "/posts/{big_post}",
    "run_state": "/meetings/{meeting}/state",
    "search_common": "/search?q={common}",
    "search_theme": "/search?q={common}+{second}&theme={theme}",
}
BASE = "https://127.0.0.1"
OLDER_LINK = re.compile(r'href="([^"]*[?&]older=[^"]+)"')
#: Page 20 of the latest list, by its "older" links (the 1/100 database has 33 pages).
DEEP_PAGE = 20


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.page_cpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a benchmark SQLite file (its .json beside it)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, from: " + ", ".join(PAGES))
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per page")
    parser.add_argument("--user", type=int, help="sign in as this person (default: the benchmark's first adviser)")
    parser.add_argument("--html", type=Path, help="write each page's HTML into this folder")
    parser.add_argument("--variety", action="store_true",
                        help="resolve, hide and mark some posts on the copy (for HTML comparisons)")
    parser.add_argument("--zone", help="set the person's time zone first (e.g. Asia/Tokyo)")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="instead of timing, print cProfile's N costliest functions (cumulative) per page")
    return parser.parse_args(argv)


def seed(app, user_id: int, circle_id: int, variety: bool, zone: str | None) -> None:
    """Bookmarks and notifications for the person (the benchmark makes none), and with
    `variety` the states the benchmark's posts never have."""
    from sqlalchemy import select, update

    from forum.cases.models import Bookmark, Post, Reply, Status
    from forum.extensions import db
    from forum.notifications.models import Kind, Notification

    from forum.accounts.models import User

    with app.app_context():
        if zone:
            db.session.get(User, user_id).timezone = zone
        if variety:
            ids = list(db.session.scalars(select(Post.id).order_by(Post.last_activity_at.desc()).limit(120)))
            for position, post_id in enumerate(ids):
                post = db.session.get(Post, post_id)
                if position % 5 == 1 and post.kind.value == "case":
                    post.resolved_at = post.last_activity_at
                if position % 4 == 2:
                    post.helpful_count = position % 3 + 1
                if position % 6 == 3:
                    post.helped_reply_id = db.session.scalar(
                        select(Reply.id).where(Reply.post_id == post_id, Reply.status == Status.PUBLISHED).limit(1))
                if position % 17 == 5:
                    post.status = Status.HIDDEN
            db.session.execute(update(Reply).where(Reply.id % 13 == 0).values(helpful_count=2))
        newest = select(Post.id).where(Post.status == Status.PUBLISHED, (Post.circle_id.is_(None)) | (Post.circle_id == circle_id))
        for post_id in db.session.scalars(newest.order_by(Post.id.desc()).limit(40)):
            db.session.merge(Bookmark(user_id=user_id, post_id=post_id))
        replies = db.session.execute(select(Reply.id, Reply.post_id, Reply.author_id, Reply.created_at)
                                     .where(Reply.status == Status.PUBLISHED).order_by(Reply.id.desc()).limit(40))
        for position, reply in enumerate(replies):  # dated as their replies: the same HTML on every run
            db.session.add(Notification(recipient_id=user_id, kind=(Kind.REPLY, Kind.MENTION, Kind.FOLLOWED_REPLY)[position % 3],
                                        post_id=reply.post_id, reply_id=reply.id, actor_id=reply.author_id,
                                        created_at=reply.created_at, read_at=reply.created_at if position % 4 == 0 else None))
        db.session.commit()


def deep_path(client, headers) -> str:
    path = "/posts"
    for _ in range(DEEP_PAGE - 1):
        found = OLDER_LINK.search(client.get(path, base_url=BASE, headers=headers).get_data(as_text=True))
        if found is None:
            break
        path = html.unescape(found.group(1))
    return path


def cpu_per_request(client, path: str, headers: dict, seconds: float) -> tuple[float, int]:
    client.get(path, base_url=BASE, headers=headers)  # warm: templates compiled, caches filled
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        client.get(path, base_url=BASE, headers=headers)
        count += 1
    return (time.process_time() - started) * 1000 / count, count


def profile(client, path: str, headers: dict, seconds: float, lines: int) -> None:
    import cProfile
    import pstats

    client.get(path, base_url=BASE, headers=headers)
    profiler, count, started = cProfile.Profile(), 0, time.process_time()
    profiler.enable()
    while time.process_time() - started < seconds:
        client.get(path, base_url=BASE, headers=headers)
        count += 1
    profiler.disable()
    print(f"== {path}: {count} requests")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)


def main(argv=None) -> None:
    options = parse(argv)
    from sqlalchemy import select

    from bench.run import production_app
    from bench.sessions import USER_AGENT, sign_in
    from forum.extensions import db
    from forum.meetings.models import Meeting

    built = json.loads(options.db.with_suffix(".json").read_text())
    workdir = Path(tempfile.mkdtemp(prefix="page_cpu-"))
    copy = workdir / "copy.sqlite3"
    shutil.copyfile(options.db, copy)
    os.environ["FORUM_COUNT_STATEMENTS"] = "1"  # as the benchmark's servers: X-Statements on each answer
    app = production_app(f"sqlite:///{copy}")
    logging.getLogger("forum.requests").disabled = True  # one line per request otherwise
    user_id = options.user or built["adviser_ids"][0]
    with app.app_context():
        circle_id = db.session.scalar(select(Meeting.circle_id).where(Meeting.id == built["meeting_id"]))
    seed(app, user_id, circle_id, options.variety, options.zone)
    name, value = sign_in(app, user_id).cookie.split("=", 1)
    # Production answers only its own host name, over HTTPS, with a __Host- cookie.
    client = app.test_client()
    client.set_cookie(name, value, domain="127.0.0.1", secure=True)
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    headers = {"User-Agent": USER_AGENT}
    values = {"theme": built["theme_slugs"][0], "theme2": built["theme_slugs"][1], "circle": circle_id,
              "meeting": built["meeting_id"], "big_post": built["big_thread_post_id"],
              "common": built["common_word"], "second": built.get("second_word", "")}
    keys = [key.strip() for key in options.pages.split(",") if key.strip()]
    if "latest_deep" in keys:
        values["deep"] = deep_path(client, headers)
    if options.html:
        options.html.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<14} {'status':>6} {'stmts':>5} {'ms CPU':>8} {'requests':>8} {'KB':>6}  address")
    for key in keys:
        path = PAGES[key].format(**values)
        answer = client.get(path, base_url=BASE, headers=headers)
        body = answer.get_data(as_text=True)
        if options.html:
            (options.html / f"{key}.html").write_text(body)
        if options.profile:
            profile(client, path, headers, options.seconds, options.profile)
            continue
        milliseconds, count = cpu_per_request(client, path, headers, options.seconds) if options.seconds else (0.0, 0)
        print(f"{key:<14} {answer.status_code:>6} {answer.headers.get('X-Statements', '-'):>5} {milliseconds:>8.2f} "
              f"{count:>8} {len(body) / 1024:>6.1f}  {path}", flush=True)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
