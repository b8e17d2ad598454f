"""Writing, publishing, reading and discussing cases and stories."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.cases.models import Post, Reply, Status
from forum.extensions import db
from forum.timeutil import utcnow
from tests.conftest import post as form_post
from tests.conftest import sign_in

CASE = {
    "title": "Client anxious about group sessions",
    "situation": "A jobseeker finds **group sessions** overwhelming.",
    "tried": "One-to-one meetings.",
    "ask": "How have you eased people into groups?",
    "show_author": "name",
}


def write(client, action="publish", kind="case", theme_ids=(), **changes):
    data = {**CASE, **changes, "theme_ids": [str(theme) for theme in theme_ids]}
    return form_post(client, f"/write/{kind}/{action}", data, page=f"/write/{kind}")


def only_post(app) -> Post:
    with app.app_context():
        return db.session.scalar(select(Post))


def test_adviser_publishes_a_case_and_others_read_it(app, client, adviser, make_user, signed_in, theme_ids):
    signed_in(adviser)
    response = write(client, theme_ids=theme_ids[:2])
    assert response.status_code == 302
    post = only_post(app)
    assert post.status == Status.PUBLISHED
    assert post.situation_html == "<p>A jobseeker finds <strong>group sessions</strong> overwhelming.</p>"
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Your case is published" in page and "Housing" in page
    reader = app.test_client()
    signed_in_reader = make_user(name="Reader")
    form_post(reader, "/login", {"email": signed_in_reader.email, "password": signed_in_reader.password})
    assert "Client anxious about group sessions" in reader.get("/posts").get_data(as_text=True)
    assert "Client anxious about group sessions" in reader.get("/themes/housing").get_data(as_text=True)
    assert "Client anxious" not in reader.get("/themes/digital-skills").get_data(as_text=True)


def test_preview_saves_a_draft_and_shows_sanitised_html(app, client, adviser, signed_in, theme_ids):
    signed_in(adviser)
    response = write(client, action="preview", situation="<script>alert(1)</script> **bold**")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<strong>bold</strong>" in text and "<script>alert" not in text
    post = only_post(app)
    assert post.status == Status.DRAFT
    home = client.get("/").get_data(as_text=True)
    assert "Your drafts" in home and CASE["title"] in home


def test_draft_then_publish(app, client, adviser, signed_in, theme_ids):
    signed_in(adviser)
    assert write(client, action="draft", ask="").status_code == 302  # drafts may be incomplete
    post = only_post(app)
    edit = client.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert CASE["situation"] in edit
    response = form_post(client, f"/posts/{post.id}/publish",
                         {**CASE, "theme_ids": [str(theme_ids[0])]}, page=f"/posts/{post.id}/edit")
    assert response.status_code == 302
    assert only_post(app).status == Status.PUBLISHED


@pytest.mark.parametrize("changes, themes, message", [
    ({"title": ""}, 1, "Enter a title"),
    ({"title": "x" * 151}, 1, "150 characters or fewer"),
    ({"ask": ""}, 1, "Say what you would like help with"),
    ({"situation": "x" * 50_001}, 1, "50,000 characters or fewer"),
    ({}, 0, "theme"),
])
def test_bad_case_input_is_refused_and_kept(app, client, adviser, signed_in, theme_ids, changes, themes, message):
    signed_in(adviser)
    response = write(client, theme_ids=theme_ids[:themes], **changes)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "There is a problem" in text
    assert "How have you eased people into groups?" in text or changes.get("ask") == ""
    assert only_post(app) is None or only_post(app).status == Status.DRAFT


def test_extra_fields_are_ignored(app, client, adviser, make_user, signed_in, theme_ids):
    other = make_user()
    signed_in(adviser)
    write(client, theme_ids=theme_ids[:1], author_id=str(other.id), status="hidden", circle_id="7")
    post = only_post(app)
    assert post.author_id == adviser.id and post.status == Status.PUBLISHED and post.circle_id is None


def test_reply_and_helpful_marks(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    helper = make_user(name="Helper")
    other = app.test_client()
    sign_in(other, helper)
    response = form_post(other, f"/posts/{post.id}/replies", {"body": "Try a *taster* session."}, page=f"/posts/{post.id}")
    assert response.status_code == 302
    with app.app_context():
        reply = db.session.scalar(select(Reply))
        assert reply.body_html == "<p>Try a <em>taster</em> session.</p>"
        assert db.session.get(Post, post.id).reply_count == 1
    assert form_post(client, f"/replies/{reply.id}/helpful", page=f"/posts/{post.id}").status_code == 302
    assert form_post(client, f"/replies/{reply.id}/helpful", page=f"/posts/{post.id}").status_code == 302
    with app.app_context():
        assert db.session.get(Reply, reply.id).helpful_count == 1  # once per person
    empty = form_post(other, f"/posts/{post.id}/replies", {"body": "   "}, page=f"/posts/{post.id}")
    assert empty.status_code == 400 and "Write your reply" in empty.get_data(as_text=True)


def test_anonymous_post_hides_the_author_from_everyone_else(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1], show_author="anonymous")
    post = only_post(app)
    own = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "AnAdviser" in own
    for role in ("adviser", "manager", "admin"):
        viewer = make_user(role)
        browser = app.test_client()
        sign_in(browser, viewer)
        for path in (f"/posts/{post.id}", "/posts", "/themes/housing", "/"):
            html = browser.get(path).get_data(as_text=True)
            assert "AnAdviser" not in html and adviser.email not in html, (role, path)
            assert re.search(rf"\buser[-_ ]?{adviser.id}\b", html) is None
        assert "An adviser" in browser.get(f"/posts/{post.id}").get_data(as_text=True)


def test_deleted_post_disappears_for_peers(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    peer = app.test_client()
    sign_in(peer, make_user())
    form_post(peer, f"/posts/{post.id}/bookmark", page=f"/posts/{post.id}")
    assert CASE["title"] in peer.get("/bookmarks").get_data(as_text=True)
    assert client.get(f"/posts/{post.id}/delete").status_code == 200
    assert form_post(client, f"/posts/{post.id}/delete", page=f"/posts/{post.id}/delete").status_code == 302
    assert peer.get(f"/posts/{post.id}").status_code == 404
    assert peer.get(f"/posts/{post.id}").data == peer.get("/posts/999999").data
    for path in ("/posts", "/themes/housing", "/bookmarks", "/", "/posts?view=cases"):
        assert CASE["title"] not in peer.get(path).get_data(as_text=True), path
    reply = form_post(peer, f"/posts/{post.id}/replies", {"body": "hello"}, page="/posts")
    assert reply.status_code == 404


def test_editing_someone_elses_post(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    post = only_post(app)
    peer = app.test_client()
    sign_in(peer, make_user())
    assert peer.get(f"/posts/{post.id}/edit").status_code == 403
    assert form_post(peer, f"/posts/{post.id}/publish", {**CASE, "title": "Hijacked"}, page="/posts").status_code == 403
    assert only_post(app).title == CASE["title"]
    write(client, action="draft", title="Private draft")
    with app.app_context():
        draft_id = db.session.scalar(select(Post.id).where(Post.status == Status.DRAFT))
    assert peer.get(f"/posts/{draft_id}/edit").status_code == 404
    assert peer.get(f"/posts/{draft_id}").status_code == 404


def test_lists_page_by_key_and_keep_a_fixed_query_count(app, client, adviser, theme_ids, make_post, count_queries):
    now = utcnow()
    for number in range(65):
        make_post(f"Case number {number:03d}", author=adviser, situation="x", ask="y", at=now,
                  last_activity_at=now - timedelta(minutes=number))
    sign_in(client, adviser)
    first = client.get("/posts").get_data(as_text=True)
    assert "Case number 000" in first and "Case number 030" not in first
    older = re.search(r'href="([^"]*older=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "Case number 030" in second and "Case number 000" not in second
    newer = re.search(r'href="([^"]*newer=[^"]+)"', second).group(1).replace("&amp;", "&")
    assert "Case number 000" in client.get(newer).get_data(as_text=True)
    assert client.get("/posts?older=garbage").status_code == 200
    with count_queries() as few:
        client.get("/posts?older=" + older.split("older=")[1])
    with count_queries() as many:
        client.get("/posts")
    assert len(few) == len(many) <= 7  # 7: the next meeting beside the list (one statement)
