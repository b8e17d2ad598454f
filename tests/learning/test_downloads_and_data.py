"""The PDF (parsed with pypdf) and CSV downloads, and the person's data: export, erasure and
retention of reflections, goals and shares."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pypdf
from sqlalchemy import func, select

from forum.dataprotection import retention
from forum.extensions import db
from forum.learning.models import Goal, GoalTheme, Reflection, Share
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post
from tests.learning.conftest import YEAR, add_reflection


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_period_totals_name_and_only_the_chosen_reflections(app, known):
    chosen = add_reflection(app, known["person"], "Silence gives people room", meeting_id=known["meetings"][0])
    add_reflection(app, known["person"], "Left out of the PDF", post_id=known["peer_case"])
    person = client_for(app, known["person"])
    person.post("/learning/goals/new")  # no CSRF: refused, nothing made
    form_post(person, "/learning/goals/new", {"text": "Hold the silence", "themes": [str(known["housing"])]},
              page="/learning/goals/new")
    response = person.get(f"/learning/record.pdf?start={YEAR}-01-01&end={YEAR}-12-31&reflections={chosen}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"] and response.headers["Cache-Control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(response)
    assert "Łukasz Ŵyn" in text
    assert f"1 January {YEAR} to 31 December {YEAR}" in text
    assert "Circle meetings attended: 2" in text and "Hours in circle meetings: 3" in text
    assert "Silence gives people room" in text and "Left out of the PDF" not in text
    assert "Hold the silence" in text and "Thursday circle" in text
    with app.app_context():
        assert db.session.scalar(select(func.count(Share.id))) == 0  # built, never stored


def test_the_csv_holds_the_same_record(app, known):
    chosen = add_reflection(app, known["person"], "=cmd|calc", meeting_id=known["meetings"][0])
    response = client_for(app, known["person"]).get(f"/learning/record.csv?reflections={chosen}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "date", "item", "detail"] and rows[1][2] == "Łukasz Ŵyn"
    assert ["total", "", "Circle meetings attended", "2"] in rows
    reflection = next(row for row in rows if row[0] == "reflection")
    assert reflection[3].startswith("Took: =cmd|calc")  # not the start of a cell: no formula
    assert sum(row[0] == "meeting" for row in rows) == 2


def test_another_person_cannot_download_someone_elses_record(app, known):
    secret = add_reflection(app, known["person"], "Not for anyone else", meeting_id=known["meetings"][0])
    for who in ("other", "manager", "admin"):
        text = pdf_text(client_for(app, known[who]).get(f"/learning/record.pdf?reflections={secret}"))
        assert "Not for anyone else" not in text and "Łukasz" not in text


def _export(client) -> dict:
    response = form_post(client, "/account/export", {"file_format": "json"}, page="/account/export")
    return json.loads(response.get_data(as_text=True))["sections"]


def test_the_export_holds_reflections_goals_and_shares_and_erasure_removes_them(app, known):
    add_reflection(app, known["person"], "Exported thought", meeting_id=known["meetings"][0])
    add_reflection(app, known["other"], "Someone else's thought")
    person = client_for(app, known["person"])
    form_post(person, "/learning/goals/new", {"text": "Exported goal", "themes": [str(known["housing"])]},
              page="/learning/goals/new")
    form_post(person, "/learning/share", {"manager": str(known["manager"].id), "start": f"{YEAR}-01-01",
                                          "end": f"{YEAR}-12-31", "sections": ["totals"]}, page="/learning/share")
    sections = _export(person)
    assert [row["what_you_took"] for row in sections["reflections"]] == ["Exported thought"]
    assert sections["learning_goals"][0]["goal"] == "Exported goal" and sections["learning_goals"][0]["themes"] == ["Housing"]
    assert sections["learning_shares"][0]["sections"] == ["totals"]
    assert "Morgan" not in json.dumps(sections["learning_shares"])  # the export names nobody else
    erased = form_post(person, "/account/erase", {"password": known["person"].password}, page="/account/erase")
    assert erased.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Reflection.id)).where(Reflection.author_id == known["person"].id)) == 0
        assert db.session.scalar(select(func.count(Goal.id))) == 0
        assert db.session.scalar(select(func.count(GoalTheme.goal_id))) == 0
        assert db.session.scalar(select(func.count(Share.id))) == 0
        assert db.session.scalar(select(func.count(Reflection.id))) == 1  # the other person's stays


def test_reflections_follow_retention_from_their_last_activity(app, known):
    old = add_reflection(app, known["person"], "Old", at=utcnow() - timedelta(days=800))
    edited = add_reflection(app, known["person"], "Old but edited", at=utcnow() - timedelta(days=800))
    recent = add_reflection(app, known["person"], "Recent", at=utcnow() - timedelta(days=10))
    with app.app_context():
        db.session.get(Reflection, edited).updated_at = utcnow() - timedelta(days=30)
        db.session.commit()
        assert retention.apply(dry_run=True).counts["reflections"] == 1
        report = retention.apply()
        db.session.commit()
        assert report.counts["reflections"] == 1
        remaining = set(db.session.scalars(select(Reflection.id)))
        assert old not in remaining and {edited, recent} <= remaining


def test_a_worker_loads_the_pdf_library_only_when_a_pdf_is_asked_for():
    # fpdf2 holds about 29 MB per worker (issue 19's memory target): the app must not import it.
    import subprocess
    import sys

    program = ("import sys; from forum.app import create_app; "
               "create_app({'SECRET_KEY': 'k' * 40, 'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'FORUM_ENV': 'development'}); "
               "print('fpdf' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
