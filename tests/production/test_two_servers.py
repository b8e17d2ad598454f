"""Two app servers (A and B) on one PostgreSQL database and Redis, used by one round-robin
browser: nothing a second server needs lives in one process's memory."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import Role
from forum.extensions import db
from forum.meetings.models import AgendaItem
from forum.timeutil import utcnow
from tests import factories
from tests.production.conftest import SEARCH_LIMIT
from tests.servers import Browser


def person(app, role=Role.ADVISER, name="Person"):
    unique = uuid.uuid4().hex[:8]
    return factories.make_user(app, role, name=f"{name}.{unique}", email=f"{name.lower()}.{unique}@example.org")


def test_sign_in_through_a_and_use_b(cluster, cluster_app):
    me = person(cluster_app)
    browser = Browser(cluster.urls)
    assert browser.on(0).post("/login", {"email": me.email, "password": me.password}).status == 302
    home = browser.on(1).get("/")
    assert home.status == 200 and me.display_name in home.text and home.server == cluster.urls[1]


def test_sign_out_on_b_is_refused_on_a_at_once(cluster, cluster_app):
    me = person(cluster_app)
    browser = Browser(cluster.urls)
    browser.on(0).sign_in(me.email, me.password)
    stolen = Browser(cluster.urls)  # a copy of the same cookies, kept elsewhere
    for cookie in browser.jar:
        stolen.jar.set_cookie(cookie)
    assert browser.on(1).post("/logout", page="/logout").status == 302
    refused = stolen.on(0).get("/")
    assert refused.status == 302 and refused.headers["Location"].startswith("/login")


def test_a_per_person_limit_counts_across_both_servers(cluster, cluster_app):
    me = person(cluster_app)
    browser = Browser(cluster.urls)
    browser.sign_in(me.email, me.password)
    allowed = int(SEARCH_LIMIT.split("/")[0])
    answers = [browser.get(f"/search?q=word{number}") for number in range(allowed + 1)]
    assert {answer.server for answer in answers[:allowed]} == set(cluster.urls)  # both servers counted
    assert [answer.status for answer in answers[:allowed]] == [200] * allowed
    assert answers[-1].status == 429 and "Retry-After" in answers[-1].headers


def test_a_meeting_run_on_a_is_followed_by_a_member_on_b(cluster, cluster_app):
    facilitator, member = person(cluster_app, name="Fay"), person(cluster_app, name="Mo")
    circle_id = factories.make_circle(cluster_app, f"Circle {uuid.uuid4().hex[:6]}", facilitator=facilitator,
                                      members=[member])
    # Within 30 minutes of its start, so starting needs no early-start confirmation.
    meeting_id = factories.make_meeting(cluster_app, circle_id, utcnow() + timedelta(minutes=10))
    theme_id = factories.make_theme(cluster_app, f"Theme {uuid.uuid4().hex[:6]}")
    post_id = factories.make_post(cluster_app, "Circle case", author=member, situation="A situation.", ask="Ideas?",
                                  themes=[theme_id], circle_id=circle_id)
    f, m = Browser(cluster.urls), Browser(cluster.urls)
    f.sign_in(facilitator.email, facilitator.password)
    m.sign_in(member.email, member.password)
    m.post(f"/meetings/{meeting_id}/nominate", {"post_id": str(post_id), "note": "Please"}, page=f"/meetings/{meeting_id}")
    with cluster_app.app_context():
        item_id = db.session.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id))
    f.post(f"/meetings/{meeting_id}/agenda/{item_id}/accept", page=f"/meetings/{meeting_id}")

    started = f.on(0).post(f"/meetings/{meeting_id}/control", {"control": "start", "version": "0"},
                           page=f"/meetings/{meeting_id}/run")
    assert started.status == 302
    seen = m.on(1).get(f"/meetings/{meeting_id}/state", headers={"Accept": "application/json"}).json()
    assert seen["status"] == "running" and seen["item"]["title"] == "Circle case" and seen["phase"]["number"] == 1
    f.on(0).post(f"/meetings/{meeting_id}/control", {"control": "next_phase", "version": str(seen["version"])},
                 page=f"/meetings/{meeting_id}/run")
    followed = m.on(1).get(f"/meetings/{meeting_id}/state", headers={"Accept": "application/json"}).json()
    assert followed["phase"]["number"] == 2 and followed["version"] == seen["version"] + 1


def test_a_theme_renamed_on_a_shows_on_b_within_two_seconds(cluster, cluster_app):
    manager = person(cluster_app, Role.MANAGER, name="Manager")
    theme_id = factories.make_theme(cluster_app, f"Old name {uuid.uuid4().hex[:6]}")
    new_name = f"New name {uuid.uuid4().hex[:6]}"
    browser = Browser(cluster.urls)
    browser.sign_in(manager.email, manager.password, manager.totp_secret)
    assert browser.on(1).get("/themes").status == 200  # B has served (and could have cached) the old name
    renamed = browser.on(0).post(f"/themes/manage/{theme_id}", {"name": new_name, "description": ""})
    assert renamed.status == 302
    renamed_at = time.monotonic()
    while new_name not in browser.on(1).get("/themes").text:
        assert time.monotonic() - renamed_at < 2, "B still shows the old name after 2 seconds"
        time.sleep(0.1)


def test_a_theme_created_on_a_is_offered_by_b_s_filter_within_two_seconds(cluster, cluster_app):
    """Each process keeps the active themes (forum.themes.cache): B must notice A's change."""
    manager = person(cluster_app, Role.MANAGER, name="Manager")
    name = f"Fresh theme {uuid.uuid4().hex[:6]}"
    browser = Browser(cluster.urls)
    browser.sign_in(manager.email, manager.password, manager.totp_secret)
    assert name not in browser.on(1).get("/posts").text  # B has loaded (and kept) the themes
    created = browser.on(0).post("/themes/manage", {"name": name, "description": ""})
    assert created.status == 302
    assert name in browser.on(0).get("/posts").text  # A, which made the change, at once
    created_at = time.monotonic()
    while name not in browser.on(1).get("/posts").text:
        assert time.monotonic() - created_at < 2, "B's filter still lacks the new theme after 2 seconds"
        time.sleep(0.1)


def test_deactivation_on_a_refuses_the_session_on_b_at_once(cluster, cluster_app):
    admin, me = person(cluster_app, Role.ADMIN, name="Admin"), person(cluster_app, name="Leaver")
    mine, theirs = Browser(cluster.urls), Browser(cluster.urls)
    mine.sign_in(me.email, me.password)
    theirs.sign_in(admin.email, admin.password, admin.totp_secret)
    assert mine.on(1).get("/").status == 200
    assert theirs.on(0).post(f"/people/{me.id}/deactivate").status == 302
    refused = mine.on(1).get("/")
    assert refused.status == 302 and refused.headers["Location"].startswith("/login")


def test_the_bell_is_right_on_both_servers(cluster, cluster_app):
    author, replier = person(cluster_app, name="Author"), person(cluster_app, name="Replier")
    theme_id = factories.make_theme(cluster_app, f"Theme {uuid.uuid4().hex[:6]}")
    post_id = factories.make_post(cluster_app, "Bell case", author=author, situation="A situation.", ask="Ideas?",
                                  themes=[theme_id])
    a, r = Browser(cluster.urls), Browser(cluster.urls)
    a.sign_in(author.email, author.password)
    r.sign_in(replier.email, replier.password)
    for number in range(2):
        assert r.on(0).post(f"/posts/{post_id}/replies", {"body": f"Try {number}"}, page=f"/posts/{post_id}").status == 302
    for server in (0, 1):
        assert 'bell__count">2<' in a.on(server).get("/posts").text
    assert a.on(1).post("/notifications/read-all", page="/notifications").status == 302
    for server in (0, 1):
        assert "bell__count" not in a.on(server).get("/posts").text
