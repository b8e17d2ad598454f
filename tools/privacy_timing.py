"""The privacy timing command: how long the privacy guard's scan() takes on a 5,000-character case write-up.

    python -m tools.privacy_timing            # prints load time and median / p95 / max per scan
    python -m tools.privacy_timing --check    # exits 1 if the median is over the 10 ms budget

Not a unit test: timings depend on the machine, so CI does not fail on them.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from forum.privacy import wordlists
from forum.privacy.scanner import scan

BUDGET_MS = 10.0

# A realistic mix: mostly prose, some traps, some identifiers (all invented).
SENTENCES = [
    "I started working with Olga Brennan about five years ago.",
    "Olga had been unemployed for around nine months and had given up on work.",
    "She assumed that every employer would bin an application with a long gap on it.",
    "We signed her up for a basic digital skills course at the library.",
    "Her DOB is 22/04/2000 and her NINO (PM 26 39 47 D) was entered wrongly.",
    "Home is in DH15RQ, about an hour from the town centre by bus.",
    "The role is 18 hours a week paying £11.44 an hour at Home Bargains in Leeds.",
    "Hope this is useful to someone.",
    "Will power alone was never going to be enough.",
    "Our office is next to the Jobcentre on Market Street, which makes joint appointments easy.",
    "She prefers to be contacted on 0141 496 0666.",
    "The advert listed the job number as 985 034 1419, which is just the job board's own reference.",
    "The occupational health referral listed her NHS number as 943 476 5919.",
    "He is from Kington, a small place where jobs are scarce.",
    "She has been taken on as the only stonemason at Moss & Clegg Builders.",
    "His online CV is at shanebrennancv.wordpress.com and he checks shane.osei17@icloud.com daily.",
    "I gave him the number for StepChange on 0800 138 1111 in case things got difficult.",
    "The commute along the M62 is long but manageable.",
    "Our reference for him is REF-010-019.",
    "He drives a small car, registration VW18 UFA.",
    "The supervisor, Gavin Eze, has been very supportive.",
    "More information for anyone interested: gov.uk/access-to-work.",
    "We reviewed the action plan every four weeks and changed it when it was not working.",
    "It was a good reminder that progress is rarely a straight line.",
]


def sample_text(length: int = 5000, seed: int = 4) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < length:
        parts.append(rng.choice(SENTENCES))
    return " ".join(parts)[:length]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--check", action="store_true", help=f"exit 1 if the median exceeds {BUDGET_MS} ms")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    wordlists.load_all()
    load_ms = (time.perf_counter() - t0) * 1000

    text = sample_text(args.chars)
    scan(text)  # warm up regex caches
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        scan(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    median = statistics.median(times)
    print(f"word lists loaded once in {load_ms:.1f} ms")
    print(f"scan of {len(text)} characters over {args.runs} runs: median {median:.2f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms, max {times[-1]:.2f} ms "
          f"(budget {BUDGET_MS:.0f} ms)")
    return 1 if args.check and median > BUDGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
