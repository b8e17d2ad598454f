"""No filter combination shows a figure from fewer than 5 people, or lets the organisation's
total minus the shown teams reveal a hidden one (a property test, derandomised)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.accounts.models import User
from forum.extensions import db
from forum.insights import filters, services
from forum.insights.suppression import Cell, complete_row, complete_teams
from forum.timeutil import utcnow

PERIODS = st.one_of(st.sampled_from(["3", "6", "12"]),
                    st.tuples(st.integers(0, 14), st.integers(0, 14)).map(lambda pair: ("custom", *sorted(pair))))


def _cells(section):
    for table in section.tables:
        for row in table.rows:
            if row.kind == "pulse":
                continue
            yield from ((table.key, row.label, index, cell) for index, cell in enumerate([*row.cells, row.total]) if cell)


def _build(admin, period, team, theme):
    org, themes = filters.organisation(), filters.themes()
    today = utcnow().date()
    if isinstance(period, tuple):
        _, back_from, back_to = period
        since = date(today.year - (today.month - 1 - back_to < 0), (today.month - 1 - back_to) % 12 + 1, 1)
        until = date(today.year - (today.month - 1 - back_from < 0), (today.month - 1 - back_from) % 12 + 1, 28)
        return org, themes, filters.build(admin, org, themes, period="custom", since=since, until=until, team=team,
                                          theme=theme, today=today, now=utcnow())
    return org, themes, filters.build(admin, org, themes, period=period, since=None, until=None, team=team, theme=theme,
                                      today=today, now=utcnow())


def test_no_filter_shows_a_figure_from_fewer_than_5_people(app, known):
    teams = ["", str(known["north"]), str(known["south"]), str(known["tiny"])]

    @settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(period=PERIODS, team=st.sampled_from(teams), theme=st.sampled_from(["", "housing", "debt"]))
    def check(period, team, theme):
        with app.app_context():
            admin = db.session.get(User, known["admin"].id)
            org, themes, chosen = _build(admin, period, team, theme)
            for section in services.sections(chosen, org, themes):
                for table, label, index, cell in _cells(section):
                    assert cell.hidden or cell.people >= 5, (table, label, index, cell)
            if chosen.team_id is None:
                # Across teams: the organisation's shown total never has exactly one hidden team under it.
                views = {}
                for team_id in org.selectable:
                    views[team_id] = services.sections(filters.Filter(chosen.period, team_id, "", chosen.theme_id, "",
                                                                      None, chosen.made_at), org, themes)
                whole = services.sections(chosen, org, themes)
                for s, section in enumerate(whole):
                    if section.key == "circles":
                        continue
                    for t, table in enumerate(section.tables):
                        for r, row in enumerate(table.rows):
                            if row.kind != "count" or table.key == "rising":
                                continue
                            for i, cell in enumerate(row.cells):
                                hidden = [team_id for team_id in org.selectable
                                          if views[team_id][s].tables[t].rows[r].cells[i].hidden]
                                assert cell.hidden or len(hidden) != 1, (table.key, row.label, i)

    check()


def test_complementary_rules():
    teams, total = complete_teams({1: Cell(2, 2), 2: Cell(9, 9), 3: Cell(7, 7), None: Cell(1, 1)}, [1, 2, 3])
    assert teams[1].hidden and teams[3].hidden and not teams[2].hidden and total.shown == 19
    teams, total = complete_teams({1: Cell(2, 2), None: Cell(10, 10)}, [1])
    assert teams[1].hidden and total.hidden
    months, total = complete_row([Cell(9, 9), Cell(1, 1), Cell(8, 8)], Cell(18, 10))
    assert total.hidden
    months, total = complete_row([Cell(9, 9), Cell(1, 1), Cell(2, 2)], Cell(12, 10))
    assert not total.hidden
