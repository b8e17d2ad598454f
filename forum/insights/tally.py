"""Counting figures per team, so that the suppression rules can see every part of the
organisation before one figure is shown (pure Python)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

from forum.insights.suppression import EMPTY, Cell, complete_row, complete_teams


class Tally:
    """Per figure (`key`) and team: a value and the people behind it. Either `count` a
    person once per thing (people are kept as a set), or `put` a grouped query's row (its
    count and its number of different people, which add up across teams since each person
    is in one team)."""

    def __init__(self) -> None:
        self.values: dict = defaultdict(lambda: defaultdict(int))
        self.sets: dict = defaultdict(lambda: defaultdict(set))
        self.counts: dict = defaultdict(lambda: defaultdict(int))

    def count(self, key: Hashable, team: int | None, person: int, amount: float = 1) -> None:
        self.values[key][team] += amount
        self.sets[key][team].add(person)

    def put(self, key: Hashable, team: int | None, value: float, people: int) -> None:
        self.values[key][team] += value
        self.counts[key][team] += people

    def by_team(self, key: Hashable) -> dict[int | None, Cell]:
        sets, counts = self.sets.get(key, {}), self.counts.get(key, {})
        return {team: Cell(value, len(sets.get(team, ())) + counts.get(team, 0))
                for team, value in self.values.get(key, {}).items()}


class View:
    """The figures one filter shows: the chosen team's (or the organisation's), with every
    suppression rule applied."""

    def __init__(self, selectable: Iterable[int], team_id: int | None) -> None:
        self.selectable = list(selectable)
        self.team_id = team_id

    def cell(self, tally: Tally, key: Hashable) -> Cell:
        teams, total = complete_teams(tally.by_team(key), self.selectable)
        if self.team_id is None:
            return total
        return teams.get(self.team_id, EMPTY)

    def row(self, tally: Tally, keys: list, total_key: Hashable | None) -> tuple[list[Cell], Cell | None]:
        cells = [self.cell(tally, key) for key in keys]
        if total_key is None:
            return cells, None
        return complete_row(cells, self.cell(tally, total_key))
