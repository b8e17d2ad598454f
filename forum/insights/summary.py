"""The monthly summary: what the insights sections read instead of the period's posts and replies.

Per month (UTC), team (0: no team) and theme (0: all posts), `insights_monthly` holds:

- part "posts" (from published posts): `posts` per theme (themes over time), `posted` (theme 0,
  participation), and for cases, per theme and for theme 0: `cases`, `quick` (answered within
  48 hours), `answered` (answered at all; people: their authors; detail: the hours to the
  first reply in whole hours) and `with-outcome` (any published outcome update);
- part "replies": `replied`, the people who replied that month (participation);
- part "outcomes" (published outcome updates of published posts, by the month they happened):
  `outcome` per type and `outcome-group` per group (updates and their cases' authors), and
  `started`, the cases where someone started work, per "previous|13|26" variant: the case's
  previous month with a "started work" (so a case counts once in a period), and the latest
  months it was "still in work at 13 / 26 weeks".

Each row's people are a bitmap of user ids, so months and teams join by union, exactly as the
grouped queries count different people.

Kept current three ways:
- triggers (migration 0022) mark the month, part and team a write touches in `insights_dirty`;
- before a transaction that wrote commits, `_keep_current` (a session hook `install` adds)
  recomputes the marked units in the same transaction (one team's month) and clears the marks;
  on PostgreSQL writers take turns for this (an advisory lock), so no update is lost;
- the page recomputes any mark still there (a write outside the app's session), and
  `flask --app wsgi insights refresh` rebuilds everything (or the last `--months`), for cron.
Bulk loads (the benchmark's loader) run `deferred` and `rebuild` at the end.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, date, datetime

from flask import g, has_request_context
from sqlalchemy import Integer, Select, and_, case, delete, event, exists, func, insert, select, update
from sqlalchemy.orm import Session

from forum.accounts.models import User
from forum.cases.models import DIRECT_OUTCOMES, INDIRECT_OUTCOMES, OutcomeType, Post, PostKind, Reply, Status, post_themes
from forum.extensions import db
from forum.insights.models import DirtyMark, MonthlyFigure
from forum.insights.periods import add_months
from forum.outcomes.models import OutcomeUpdate, OutcomeUpdateType
from forum.settings import SiteSetting

ANSWER_HOURS = 48
PARTS = ("posts", "replies", "outcomes")
FIGURES = {"posts": ("posts", "posted", "cases", "quick", "answered", "with-outcome"),
           "replies": ("replied",),
           "outcomes": ("outcome", "outcome-group", "started")}
#: PostgreSQL: writers that recompute the summary take turns (any fixed number will do).
LOCK_KEY = 170_022
#: Each recomputed month gets a new token in `site_settings` (key "insights:YYYY-MM") in the
#: same transaction, so a server may keep a month's rows for as long as its token is unchanged
#: (`forum.insights.services`).
VERSION_PREFIX = "insights:"
_WROTE = "insights_wrote"
_DEFERRED = "insights_deferred"


# Months and bitmaps ----------------------------------------------------------------------------


def month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_date(text: str) -> date:
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


def _bounds(month: date) -> tuple[datetime, datetime]:
    return (datetime.combine(month, datetime.min.time(), tzinfo=UTC),
            datetime.combine(add_months(month, 1), datetime.min.time(), tzinfo=UTC))


def to_bitmap(ids: Iterable[int]) -> bytes:
    bits = 0
    for user_id in ids:
        bits |= 1 << user_id
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def from_bitmap(data: bytes | None) -> int:
    return int.from_bytes(data or b"", "little")


# Computing one month -----------------------------------------------------------------------------


class _Rows:
    """The rows of one computation: (month, figure, variant, team, theme) -> value, people, histogram."""

    def __init__(self) -> None:
        self.values: dict = defaultdict(int)
        self.people: dict = defaultdict(set)
        self.hours: dict = defaultdict(lambda: defaultdict(int))

    def add(self, key: tuple, person: int | None, amount: int = 1) -> None:
        self.values[key] += amount
        if person is not None:
            self.people[key].add(person)

    def rows(self) -> list[dict]:
        found = []
        for key, value in self.values.items():
            month, figure, variant, team, theme = key
            histogram = self.hours.get(key)
            found.append({"month": month, "figure": figure, "variant": variant, "team_id": team, "theme_id": theme,
                          "value": value, "people": to_bitmap(self.people.get(key, ())),
                          "detail": json.dumps(dict(sorted(histogram.items()))) if histogram else None})
        return found


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _team_clause(team: int | None):
    if team is None:
        return True
    return User.team_id.is_(None) if team == 0 else User.team_id == team


def _hours(session: Session, later, earlier):
    """Hours from `earlier` to `later`, in SQL (as the grouped queries count them)."""
    if _dialect(session) == "postgresql":
        return func.extract("epoch", later - earlier) / 3600
    return (func.julianday(later) - func.julianday(earlier)) * 24


def _whole_hours(session: Session, hours):
    return func.cast(hours + 0.5, Integer) if _dialect(session) == "sqlite" else func.round(hours)


def _themes_of(session: Session, post_ids: Select) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for post_id, theme_id in session.execute(select(post_themes.c.post_id, post_themes.c.theme_id)
                                             .where(post_themes.c.post_id.in_(post_ids))):
        found[post_id].append(theme_id)
    return found


def compute_posts(session: Session, month: date, team: int | None, rows: _Rows) -> None:
    """Part "posts" of one month, for one team (or all when `team` is None)."""
    since, until = _bounds(month)
    key = month_text(month)
    first_reply = (select(func.min(Reply.created_at))
                   .where(Reply.post_id == Post.id, Reply.status == Status.PUBLISHED, Reply.author_id != Post.author_id)
                   .correlate(Post).scalar_subquery())
    period_posts = (select(Post.id.label("id"), Post.author_id.label("author_id"), Post.kind.label("kind"),
                           func.coalesce(User.team_id, 0).label("team_id"),
                           case((Post.kind == PostKind.CASE, _hours(session, first_reply, Post.published_at))).label("hours"),
                           exists().where(OutcomeUpdate.post_id == Post.id, OutcomeUpdate.published_at.is_not(None))
                           .label("outcome"))
                    .join(User, User.id == Post.author_id)
                    .where(Post.status == Status.PUBLISHED, Post.published_at >= since, Post.published_at < until,
                           _team_clause(team))
                    .cte("period_posts").prefix_with("MATERIALIZED"))
    bucket = _whole_hours(session, period_posts.c.hours)
    found = session.execute(select(period_posts.c.id, period_posts.c.author_id, period_posts.c.kind,
                                   period_posts.c.team_id, period_posts.c.hours,
                                   case((period_posts.c.hours <= ANSWER_HOURS, 1), else_=0), bucket,
                                   period_posts.c.outcome)).all()
    themes = _themes_of(session, select(Post.id).join(User, User.id == Post.author_id).where(
        Post.status == Status.PUBLISHED, Post.published_at >= since, Post.published_at < until, _team_clause(team)))
    for post_id, author_id, kind, team_id, hours, quick, whole, outcome in found:
        rows.add((key, "posted", "", team_id, 0), author_id)
        for theme_id in themes.get(post_id, ()):
            rows.add((key, "posts", "", team_id, theme_id), author_id)
        if kind != PostKind.CASE:
            continue
        for theme_id in (0, *themes.get(post_id, ())):
            rows.add((key, "cases", "", team_id, theme_id), author_id)
            rows.add((key, "quick", "", team_id, theme_id), None, quick or 0)
            rows.add((key, "with-outcome", "", team_id, theme_id), None, 1 if outcome else 0)
            if hours is not None:
                answered = (key, "answered", "", team_id, theme_id)
                rows.add(answered, author_id)
                rows.hours[answered][int(whole)] += 1


def compute_replies(session: Session, month: date, team: int | None, rows: _Rows) -> None:
    """Part "replies": the people who published a reply that month (one index seek per person)."""
    since, until = _bounds(month)
    key = month_text(month)
    someone = exists().where(Reply.author_id == User.id, Reply.created_at >= since, Reply.created_at < until,
                             Reply.status == Status.PUBLISHED)
    for user_id, team_id in session.execute(select(User.id, func.coalesce(User.team_id, 0))
                                            .where(someone, _team_clause(team))):
        rows.add((key, "replied", "", team_id, 0), user_id)


def _group(kind: OutcomeType) -> str:
    return "direct" if kind in DIRECT_OUTCOMES else "indirect" if kind in INDIRECT_OUTCOMES else "other"


def compute_outcomes(session: Session, month: date, team: int | None, rows: _Rows) -> None:
    """Part "outcomes": the month's outcome updates by type and group, and the cases that
    started work this month with what their other updates say."""
    key = month_text(month)
    start, end = month, add_months(month, 1)
    counted = and_(OutcomeUpdate.published_at.is_not(None), Post.status == Status.PUBLISHED, _team_clause(team))
    touched = (select(OutcomeUpdate.post_id).join(Post, Post.id == OutcomeUpdate.post_id)
               .join(User, User.id == Post.author_id)
               .where(counted, OutcomeUpdate.occurred_on >= start, OutcomeUpdate.occurred_on < end))
    found = session.execute(
        select(OutcomeUpdate.post_id, OutcomeUpdate.id, OutcomeUpdate.occurred_on, OutcomeUpdateType.outcome_type,
               Post.author_id, func.coalesce(User.team_id, 0))
        .join(OutcomeUpdateType, OutcomeUpdateType.update_id == OutcomeUpdate.id)
        .join(Post, Post.id == OutcomeUpdate.post_id).join(User, User.id == Post.author_id)
        .where(counted, OutcomeUpdate.post_id.in_(touched))).all()
    themes = _themes_of(session, touched)
    seen: set = set()
    months_of: dict[int, dict[OutcomeType, set[str]]] = defaultdict(lambda: defaultdict(set))
    author_of: dict[int, tuple[int, int]] = {}
    for post_id, update_id, occurred_on, kind, author_id, team_id in found:
        kind = OutcomeType(kind)
        months_of[post_id][kind].add(month_text(occurred_on))
        author_of[post_id] = (author_id, team_id)
        if not start <= occurred_on < end:
            continue
        for theme_id in (0, *themes.get(post_id, ())):
            for figure, variant in (("outcome", kind.value), ("outcome-group", _group(kind))):
                if (update_id, figure, variant, theme_id) not in seen:
                    seen.add((update_id, figure, variant, theme_id))
                    rows.add((key, figure, variant, team_id, theme_id), author_id)
    for post_id, kinds in months_of.items():
        if key not in kinds.get(OutcomeType.STARTED_WORK, ()):
            continue
        author_id, team_id = author_of[post_id]
        previous = max((other for other in kinds[OutcomeType.STARTED_WORK] if other < key), default="")
        variant = "|".join([previous, max(kinds.get(OutcomeType.IN_WORK_13_WEEKS, ()), default=""),
                            max(kinds.get(OutcomeType.IN_WORK_26_WEEKS, ()), default="")])
        for theme_id in (0, *themes.get(post_id, ())):
            rows.add((key, "started", variant, team_id, theme_id), author_id)


COMPUTE = {"posts": compute_posts, "replies": compute_replies, "outcomes": compute_outcomes}


def recompute(session: Session, units: Iterable[tuple[str, str, int | None]]) -> int:
    """Recompute (month "YYYY-MM", part, team or None for every team) units; returns how many."""
    units = sorted(set(units), key=lambda unit: (unit[0], unit[1], -1 if unit[2] is None else unit[2]))
    whole = {(month, part) for month, part, team in units if team is None}
    units = [unit for unit in units if unit[2] is None or (unit[0], unit[1]) not in whole]
    for month, part, team in units:
        rows = _Rows()
        COMPUTE[part](session, month_date(month), team, rows)
        gone = delete(MonthlyFigure).where(MonthlyFigure.month == month, MonthlyFigure.figure.in_(FIGURES[part]))
        if team is not None:
            gone = gone.where(MonthlyFigure.team_id == team)
        session.execute(gone)
        found = rows.rows()
        if found:
            session.execute(insert(MonthlyFigure), found)
    _new_versions(session, {month for month, _, _ in units})
    return len(units)


def _new_versions(session: Session, months: set[str]) -> None:
    """New tokens for these months (callers hold the summary's lock: no two insert one)."""
    for month in sorted(months):
        token, key = uuid.uuid4().hex, VERSION_PREFIX + month
        moved = session.execute(update(SiteSetting).where(SiteSetting.key == key).values(value=token)
                                .execution_options(synchronize_session=False))
        if not moved.rowcount:
            session.execute(insert(SiteSetting).values(key=key, value=token))


def versions(session: Session, months: Iterable[str]) -> dict[str, str]:
    """The months' tokens ("YYYY-MM" -> token); a month missing has none."""
    table = SiteSetting.__table__.c
    keys = [VERSION_PREFIX + month for month in months]
    return {key.removeprefix(VERSION_PREFIX): token
            for key, token in session.execute(select(table.key, table.value).where(table.key.in_(keys)))}


# Keeping it current ----------------------------------------------------------------------------


def _lock(session: Session) -> None:
    """Writers recomputing the summary take turns on PostgreSQL (SQLite writers always do)."""
    if _dialect(session) == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


def refresh_marked(session: Session) -> int:
    """Recompute what the triggers marked and clear those marks (in the caller's transaction)."""
    if session.execute(select(DirtyMark.id).limit(1)).first() is None:
        return 0
    _lock(session)
    marks = session.execute(select(DirtyMark.id, DirtyMark.month, DirtyMark.part, DirtyMark.team_id)).all()
    done = recompute(session, ((month, part, team) for _, month, part, team in marks))
    ids = [mark_id for mark_id, *_ in marks]
    for start in range(0, len(ids), 500):
        session.execute(delete(DirtyMark).where(DirtyMark.id.in_(ids[start:start + 500])))
    return done


def data_months(session: Session) -> list[str]:
    """Every month from the first post, reply or outcome to this one."""
    firsts = [session.scalar(select(func.min(Post.published_at))), session.scalar(select(func.min(Reply.created_at))),
              session.scalar(select(func.min(OutcomeUpdate.occurred_on)))]
    firsts = [date(first.year, first.month, 1) for first in firsts if first is not None]
    if not firsts:
        return []
    today = datetime.now(UTC).date()
    lasts = [session.scalar(select(func.max(Post.published_at))), session.scalar(select(func.max(OutcomeUpdate.occurred_on)))]
    last = max([date(today.year, today.month, 1)] + [date(each.year, each.month, 1) for each in lasts if each is not None])
    months, month = [], min(firsts)
    while month <= last:
        months.append(month_text(month))
        month = add_months(month, 1)
    return months


def rebuild(session: Session, months: int | None = None) -> int:
    """Recompute every month (or the last `months`, this one included) and clear the marks;
    the caller commits. Idempotent: a second run writes the same rows."""
    _lock(session)
    marks = session.execute(select(DirtyMark.id, DirtyMark.month, DirtyMark.part, DirtyMark.team_id)).all()
    if months is None:
        chosen = data_months(session)
        # Months emptied here and not recomputed (no data left) get a new token too.
        emptied = set(session.scalars(select(MonthlyFigure.month).distinct())) - set(chosen)
        session.execute(delete(MonthlyFigure))
        _new_versions(session, emptied)
        session.execute(delete(DirtyMark).where(DirtyMark.id.in_([mark_id for mark_id, *_ in marks] or [-1])))
        units = [(month, part, None) for month in chosen for part in PARTS]
    else:
        today = datetime.now(UTC).date()
        current = date(today.year, today.month, 1)
        chosen = [month_text(add_months(current, -back)) for back in range(months)]
        units = [(month, part, None) for month in chosen for part in PARTS]
        units += [(month, part, team) for _, month, part, team in marks]
        ids = [mark_id for mark_id, *_ in marks]
        for start in range(0, len(ids), 500):
            session.execute(delete(DirtyMark).where(DirtyMark.id.in_(ids[start:start + 500])))
    recompute(session, units)
    return len(chosen)


def is_current(session: Session) -> bool:
    return session.execute(select(DirtyMark.id).limit(1)).first() is None


def make_current() -> None:
    """Before the page reads the summary: recompute any mark still waiting (left by a write
    outside the app's session, or a bulk load). One statement when there is none."""
    if is_current(db.session):
        return
    # End the read transaction: the next one begins as a writer's (SQLite) and sees the result.
    db.session.rollback()
    if has_request_context():
        g.write_transaction = True
    try:
        refresh_marked(db.session)
        db.session.commit()
    finally:
        if has_request_context():
            g.write_transaction = False


@contextmanager
def deferred(session: Session):
    """Bulk loads: leave the marks for a `rebuild` at the end instead of recomputing at each commit."""
    session.info[_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)


def _flushed(session: Session, _context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _keep_current(session: Session) -> None:
    """A transaction that wrote recomputes what its writes marked before it commits."""
    wrote = session.info.pop(_WROTE, False) or session.new or session.dirty or session.deleted
    if not wrote or session.info.get(_DEFERRED):
        return
    session.flush()
    refresh_marked(session)
    session.info.pop(_WROTE, None)


def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_WROTE, None)


def install() -> None:
    """Listen to every session's writes and commits (once per process; the app calls it)."""
    for name, handler in (("after_flush", _flushed), ("do_orm_execute", _executed),
                          ("before_commit", _keep_current), ("after_soft_rollback", _rolled_back)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
