"""bench/RESULTS.md from the run records in bench/results/ (one per database and scale)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
LIST_SHARE, POLL_SHARE, POST_SHARE = 0.40, 0.60, 0.25
LIST_P99_MS, SEARCH_P99_MS, GROWTH, RSS_MB = 50, 200, 1.3, 150
#: Insights for 12 months and the learning record: p50 at full scale.
REPORT_P50_MS = 300
#: Similar cases while writing (issue 21): p99 at full scale.
SIMILAR_P99_MS = 50


def median(repetitions: list[dict], name: str) -> float:
    return statistics.median(rep[name] for rep in repetitions) if repetitions else 0.0


def load_records(results_dir: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(results_dir.glob("*.json"))]


def scale_words(record: dict) -> str:
    scale = record["scale"]
    factor = record["factor"]
    label = "full scale" if factor == 1 else f"1/{round(1 / factor):,} scale" if factor < 1 else f"scale {factor:g}"
    return (f"{label}: {scale['posts']:,} posts, {scale['replies']:,} replies, {scale['users']:,} people, "
            f"{scale['themes']} themes, {scale['circles']} circles")


def target(page: dict, share_of_floor: float, p50: float, p99: float, full_scale: bool) -> tuple[str, bool | None]:
    """The issue's target for this page and whether it was met (None: not judged at this scale)."""
    group = page["group"]
    if group == "list":
        return f">= {LIST_SHARE:.0%} of one-select, p99 < {LIST_P99_MS} ms", share_of_floor >= LIST_SHARE and p99 < LIST_P99_MS
    if group == "poll":
        return f">= {POLL_SHARE:.0%} of one-select, p99 < {LIST_P99_MS} ms", share_of_floor >= POLL_SHARE and p99 < LIST_P99_MS
    if group == "report":
        return f"p50 < {REPORT_P50_MS} ms (full scale)", (p50 < REPORT_P50_MS) if full_scale else None
    if group == "post":
        return f">= {POST_SHARE:.0%} of one-select", share_of_floor >= POST_SHARE
    if group == "search":
        return f"p99 < {SEARCH_P99_MS} ms (full scale)", (p99 < SEARCH_P99_MS) if full_scale else None
    if group == "similar":
        return f"p99 < {SIMILAR_P99_MS} ms (full scale)", (p99 < SIMILAR_P99_MS) if full_scale else None
    return "", None


def verdict(met: bool | None) -> str:
    return "" if met is None else ("yes" if met else "**no**")


def page_rows(record: dict) -> list[str]:
    hello = median(record["floors"]["hello"]["repetitions"], "per_second")
    one_select = median(record["floors"]["one_select"]["repetitions"], "per_second")
    rows = ["| page | req/s | p50 ms | p99 ms | statements/request | of hello floor | of one-select floor | errors | target | met |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for page in record["pages"]:
        if page["group"] == "write":
            continue
        reps = page["repetitions"]
        rate, p50, p99 = median(reps, "per_second"), median(reps, "p50_ms"), median(reps, "p99_ms")
        errors = sum(rep["errors"] for rep in reps)
        if errors or page["status"] != 200:
            rows.append(failed_row(page, errors))
            continue
        share = rate / one_select if one_select else 0.0
        goal, met = target(page, share, p50, p99, record["factor"] == 1)
        rows.append(f"| {page['title']} (`{page['path'][:60]}`) | {rate:,.0f} | {p50:.1f} | {p99:.1f} | "
                    f"{page['statements']} | {rate / hello:.1%} | {share:.1%} | {errors} | {goal} | {verdict(met)} |")
    for name, label in (("hello", "Floor: Flask hello world"), ("one_select", "Floor: one SELECT of 30 rows + Jinja")):
        reps = record["floors"][name]["repetitions"]
        rate = median(reps, "per_second")
        rows.append(f"| {label} | {rate:,.0f} | {median(reps, 'p50_ms'):.1f} | {median(reps, 'p99_ms'):.1f} | "
                    f"{'0' if name == 'hello' else '1'} | {rate / hello:.1%} | {rate / one_select:.1%} | "
                    f"{sum(rep['errors'] for rep in reps)} | | |")
    return rows


def failed_row(page: dict, errors: int) -> str:
    """A page that answered anything but success was not measured: refusals (429), errors and
    timeouts are fast or slow for reasons of their own, so no speed is reported for it."""
    statuses: dict[str, int] = {}
    for rep in page["repetitions"]:
        for status, count in rep["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return (f"| {page['title']} (`{page['path'][:60]}`) | failed measurement | | | {page['statements']} | | | "
            f"{errors} (first answer {page['status']}, statuses {statuses}) | | **no** |")


def write_lines(record: dict) -> list[str]:
    writes = [page for page in record["pages"] if page["group"] == "write"]
    lines = []
    for page in writes:
        rep, extra = page["repetitions"][0], page["extra"]
        ok = rep["errors"] == 0 and extra["lost"] == 0 and extra["unexplained"] == 0 and extra["counter_matches"]
        lines.append(f"- Write path, 8 writers for {extra['seconds']:g} s on `{page['path']}`: "
                     f"{rep['per_second']:,.1f} replies/s, p50 {rep['p50_ms']:.1f} ms, p99 {rep['p99_ms']:.1f} ms, "
                     f"{page['statements']} statements per reply; {extra['accepted']:,} answered 2xx/302, "
                     f"{extra['stored']:,} new replies in the database ({extra['unanswered_in_flight']} still in flight when wrk "
                     f"stopped), **{extra['lost']} lost**, "
                     f"{rep['errors']} errors (statuses {rep['statuses']}); the post's reply counter "
                     f"{'matches' if extra['counter_matches'] else '**does not match**'} the rows. "
                     f"Target (zero errors, zero lost): {'met' if ok else '**missed**'}.")
    return lines


def memory_line(record: dict) -> str:
    rss = record["peak_rss_mb"]
    worst = max(rss) if rss else 0
    return (f"- Peak RSS per forum worker after the run: {', '.join(f'{value:.0f} MB' for value in rss)} "
            f"(target < {RSS_MB} MB: {'met' if worst < RSS_MB else '**missed**'}); floors: "
            f"hello {', '.join(f'{v:.0f}' for v in record['floors']['hello']['peak_rss_mb'])} MB, "
            f"one-select {', '.join(f'{v:.0f}' for v in record['floors']['one_select']['peak_rss_mb'])} MB.")


def database_section(record: dict) -> list[str]:
    settings = record["settings"]
    lines = [f"## {NAMES.get(record['database'], record['database'])}, {scale_words(record)}", "",
             f"Run started {record['started']}; load average at start {record['machine']['load_average_at_start']}. "
             f"Building this database took {record['load_seconds']:,.0f} s (then cached). "
             f"{settings['repetitions']} repetitions of {settings['seconds']:g} s per page after a "
             f"{settings['warmup']:g} s warm-up; figures are the median repetition.", ""]
    if record.get("deep_page_reached") and record["deep_page_reached"] < 1000:
        lines += [f"At this scale the latest list has only {record['deep_page_reached']} pages: the deep page is the last one.", ""]
    lines += page_rows(record) + [""] + write_lines(record) + [memory_line(record), ""]
    return lines


def growth_section(records: list[dict]) -> list[str]:
    by_key = {(record["database"], record["factor"]): record for record in records}
    lines = ["## Growth: full scale against 1/100 scale", "",
             f"Median latency (p50) per page; target: no page more than {GROWTH}x slower at full scale. Each "
             "run's latency also follows how busy the shared machine was at the time (load average in each "
             "section above); the CPU time per request under \"What limits each page\" does not.", "",
             "| database | page | p50 at 1/100 | p50 at full | ratio | met |", "|---|---|---:|---:|---:|---|"]
    found = False
    for database in NAMES:
        small, full = by_key.get((database, 0.01)), by_key.get((database, 1.0))
        if not small or not full:
            continue
        found = True
        full_pages = {page["key"]: page for page in full["pages"]}
        for page in small["pages"]:
            other = full_pages.get(page["key"])
            if other is None or page["group"] == "write":
                continue
            if any(rep["errors"] for rep in page["repetitions"] + other["repetitions"]):
                lines.append(f"| {NAMES[database]} | {page['title']} | | | failed measurement (errors) | **no** |")
                continue
            before, after = median(page["repetitions"], "p50_ms"), median(other["repetitions"], "p50_ms")
            ratio = after / before if before else 0.0
            lines.append(f"| {NAMES[database]} | {page['title']} | {before:.1f} ms | {after:.1f} ms | {ratio:.2f}x | "
                         f"{verdict(ratio <= GROWTH)} |")
    if not found:
        lines.append("| (no pair of 1/100 and full-scale runs on the same database yet) | | | | | |")
    return lines + [""]


def load_line(record: dict) -> str:
    read, write, outcome = record["read"], record["write"], record["outcome"]
    return (f"latest list {read['per_second']:,.1f} req/s (p50 {read['p50_ms']:.1f} ms, p99 {read['p99_ms']:.1f} ms, "
            f"{read['errors']} errors, statuses {read['statuses']}); replying {write['per_second']:,.1f} replies/s "
            f"(p50 {write['p50_ms']:.1f} ms, p99 {write['p99_ms']:.1f} ms, {write['errors']} errors, statuses "
            f"{write['statuses']}); {outcome['accepted']:,} replies answered, {outcome['stored']:,} stored, "
            f"**{outcome['lost']} lost**, reply counter {'matches' if outcome['counter_matches'] else '**does not match**'}")


def load_section(results_dir: Path) -> list[str]:
    """The production load check's runs (`python -m bench.load_check`), if any."""
    records = load_records(results_dir / "load")
    if not records:
        return []
    lines = ["## Load check: two servers behind nginx", "",
             "`python -m bench.load_check`: two gunicorn servers in production mode behind the `deploy/` nginx "
             "site (HTTPS), one PostgreSQL database and Redis; half the connections read the latest list while "
             "the other half reply to one post, each connection signed in as an adviser. Target: zero errors, "
             "nothing lost.", ""]
    for record in records:
        ok = (record["read"]["errors"] == 0 and record["write"]["errors"] == 0 and record["outcome"]["lost"] == 0
              and record["outcome"]["counter_matches"])
        lines.append(f"- {scale_words(record)}; run started {record['started']}, load average at start "
                     f"{record['machine']['load_average_at_start']}; {record['readers'] + record['writers']} connections "
                     f"({record['readers']} reading, {record['writers']} replying) for {record['seconds']:g} s, "
                     f"{record['servers']} servers of {record['workers']} sync workers: {load_line(record)}. "
                     f"Target: {'met' if ok else '**missed**'}.")
    return lines + [""]


def machine_line(records: list[dict]) -> str:
    machine = records[-1]["machine"]
    return f"Machine: {machine['cores']} cores, {machine['cpu']}, Python {machine['python']}."


def write(results_dir: Path, out: Path, notes: Path | None = HERE / "LIMITS.md") -> Path:
    records = load_records(results_dir)
    ordered = sorted(records, key=lambda record: (record["factor"], record["database"]))
    lines = ["# Benchmark results", "",
             "Written by `python -m bench` (see the README's Benchmark section) from the records in `bench/results/`.", ""]
    if records:
        lines += [machine_line(records),
                  "The machine is shared (2 cores; other test suites were running during these runs), so absolute "
                  "figures are noisy: compare the ratios to the floors, which are measured in the same run.", "",
                  "Every page is requested by 8 wrk connections, each signed in as a different adviser, against "
                  "gunicorn with 2 sync workers in production mode; per-person limits are raised (not disabled) on "
                  "Redis. Any answer of 400 or more counts as an error.", ""]
    for record in ordered:
        lines += database_section(record)
    lines += growth_section(records)
    lines += load_section(results_dir)
    if notes is not None and notes.exists():
        lines += [notes.read_text().strip(), ""]
    out.write_text("\n".join(lines))
    return out
