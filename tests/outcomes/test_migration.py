"""Migration 0013: today's story types on the one vocabulary, and each case's outcome text and
"resolved" mark as the first entry of its timeline; its downgrade puts them back."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from forum.extensions import db

#: Entries are dated by the London day: still 1 March (GMT), but already 1 July (BST).
RESOLVED = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
ACTIVE = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


def _insert_post(post_id, kind, author_id, **values):
    row = {"id": post_id, "kind": kind, "title": f"Post {post_id}", "md": "", "author": author_id,
           "now": datetime(2026, 1, 1, tzinfo=UTC), "outcome_type": None, "update": "", "resolved_at": None,
           "last": datetime(2026, 1, 1, tzinfo=UTC), **values}
    db.session.execute(text(
        "INSERT INTO posts (id, kind, title, situation_md, situation_html, tried_md, tried_html, ask_md, ask_html,"
        " what_worked_md, what_worked_html, outcome_text_md, outcome_text_html, outcome_type, outcome_update_md,"
        " outcome_update_html, resolved_at, author_id, show_author, status, locked, created_at, published_at,"
        " last_activity_at, reply_count, helpful_count) VALUES"
        " (:id, :kind, :title, :md, :md, :md, :md, :md, :md, :md, :md, :md, :md, :outcome_type, :update, :update,"
        " :resolved_at, :author, true, 'published', false, :now, :now, :last, 0, 0)"), row)


def test_story_types_and_outcome_texts_move_to_the_vocabulary_and_the_timeline(app, author):
    with app.app_context():
        db.session.remove()
        downgrade(revision="0010")
        try:
            for number, old in enumerate(["started_work", "stayed_in_work", "education_or_training", "volunteering",
                                          "confidence_or_wellbeing", "other"], start=1):
                _insert_post(number, "story", author.id, outcome_type=old)
            _insert_post(10, "case", author.id, update="She started an apprenticeship.", resolved_at=RESOLVED,
                         last=ACTIVE)
            _insert_post(11, "case", author.id, update="Still looking; call her on 07700 900123.", last=ACTIVE)
            _insert_post(12, "case", author.id, resolved_at=RESOLVED)
            _insert_post(13, "case", author.id)
            db.session.execute(text(
                'INSERT INTO privacy_findings (target_type, target_id, field, kind, severity, start, "end", reason,'
                " fingerprint, decision, created_at) VALUES ('post', 11, 'outcome_update', 'phone', 'block', 26, 38,"
                " 'A phone number', 'x', 'cleared', :now)"), {"now": datetime(2026, 1, 1, tzinfo=UTC)})
            db.session.commit()
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        stories = db.session.execute(text("SELECT post_id, outcome_type FROM story_outcomes ORDER BY post_id, outcome_type")).all()
        assert [tuple(row) for row in stories] == [
            (1, "started_work"), (2, "kept_job"), (3, "started_education"), (4, "started_volunteering"),
            (5, "more_confident"), (5, "wellbeing_better"), (6, "other")]
        entries = db.session.execute(text(
            "SELECT u.post_id, u.occurred_on, u.note_md, t.outcome_type, u.published_at IS NOT NULL, u.recorded_by_id"
            " FROM outcome_updates u JOIN outcome_update_types t ON t.update_id = u.id ORDER BY u.post_id")).all()
        assert [(row[0], str(row[1]), row[2], row[3], bool(row[4]), row[5]) for row in entries] == [
            (10, "2026-03-01", "She started an apprenticeship.", "other", True, author.id),
            (11, "2026-07-01", "Still looking; call her on 07700 900123.", "other", True, author.id),
            (12, "2026-03-01", "", "other", True, author.id)]
        assert db.session.execute(text("SELECT COUNT(*) FROM posts WHERE outcome_update_md <> ''")).scalar() == 0
        finding = db.session.execute(text("SELECT target_type, field FROM privacy_findings")).one()
        assert tuple(finding) == ("outcome", "note")
        assert "outcome_type" not in set(db.session.execute(text("SELECT * FROM posts LIMIT 0")).keys())
        db.session.remove()
        downgrade(revision="0010")
        try:
            back = db.session.execute(text("SELECT id, outcome_type, outcome_update_md FROM posts ORDER BY id")).all()
            assert [tuple(row) for row in back][:6] == [
                (1, "started_work", ""), (2, "stayed_in_work", ""), (3, "education_or_training", ""),
                (4, "volunteering", ""), (5, "confidence_or_wellbeing", ""), (6, "other", "")]
            assert tuple(back[6]) == (10, None, "She started an apprenticeship.")
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
