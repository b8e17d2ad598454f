"""The reference for the monthly summary: the five sections of insights as they were computed
before it (issue 17), from the database by grouped queries over the period's posts, replies and
outcome updates, kept as they were (only the result classes are the app's, so that the two can
be compared): `tests/insights/test_summary.py` checks that `forum.insights.services`, which reads
`forum.insights.summary`, gives exactly these sections.

Every figure goes through `tally.Tally` (per team) and `tally.View` (the suppression rules):
nothing here shows a number built from fewer than 5 people, and nothing names a person,
a circle post or anything said in a circle. Circle posts count inside totals only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Integer, and_, case, exists, func, literal, select

from forum.accounts.models import User
from forum.cases.models import DIRECT_OUTCOMES, INDIRECT_OUTCOMES, OutcomeType, Post, PostKind, Reply, Status, post_themes
from forum.extensions import db
from forum.insights import charts
from forum.insights.filters import Filter, Organisation
from forum.insights.periods import add_months, month_key
from forum.insights.suppression import Cell
from forum.insights.tally import Tally, View
# What the summary did not change (helpers, the circles section, the unanswered list and routing) is
# the app's own: the reference differs from the app only where the summary replaced a query.
from forum.insights.services import (Row, Section, Table, _labels, _share, _theme_clause, answered_share,
                                     circles_section, helping_rows, median_hours, unanswered)
from forum.meetings.models import Attendance, Meeting, MeetingStatus, Presence
from forum.outcomes.models import OutcomeUpdate, OutcomeUpdateType
from forum.themes.models import Theme
from forum.timeutil import as_utc

TOTAL = "total"
ANSWER_HOURS = 48
UNANSWERED_DAYS = 7
UNANSWERED_LIMIT = 20
#: Series drawn in one chart at most (the table beside it has every row).
CHART_SERIES = 4


SECTIONS = (("themes", "Themes over time"), ("cases", "Cases and answers"), ("outcomes", "Outcomes"),
            ("circles", "Circles"), ("participation", "Participation"))


# Dialects --------------------------------------------------------------------------------------


def _month(column, is_date: bool = False):
    """"YYYY-MM" of a stored UTC time (or a date), in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column if is_date else func.timezone("UTC", column), "YYYY-MM")
    return func.substr(column, 1, 7)


def _to_month(text: str) -> date:
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


# Sections ---------------------------------------------------------------------------------------


def sections(chosen: Filter, org: Organisation, themes: list[Theme]) -> list[Section]:
    view = View(org.selectable, chosen.team_id)
    return [themes_section(chosen, view, themes), cases_section(chosen, view), outcomes_section(chosen, view),
            circles_section(chosen, view), participation_section(chosen, view)]


def section(key: str, chosen: Filter, org: Organisation, themes: list[Theme]) -> Section:
    view = View(org.selectable, chosen.team_id)
    return {"themes": lambda: themes_section(chosen, view, themes), "cases": lambda: cases_section(chosen, view),
            "outcomes": lambda: outcomes_section(chosen, view), "circles": lambda: circles_section(chosen, view),
            "participation": lambda: participation_section(chosen, view)}[key]()


# 1. Themes over time ----------------------------------------------------------------------------


def themes_section(chosen: Filter, view: View, themes: list[Theme]) -> Section:
    period, previous = chosen.period, chosen.period.previous()
    month = _month(Post.published_at)
    shown = [theme for theme in themes if not theme.archived or theme.id == chosen.theme_id]
    if chosen.theme_id is not None:
        shown = [theme for theme in themes if theme.id == chosen.theme_id]
    ids = [theme.id for theme in shown] or [-1]
    published = and_(Post.status == Status.PUBLISHED, Post.published_at >= previous.since,
                     Post.published_at < period.until, post_themes.c.theme_id.in_(ids))
    base = select(post_themes.c.theme_id).join(Post, Post.id == post_themes.c.post_id).join(User, User.id == Post.author_id)
    tally = Tally()
    # Per theme, month and team: posts and their different authors (two grouped queries: by
    # month, and over each whole period, since people are not added up across months).
    for theme_id, month_text, team, posts, people in db.session.execute(
            base.add_columns(month, User.team_id, func.count(), func.count(func.distinct(Post.author_id)))
            .where(published, Post.published_at >= period.since).group_by(post_themes.c.theme_id, month, User.team_id)):
        tally.put((theme_id, _to_month(month_text)), team, posts, people)
    recent = case((Post.published_at >= period.since, literal("now")), else_=literal("before"))
    for theme_id, when, team, posts, people in db.session.execute(
            base.add_columns(recent, User.team_id, func.count(), func.count(func.distinct(Post.author_id)))
            .where(published).group_by(post_themes.c.theme_id, recent, User.team_id)):
        tally.put((theme_id, TOTAL if when == "now" else "before"), team, posts, people)
    rows = []
    for theme in shown:
        cells, total = view.row(tally, [(theme.id, month) for month in period.months], (theme.id, TOTAL))
        rows.append(Row(theme.name, cells, total))
    rising = []
    for theme, row in zip(shown, rows, strict=True):
        before = view.cell(tally, (theme.id, "before"))
        change = None if (row.total.hidden or before.hidden) else row.total.value - before.value
        rising.append((change, theme.name, before, row.total))
    ranked = sorted((item for item in rising if item[0] is not None and item[0] > 0), key=lambda item: (-item[0], item[1]))
    rising_rows = [Row(name, [before, now, Cell(change, min(before.people, now.people))]) for change, name, before, now in ranked[:5]]
    top = sorted(rows, key=lambda row: -(row.total.shown or 0))[:CHART_SERIES]
    labels = _labels(period)
    return Section(
        "themes", "Themes over time",
        "Cases and stories published per theme per month (a post with two themes counts in both).",
        [Table("themes", "Cases and stories per theme per month", rows, labels),
         Table("rising", f"Themes rising most against the previous {period.length} months", rising_rows,
               [f"Previous {period.length} months", "This period", "Change"], total_label=None)],
        charts=[charts.lines("Cases and stories per month, the busiest themes", labels,
                             [charts.Series(row.label, row.cells) for row in top])],
        rising=rising_rows)


# 2. Cases and answers ---------------------------------------------------------------------------


def _first_reply():
    """The first published reply by someone other than the case's author."""
    return (select(func.min(Reply.created_at))
            .where(Reply.post_id == Post.id, Reply.status == Status.PUBLISHED, Reply.author_id != Post.author_id)
            .correlate(Post).scalar_subquery())


def _hours(later, earlier):
    """Hours from `earlier` to `later`, in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 3600
    return (func.julianday(later) - func.julianday(earlier)) * 24


def cases_section(chosen: Filter, view: View) -> Section:
    """Cases published, the share answered within 48 hours, the median time to a first reply,
    and (whatever the team filter) the forum-wide cases with no reply after 7 days. More
    figures are added as `CASE_FIGURES` rows.

    Three grouped queries over the period's cases (with each one's first reply): per month
    and team, per team over the whole period (people are not added up across months), and the
    delays to a first reply in whole hours per month and team, for the medians."""
    period = chosen.period
    published, answered, answers = Tally(), Tally(), Tally()
    delays: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    hours = _hours(_first_reply(), Post.published_at)
    cases = (select(Post.author_id.label("author_id"), User.team_id.label("team_id"),
                    _month(Post.published_at).label("month"), hours.label("hours"))
             .join(User, User.id == Post.author_id)
             .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Post.published_at >= period.since,
                    Post.published_at < period.until, _theme_clause(chosen))
             # Each case's first reply is looked up once, not once per use of `hours`.
             .cte("period_cases").prefix_with("MATERIALIZED"))
    figures = (func.count(), func.count(func.distinct(cases.c.author_id)),
               func.sum(case((cases.c.hours <= ANSWER_HOURS, 1), else_=0)), func.count(cases.c.hours),
               func.count(func.distinct(case((cases.c.hours.is_not(None), cases.c.author_id)))))
    by_month = select(cases.c.month, cases.c.team_id, *figures).group_by(cases.c.month, cases.c.team_id)
    by_period = select(literal(TOTAL), cases.c.team_id, *figures).group_by(cases.c.team_id)
    for query in (by_month, by_period):
        for month_text, team, count, people, quick, answered_count, answering in db.session.execute(query):
            key = TOTAL if month_text == TOTAL else _to_month(month_text)
            published.put(key, team, count, people)
            answered.put(key, team, quick or 0, people)
            answers.put(key, team, answered_count, answering)
    whole_hours = func.cast(cases.c.hours + 0.5, Integer) if db.engine.dialect.name == "sqlite" else func.round(cases.c.hours)
    for month_text, team, bucket, count in db.session.execute(
            select(cases.c.month, cases.c.team_id, whole_hours, func.count()).where(cases.c.hours.is_not(None))
            .group_by(cases.c.month, cases.c.team_id, whole_hours)):
        for key in (_to_month(month_text), TOTAL):
            delays[key][team][int(bucket)] += count
    delays["answers"] = answers
    keys = period.months
    count_cells, count_total = view.row(published, keys, TOTAL)
    table_rows = [Row("Cases published", count_cells, count_total)]
    for figure in CASE_FIGURES:
        table_rows.append(figure(view, keys, count_cells + [count_total], published, answered, delays))
    labels = _labels(period)
    return Section(
        "cases", "Cases and answers",
        "Cases published each month (circle cases included in the counts), how quickly they were answered, "
        "and the forum-wide cases still waiting for a reply.",
        [Table("cases", "Cases and answers per month", table_rows, labels),
         Table("routing", "Help for unanswered cases (the whole organisation, the whole period)", helping_rows(chosen),
               ["Value"], total_label=None)],
        charts=[charts.bars("Cases published per month", labels, [charts.Series("Cases published", count_cells)])],
        notes=[f"Answered: a reply from someone other than the author within {ANSWER_HOURS} hours. "
               "Median hours: to that first reply, among cases answered at all."],
        unanswered=unanswered(chosen))


#: The cases section's figures after "Cases published", each a function of
#: (view, months, the count cells with the total last, and the tallies): add more here.
CASE_FIGURES = [answered_share, median_hours]


# 3. Outcomes ----------------------------------------------------------------------------------------


def outcomes_section(chosen: Filter, view: View) -> Section:
    period = chosen.period
    by_type, by_group, started, kept = Tally(), Tally(), Tally(), Tally()
    rows = db.session.execute(
        select(OutcomeUpdate.post_id, OutcomeUpdate.id, OutcomeUpdate.occurred_on, OutcomeUpdateType.outcome_type,
               Post.author_id, User.team_id)
        .join(OutcomeUpdateType, OutcomeUpdateType.update_id == OutcomeUpdate.id)
        .join(Post, Post.id == OutcomeUpdate.post_id).join(User, User.id == Post.author_id)
        .where(OutcomeUpdate.published_at.is_not(None), Post.status == Status.PUBLISHED,
               OutcomeUpdate.occurred_on >= period.start, _theme_clause(chosen)))
    seen_updates: dict[tuple, set] = defaultdict(set)
    types_of: dict[int, set] = defaultdict(set)
    started_in: dict[int, tuple[int, int | None]] = {}
    for post_id, update_id, occurred_on, kind, author_id, team in rows:
        kind = OutcomeType(kind)
        types_of[post_id].add(kind)
        if kind == OutcomeType.STARTED_WORK and occurred_on < period.end:
            started_in[post_id] = (author_id, team)
        if occurred_on >= period.end:
            continue
        month = month_key(occurred_on)
        group = "direct" if kind in DIRECT_OUTCOMES else "indirect" if kind in INDIRECT_OUTCOMES else "other"
        for key in (month, TOTAL):
            if update_id not in seen_updates[(kind, key)]:
                seen_updates[(kind, key)].add(update_id)
                by_type.count((kind, key), team, author_id)
            if update_id not in seen_updates[(group, key)]:
                seen_updates[(group, key)].add(update_id)
                by_group.count((group, key), team, author_id)
    for post_id, (author_id, team) in started_in.items():
        started.count("started", team, author_id)
        for week, kind in ((13, OutcomeType.IN_WORK_13_WEEKS), (26, OutcomeType.IN_WORK_26_WEEKS)):
            kept.count(week, team, author_id, 1 if kind in types_of[post_id] else 0)
    months = period.months
    type_rows = []
    for kind in OutcomeType:
        cells, total = view.row(by_type, [(kind, month) for month in months], (kind, TOTAL))
        type_rows.append(Row(kind.label, cells, total))
    group_rows = []
    for group, label in (("direct", "Direct outcomes"), ("indirect", "Indirect outcomes")):
        cells, total = view.row(by_group, [(group, month) for month in months], (group, TOTAL))
        group_rows.append(Row(label, cells, total))
    case_totals = _case_outcome_share(chosen, view)
    started_cell = view.cell(started, "started")
    lasting = [Row("Cases with any recorded outcome (of the cases published in the period)", [case_totals]),
               Row("Cases where the person started work (in the period)", [started_cell])]
    for week in (13, 26):
        lasting.append(Row(f"Of those, still in work at {week} weeks", [_share(view.cell(kept, week), started_cell)],
                           kind="share"))
    for row in lasting[:1]:
        row.kind = "share"
    labels = _labels(period)
    return Section(
        "outcomes", "Outcomes",
        "Outcome updates recorded on cases, by the day they happened: each type, direct against indirect, "
        "and whether work lasted.",
        [Table("outcome-groups", "Direct and indirect outcome updates per month", group_rows, labels),
         Table("outcome-types", "Outcome updates by type per month", type_rows, labels),
         Table("outcome-shares", "Recorded and lasting outcomes", lasting, ["Value"], total_label=None)],
        charts=[charts.bars("Outcome updates per month, direct and indirect", labels,
                            [charts.Series(row.label, row.cells) for row in group_rows], stacked=True)],
        notes=["An update with two types counts once in each type, and once in its group."])


def _case_outcome_share(chosen: Filter, view: View) -> Cell:
    """The share of the period's cases with any recorded outcome."""
    period = chosen.period
    cases, with_outcome = Tally(), Tally()
    outcome_any = exists().where(OutcomeUpdate.post_id == Post.id, OutcomeUpdate.published_at.is_not(None))
    for team, posts, people, recorded in db.session.execute(
            select(User.team_id, func.count(), func.count(func.distinct(Post.author_id)),
                   func.sum(case((outcome_any, 1), else_=0)))
            .join(User, User.id == Post.author_id)
            .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Post.published_at >= period.since,
                   Post.published_at < period.until, _theme_clause(chosen)).group_by(User.team_id)):
        cases.put("cases", team, posts, people)
        with_outcome.put("cases", team, recorded or 0, people)
    return _share(view.cell(with_outcome, "cases"), view.cell(cases, "cases"))


# 4. Circles -------------------------------------------------------------------------------------


# The circles section reads meetings, attendance and the pulse, not posts: the summary did not
# change it, so the reference is the app's own `circles_section` (imported above).


def participation_section(chosen: Filter, view: View) -> Section:
    """People who posted, replied or attended each month, and new members: counts of people,
    never a list or a ranking."""
    period = chosen.period
    months = period.months
    posted, replied, attended, joined = Tally(), Tally(), Tally(), Tally()
    month = _month(Post.published_at)
    for author_id, team, month_text in db.session.execute(
            select(Post.author_id, User.team_id, month).join(User, User.id == Post.author_id)
            .where(Post.status == Status.PUBLISHED, Post.published_at >= period.since, Post.published_at < period.until)
            .group_by(Post.author_id, User.team_id, month)):
        for key in (_to_month(month_text), TOTAL):
            posted.count(key, team, author_id, 0)
    # Replies are many: per person and month, one index seek (replies by author and time).
    for month in months:
        start = datetime.combine(month, datetime.min.time()).replace(tzinfo=period.since.tzinfo)
        end = datetime.combine(add_months(month, 1), datetime.min.time()).replace(tzinfo=period.since.tzinfo)
        someone = exists().where(Reply.author_id == User.id, Reply.created_at >= start, Reply.created_at < end,
                                 Reply.status == Status.PUBLISHED)
        for user_id, team in db.session.execute(select(User.id, User.team_id).where(someone)):
            for key in (month, TOTAL):
                replied.count(key, team, user_id, 0)
    for user_id, team, starts_at in db.session.execute(
            select(Attendance.user_id, User.team_id, Meeting.starts_at)
            .join(Meeting, Meeting.id == Attendance.meeting_id).join(User, User.id == Attendance.user_id)
            .where(Attendance.status == Presence.PRESENT, Meeting.starts_at >= period.since,
                   Meeting.starts_at < period.until)):
        for key in (month_key(as_utc(starts_at)), TOTAL):
            attended.count(key, team, user_id, 0)
    for user_id, team, created_at in db.session.execute(
            select(User.id, User.team_id, User.created_at)
            .where(User.created_at >= period.since, User.created_at < period.until, User.erased_at.is_(None))):
        for key in (month_key(as_utc(created_at)), TOTAL):
            joined.count(key, team, user_id, 0)
    for tally in (posted, replied, attended, joined):
        for key, teams in tally.sets.items():
            for team, people in teams.items():
                tally.values[key][team] = len(people)
    rows = []
    for label, tally in (("People who posted", posted), ("People who replied", replied),
                         ("People who attended a circle meeting", attended), ("New members", joined)):
        cells, total = view.row(tally, months, TOTAL)
        rows.append(Row(label, cells, total))
    labels = _labels(period)
    return Section(
        "participation", "Participation",
        "How many people took part each month (the theme filter does not apply here): counts only, never who.",
        [Table("participation", "People taking part per month", rows, labels, total_label="Whole period (different people)")],
        charts=[charts.lines("People taking part per month", labels,
                             [charts.Series(row.label, row.cells) for row in rows])])
