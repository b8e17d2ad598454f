"""Display names with spaces and accents, unique ignoring capitals and accents; handles made
once from the name; @mentions by handle; the mention autocomplete; migration design_1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from forum.accounts.models import Role, User
from forum.extensions import db
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter a display name"),
    ("    ", "Enter a display name"),
    ("N" * 41, "40 characters or fewer"),
    ("Siân <Evans>", "2 to 40 characters"),
    ("SIAN EVANS", "That display name is taken"),
    ("Sián  Evans", "That display name is taken"),
])
def test_the_account_page_refuses_bad_names_clearly_and_keeps_them(app, make_user, typed, message):
    make_user(name="Siân Evans")
    me = make_user(name="Alex.Adviser")
    client = client_for(app, me)
    response = form_post(client, "/account/profile", {"display_name": typed, "timezone": "Europe/London"}, page="/account")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "<title>Error: " in body
    assert message in body and 'href="#display_name"' in body
    if typed.strip():
        assert f'value="{typed.replace("<", "&lt;").replace(">", "&gt;")}"' in body
    with app.app_context():
        assert db.session.get(User, me.id).display_name == "Alex.Adviser"


def test_a_person_may_keep_their_own_name_in_other_capitals(app, make_user):
    me = make_user(name="Siân Evans")
    client = client_for(app, me)
    response = form_post(client, "/account/profile", {"display_name": "siân evans", "timezone": "Europe/London"}, page="/account")
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, me.id)
        assert (person.display_name, person.handle) == ("siân evans", "sian.evans")


def test_create_admin_checks_the_name_the_same_way(app, make_user):
    make_user(name="Siân Evans")
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "Sian Evans",
                                "--password", "a strong admin passphrase"])
    assert taken.exit_code != 0 and "That display name is taken" in taken.output
    fine = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "Zoë Ali",
                               "--password", "a strong admin passphrase"])
    assert fine.exit_code == 0, fine.output
    with app.app_context():
        assert db.session.scalar(select(User.handle).where(User.email == "a@example.org")) == "zoe.ali"


def test_mentions_by_handle_notify_and_show_the_name(app, make_user, make_post):
    sian, writer = make_user(name="Siân Evans"), make_user(name="Wren.Writer")
    post_id = make_post("A case", author=writer, ask="Ideas?")
    client = client_for(app, writer)
    form_post(client, f"/posts/{post_id}/replies", {"body": "What do you think, @sian.evans?"}, page=f"/posts/{post_id}")
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert '<strong class="mention">@Siân Evans</strong>?' in page
    assert "mentioned you" in client_for(app, sian).get("/notifications").get_data(as_text=True)


def test_the_autocomplete_offers_people_by_handle_or_name(app, make_user):
    make_user(name="Siân Evans")
    make_user(name="Owen Siddiqui")
    make_user(name="Gone.Person", active=False)
    me = make_user(name="Sid.Self")
    client = client_for(app, me)

    def names(q):
        response = client.get("/mentions/suggestions", query_string={"q": q})
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
        return [(person["name"], person["handle"]) for person in response.get_json()["people"]]

    assert names("si") == [("Owen Siddiqui", "owen.siddiqui"), ("Siân Evans", "sian.evans")]  # not me
    assert names("@SIAN") == [("Siân Evans", "sian.evans")]
    assert names("evans") == [("Siân Evans", "sian.evans")]
    assert names("gone") == [] and names("") == [] and names("%") == []
    assert app.test_client().get("/mentions/suggestions?q=si").status_code in (302, 401)


def test_the_autocomplete_is_rate_limited(app, make_user):
    app.config["SEARCH_LIMIT"] = "3/minute"
    client = client_for(app, make_user(name="Quick.Typist"))
    statuses = [client.get("/mentions/suggestions?q=a").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_migration_settles_names_that_now_collide_and_keeps_old_mentions(app, make_user):
    with app.app_context():
        db.session.remove()
        downgrade(revision="0014")
        try:
            now = datetime(2026, 1, 1, tzinfo=UTC)
            for number, (name, key) in enumerate([("Siân", "siân"), ("Sian", "sian"), ("SIAN.x", "sian.x"),
                                                   ("Former member", "~erased-abc")], start=100):
                db.session.execute(text(
                    "INSERT INTO users (id, email, display_name, display_name_key, password_hash, role, is_active,"
                    " timezone, created_at, needs_approval) VALUES (:id, :email, :name, :key, 'x', 'adviser', true,"
                    " 'Europe/London', :now, false)"), {"id": number, "email": f"u{number}@example.org", "name": name,
                                                      "key": key, "now": now})
            db.session.commit()
            db.session.remove()
        finally:
            upgrade()
        db.session.remove()
        rows = db.session.execute(text("SELECT id, display_name, display_name_key, handle FROM users"
                                       " WHERE id >= 100 ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [
            (100, "Siân", "sian", "siân"), (101, "Sian 2", "sian 2", "sian"), (102, "SIAN.x", "sian.x", "sian.x"),
            (103, "Former member", "~erased-abc", "~erased-abc")]
