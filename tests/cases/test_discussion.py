"""Replies edited and deleted, edit history, revealing an author, bad input, query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.cases.models import Post, Reply, Status
from forum.extensions import db
from tests.cases.test_posting import CASE, only_post, write
from tests.conftest import post as form_post
from tests.conftest import client_for, sign_in


@pytest.fixture
def published(app, client, adviser, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1])
    return only_post(app)


def test_author_edits_a_post_and_history_keeps_the_old_text(app, client, published, make_user):
    response = form_post(client, f"/posts/{published.id}/publish", {**CASE, "title": "A better title",
                         "theme_ids": [str(theme.id) for theme in []] or ["1"]}, page=f"/posts/{published.id}/edit")
    assert response.status_code == 302
    page = client.get(f"/posts/{published.id}").get_data(as_text=True)
    assert "A better title" in page and "edited" in page
    history = client.get(f"/posts/{published.id}/history").get_data(as_text=True)
    assert "A better title" in history and CASE["title"] in history
    peer = client_for(app, make_user())
    assert peer.get(f"/posts/{published.id}/history").status_code == 403
    manager = client_for(app, make_user(Role.MANAGER))
    assert manager.get(f"/posts/{published.id}/history").status_code == 200


def test_replies_are_edited_and_deleted_by_their_author_only(app, client, published, make_user):
    writer = make_user(name="Reply.Writer")
    other = client_for(app, writer)
    form_post(other, f"/posts/{published.id}/replies", {"body": "First thought."}, page=f"/posts/{published.id}")
    with app.app_context():
        reply_id = db.session.scalar(select(Reply.id))
    assert client.get(f"/replies/{reply_id}/edit").status_code == 403  # the post's author, not the reply's
    bad = form_post(other, f"/replies/{reply_id}/edit", {"body": ""}, page=f"/replies/{reply_id}/edit")
    assert bad.status_code == 400 and "Write your reply" in bad.get_data(as_text=True)
    assert form_post(other, f"/replies/{reply_id}/edit", {"body": "Second thought."}, page=f"/replies/{reply_id}/edit").status_code == 302
    history = other.get(f"/replies/{reply_id}/history").get_data(as_text=True)
    assert "First thought." in history and "Second thought." in history
    assert form_post(other, f"/replies/{reply_id}/delete", page=f"/replies/{reply_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Reply, reply_id).status == Status.DELETED
        assert db.session.get(Post, published.id).reply_count == 0
    assert "Second thought." not in client.get(f"/posts/{published.id}").get_data(as_text=True)


def test_reveal_needs_a_manager_a_post_and_a_reason(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1], show_author="anonymous")
    post = only_post(app)
    peer = client_for(app, make_user())
    assert peer.get(f"/posts/{post.id}/reveal-author").status_code == 403
    assert form_post(peer, f"/posts/{post.id}/reveal-author", {"reason": "curious about this one"}).status_code == 403
    manager = client_for(app, make_user(Role.MANAGER))
    page = manager.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Reveal the author" in page and "AnAdviser" not in page
    assert manager.get(f"/posts/{post.id}/reveal-author").status_code == 200  # GET only asks
    short = form_post(manager, f"/posts/{post.id}/reveal-author", {"reason": "why"}, page=f"/posts/{post.id}/reveal-author")
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "post.author_revealed")) is None
    shown = form_post(manager, f"/posts/{post.id}/reveal-author", {"reason": "Safeguarding concern raised by a colleague"},
                      page=f"/posts/{post.id}/reveal-author")
    assert shown.status_code == 200 and "AnAdviser" in shown.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "post.author_revealed"))
        assert entry.target_id == post.id and entry.reason == "Safeguarding concern raised by a colleague"
    assert "AnAdviser" not in manager.get(f"/posts/{post.id}").get_data(as_text=True)
    assert manager.get(f"/posts/{post.id}/reveal-author", method="GET").status_code == 200


@pytest.mark.parametrize("how", ["six", "unknown", "archived"])
def test_bad_theme_choices_are_refused(app, client, adviser, theme_ids, make_theme, how):
    extra_ids = [make_theme(f"Extra {n}", archived=(how == "archived")) for n in range(4)]
    chosen = {"six": theme_ids[:2] + extra_ids[:4], "unknown": [999999], "archived": extra_ids[:1]}[how]
    sign_in(client, adviser)
    response = write(client, theme_ids=chosen)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert only_post(app) is None


def test_replying_to_a_deleted_post_is_not_found(app, client, published, make_user):
    form_post(client, f"/posts/{published.id}/delete", page=f"/posts/{published.id}/delete")
    peer = client_for(app, make_user())
    assert form_post(peer, f"/posts/{published.id}/replies", {"body": "hello"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Reply)) is None


def test_managers_still_see_a_deleted_post_but_not_in_lists(app, client, published, make_user):
    form_post(client, f"/posts/{published.id}/delete", page=f"/posts/{published.id}/delete")
    manager = client_for(app, make_user(Role.MANAGER))
    page = manager.get(f"/posts/{published.id}")
    assert page.status_code == 200 and "is deleted" in page.get_data(as_text=True)
    assert CASE["title"] not in manager.get("/posts").get_data(as_text=True)


def test_posts_by_an_author_only_where_the_author_is_shown(app, client, adviser, make_user, theme_ids):
    sign_in(client, adviser)
    write(client, theme_ids=theme_ids[:1], title="Named case")
    write(client, theme_ids=theme_ids[:1], title="Anonymous case", show_author="anonymous")
    peer = client_for(app, make_user())
    page = peer.get(f"/posts?author={adviser.id}").get_data(as_text=True)
    assert "Named case" in page and "Anonymous case" not in page
    own = client.get(f"/posts?author={adviser.id}").get_data(as_text=True)
    assert "Named case" in own and "Anonymous case" in own


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "svg", "iframe", "object", "embed", "math", "style"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value and re.sub(r"\s", "", value).lower().startswith(("javascript:", "data:", "vbscript:"))):
                self.bad.append(f"{tag}[{name}]")


HOSTILE = [
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<a href=\"javascript:alert(1)\">x</a>",
    "[ref]\n\n[ref]: javascript:alert(1)", "<javascript:alert(1)>", "<iframe src=//evil.example>",
    "\"><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_never_runs_on_any_page(app, client, adviser, make_user, theme_ids, payload):
    sign_in(client, adviser)
    write(client, action="preview", theme_ids=theme_ids[:1], situation=payload, title=payload)
    draft = only_post(app)
    form_post(client, f"/posts/{draft.id}/publish", {**CASE, "title": payload, "situation": payload,
                                                     "theme_ids": [str(theme_ids[0])]}, page=f"/posts/{draft.id}/edit")
    peer = client_for(app, make_user())
    form_post(peer, f"/posts/{draft.id}/replies", {"body": payload}, page=f"/posts/{draft.id}")
    pages = [client.get(f"/posts/{draft.id}/edit"), peer.get(f"/posts/{draft.id}"), peer.get("/posts"),
             peer.get("/themes/housing"), peer.get("/")]
    for response in pages:
        parser = _Tags()
        html = response.get_data(as_text=True)
        parser.feed(re.sub(r'<script src="/static/forum.js(\?v=\w+)?" defer></script>', "", html))
        assert parser.bad == [], response.request.path


def test_a_post_with_100_replies_takes_a_fixed_number_of_queries(app, client, published, make_user, make_reply,
                                                                  count_queries):
    people = [make_user() for _ in range(5)]
    for number in range(100):
        make_reply(published.id, f"reply {number}", author=people[number % 5])
    with count_queries() as counted:
        response = client.get(f"/posts/{published.id}")
    assert response.get_data(as_text=True).count('class="reply"') == 100
    with app.app_context():
        db.session.execute(db.delete(Reply).where(Reply.id > 2))
        db.session.commit()
    with count_queries() as fewer:
        client.get(f"/posts/{published.id}")
    # 14, and the outcomes panel: a story's outcome types, the timeline, its state (story, prompt);
    # one for the learning record's link (how many reflections of your own the post has),
    # and "Similar cases" (knowledge): one, its themes included.
    assert len(counted) == len(fewer) <= 17, counted


def test_a_theme_page_takes_a_fixed_number_of_queries(client, published, adviser, theme_ids, make_post, count_queries):
    with count_queries() as one:
        client.get("/themes/housing")
    for number in range(40):
        make_post(f"Case {number}", author=adviser, themes=theme_ids[:1])
    with count_queries() as many:
        response = client.get("/themes/housing")
    assert "Case 39" in response.get_data(as_text=True)
    assert len(one) == len(many) <= 7, many


@pytest.fixture
def app_config():
    return {}


def test_posting_and_replying_are_rate_limited_per_person(app, client, adviser, theme_ids):
    app.config.update(POST_LIMIT="2/hour", REPLY_LIMIT="1/hour")
    sign_in(client, adviser)
    assert write(client, action="draft", theme_ids=theme_ids[:1]).status_code == 302  # drafts do not count
    assert write(client, theme_ids=theme_ids[:1]).status_code == 302
    assert write(client, theme_ids=theme_ids[:1], title="Second").status_code == 302
    limited = write(client, theme_ids=theme_ids[:1], title="Third")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "Too many attempts" in limited.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Post).where(Post.title == "Third")) is None
        post_id = db.session.scalar(select(Post.id).where(Post.title == "Second"))
    assert form_post(client, f"/posts/{post_id}/replies", {"body": "one"}, page=f"/posts/{post_id}").status_code == 302
    assert form_post(client, f"/posts/{post_id}/replies", {"body": "two"}, page=f"/posts/{post_id}").status_code == 429


@pytest.mark.parametrize("role, status", [("adviser", 403), ("manager", 403), ("admin", 302)])
def test_deleting_someone_elses_post(app, client, published, make_user, role, status):
    actor = client_for(app, make_user(role))
    response = form_post(actor, f"/posts/{published.id}/delete", page=f"/posts/{published.id}")
    assert response.status_code == status
    with app.app_context():
        post = db.session.get(Post, published.id)
        assert post.status == (Status.DELETED if status == 302 else Status.PUBLISHED)
        audited = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "post.deleted"))
        assert (audited is not None) == (status == 302)


def test_a_long_discussion_is_paged_and_a_link_to_a_reply_opens_its_page(app, client, published, make_user, make_reply):
    person = make_user()
    with app.app_context():
        start = db.session.get(Post, published.id).published_at
    ids = [make_reply(published.id, f"reply number {number}.", author=person, at=start + timedelta(minutes=number))
           for number in range(150)]
    first = client.get(f"/posts/{published.id}").get_data(as_text=True)
    assert "150 replies" in first and first.count('class="reply"') == 100
    assert "reply number 0." in first and "reply number 100." not in first
    later = re.search(r'href="([^"]+)">Later replies', first).group(1).replace("&amp;", "&")
    second = client.get(later).get_data(as_text=True)
    assert second.count('class="reply"') == 50 and "reply number 149." in second and "Earlier replies" in second
    linked = client.get(f"/posts/{published.id}?reply={ids[130]}").get_data(as_text=True)
    assert f'id="reply-{ids[130]}"' in linked and "reply number 130." in linked and "reply number 129." not in linked
    assert client.get(f"/posts/{published.id}?reply=999999").status_code == 200  # an unknown reply: the first page
