"""`python -m bench --scale 0.01 --db sqlite,postgresql --pages latest,post`: see the README."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from bench import drive, loader, report
from bench.dataset import scaled
from bench.loader import log
from bench.pages import PAGE_KEYS
from bench.run import Settings, run_database, save

HERE = Path(__file__).resolve().parent


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 (100,000 posts), 0.1 or 0.01")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--pages", default="", help="comma-separated, from: " + ", ".join(PAGE_KEYS))
    parser.add_argument("--seconds", type=float, default=10, help="per page and repetition")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per page")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--write-seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--posts", type=int, help="override the scale's posts (tests)")
    parser.add_argument("--replies", type=int, help="override the scale's replies (tests)")
    parser.add_argument("--small-world", action="store_true", help="40 people, 6 themes, 3 circles, one 501-reply thread, a small vocabulary (tests)")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="an administrator URL: the benchmark creates its own databases through it")
    parser.add_argument("--postgres-prefix", default="forum_bench", help="names of the databases it creates")
    parser.add_argument("--load-only", action="store_true", help="build (or find) the cached databases, measure nothing")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    scale = scaled(args.scale)
    if args.small_world:
        scale = replace(scale, users=40, themes=6, circles=3, big_threads=1, big_thread_replies=501,
                        bodies=300, vocabulary=3000)
    if args.posts:
        scale = replace(scale, posts=args.posts)
    if args.replies:
        scale = replace(scale, replies=args.replies)
    pages = tuple(key for key in args.pages.split(",") if key)
    unknown = set(pages) - set(PAGE_KEYS)
    if unknown:
        raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
    args.cache.mkdir(parents=True, exist_ok=True)
    return Settings(scale=scale, factor=args.scale, seed=args.seed, seconds=args.seconds, warmup=args.warmup,
                    repetitions=args.repetitions, write_seconds=args.write_seconds, pages=pages,
                    postgres_admin_url=args.postgres_url, postgres_prefix=args.postgres_prefix, cache=args.cache, workdir=args.cache)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if not drive.wrk_available():
        raise SystemExit("wrk is missing: apt-get install wrk")
    settings = settings_from(args)
    for dialect in [name.strip() for name in args.db.split(",") if name.strip()]:
        if args.load_only:
            admin = settings.postgres_admin_url if dialect == "postgresql" else None
            loader.cached(dialect, settings.scale, settings.seed, admin, settings.cache, settings.postgres_prefix)
            continue
        log(f"== {dialect}, scale {args.scale:g} ==")
        path = save(run_database(dialect, settings), args.results)
        log(f"recorded {path}")
        report.write(args.results, args.report)
        log(f"report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
