"""The minimum group size, applied to every figure insights shows (pure Python, no database).

A figure is a `Cell`: its value and how many different people it is built from. A cell from
fewer than `MINIMUM` people is shown as "fewer than 5" in the page, the charts, the CSV and
the print view alike. Two more rules stop a hidden figure being worked out by subtraction:

- across teams (`complete_teams`): when exactly one selectable team's figure is hidden, the
  next smallest team's is hidden too (or the organisation's total when there is no other), so
  that the total minus the other teams cannot reveal it;
- along a row of months (`complete_row`): when exactly one month is hidden, the row's total
  for the period is hidden too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

#: No figure is shown that is built from fewer people (or answers) than this.
MINIMUM = 5
FEWER = "fewer than 5"


class Cell(NamedTuple):
    """One figure: `value` (a count, a share from 0 to 1, or a number of hours), and `people`,
    the number of different people (or answers, whichever is smaller) behind it. A named tuple
    (not a dataclass): a year's page makes thousands, and a tuple is made three times faster."""

    value: float | int | None
    people: int
    #: Hidden by a rule beyond its own size (complementary suppression).
    forced: bool = False

    @property
    def hidden(self) -> bool:
        return self.forced or self.people < MINIMUM or self.value is None

    @property
    def shown(self) -> float | int | None:
        """The value when it may be shown, else None."""
        return None if self.hidden else self.value

    def text(self, kind: str = "count") -> str:
        """As the page, the chart's table and the CSV write it."""
        if self.hidden:
            return FEWER
        return format_value(self.value, kind)

    def hide(self) -> Cell:
        return self._replace(forced=True)


EMPTY = Cell(0, 0)


def format_value(value: float | int | None, kind: str = "count") -> str:
    if value is None:
        return FEWER
    if kind == "share":
        return f"{round(value * 100)}%"
    if kind == "hours":
        return f"{value:.1f}"
    if kind == "average":
        return f"{value:.1f} of 5"
    return str(int(value))


def add(cells: Iterable[Cell]) -> Cell:
    """The sum of additive cells (counts over disjoint groups of people, such as teams)."""
    value, people = 0, 0
    for cell in cells:
        value += cell.value or 0
        people += cell.people
    return Cell(value, people)


def complete_teams(by_team: Mapping[int | None, Cell], selectable: Iterable[int]) -> tuple[dict[int, Cell], Cell]:
    """Each selectable team's cell and the organisation's total, with the complementary rule
    applied. `by_team` holds every part of the organisation (None: people in no team, and
    small teams are parts nobody can select); parts nobody can select never count as a
    complement, since their figure might be known to be zero."""
    teams = {team: by_team.get(team, EMPTY) for team in selectable}
    total = add(by_team.values())
    hidden = [team for team, cell in teams.items() if cell.hidden]
    if len(hidden) == 1 and not total.hidden:
        others = sorted((cell.people, team) for team, cell in teams.items() if team not in hidden)
        if others:
            teams[others[0][1]] = teams[others[0][1]].hide()
        else:
            total = total.hide()
    return teams, total


def complete_row(months: list[Cell], total: Cell) -> tuple[list[Cell], Cell]:
    """A row of monthly cells and its period total: one hidden month hides the total too."""
    if sum(1 for cell in months if cell.hidden) == 1:
        total = total.hide()
    return months, total
