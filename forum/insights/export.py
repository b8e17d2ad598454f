"""One CSV per section: exactly the numbers of its tables, "fewer than 5" where the page
says so. Cells that look like formulas are made text."""

from __future__ import annotations

import csv
import io

from forum.insights.services import Section


def _safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def cell_text(cell, kind: str) -> str:
    if kind == "pulse":  # the session pulse: a figure from fewer than 5 answers is hidden too
        if cell.forced:
            return cell.text()
        return "not recorded yet" if cell.value is None else cell.text("share")
    return cell.text(kind)


def section_csv(section: Section, filter_lines: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for name, value in filter_lines:
        writer.writerow([_safe(name), _safe(value)])
    for table in section.tables:
        writer.writerow([])
        header = ["Table", "Figure", *table.columns]
        if table.total_label and any(row.total is not None for row in table.rows):
            header.append(table.total_label)
        writer.writerow([_safe(each) for each in header])
        for row in table.rows:
            values = [cell_text(cell, row.kind) for cell in row.cells]
            if row.total is not None and table.total_label:
                values.append(cell_text(row.total, row.kind))
            writer.writerow([_safe(table.caption), _safe(row.label), *values])
    if section.unanswered is not None:
        writer.writerow([])
        writer.writerow(["Cases with no reply after 7 days", "Link"])
        for post_id, title in section.unanswered:
            writer.writerow([_safe(title), f"/posts/{post_id}"])
    return out.getvalue()
