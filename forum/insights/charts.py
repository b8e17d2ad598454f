"""A small SVG chart builder, drawn on the server: bars, stacked bars and lines.

No script and no library: each chart is an `<svg role="img">` labelled by its `<title>` and
`<desc>` (`aria-labelledby`), drawn from the same suppressed cells as the table beside it.
A hidden figure ("fewer than 5") is drawn as a hatched stub with that label, never as its
value. Colours come from the stylesheet's classes (series-1 ... series-6), and each series
also has its own marker or pattern, so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

from forum.insights.suppression import FEWER, Cell

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 44
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    cells: list[Cell]


def _scale(values: list[float]) -> float:
    top = max([value for value in values if value is not None] or [0])
    return top if top > 0 else 1


def _frame(chart_id: str, title: str, description: str, body: list[str], labels: list[str], top: float,
           kind: str, legend: list[str]) -> Markup:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" focusable="false">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             '<defs><pattern id="' + chart_id + '-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="chart__hatch"/></pattern></defs>']
    for step in range(5):  # gridlines and the scale
        y = TOP + plot_h - plot_h * step / 4
        value = top * step / 4
        label = f"{round(value * 100)}%" if kind == "share" else (f"{value:.0f}" if top >= 4 else f"{value:.1f}")
        parts.append(f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart__axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    every = max(1, len(labels) // 12)
    for index, label in enumerate(labels):
        if index % every == 0:
            x = LEFT + slot * (index + 0.5)
            parts.append(f'<text class="chart__axis" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.extend(body)
    for index, name in enumerate(legend):
        x = LEFT + (index % 4) * 150
        y = HEIGHT - 10 - (index // 4) * 0
        parts.append(f'<rect class="series-{index % 6 + 1}" x="{x}" y="{y - 9}" width="10" height="10"/>'
                     f'<text class="chart__legend" x="{x + 14}" y="{y}">{escape(name[:22])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _stub(chart_id: str, x: float, axis: float, width: float, label: str) -> str:
    return (f'<rect x="{x:.1f}" y="{axis - 6:.1f}" width="{width:.1f}" height="6" fill="url(#{chart_id}-hatch)" '
            f'class="chart__hidden"><title>{label}</title></rect>')


def bars(title: str, labels: list[str], series: list[Series], kind: str = "count", stacked: bool = False) -> Markup:
    """Grouped bars (or stacked, for parts of a whole), one group per label (month)."""
    chart_id = f"chart-{next(_ids)}"
    plot_h = HEIGHT - TOP - BOTTOM
    if stacked:
        totals = [sum(each.cells[i].shown or 0 for each in series) for i in range(len(labels))]
        top = _scale(totals)
    else:
        top = _scale([cell.shown for each in series for cell in each.cells])
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = slot * 0.7 / (1 if stacked else max(len(series), 1))
    body = []
    for i in range(len(labels)):
        base = TOP + plot_h
        hidden = []
        for s, each in enumerate(series):
            cell = each.cells[i]
            x = LEFT + slot * i + slot * 0.15 + (0 if stacked else width * s)
            if cell.hidden:
                hidden.append(f"{escape(each.name)}, {escape(labels[i])}: {FEWER}")
                if not stacked:
                    body.append(_stub(chart_id, x, TOP + plot_h, width, hidden.pop()))
                continue
            h = plot_h * (cell.value or 0) / top
            y = base - h if stacked else TOP + plot_h - h
            body.append(f'<rect class="series-{s % 6 + 1}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}">'
                        f'<title>{escape(each.name)}, {escape(labels[i])}: {escape(cell.text(kind))}</title></rect>')
            if stacked:
                base = y
        if stacked and hidden:  # one hatched stub on the axis says which parts are hidden
            body.append(_stub(chart_id, LEFT + slot * i + slot * 0.15, TOP + plot_h, width, "; ".join(hidden)))
    description = f"{'Stacked bars' if stacked else 'Bars'} by month; the numbers are in the table beside the chart."
    return _frame(chart_id, title, description, body, labels, top, kind,
                  [each.name for each in series] if len(series) > 1 else [])


def lines(title: str, labels: list[str], series: list[Series], kind: str = "count") -> Markup:
    """One line per series; a hidden month breaks the line and is marked "fewer than 5"."""
    chart_id = f"chart-{next(_ids)}"
    plot_h = HEIGHT - TOP - BOTTOM
    top = _scale([cell.shown for each in series for cell in each.cells])
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = []
    for s, each in enumerate(series):
        points: list[str] = []
        runs: list[list[str]] = []
        for i, cell in enumerate(each.cells):
            x = LEFT + slot * (i + 0.5)
            if cell.hidden:
                if points:
                    runs.append(points)
                points = []
                body.append(f'<circle cx="{x:.1f}" cy="{TOP + plot_h - 3:.1f}" r="3" fill="url(#{chart_id}-hatch)" '
                            f'class="chart__hidden"><title>{escape(each.name)}, {escape(labels[i])}: {FEWER}</title></circle>')
                continue
            y = TOP + plot_h - plot_h * (cell.value or 0) / top
            points.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle class="series-{s % 6 + 1} chart__point--{s % 3}" cx="{x:.1f}" cy="{y:.1f}" r="4">'
                        f'<title>{escape(each.name)}, {escape(labels[i])}: {escape(cell.text(kind))}</title></circle>')
        if points:
            runs.append(points)
        for run in runs:
            body.append(f'<polyline class="chart__line series-line-{s % 6 + 1}" points="{" ".join(run)}"/>')
    return _frame(chart_id, title, "Lines by month; the numbers are in the table beside the chart.", body, labels, top,
                  kind, [each.name for each in series] if len(series) > 1 else [])
