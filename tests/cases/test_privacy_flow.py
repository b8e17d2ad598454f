"""The privacy guard in the publishing flow: findings block publishing until fixed or cleared."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.cases.models import Decision, Post, PrivacyFinding, Status
from forum.extensions import db
from tests.cases.test_posting import CASE, only_post, write
from tests.conftest import post as form_post
from tests.conftest import sign_in

RISKY = "I met Sarah Jones today. Her number is 07700 900123 and she wants help."


def findings(app):
    with app.app_context():
        return list(db.session.scalars(select(PrivacyFinding).order_by(PrivacyFinding.start)))


def live(app):
    return [row for row in findings(app) if row.decision in (Decision.OPEN, Decision.CLEARED, Decision.ACKNOWLEDGED)]


@pytest.fixture
def risky_draft(app, client, adviser, theme_ids):
    sign_in(client, adviser)
    response = write(client, theme_ids=theme_ids[:1], situation=RISKY)
    assert response.status_code == 400
    return only_post(app)


def test_publishing_is_held_until_each_finding_is_dealt_with(app, client, risky_draft, theme_ids):
    assert risky_draft.status == Status.DRAFT  # kept, not published
    rows = live(app)
    assert {row.kind for row in rows} >= {"name", "phone"}
    assert all(row.decision == Decision.OPEN for row in rows)
    page = client.get(f"/posts/{risky_draft.id}/edit").get_data(as_text=True)
    assert "Check these possible personal details" in page
    assert re.search(r'<mark class="finding finding--block" id="finding-\d+"><span class="visually-hidden">Possible phone number: </span>07700 900123', page)
    # Clearing only one is not enough.
    phone = next(row for row in rows if row.kind == "phone")
    name = next(row for row in rows if row.kind == "name")
    data = {**CASE, "situation": RISKY, "theme_ids": [str(theme_ids[0])], f"clear-{name.id}": "fictional"}
    held = form_post(client, f"/posts/{risky_draft.id}/publish", data, page=f"/posts/{risky_draft.id}/edit")
    assert held.status_code == 400
    assert only_post(app).status == Status.DRAFT
    # One click puts the placeholder in for the phone number.
    fixed = form_post(client, f"/posts/{risky_draft.id}/preview", {**data, "use_placeholder": str(phone.id)},
                      page=f"/posts/{risky_draft.id}/edit")
    assert fixed.status_code == 200
    assert "[phone removed]" in fixed.get_data(as_text=True)
    assert "07700 900123" not in only_post(app).situation_md
    done = form_post(client, f"/posts/{risky_draft.id}/publish",
                     {**data, "situation": only_post(app).situation_md}, page=f"/posts/{risky_draft.id}/edit")
    assert done.status_code == 302
    post = only_post(app)
    assert post.status == Status.PUBLISHED
    cleared = [row for row in findings(app) if row.decision == Decision.CLEARED]
    assert len(cleared) == 1 and cleared[0].kind == "name" and cleared[0].clear_reason == "fictional"
    assert cleared[0].decided_by_id == post.author_id and cleared[0].decided_at is not None
    # The matched text is stored nowhere but the post.
    for row in findings(app):
        assert "Sarah" not in " ".join(str(value) for value in vars(row).values())


def test_a_crafted_publish_with_an_open_finding_is_refused(app, client, risky_draft, theme_ids):
    data = {**CASE, "situation": RISKY, "theme_ids": [str(theme_ids[0])]}
    assert form_post(client, f"/posts/{risky_draft.id}/publish", data).status_code == 400
    assert only_post(app).status == Status.DRAFT


def test_clearing_a_finding_that_is_not_theirs_is_not_found(app, client, risky_draft, make_user, theme_ids):
    data = {**CASE, "situation": RISKY, "theme_ids": [str(theme_ids[0])], "clear-999999": "fictional"}
    assert form_post(client, f"/posts/{risky_draft.id}/publish", data).status_code == 404
    row = live(app)[0]
    other = app.test_client()
    sign_in(other, make_user())
    write(other, action="draft", theme_ids=theme_ids[:1], title="Their own draft")
    with app.app_context():
        theirs = db.session.scalar(select(Post.id).where(Post.title == "Their own draft"))
    stolen = {**CASE, "theme_ids": [str(theme_ids[0])], f"clear-{row.id}": "fictional"}
    assert form_post(other, f"/posts/{theirs}/publish", stolen).status_code == 404
    assert form_post(other, f"/posts/{risky_draft.id}/publish", stolen).status_code == 404  # not even visible


def test_other_needs_a_note_and_warnings_need_a_tick(app, client, adviser, theme_ids):
    sign_in(client, adviser)
    text = "She went to St Mary's Primary School and now wants retail work."
    write(client, theme_ids=theme_ids[:1], situation=text)
    post = only_post(app)
    rows = live(app)
    assert rows, "a school is something the author must judge"
    data = {**CASE, "situation": text, "theme_ids": [str(theme_ids[0])]}
    for row in rows:
        if row.severity == "block":
            data[f"clear-{row.id}"] = "other"
    if any(row.severity == "block" for row in rows):
        response = form_post(client, f"/posts/{post.id}/publish", data)
        assert response.status_code == 400 and "Say why this is not a personal detail" in response.get_data(as_text=True)
        for row in rows:
            data[f"note-{row.id}"] = "Changed detail"
    assert form_post(client, f"/posts/{post.id}/publish", data).status_code == 400  # warnings unticked
    for row in rows:
        if row.severity == "warn":
            data[f"ack-{row.id}"] = "1"
    assert form_post(client, f"/posts/{post.id}/publish", data).status_code == 302
    assert only_post(app).status == Status.PUBLISHED


def test_edits_of_a_published_post_are_checked_and_refused_edits_change_nothing(app, client, adviser, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    data = {**CASE, "situation": "Call her on 07700 900123.", "theme_ids": [str(theme_ids[0])]}
    response = form_post(client, f"/posts/{post.id}/publish", data, page=f"/posts/{post.id}/edit")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Call her on" in text  # what they typed is kept
    after = only_post(app)
    assert after.situation_md == CASE["situation"] and after.edited_at is None


def test_preview_of_a_published_post_does_not_publish_the_edit(app, client, adviser, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    data = {**CASE, "title": "Changed in preview only", "theme_ids": [str(theme_ids[0])]}
    assert form_post(client, f"/posts/{post.id}/preview", data, page=f"/posts/{post.id}/edit").status_code == 200
    assert only_post(app).title == CASE["title"]


def test_a_reply_with_an_identifier_waits_for_its_author(app, client, adviser, make_user, theme_ids):
    from forum.cases.models import Reply

    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    replier = make_user(name="Replier")
    other = app.test_client()
    sign_in(other, replier)
    response = form_post(other, f"/posts/{post.id}/replies", {"body": "Ring her on 07700 900123."}, page=f"/posts/{post.id}")
    assert response.status_code == 302 and "/edit" in response.headers["Location"]
    with app.app_context():
        held = db.session.scalar(select(Reply))
        assert held.status == Status.DRAFT and db.session.get(Post, post.id).reply_count == 0
    assert "07700" not in client.get(f"/posts/{post.id}").get_data(as_text=True)  # nobody else sees it
    assert "Finish your reply" in other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert client.get(f"/replies/{held.id}/edit").status_code == 404
    page = other.get(f"/replies/{held.id}/edit").get_data(as_text=True)
    assert "Possible phone number" in page
    row = live(app)[0]
    fixed = form_post(other, f"/replies/{held.id}/edit", {"body": "Ring her on 07700 900123.", "use_placeholder": str(row.id)},
                      page=f"/replies/{held.id}/edit")
    assert fixed.status_code == 200 and "[phone removed]" in fixed.get_data(as_text=True)
    posted = form_post(other, f"/replies/{held.id}/edit", {"body": "Ring her on [phone removed]."}, page=f"/replies/{held.id}/edit")
    assert posted.status_code == 302
    with app.app_context():
        assert db.session.get(Reply, held.id).status == Status.PUBLISHED
        assert db.session.get(Post, post.id).reply_count == 1


@pytest.fixture
def cleared_post(app, client, adviser, theme_ids):
    """A published case whose author cleared a name, then edited it once."""
    sign_in(client, adviser)
    text = "I met Sarah Jones today about retail work."
    write(client, theme_ids=theme_ids[:1], situation=text)
    post = only_post(app)
    name = next(row for row in live(app) if row.kind == "name")
    data = {**CASE, "situation": text, "theme_ids": [str(theme_ids[0])], f"clear-{name.id}": "fictional"}
    assert form_post(client, f"/posts/{post.id}/publish", data).status_code == 302
    edited = {**data, "situation": text + " She has a forklift licence."}
    assert form_post(client, f"/posts/{post.id}/publish", edited, page=f"/posts/{post.id}/edit").status_code == 302
    return only_post(app)


@pytest.mark.parametrize("role, status", [("adviser", 403), ("manager", 200), ("admin", 200)])
def test_who_may_open_the_privacy_review(app, cleared_post, make_user, role, status):
    viewer = app.test_client()
    sign_in(viewer, make_user(role))
    response = viewer.get("/privacy-review")
    assert response.status_code == status
    if status == 200:
        assert cleared_post.title in response.get_data(as_text=True)


def test_a_manager_redacts_a_cleared_span_everywhere(app, client, cleared_post, make_user):
    from forum.audit import AuditEntry
    from forum.cases.models import Revision
    from forum.search import search

    manager = app.test_client()
    person = make_user("manager")
    sign_in(manager, person)
    row = next(row for row in findings(app) if row.decision == Decision.CLEARED)
    page = manager.get(f"/privacy-review/{row.id}/redact").get_data(as_text=True)
    assert "Possible name: </span>Sarah Jones" in page
    missing_reason = form_post(manager, f"/privacy-review/{row.id}/redact", {"start": row.start, "end": row.end, "reason": ""},
                               page="/privacy-review")
    assert missing_reason.status_code == 400
    outside = form_post(manager, f"/privacy-review/{row.id}/redact", {"start": "0", "end": "99999", "reason": "Identifies her"},
                        page="/privacy-review")
    assert outside.status_code == 400 and "not inside the text" in outside.get_data(as_text=True)
    assert "Sarah Jones" in only_post(app).situation_md  # nothing changed
    done = form_post(manager, f"/privacy-review/{row.id}/redact", {"start": row.start, "end": row.end, "reason": "Identifies her"},
                     page="/privacy-review")
    assert done.status_code == 302
    post = only_post(app)
    assert "Sarah Jones" not in post.situation_md and "[removed]" in post.situation_md
    assert "Sarah Jones" not in post.situation_html
    with app.app_context():
        revisions = db.session.scalars(select(Revision)).all()
        assert revisions and all("Sarah Jones" not in revision.content_json for revision in revisions)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.redacted"))
        assert entry.actor_id == person.id and "Sarah" not in (entry.reason or "")
        from forum.accounts.models import User

        reader = db.session.get(User, person.id)
        assert search(reader, "Sarah Jones").results == []
        assert search(reader, "forklift").results  # the rest is still found
    assert "was removed by a line manager" in client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert manager.get(f"/privacy-review/{row.id}/redact").status_code == 404  # done, gone from the list
