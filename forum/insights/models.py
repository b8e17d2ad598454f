"""The monthly summary insights reads (migration 0022), and the marks that say which part of it
is out of date.

`insights_monthly` holds, per month, figure, team and theme, a count and the people behind it
as a bitmap of user ids (bit n set: user n), so that the people of several months or teams
add up exactly (a union, never a sum). `insights_dirty` is written by database triggers on
posts, replies, post themes, outcome updates and people's teams (migration 0022), and emptied
by `forum.insights.summary` when it recomputes what they name.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db


class MonthlyFigure(db.Model):
    """One figure of one month for one team and theme.

    `team_id` 0: people in no team; `theme_id` 0: every post, whatever its themes."""

    __tablename__ = "insights_monthly"

    #: "YYYY-MM" (UTC).
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    #: What is counted: see `forum.insights.summary.FIGURES`.
    figure: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: A figure's sub-division: an outcome type or group; for "started", "previous|13|26" months.
    variant: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    #: The different people behind the value: a little-endian bitmap of user ids.
    people: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    #: "answered": hours to the first reply, as JSON {whole hours: cases}.
    detail: Mapped[str | None] = mapped_column(Text)


class DirtyMark(db.Model):
    """A month, part and team whose figures changed since they were summed (written by triggers)."""

    __tablename__ = "insights_dirty"
    __table_args__ = (Index("ix_insights_dirty_unit", "month", "part", "team_id", "xid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    #: "posts", "replies" or "outcomes" (`forum.insights.summary.PARTS`).
    part: Mapped[str] = mapped_column(String(12))
    team_id: Mapped[int] = mapped_column(Integer)
    #: PostgreSQL: the writing transaction (a trigger skips a mark its own transaction made);
    #: SQLite: 0 (writers take turns, so one mark per unit is enough).
    xid: Mapped[int] = mapped_column(BigInteger, default=0)
