"""The learning record as a PDF: A4, fpdf2 with the DejaVu Sans font shipped beside this
file, so any name prints ("Łukasz", Welsh "ŵ"). Imported only when a PDF is asked for
(`exports.pdf_bytes`)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
MARGIN = 18


class _Document(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        self.set_title(title)
        self.set_creator("Adviser forum")
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text: str, size: int = 13):
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", 10)

    def para(self, text: str, bold: bool = False):
        self.set_font(FONT, "B" if bold else "", 10)
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def item(self, text: str):
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5, f"•  {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def record(data: dict) -> bytes:
    doc = _Document(f"Learning record: {data['name']}")
    doc.add_page()
    doc.heading("Learning record", 18)
    doc.para(data["name"], bold=True)
    doc.para(f"Period: {data['period']}")
    if "totals" in data:
        doc.heading("Totals")
        for label, value in data["totals"]:
            doc.item(f"{label}: {value}")
    if "meetings" in data:
        doc.heading("Meetings attended")
        for line in data["meetings"] or []:
            cases = "; ".join(line["cases"]) or "no cases recorded"
            doc.item(f"{line['date']}, {line['circle']}, {line['duration']}. Cases: {cases}")
        if not data["meetings"]:
            doc.para("No meetings in this period.")
    if "contributions" in data:
        parts = data["contributions"]
        doc.heading("Cases, posts, helpful replies, outcomes and action points")
        for title, key, text in (
                ("Cases you presented", "presented", lambda i: f"{i['date']}: {i['title']}"),
                ("Cases and stories you posted", "posts", lambda i: f"{i['date']}: {i['kind']}, {i['title']}"),
                ("Replies others marked helpful", "helpful", lambda i: f"{i['title']}: {i['count']}"),
                ("Outcome updates you recorded", "outcomes", lambda i: f"{i['date']}: {i['title']}"),
                ("Action points done", "actions_done", lambda i: f"{i['text']} (done {i['done']})"),
                ("Action points still open", "actions_open", lambda i: i["text"] + (f" (due {i['due']})" if i["due"] else ""))):
            doc.para(title, bold=True)
            for entry in parts[key]:
                doc.item(text(entry))
            if not parts[key]:
                doc.para("None in this period.")
    if "goals" in data:
        doc.heading("Learning goals")
        for goal in data["goals"]:
            status = f" (done {goal['done']})" if goal["done"] else ""
            doc.para(goal["text"] + status, bold=True)
            if goal["themes"]:
                doc.para(f"Themes: {', '.join(goal['themes'])}. {goal['activity']}.")
        if not data["goals"]:
            doc.para("No goals set.")
    if "reflections" in data:
        doc.heading("Reflections")
        for item in data["reflections"]:
            doc.para(f"{item['date']}, on {item['on']}", bold=True)
            if item["took"]:
                doc.para(f"What I took from it: {item['took']}")
            if item["will_try"]:
                doc.para(f"What I will try: {item['will_try']}")
            doc.ln(2)
        if not data["reflections"]:
            doc.para("No reflections included.")
    return bytes(doc.output())
