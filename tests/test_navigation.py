"""The header's navigation: a short bar for everyone, management pages under one "Manage"
entry, and the Manage page listing what each person may use (each module's own answer)."""

from __future__ import annotations

import re

import pytest

from forum.accounts.models import Role
from tests.conftest import client_for, post

BAR = re.compile(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', re.S)


def _bar(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    return re.findall(r"<li><a [^>]*>([^<]+)", BAR.search(page).group(1))


@pytest.mark.parametrize("role", [Role.ADVISER, Role.MANAGER, Role.ADMIN])
def test_the_bar_has_at_most_seven_items(app, make_user, make_team, role):
    person = make_user(role, team_id=make_team())
    items = _bar(client_for(app, person))
    assert len(items) <= 7, items
    assert ("Manage" in [item.strip() for item in items]) == (role != Role.ADVISER)
    for management in ("Review queue", "Audit log", "Invitations", "Privacy review"):
        assert management not in items


def test_an_adviser_has_no_manage_page(app, adviser):
    response = client_for(app, adviser).get("/manage")
    assert response.status_code == 403


def test_a_manager_sees_the_pages_of_their_role(app, make_user, make_team):
    manager = make_user(Role.MANAGER, team_id=make_team())
    page = client_for(app, manager).get("/manage").get_data(as_text=True)
    for link in ("/moderation/queue", "/moderation/audit", "/moderation/people", "/invitations", "/privacy-review",
                 "/themes/manage"):
        assert f'href="{link}"' in page, link
    for admins_only in ("/people", "/moderation/settings", "/admin/retention"):
        assert f'href="{admins_only}"' not in page, admins_only
    assert "<h1>Manage the forum</h1>" in page
    assert "<title>Manage the forum – Adviser forum</title>" in page


def test_a_manager_without_a_team_is_not_offered_invitations(app, make_user):
    manager = make_user(Role.MANAGER)
    page = client_for(app, manager).get("/manage").get_data(as_text=True)
    assert 'href="/invitations"' not in page and 'href="/moderation/queue"' in page


def test_an_admin_sees_the_admin_pages(app, admin):
    page = client_for(app, admin).get("/manage").get_data(as_text=True)
    for link in ("/people", "/moderation/settings", "/admin/retention", "/moderation/queue"):
        assert f'href="{link}"' in page, link


def test_the_manage_entry_is_current_on_management_pages(app, admin):
    client = client_for(app, admin)
    for path in ("/manage", "/moderation/queue", "/moderation/audit", "/themes/manage", "/people"):
        page = client.get(path).get_data(as_text=True)
        assert re.search(r'href="/manage" aria-current="page"', page), path
    page = client.get("/posts").get_data(as_text=True)
    assert 'href="/manage" aria-current="page"' not in page
    assert 'href="/posts" aria-current="page"' in page


def test_the_waiting_count_shows_on_the_manage_entry(app, make_user, make_post, admin):
    flagger = make_user()
    post_id = make_post("Flagged")
    post(client_for(app, flagger), f"/posts/{post_id}/flag", {"reason": "inaccurate", "note": ""},
         page=f"/posts/{post_id}/flag")
    client = client_for(app, admin)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'Manage <span class="bell__count">1<span class="visually-hidden"> waiting for review', home)
    page = client.get("/manage").get_data(as_text=True)
    assert re.search(r'Review queue</a> <span class="count">1 waiting</span>', page)


def test_the_manage_page_has_a_fixed_number_of_statements(app, admin, make_user, make_post, count_queries):
    client = client_for(app, admin)
    client.get("/manage")
    with count_queries() as counted:
        assert client.get("/manage").status_code == 200
    make_post("More", author=make_user())
    with count_queries() as again:
        client.get("/manage")
    assert len(counted) == len(again) <= 8, counted


def test_the_manifest_and_icon_carry_the_forums_name(client):
    manifest = client.get("/static/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.get_json(force=True)["name"] == "Adviser forum"
    assert client.get("/static/favicon.svg").status_code == 200
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/static/manifest.webmanifest?v=' in page and 'rel="icon"' in page
    assert re.search(r'href="/static/print\.css\?v=\w+" media="print"', page)


def test_a_link_pattern_writes_what_url_for_writes(app):
    """Lists make their links with one url_for per page (issue 19): the same addresses."""
    from flask import url_for

    from forum.templating import link_pattern

    with app.test_request_context("/"):
        for endpoint, key, values in (("cases.show", "post_id", {}), ("cases.index", "author", {}),
                                      ("cases.reply_history", "reply_id", {}), ("cases.theme", "slug", {}),
                                      ("flags.flag", "target_id", {"kind": "replies"})):
            pattern = link_pattern(endpoint, key, **values)
            for value in (1, 42, 918273):
                assert pattern(value) == url_for(endpoint, **values, **{key: value})
