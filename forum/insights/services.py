"""The five sections of insights, each a set of tables of suppressed figures (with a chart
drawn from the same cells). Posts, cases, replies and outcome updates are read from the
monthly summary (`forum.insights.summary`: a few rows per month, team and theme, whatever the
number of posts); circles, attendance and new members (few rows) from their tables.

Every figure goes through `tally.Tally` (per team) and `tally.View` (the suppression rules):
nothing here shows a number built from fewer than 5 people, and nothing names a person,
a circle post or anything said in a circle. Circle posts count inside totals only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from markupsafe import Markup
from flask import current_app
from sqlalchemy import exists, func, select

from forum.accounts.models import User
from forum.cases.models import OutcomeType, Post, PostKind, Reply, Status, post_themes
from forum.circles.models import Circle, MemberStatus, Membership, Mode
from forum.extensions import db
from forum.insights import charts, summary
from forum.insights.filters import Filter, Organisation
from forum.insights.models import MonthlyFigure
from forum.insights.periods import Period, month_key, month_label
from forum.insights.suppression import Cell
from forum.insights.tally import Tally, View
from forum.knowledge import routing
from forum.knowledge import services as knowledge_services
from forum.meetings import pulse
from forum.meetings.models import ActionPoint, AgendaItem, AgendaStatus, Attendance, HeardMark, Meeting, MeetingStatus, Presence
from forum.themes.models import Theme
from forum.timeutil import as_utc

TOTAL = "total"
ANSWER_HOURS = 48
UNANSWERED_DAYS = 7
UNANSWERED_LIMIT = 20
#: Series drawn in one chart at most (the table beside it has every row).
CHART_SERIES = 4


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell | None = None
    kind: str = "count"


@dataclass
class Table:
    key: str
    caption: str
    rows: list[Row]
    #: The column headings (months, or other labels).
    columns: list[str]
    total_label: str | None = "Whole period"


@dataclass
class Section:
    key: str
    title: str
    intro: str
    tables: list[Table]
    charts: list[Markup] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Cases with no reply after 7 days (section "cases" only): (id, title) of forum-wide posts.
    unanswered: list[tuple[int, str]] | None = None
    #: Themes rising most against the previous period (section "themes" only).
    rising: list[Row] | None = None


SECTIONS = (("themes", "Themes over time"), ("cases", "Cases and answers"), ("outcomes", "Outcomes"),
            ("circles", "Circles"), ("participation", "Participation"))


# The monthly summary -----------------------------------------------------------------------------


class Found:
    """Summary rows by month: month -> {figure: [(variant, theme, team or None, value, people as
    a bitmap int)]}, and for "answered" month -> {team or None: [{whole hours: cases}]}. Read
    only: a month's rows may be shared with later requests (`_kept`)."""

    def __init__(self) -> None:
        self.months: dict[date, dict] = {}
        self.hours_of: dict[date, dict] = {}

    def of(self, figure: str, months: list[date]):
        """(variant, theme, month, team, value, people) of one figure in these months."""
        for month in months:
            for variant, theme_id, team, value, people in self.months.get(month, {}).get(figure, ()):
                yield variant, theme_id, month, team, value, people

    def over(self, figure: str, months: list[date], by_variant: bool = False) -> dict:
        """One figure over several months, per theme (or variant) and team: values added, people joined."""
        over: dict = {}
        for variant, theme_id, _, team, value, people in self.of(figure, months):
            key = (variant if by_variant else theme_id, team)
            total, everyone = over.get(key, (0, 0))
            over[key] = (total + value, everyone | people)
        return over

    def hours(self):
        """((month, team), [{whole hours: cases}]) of "answered"."""
        for month, teams in self.hours_of.items():
            yield from (((month, team), histograms) for team, histograms in teams.items())


_MONTHLY = MonthlyFigure.__table__

#: The figures read for the filter's theme (0: every post), over the period: one statement
#: for the cases and outcomes sections.
CHOSEN_THEME_FIGURES = ("cases", "quick", "answered", "with-outcome", "outcome", "outcome-group", "started")
#: Months of summary rows each server process keeps (a year of the page is 48 of them).
KEPT_MONTHS = 192
_KEPT = "forum_insights_months"


def _kept() -> dict:
    """This process's copies of months' rows: (month, token, figures, themes) -> (rows, hours).
    A month's token changes in the transaction that recomputes it (`summary.recompute`), so a
    copy under the token the database holds now is current, on every server. (A month never
    recomputed has no token, and no rows but those of the migration that made the summary.)"""
    return current_app.extensions.setdefault(_KEPT, {})


def _figures(figures: tuple[str, ...], months: list[date], theme_ids: list[int], tokens: dict[str, str]) -> Found:
    """These figures, months and themes of the summary (`forum.insights.summary`): the months
    this process kept under their current token, the others in one query (Core rows: a year of
    the themes section is thousands)."""
    found, kept, themes = Found(), _kept(), tuple(theme_ids)
    missing = {}
    for month in months:
        text = summary.month_text(month)
        copy = kept.get((text, tokens.get(text), figures, themes))
        if copy is None:
            missing[text] = month
        else:
            found.months[month], found.hours_of[month] = copy
    if not missing:
        return found
    table = _MONTHLY.c
    for month in missing.values():
        found.months[month], found.hours_of[month] = defaultdict(list), defaultdict(list)
    for figure, variant, theme_id, month, team, value, people, detail in db.session.execute(
            select(table.figure, table.variant, table.theme_id, table.month, table.team_id, table.value, table.people,
                   table.detail)
            .where(table.month.in_(list(missing)), table.figure.in_(figures), table.theme_id.in_(themes))).all():
        month = missing[month]
        found.months[month][figure].append((variant, theme_id, team or None, value, summary.from_bitmap(people)))
        if detail and figure == "answered":
            found.hours_of[month][team or None].append({int(hours): count for hours, count in json.loads(detail).items()})
    for text, month in missing.items():
        if len(kept) >= KEPT_MONTHS:
            kept.pop(next(iter(kept)))  # the oldest copy
        kept[(text, tokens.get(text), figures, themes)] = (dict(found.months[month]), dict(found.hours_of[month]))
    return found


def _tokens(chosen: Filter) -> dict[str, str]:
    """The summary's tokens for every month the page reads (the themes section's previous period too)."""
    return summary.versions(db.session, [summary.month_text(month)
                                         for month in chosen.period.previous().months + chosen.period.months])


def _chosen_theme_figures(chosen: Filter, tokens: dict[str, str]) -> Found:
    return _figures(CHOSEN_THEME_FIGURES, chosen.period.months, [chosen.theme_id or 0], tokens)


# Sections ---------------------------------------------------------------------------------------


def sections(chosen: Filter, org: Organisation, themes: list[Theme]) -> list[Section]:
    view, tokens = View(org.selectable, chosen.team_id), _tokens(chosen)
    found = _chosen_theme_figures(chosen, tokens)
    return [themes_section(chosen, view, themes, tokens), cases_section(chosen, view, found),
            outcomes_section(chosen, view, found), circles_section(chosen, view),
            participation_section(chosen, view, tokens)]


def section(key: str, chosen: Filter, org: Organisation, themes: list[Theme]) -> Section:
    view, tokens = View(org.selectable, chosen.team_id), _tokens(chosen)
    return {"themes": lambda: themes_section(chosen, view, themes, tokens),
            "cases": lambda: cases_section(chosen, view, _chosen_theme_figures(chosen, tokens)),
            "outcomes": lambda: outcomes_section(chosen, view, _chosen_theme_figures(chosen, tokens)),
            "circles": lambda: circles_section(chosen, view),
            "participation": lambda: participation_section(chosen, view, tokens)}[key]()


def _labels(period: Period) -> list[str]:
    return [month_label(month) for month in period.months]


# 1. Themes over time ----------------------------------------------------------------------------


def themes_section(chosen: Filter, view: View, themes: list[Theme], tokens: dict[str, str]) -> Section:
    period, previous = chosen.period, chosen.period.previous()
    shown = [theme for theme in themes if not theme.archived or theme.id == chosen.theme_id]
    if chosen.theme_id is not None:
        shown = [theme for theme in themes if theme.id == chosen.theme_id]
    ids = [theme.id for theme in shown] or [-1]
    tally = Tally()
    # Per theme, month and team: posts and their different authors; over each whole period
    # the people are a union of the months' (never a sum).
    found = _figures(("posts",), previous.months + period.months, ids, tokens)
    for _, theme_id, month, team, posts, people in found.of("posts", period.months):
        tally.put((theme_id, month), team, posts, people.bit_count())
    for name, months in ((TOTAL, period.months), ("before", previous.months)):
        for (theme_id, team), (posts, people) in found.over("posts", months).items():
            tally.put((theme_id, name), team, posts, people.bit_count())
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


def _theme_clause(chosen: Filter):
    if chosen.theme_id is None:
        return True
    return exists().where(post_themes.c.post_id == Post.id, post_themes.c.theme_id == chosen.theme_id)


def cases_section(chosen: Filter, view: View, found: Found) -> Section:
    """Cases published, the share answered within 48 hours, the median time to a first reply,
    and (whatever the team filter) the forum-wide cases with no reply after 7 days. More
    figures are added as `CASE_FIGURES` rows.

    From the monthly summary: per month and team, and per team over the whole period (people
    are a union of the months', never a sum), with the delays to a first reply in whole hours
    per month and team, for the medians."""
    period = chosen.period
    published, answered, answers = Tally(), Tally(), Tally()
    delays: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    theme = chosen.theme_id or 0
    for key, months in [(month, [month]) for month in period.months] + [(TOTAL, period.months)]:
        counts = found.over("cases", months)
        quick, answering = found.over("quick", months), found.over("answered", months)
        for (_, team), (count, people) in counts.items():
            published.put(key, team, count, people.bit_count())
            answered.put(key, team, quick.get((theme, team), (0, 0))[0], people.bit_count())
            answer_count, answer_people = answering.get((theme, team), (0, 0))
            answers.put(key, team, answer_count, answer_people.bit_count())
    for (month, team), histograms in found.hours():
        for histogram in histograms:
            for key in (month, TOTAL):
                for bucket, count in histogram.items():
                    delays[key][team][bucket] += count
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


def _share(numerator: Cell, denominator: Cell) -> Cell:
    if denominator.hidden or not denominator.value:
        return Cell(None, denominator.people, forced=denominator.hidden)
    return Cell(numerator.value / denominator.value, denominator.people)


def answered_share(view, keys, counts, published, answered, delays) -> Row:
    cells = [_share(view.cell(answered, key), count) for key, count in zip([*keys, TOTAL], counts, strict=True)]
    return Row(f"Share answered within {ANSWER_HOURS} hours", cells[:-1], cells[-1], kind="share")


def _median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    size = sum(histogram.values())
    if not size:
        return None
    middle, seen, low = (size - 1) / 2, 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > int(middle):
            low = value
        if seen > int(middle + 0.5):
            return (low + value) / 2
    return None


def median_hours(view, keys, counts, published, answered, delays) -> Row:
    cells = []
    for key, count in zip([*keys, TOTAL], counts, strict=True):
        histogram: dict[int, int] = defaultdict(int)
        for team, buckets in delays[key].items():
            if view.team_id is None or team == view.team_id:
                for value, many in buckets.items():
                    histogram[value] += many
        answered_cell = view.cell(delays["answers"], key)
        # Hidden with the count it comes from (the complementary rule), and below 5 answers or people.
        people = min(int(answered_cell.value or 0), answered_cell.people)
        cells.append(Cell(_median(histogram), people, forced=count.hidden))
    return Row("Median hours to a first reply", cells[:-1], cells[-1], kind="hours")


#: The cases section's figures after "Cases published", each a function of
#: (view, months, the count cells with the total last, and the tallies): add more here.
CASE_FIGURES = [answered_share, median_hours]


def helping_rows(chosen: Filter) -> list[Row]:
    """"What helped" and routing to helpers, over the whole organisation only: shown per team,
    a team's figure could be worked out from the organisation's minus the others'."""
    since, until = chosen.period.since, chosen.period.until
    hours, authors = knowledge_services.what_helped_figure(since, until)
    waiting, waiting_authors = routing.unanswered_after_routing_figure(since, until)
    return [Row("Median hours to a reply marked “what helped”", [Cell(hours, authors)], kind="hours"),
            Row("Cases sent to helpers that still have no reply", [Cell(waiting, waiting_authors)])]


def unanswered(chosen: Filter) -> list[tuple[int, str]]:
    """Forum-wide cases published in the period more than 7 days ago with no reply from anyone
    else: titles and links only. It ignores the team filter, which would tell who wrote an
    anonymous case, and circle cases never appear in it."""
    older = min(chosen.period.until, chosen.made_at - timedelta(days=UNANSWERED_DAYS))
    replied = exists().where(Reply.post_id == Post.id, Reply.status == Status.PUBLISHED, Reply.author_id != Post.author_id)
    return [(post_id, title) for post_id, title in db.session.execute(
        select(Post.id, Post.title)
        .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Post.circle_id.is_(None),
               Post.published_at >= chosen.period.since, Post.published_at < older, ~replied, _theme_clause(chosen))
        .order_by(Post.published_at, Post.id).limit(UNANSWERED_LIMIT))]


# 3. Outcomes ----------------------------------------------------------------------------------------


def outcomes_section(chosen: Filter, view: View, found: Found) -> Section:
    period = chosen.period
    by_type, by_group, started, kept = Tally(), Tally(), Tally(), Tally()
    for figure, by in (("outcome", by_type), ("outcome-group", by_group)):
        for variant, _, month, team, updates, people in found.of(figure, period.months):
            by.put((OutcomeType(variant) if figure == "outcome" else variant, month), team, updates, people.bit_count())
    for figure, by in (("outcome", by_type), ("outcome-group", by_group)):
        for (variant, team), (updates, people) in found.over(figure, period.months, by_variant=True).items():
            by.put((OutcomeType(variant) if figure == "outcome" else variant, TOTAL), team, updates, people.bit_count())
    # A case counts once, in the first month of the period it started work in; it lasted when
    # it was still in work at 13 (26) weeks at any time from the period's start.
    first = summary.month_text(period.start)
    per_team: dict = defaultdict(lambda: [0, 0, 0, 0])
    for variant, _, _, team, cases, people in found.of("started", period.months):
        previous, thirteen, twenty_six = variant.split("|")
        if previous and previous >= first:
            continue
        counts = per_team[team]
        counts[0] += cases
        counts[1] |= people
        counts[2] += cases if thirteen and thirteen >= first else 0
        counts[3] += cases if twenty_six and twenty_six >= first else 0
    for team, (cases, people, thirteen, twenty_six) in per_team.items():
        started.put("started", team, cases, people.bit_count())
        kept.put(13, team, thirteen, people.bit_count())
        kept.put(26, team, twenty_six, people.bit_count())
    months = period.months
    type_rows = []
    for kind in OutcomeType:
        cells, total = view.row(by_type, [(kind, month) for month in months], (kind, TOTAL))
        type_rows.append(Row(kind.label, cells, total))
    group_rows = []
    for group, label in (("direct", "Direct outcomes"), ("indirect", "Indirect outcomes")):
        cells, total = view.row(by_group, [(group, month) for month in months], (group, TOTAL))
        group_rows.append(Row(label, cells, total))
    case_totals = _case_outcome_share(chosen, view, found)
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


def _case_outcome_share(chosen: Filter, view: View, found: Found) -> Cell:
    """The share of the period's cases with any recorded outcome."""
    period = chosen.period
    cases, with_outcome = Tally(), Tally()
    theme = chosen.theme_id or 0
    recorded = found.over("with-outcome", period.months)
    for (_, team), (count, people) in found.over("cases", period.months).items():
        cases.put("cases", team, count, people.bit_count())
        with_outcome.put("cases", team, recorded.get((theme, team), (0, 0))[0], people.bit_count())
    return _share(view.cell(with_outcome, "cases"), view.cell(cases, "cases"))


# 4. Circles -------------------------------------------------------------------------------------


def circles_section(chosen: Filter, view: View) -> Section:
    """Organisation-wide (circles cross teams, and their themes are their own): meetings held
    against scheduled, attendance (recorded only), cases discussed, action points done by
    their due date, phases where everyone was heard; never a person, a note or a title."""
    period = chosen.period
    months = period.months
    meetings = db.session.execute(
        select(Meeting.id, Meeting.starts_at, Meeting.status, Meeting.circle_id)
        .where(Meeting.starts_at >= period.since, Meeting.starts_at < period.until)).all()
    month_of = {meeting_id: month_key(as_utc(starts_at)) for meeting_id, starts_at, _, _ in meetings}
    finished = {meeting_id for meeting_id, _, status, _ in meetings if status == MeetingStatus.FINISHED}
    # A meeting count is about the circles' members: at least 5 of them, or it is hidden.
    members_of: dict[int, set] = defaultdict(set)
    for circle_id, user_id in db.session.execute(
            select(Membership.circle_id, Membership.user_id)
            .where(Membership.circle_id.in_({circle_id for *_, circle_id in meetings} or {-1}),
                   Membership.status == MemberStatus.ACTIVE)):
        members_of[circle_id].add(user_id)
    ids = list(month_of) or [-1]
    scheduled, held, discussed, actions_due, actions_done = Tally(), Tally(), Tally(), Tally(), Tally()
    rates: dict = defaultdict(list)
    present: dict[int, int] = defaultdict(int)
    people_in: dict = defaultdict(set)
    for meeting_id, user_id, status in db.session.execute(
            select(Attendance.meeting_id, Attendance.user_id, Attendance.status).where(Attendance.meeting_id.in_(ids))):
        people_in[meeting_id].add(user_id)
        if status == Presence.PRESENT:
            present[meeting_id] += 1
        for key in (month_of[meeting_id], TOTAL):
            people_in[key].add(user_id)
    recorded: dict[int, list] = defaultdict(list)
    for meeting_id, user_id, status in db.session.execute(
            select(Attendance.meeting_id, Attendance.user_id, Attendance.status)
            .where(Attendance.meeting_id.in_(list(finished) or [-1]), Attendance.status != Presence.UNKNOWN)):
        recorded[meeting_id].append((user_id, status))
    for meeting_id, _, status, circle_id in meetings:
        month = month_of[meeting_id]
        for key in (month, TOTAL):
            scheduled.put(key, None, 1, 0)
            scheduled.sets[key][None] |= members_of[circle_id]
            if meeting_id in finished:
                held.put(key, None, 1, 0)
                held.sets[key][None] |= members_of[circle_id]
                if recorded[meeting_id]:
                    rate = sum(status == Presence.PRESENT for _, status in recorded[meeting_id]) / len(recorded[meeting_id])
                    rates[key].append((rate, {user for user, _ in recorded[meeting_id]}))
    for meeting_id, author_id in db.session.execute(
            select(AgendaItem.meeting_id, Post.author_id).join(Post, Post.id == AgendaItem.post_id)
            .where(AgendaItem.meeting_id.in_(list(finished) or [-1]), AgendaItem.status == AgendaStatus.ACCEPTED)):
        for key in (month_of[meeting_id], TOTAL):
            discussed.count(key, None, author_id)
    for owner_id, due, done_at in db.session.execute(
            select(ActionPoint.owner_id, ActionPoint.due, ActionPoint.done_at)
            .where(ActionPoint.due >= period.start, ActionPoint.due < period.end)):
        on_time = done_at is not None and as_utc(done_at).date() <= due
        for key in (month_key(due), TOTAL):
            actions_due.count(key, None, owner_id)
            actions_done.count(key, None, owner_id, 1 if on_time else 0)
    heard: dict = defaultdict(lambda: [0, 0, set()])
    for meeting_id, _item, _phase, voices in db.session.execute(
            select(HeardMark.meeting_id, HeardMark.item, HeardMark.phase, func.count())
            .where(HeardMark.meeting_id.in_(list(finished) or [-1]))
            .group_by(HeardMark.meeting_id, HeardMark.item, HeardMark.phase)):
        for key in (month_of[meeting_id], TOTAL):
            heard[key][0] += 1
            heard[key][1] += 1 if present[meeting_id] and voices >= present[meeting_id] else 0
            heard[key][2] |= people_in[meeting_id]
    org = View([], None)  # circles are the organisation's: no team figures here

    def row(label, tally, kind="count"):
        cells, total = org.row(tally, months, TOTAL)
        return Row(label, cells, total, kind)

    def rate_cell(key):
        entries = rates.get(key, [])
        people = set().union(*(who for _, who in entries)) if entries else set()
        return Cell(median(rate for rate, _ in entries) if entries else None, len(people))

    def heard_cell(key):
        phases, everyone, people = heard.get(key, [0, 0, set()])
        return Cell(everyone / phases if phases else None, len(people))

    def done_cell(key):
        return _share(org.cell(actions_done, key), org.cell(actions_due, key))

    table_rows = [
        row("Meetings scheduled", scheduled), row("Meetings held", held),
        Row("Median attendance rate (recorded attendance only)", [rate_cell(k) for k in months], rate_cell(TOTAL), "share"),
        row("Cases discussed", discussed),
        Row("Action points done by their due date", [done_cell(k) for k in months], done_cell(TOTAL), "share"),
        Row("Phases where everyone present was heard", [heard_cell(k) for k in months], heard_cell(TOTAL), "share"),
    ]
    labels = _labels(period)
    pulse_table = pulse_rows(chosen)
    return Section(
        "circles", "Circles",
        "The organisation's circles together: the team and theme filters do not apply here, and nothing shows "
        "a person's attendance, a note, an agenda or a circle case's title.",
        [Table("circles", "Circle meetings per month", table_rows, labels),
         Table("pulse", "How the meetings felt (the session pulse)", pulse_table, ["Value"], total_label=None)],
        charts=[charts.bars("Circle meetings per month, held against scheduled", labels,
                            [charts.Series("Scheduled", table_rows[0].cells), charts.Series("Held", table_rows[1].cells)])],
        notes=["Attendance rate: present ÷ (present + absent) per finished meeting, then the median; attendance "
               "not recorded counts as neither. Everyone heard: among the phases where anyone was marked heard."])


def pulse_rows(chosen: Filter) -> list[Row]:
    """The session pulse: usefulness per circle and, for the whole organisation only, "how are
    you doing".

    Only closed pulses count (`forum.meetings.pulse`), in the period's whole months; never per
    team, and never "how are you doing" per circle. Below 5 answers the pulse gives None, shown
    as "fewer than 5". Circles are named only when listed (an invitation-only circle is not
    known to managers who are not in it).
    """
    since, until = chosen.period.since, chosen.period.until
    circles = db.session.execute(
        select(Circle.id, Circle.name).where(Circle.archived_at.is_(None), Circle.mode != Mode.INVITE)
        .order_by(Circle.name)).all()
    useful = pulse.usefulness_by_circle([circle_id for circle_id, _ in circles], since, until)
    rows = [Row(f"Usefulness (1 to 5): {name}", [_pulse_cell(useful.get(circle_id))], kind="average")
            for circle_id, name in circles]
    rows.append(Row("How people are doing at work (1 to 5, whole organisation)",
                    [_pulse_cell(pulse.organisation_coping(since, until))], kind="average"))
    return rows


def _pulse_cell(found: dict | None) -> Cell:
    return Cell(None, 0, forced=True) if found is None else Cell(found["average"], found["answers"])


# 5. Participation ------------------------------------------------------------------------------


def participation_section(chosen: Filter, view: View, tokens: dict[str, str]) -> Section:
    """People who posted, replied or attended each month, and new members: counts of people,
    never a list or a ranking."""
    period = chosen.period
    months = period.months
    posted, replied, attended, joined = Tally(), Tally(), Tally(), Tally()
    found = _figures(("posted", "replied"), months, [0], tokens)
    for figure, tally in (("posted", posted), ("replied", replied)):
        for _, _, month, team, _, people in found.of(figure, months):
            tally.put(month, team, people.bit_count(), people.bit_count())
        for (_, team), (_, people) in found.over(figure, months).items():
            tally.put(TOTAL, team, people.bit_count(), people.bit_count())
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
    for tally in (attended, joined):
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


# The managers' overview (home page) ---------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    unanswered_this_week: int
    meetings_next_week: int


def overview(now: datetime) -> Overview:
    """For a manager's home page: forum-wide cases of the last 7 days still without a reply
    from anyone else, and circle meetings across the organisation in the next 7 days (counts only)."""
    replied = exists().where(Reply.post_id == Post.id, Reply.status == Status.PUBLISHED, Reply.author_id != Post.author_id)
    unanswered_count = db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.kind == PostKind.CASE, Post.status == Status.PUBLISHED, Post.circle_id.is_(None),
               Post.published_at >= now - timedelta(days=7), ~replied)) or 0
    meetings = db.session.scalar(
        select(func.count()).select_from(Meeting)
        .where(Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.RUNNING]), Meeting.starts_at >= now,
               Meeting.starts_at < now + timedelta(days=7))) or 0
    return Overview(unanswered_count, meetings)
