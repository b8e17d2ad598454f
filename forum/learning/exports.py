"""The record as CSV, and as a PDF (`forum.learning.pdf`). Both are built from `services.plain`
on each request and never stored."""

from __future__ import annotations

import csv
import io


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(data: dict) -> str:
    """One row per item: section, date, item, detail."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = [["section", "date", "item", "detail"],
            ["record", "", data["name"], data["period"]]]
    for label, value in data.get("totals", []):
        rows.append(["total", "", label, value])
    for line in data.get("meetings", []):
        rows.append(["meeting", line["date"], line["circle"], f"{line['duration']}; cases: {'; '.join(line['cases']) or 'none'}"])
    parts = data.get("contributions", {})
    rows += [["presented", item["date"], item["title"], ""] for item in parts.get("presented", [])]
    rows += [["posted", item["date"], item["title"], item["kind"]] for item in parts.get("posts", [])]
    rows += [["helpful", "", item["title"], f"{item['count']} marked helpful"] for item in parts.get("helpful", [])]
    rows += [["outcome", item["date"], item["title"], ""] for item in parts.get("outcomes", [])]
    rows += [["action done", item["done"], item["text"], ""] for item in parts.get("actions_done", [])]
    rows += [["action open", item["due"], item["text"], "due" if item["due"] else ""] for item in parts.get("actions_open", [])]
    rows += [["goal", item["done"], item["text"], f"{', '.join(item['themes'])}: {item['activity']}" if item["themes"] else item["activity"]]
             for item in data.get("goals", [])]
    rows += [["reflection", item["date"], item["on"], f"Took: {item['took']} / Will try: {item['will_try']}"]
             for item in data.get("reflections", [])]
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return buffer.getvalue()


def pdf_bytes(data: dict) -> bytes:
    # fpdf2 (with fontTools) holds about 29 MB in each worker that imports it: only a worker
    # that makes a PDF pays for it.
    from forum.learning import pdf

    return pdf.record(data)
