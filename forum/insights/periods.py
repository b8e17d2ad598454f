"""Periods of whole months (pure Python): the last 3, 6 or 12 months, or dates snapped to
the months that hold them, so that no filter can narrow a figure to part of a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

#: The longest custom period, in months (the page stays fast and readable).
LONGEST = 24
CHOICES = (("3", "Last 3 months"), ("6", "Last 6 months"), ("12", "Last 12 months"), ("custom", "Dates I choose"))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    #: The first day of the first month.
    start: date
    #: The first day of the month after the last one (exclusive).
    end: date

    @classmethod
    def last(cls, months: int, today: date) -> Period:
        """The last `months` months, this one included."""
        end = add_months(month_start(today), 1)
        return cls(add_months(end, -months), end)

    @classmethod
    def between(cls, since: date, until: date) -> Period:
        """The whole months from the one holding `since` to the one holding `until`."""
        return cls(month_start(since), add_months(month_start(until), 1))

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def length(self) -> int:
        return len(self.months)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(add_months(self.start, -self.length), self.start)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time(), tzinfo=UTC)

    @property
    def label(self) -> str:
        last = add_months(self.end, -1)
        if self.start == last:
            return self.start.strftime("%B %Y")
        return f"{self.start.strftime('%B %Y')} to {last.strftime('%B %Y')}"


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def month_key(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)
