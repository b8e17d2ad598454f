"""The SVG chart builder: labelled for screen readers, no script, hidden figures never drawn as values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from forum.insights import charts
from forum.insights.periods import Period
from forum.insights.suppression import Cell

LABELS = ["Jan 2026", "Feb 2026", "Mar 2026"]
SERIES = [charts.Series("Housing", [Cell(7, 7), Cell(3, 3), Cell(12, 9)]),
          charts.Series("Debt", [Cell(5, 5), Cell(6, 6), Cell(0, 0)])]


@pytest.mark.parametrize("draw", [
    lambda: charts.bars("Posts per month", LABELS, SERIES),
    lambda: charts.bars("Posts per month", LABELS, SERIES, stacked=True),
    lambda: charts.lines("Posts per month", LABELS, SERIES),
])
def test_a_chart_is_labelled_svg_without_script(draw):
    svg = str(draw())
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    chart_id = root.get("aria-labelledby").split()[0].removesuffix("-title")
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Posts per month"
    assert f'id="{chart_id}-title"' in svg and f'id="{chart_id}-desc"' in svg
    assert "<script" not in svg and "on" not in re.findall(r"\s(on)\w+=", svg)
    # The hidden figures say so, and their values (3, 0) are never drawn as labels.
    assert "Housing, Feb 2026: fewer than 5" in svg and "Debt, Mar 2026: fewer than 5" in svg
    assert "Housing, Feb 2026: 3" not in svg
    assert "Housing, Mar 2026: 12" in svg


def test_text_is_escaped():
    svg = str(charts.bars("<Posts> & more", ["<b>"], [charts.Series("A & <B>", [Cell(9, 9)])]))
    assert "<Posts>" not in svg and "&lt;Posts&gt; &amp; more" in svg
    ET.fromstring(svg)


def test_periods_snap_to_whole_months():
    from datetime import date
    period = Period.between(date(2026, 1, 17), date(2026, 3, 2))
    assert (period.start, period.end, period.length) == (date(2026, 1, 1), date(2026, 4, 1), 3)
    assert Period.last(3, date(2026, 1, 15)).months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert period.previous() == Period(date(2025, 10, 1), date(2026, 1, 1))
