"""Invisible characters are removed, once, when typed text is stored (forum.text.clean): none
reaches the database, edit history, the export or an email, whichever form it came through."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from alembic.command import downgrade, upgrade
from sqlalchemy import String, Text, select, text

from forum.accounts.models import Role
from forum.cases.models import Post, PrivacyFinding
from forum.extensions import db
from forum.text import REMOVED, clean
from tests.conftest import client_for, post

#: Every character the rule removes but NUL (forms refuse NUL outright) and CR (a line end).
HIDDEN = "".join(chr(code) for code in sorted(REMOVED) if code not in (0x00, 0x0D))
JOINERS = "\u200c\u200d"  # kept: they join emoji and letters in several scripts


def sprinkled(words: str) -> str:
    """`words` with every invisible character inside it, and the joiners kept."""
    return words[:3] + HIDDEN + words[3:] + " 👩" + "\u200d" + "💻" + " کتاب\u200cها"


def test_clean_removes_exactly_the_listed_characters():
    expected = ({0x200B, 0x200E, 0x200F, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062,
                 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069} | set(range(0x20)) - {0x09, 0x0A})
    assert REMOVED == expected
    assert clean("a\u202eb\u200bc\x00d\x1fe") == "abcde"
    assert clean("tab\there\nnext") == "tab\there\nnext"
    assert clean(JOINERS) == JOINERS
    assert clean("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert clean("Ünïcödé, ½ and ﬁ stay") == "Ünïcödé, ½ and ﬁ stay"


def hidden_in_database(app) -> list[str]:
    """Every stored text column, every row: where an invisible character is left."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [column for column in table.columns if isinstance(column.type, (String, Text))]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)).all():
                for column, value in zip(columns, row):
                    if isinstance(value, str) and any(ord(ch) in REMOVED for ch in value):
                        found.append(f"{table.name}.{column.name}")
    return found


def _latest_id(app, table: str) -> int:
    with app.app_context():
        return db.session.scalar(text(f"SELECT max(id) FROM {table}"))


def london_today() -> str:
    return datetime.now(ZoneInfo("Europe/London")).date().isoformat()


def test_no_form_stores_an_invisible_character(app, make_user, make_theme, outbox):
    theme_id = make_theme("Housing")
    writer, reader, manager = make_user(name="Writer.W"), make_user(name="Reader.R"), make_user(Role.MANAGER)
    w, r, m = client_for(app, writer), client_for(app, reader), client_for(app, manager)
    r.get("/account/notifications")

    data = {"title": sprinkled("Evening shifts"), "situation": sprinkled("A person works evenings."),
            "tried": sprinkled("Tried mornings."), "ask": sprinkled("What has worked?"), "theme_ids": [str(theme_id)],
            "show_author": "name"}
    response = post(w, "/write/case/publish", data, page="/write/case")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    post_id = int(response.headers["Location"].rsplit("/", 1)[1])
    latest = lambda table: lambda: _latest_id(app, table)  # noqa: E731  (ids known only once created)
    # Each form, as (client, address, fields, page it is on, status); an edit keeps a revision.
    forms = [
        (w, f"/posts/{post_id}/publish", {**data, "situation": sprinkled("Edited: evenings.")},
         f"/posts/{post_id}/edit", 302),
        (r, f"/posts/{post_id}/replies", {"body": sprinkled("Try a later start.")}, f"/posts/{post_id}", 302),
        (r, "/replies/{id}/edit", {"body": sprinkled("Try a later start, edited.")}, latest("replies"), 302),
        (w, f"/posts/{post_id}/outcomes/new", {"types": ["started_work"], "occurred_on": london_today(),
                                               "note": sprinkled("It worked out.")}, f"/posts/{post_id}/outcomes/new", 302),
        (r, "/account/profile", {"display_name": "Rea\u202eder.R", "timezone": "Europe/London"}, "/account", 302),
        (w, "/circles/new", {"name": sprinkled("Quiet circle"), "purpose": sprinkled("Peer consultation."),
                             "mode": "open", "size_limit": "8"}, "/circles/new", 302),
        (m, "/themes/manage", {"name": sprinkled("Childcare"), "description": sprinkled("Care costs.")},
         "/themes/manage", 302),
        (r, f"/posts/{post_id}/flag", {"reason": "other", "note": sprinkled("Looks off-topic.")},
         f"/posts/{post_id}/flag", 302),
        (m, "/moderation/items/{id}/dismiss", {"reason": sprinkled("Nothing wrong here.")}, latest("review_items"), 302),
        (m, f"/posts/{post_id}/reveal-author", {"reason": sprinkled("Safeguarding follow-up needed.")},
         f"/posts/{post_id}/reveal-author", 200),
    ]
    for client, address, fields, page, status in forms:
        if callable(page):
            address = address.format(id=page())
            page = address
        response = post(client, address, fields, page=page)
        assert response.status_code == status, (address, response.get_data(as_text=True)[:300])

    assert hidden_in_database(app) == []
    history = w.get(f"/posts/{post_id}/history").get_data(as_text=True)
    assert "Evening shifts" in history and "A person works evenings." in history and "\u200d" in history
    assert not any(ch in history for ch in HIDDEN)
    export = post(w, "/account/export", {"file_format": "json"}, page="/account/export").get_data(as_text=True)
    exported = json.dumps(json.loads(export), ensure_ascii=False)
    assert "Edited: evenings." in exported and "A person works evenings." in exported
    assert not any(ch in exported for ch in HIDDEN)
    assert outbox, "a reply notifies the author by email"
    for mail in outbox:
        assert not any(ch in mail.text + mail.subject for ch in HIDDEN)


def test_privacy_findings_point_into_the_cleaned_text(app, make_user, make_theme):
    w = client_for(app, make_user())
    data = {"title": "Hours", "situation": "\u202e\u200b" * 5 + "Call 07700 900123 today.", "ask": "Ideas?",
            "theme_ids": [str(make_theme("Work"))], "show_author": "name"}
    post(w, "/write/case/preview", data, page="/write/case")
    with app.app_context():
        stored = db.session.scalar(select(Post.situation_md))
        finding = db.session.scalar(select(PrivacyFinding).where(PrivacyFinding.field == "situation"))
        assert stored == "Call 07700 900123 today."
        assert stored[finding.start:finding.end] == "07700 900123"


def test_the_migration_cleans_existing_rows_revisions_and_moves_findings(app, make_user, make_post):
    writer = make_user()
    post_id = make_post("Plain", author=writer)
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        db.session.remove()
        downgrade(config, "0010")
        db.session.execute(text("UPDATE posts SET title = :t, situation_md = :s, situation_html = :h WHERE id = :id"),
                           {"t": "Ti\u202etle", "s": "\u200b\u200bCall 07700 900123\r\n", "h": "<p>\u200bCall</p>",
                            "id": post_id})
        db.session.execute(text(
            "INSERT INTO privacy_findings (target_type, target_id, field, kind, severity, start, \"end\", reason, "
            "fingerprint, decision, created_at) VALUES ('post', :id, 'situation', 'phone', 'block', 7, 19, 'r', 'f', "
            "'open', CURRENT_TIMESTAMP)"), {"id": post_id})
        db.session.execute(text(
            "INSERT INTO revisions (target_type, target_id, content_json, editor_id, created_at) "
            "VALUES ('post', :id, :c, :e, CURRENT_TIMESTAMP)"),
            {"id": post_id, "c": json.dumps({"title": "Old\u2066 title", "situation": "x\u200f"}), "e": writer.id})
        db.session.execute(text("UPDATE users SET display_name = :n WHERE id = :id"),
                           {"n": "Wri\u202eter", "id": writer.id})
        db.session.commit()
        db.session.remove()
        upgrade(config, "head")
        row = db.session.execute(text("SELECT title, situation_md, situation_html FROM posts WHERE id = :id"),
                                 {"id": post_id}).one()
        assert tuple(row) == ("Title", "Call 07700 900123\n", "<p>Call</p>")
        start, end = db.session.execute(text("SELECT start, \"end\" FROM privacy_findings")).one()
        assert row.situation_md[start:end] == "07700 900123"
        revision = json.loads(db.session.scalar(text("SELECT content_json FROM revisions")))
        assert revision == {"title": "Old title", "situation": "x"}
        assert db.session.scalar(text("SELECT display_name FROM users WHERE id = :id"), {"id": writer.id}) == "Writer"
        db.session.remove()
    assert hidden_in_database(app) == []
