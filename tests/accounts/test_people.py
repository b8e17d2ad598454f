"""Admins manage people: roles, teams, deactivation. The matrix rows for managing and inviting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.audit import AuditEntry
from forum.extensions import db
from tests.conftest import post


def person_row(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.role, user.team_id, user.is_active


def test_admin_lists_and_searches_people(client, admin, make_user, signed_in):
    make_user(name="Zoe.Finder", email="zoe@example.org")
    make_user(name="Other.Person")
    signed_in(admin)
    page = client.get("/people").get_data(as_text=True)
    assert "Zoe.Finder" in page and "Other.Person" in page
    found = client.get("/people?q=zoe").get_data(as_text=True)
    assert "Zoe.Finder" in found and "Other.Person" not in found
    assert "Nobody matches" in client.get("/people?q=%25_%27%22").get_data(as_text=True)


def test_people_list_pages_by_key(client, admin, make_user, signed_in):
    for number in range(55):
        make_user(name=f"Member{number:02d}")
    signed_in(admin)
    first = client.get("/people").get_data(as_text=True)
    assert "Next page" in first
    after = first.split("after=")[1].split('"')[0]
    second = client.get(f"/people?after={after}").get_data(as_text=True)
    assert "Member54" in second and "Member00" not in second


def test_admin_changes_role_and_team(app, client, admin, adviser, make_team, signed_in):
    team = make_team("North")
    signed_in(admin)
    response = post(client, f"/people/{adviser.id}", {"role": "manager", "team_id": str(team)}, page=f"/people/{adviser.id}")
    assert response.status_code == 302
    assert person_row(app, adviser.id) == (Role.MANAGER, team, True)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role_changed"))
        assert entry.actor_id == admin.id and entry.target_id == adviser.id and entry.reason == "adviser -> manager"


def test_bad_role_input_changes_nothing(app, client, admin, adviser, signed_in):
    signed_in(admin)
    response = post(client, f"/people/{adviser.id}", {"role": "emperor", "team_id": "999"}, page=f"/people/{adviser.id}")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert person_row(app, adviser.id) == (Role.ADVISER, None, True)


def test_admin_cannot_demote_or_deactivate_themselves(app, client, admin, signed_in):
    signed_in(admin)
    response = post(client, f"/people/{admin.id}", {"role": "adviser", "team_id": "0"}, page=f"/people/{admin.id}")
    assert response.status_code == 400
    assert "cannot change your own role" in response.get_data(as_text=True)
    post(client, f"/people/{admin.id}/deactivate", page=f"/people/{admin.id}/deactivate")
    assert person_row(app, admin.id) == (Role.ADMIN, None, True)


def test_deactivate_asks_first_then_reactivate(app, client, admin, adviser, signed_in):
    signed_in(admin)
    confirm = client.get(f"/people/{adviser.id}/deactivate")
    assert confirm.status_code == 200 and "signed out on every device" in confirm.get_data(as_text=True)
    assert person_row(app, adviser.id)[2] is True  # GET changed nothing
    post(client, f"/people/{adviser.id}/deactivate", page=f"/people/{adviser.id}/deactivate")
    assert person_row(app, adviser.id)[2] is False
    post(client, f"/people/{adviser.id}/reactivate", page=f"/people/{adviser.id}")
    assert person_row(app, adviser.id)[2] is True
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == adviser.id)).all()
        assert "user.deactivated" in actions and "user.reactivated" in actions


def test_unknown_person_is_not_found(client, admin, signed_in):
    signed_in(admin)
    assert client.get("/people/999999").status_code == 404
    assert post(client, "/people/999999/deactivate").status_code == 404


# Matrix row 18 (manage users) and 19 (invite), as a table --------------------------------

MANAGE_ACTIONS = [
    ("get", "/people"),
    ("get", "/people/{target}"),
    ("post", "/people/{target}", {"role": "admin", "team_id": "0"}),
    ("post", "/people/{target}/deactivate"),
    ("post", "/people/{target}/reactivate"),
    ("post", "/people/{target}/end-sessions"),
]


@pytest.mark.parametrize("role, allowed", [("adviser", False), ("manager", False), ("admin", True)])
@pytest.mark.parametrize("action", MANAGE_ACTIONS, ids=lambda action: f"{action[0]} {action[1]}")
def test_only_admins_manage_people(app, client, make_user, make_team, signed_in, role, allowed, action):
    actor = make_user(role, team_id=make_team())
    target = make_user(Role.ADVISER)
    signed_in(actor)
    method, path, *data = action
    url = path.format(target=target.id)
    response = client.get(url) if method == "get" else post(client, url, data[0] if data else {})
    if allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert person_row(app, target.id) == (Role.ADVISER, None, True)


@pytest.mark.parametrize("path", ["/people", "/people/1", "/invitations", "/account", "/"])
def test_guests_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
