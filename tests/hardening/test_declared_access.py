"""Every page says who it is for; a manager or admin without two-factor sign-in reaches only
member pages (their account, the set-up, sign-out included) and is sent to set it up before
any manager's page or any privilege that depends on the object (SECURITY.md item 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.cases.models import Post, Status
from forum.extensions import db
from forum.web import MANAGER, MEMBER, PUBLIC, access_of
from tests.conftest import client_for, csrf_token, post, sign_in

#: The only pages a guest may open (SECURITY.md item 11).
PUBLIC_ENDPOINTS = {
    "accounts.login", "accounts.request_reset", "accounts.reset", "accounts.accept_invitation",
    "security.sign_in_code", "meetings.feed", "notifications.unsubscribe", "notifications.confirm_unsubscribe",
    "web.health", "static",
}
SETUP = "/account/two-factor?next="


def rules(app, access: str):
    with app.test_request_context():
        return [rule for rule in app.url_map.iter_rules() if access_of(rule.endpoint) == access]


def url_of(app, rule) -> str:
    values = {name: (rule.defaults or {}).get(name, 1) for name in rule.arguments}
    for name, converter in rule._converters.items():
        if name not in (rule.defaults or {}) and hasattr(converter, "items"):  # any(...): its first choice
            values[name] = sorted(converter.items)[0]
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_endpoint_declares_who_it_is_for(app):
    with app.test_request_context():
        undeclared = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                            if access_of(rule.endpoint) not in (PUBLIC, MEMBER, MANAGER))
    assert undeclared == [], "declare each with @public, @member or @manager from forum.web"


def test_only_the_guest_pages_are_public(app):
    assert {rule.endpoint for rule in rules(app, PUBLIC)} == PUBLIC_ENDPOINTS


def test_managers_pages_send_a_manager_without_two_factor_to_set_it_up(app, client, make_user):
    manager = make_user(Role.ADMIN, two_factor=False)
    sign_in(client, manager)
    token = csrf_token(client, "/account")
    checked = 0
    for rule in rules(app, MANAGER):
        url = url_of(app, rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302, (rule.endpoint, url, response.status_code)
        assert response.headers["Location"].startswith(SETUP), (rule.endpoint, url)
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("path", ["/", "/account", "/account/two-factor", "/posts", "/themes", "/circles",
                                  "/notifications", "/account/export", "/logout"])
def test_a_manager_without_two_factor_still_reaches_member_pages(client, make_user, path):
    sign_in(client, make_user(Role.MANAGER, two_factor=False))
    assert client.get(path).status_code == 200


def test_theme_management_needs_two_factor(client, make_user, make_theme):
    theme_id = make_theme("Housing")
    sign_in(client, make_user(Role.MANAGER, two_factor=False))
    for path in ("/themes/manage", f"/themes/manage/{theme_id}", f"/themes/manage/{theme_id}/archive",
                 f"/themes/manage/{theme_id}/merge"):
        assert client.get(path).headers["Location"].startswith(SETUP), path
    response = post(client, "/themes/manage", {"name": "Sneaked in", "description": ""}, page="/account")
    assert response.headers["Location"].startswith(SETUP)


# Privileges that depend on the object -----------------------------------------------------------


@pytest.fixture
def others_post(make_user, make_post, make_reply):
    writer = make_user(name="Writer.W")
    post_id = make_post("Someone else's case", author=writer)
    reply_id = make_reply(post_id, "Someone else's reply", author=writer)
    return post_id, reply_id


def post_status(app, post_id) -> Status:
    with app.app_context():
        return db.session.scalar(select(Post.status).where(Post.id == post_id))


def test_an_admin_without_two_factor_cannot_delete_others_posts(app, client, make_user, others_post):
    post_id, _ = others_post
    sign_in(client, make_user(Role.ADMIN, two_factor=False))
    assert client.get(f"/posts/{post_id}/delete").headers["Location"].startswith(SETUP)
    response = post(client, f"/posts/{post_id}/delete", page=f"/posts/{post_id}")
    assert response.headers["Location"].startswith(SETUP)
    assert post_status(app, post_id) == Status.PUBLISHED
    assert f"/posts/{post_id}/delete" not in client.get(f"/posts/{post_id}").get_data(as_text=True)


def test_an_admin_with_two_factor_deletes_others_posts(app, client, make_user, others_post):
    post_id, _ = others_post
    sign_in(client, make_user(Role.ADMIN))
    assert client.get(f"/posts/{post_id}/delete").status_code == 200
    assert post(client, f"/posts/{post_id}/delete", page=f"/posts/{post_id}/delete").status_code == 302
    assert post_status(app, post_id) == Status.DELETED


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_others_edit_history_needs_two_factor(client, make_user, others_post, role):
    post_id, reply_id = others_post
    sign_in(client, make_user(role, two_factor=False))
    assert client.get(f"/posts/{post_id}/history").headers["Location"].startswith(SETUP)
    assert client.get(f"/replies/{reply_id}/history").headers["Location"].startswith(SETUP)
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert f"/posts/{post_id}/history" not in page and f"/replies/{reply_id}/history" not in page


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_others_edit_history_with_two_factor(client, make_user, others_post, role):
    post_id, reply_id = others_post
    sign_in(client, make_user(role))
    assert client.get(f"/posts/{post_id}/history").status_code == 200
    assert client.get(f"/replies/{reply_id}/history").status_code == 200


def test_an_adviser_is_refused_others_history_and_deletion_plainly(client, make_user, others_post):
    post_id, reply_id = others_post
    sign_in(client, make_user())
    assert client.get(f"/posts/{post_id}/history").status_code == 403
    assert client.get(f"/replies/{reply_id}/history").status_code == 403
    assert client.get(f"/posts/{post_id}/delete").status_code == 403


def test_own_history_and_deletion_need_no_two_factor(client, make_user, make_post):
    manager = make_user(Role.ADMIN, two_factor=False)
    post_id = make_post("My own case", author=manager)
    sign_in(client, manager)
    assert client.get(f"/posts/{post_id}/history").status_code == 200
    assert client.get(f"/posts/{post_id}/delete").status_code == 200


def test_a_hidden_post_is_not_a_manager_without_two_factor_s_to_read(app, make_user, make_post):
    post_id = make_post("Hidden case", author=make_user(), status="hidden")
    assert client_for(app, make_user(Role.MANAGER, two_factor=False)).get(f"/posts/{post_id}").status_code == 404
    assert client_for(app, make_user(Role.MANAGER)).get(f"/posts/{post_id}").status_code == 200
