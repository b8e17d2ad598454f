"""Per-person limits on inviting and searching (SECURITY.md item 26): 429 with Retry-After."""

from __future__ import annotations

from forum.accounts.models import Role
from tests.conftest import post, sign_in


def test_config_holds_the_documented_defaults(app):
    assert app.config["INVITATION_LIMIT"] == "20/day"
    assert app.config["SEARCH_LIMIT"] == "120/minute"


def test_invitations_are_limited_per_person(app, client, make_user, outbox):
    app.config["INVITATION_LIMIT"] = "2/day"
    admin = make_user(Role.ADMIN)
    sign_in(client, admin)
    for number in range(2):
        response = post(client, "/invitations", {"email": f"new{number}@example.org", "role": "adviser", "team_id": "0"},
                        page="/invitations")
        assert response.status_code == 302
    refused = post(client, "/invitations", {"email": "new9@example.org", "role": "adviser", "team_id": "0"},
                   page="/invitations")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert len(outbox) == 2
    # Another admin has their own allowance.
    other = app.test_client()
    sign_in(other, make_user(Role.ADMIN))
    assert post(other, "/invitations", {"email": "new10@example.org", "role": "adviser", "team_id": "0"},
                page="/invitations").status_code == 302


def test_a_refused_invitation_form_does_not_count(app, client, make_user):
    app.config["INVITATION_LIMIT"] = "1/day"
    sign_in(client, make_user(Role.ADMIN))
    for _ in range(3):
        assert post(client, "/invitations", {"email": "not an email", "role": "adviser", "team_id": "0"},
                    page="/invitations").status_code == 400
    assert post(client, "/invitations", {"email": "ok@example.org", "role": "adviser", "team_id": "0"},
                page="/invitations").status_code == 302


def test_searches_are_limited_per_person(app, client, adviser, make_user):
    app.config["SEARCH_LIMIT"] = "3/minute"
    sign_in(client, adviser)
    for _ in range(3):
        assert client.get("/search?q=housing").status_code == 200
    refused = client.get("/search?q=housing")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = app.test_client()
    sign_in(other, make_user())
    assert other.get("/search?q=housing").status_code == 200
