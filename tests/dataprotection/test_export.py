"""Export my data: the person's own data, anonymous posts included, nobody else's; owner only; limited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.dataprotection import export
from forum.extensions import db
from tests.conftest import post, sign_in
from tests.dataprotection.conftest import OTHER_EMAIL, OTHER_NAME, SUBJECT_EMAIL, SUBJECT_NAME


def download(client, file_format: str = "json"):
    return post(client, "/account/export", {"file_format": file_format}, page="/account/export")


@pytest.fixture
def app_config():
    return {"EXPORT_LIMIT": "20/day"}


def test_the_account_page_links_to_export_and_erasure(client, world):
    sign_in(client, world.subject)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/export"' in page and 'href="/account/erase"' in page
    assert client.get("/account/export").status_code == 200


def test_export_holds_the_persons_data_and_their_anonymous_posts(app, client, world):
    sign_in(client, world.subject)
    response = download(client)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    sections = data["sections"]
    assert sections["profile"]["email"] == SUBJECT_EMAIL and sections["profile"]["display_name"] == SUBJECT_NAME
    titles = {item["title"]: item for item in sections["posts"]}
    assert titles["Landlord keeps the deposit"]["anonymous"] is True
    assert {"Volunteering led to a job", "Circle only worry"} <= set(titles)
    assert {reply["body"] for reply in sections["replies"]} == {"Ask for a mandatory reconsideration.",
                                                                 "Mock interviews help."}
    assert sections["revisions"][0]["content"]["title"] == "Volunteering to work"
    assert sections["circle_memberships"][0]["circle"] == "Tuesday peer circle"
    assert sections["rsvps"][0]["answer"] == "going" and sections["attendance"][0]["attendance"] == "present"
    assert sections["action_points"][0]["text"] == "Ring the housing officer about the deposit"
    assert sections["meeting_preferences"]["reminders"] == {"24_hours_before": False, "2_hours_before": True}
    assert sections["meeting_preferences"]["come_to_every_meeting"][0]["answer"] == "going"
    assert sections["notification_settings"]["email"]["mention"] == "off"
    assert sections["notification_settings"]["calendar_feed"] == "set up"
    assert {(item["of"], item["following"]) for item in sections["follows"]} == {("post", True), ("theme", True)}
    assert sections["bookmarks"][0]["post_id"] == world.others_named_post
    assert sections["flags"] == []  # the extension point, present and empty until moderation lands
    assert any(entry["action"] == "sign_in" and entry["by"] == "you" for entry in sections["audit_entries"])


def test_export_holds_nothing_of_anyone_else(client, world):
    sign_in(client, world.subject)
    text = download(client).get_data(as_text=True)
    for private in (OTHER_EMAIL, OTHER_NAME, "Great result, well done."):
        assert private not in text
    data = json.loads(text)
    # The anonymous post they replied to is named by id and title, never by its author.
    reply = next(item for item in data["sections"]["replies"] if item["post_id"] == world.others_anonymous_post)
    assert set(reply) == {"id", "post_id", "post_title", "body", "anonymous", "status", "created_at", "edited_at"}
    assert "author" not in text  # no section names who wrote anything


def test_the_readable_page_shows_the_same_data(client, world):
    sign_in(client, world.subject)
    response = download(client, "html")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert page.count("<h1") == 1 and "Your data" in page
    for expected in ("Landlord keeps the deposit", SUBJECT_EMAIL, "Ask for a mandatory reconsideration.",
                     "Tuesday peer circle", "Ring the housing officer about the deposit", "Posts and replies you flagged"):
        assert expected in page
    assert OTHER_EMAIL not in page and OTHER_NAME not in page


def test_export_is_audited_and_never_stored(app, client, world):
    sign_in(client, world.subject)
    download(client)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "data.exported"))
        assert entry.actor_id == world.subject.id and entry.target_id == world.subject.id and entry.reason == "json"
        tables = set(db.inspect(db.session.connection()).get_table_names())
    assert not any("export" in table for table in tables)


@pytest.mark.parametrize("path", ["/account/export/{id}", "/people/{id}/export", "/users/{id}/export",
                                  "/admin/export/{id}", "/account/export?user_id={id}"])
@pytest.mark.parametrize("role", [Role.ADVISER, Role.ADMIN])
def test_nobody_can_export_someone_else(app, make_user, world, path, role):
    actor = app.test_client()
    sign_in(actor, make_user(role))
    url = path.format(id=world.subject.id)
    if "?" in url:  # the only export route ignores any id it is given: it is always the caller's own
        text = post(actor, url, {"file_format": "json", "user_id": world.subject.id}, page="/account/export").get_data(as_text=True)
        assert SUBJECT_EMAIL not in text and "Landlord keeps the deposit" not in text
        return
    assert actor.get(url).status_code == 404
    assert post(actor, url, {"file_format": "json"}).status_code == 404


def test_guests_are_sent_to_sign_in(client):
    assert client.post("/account/export").status_code in (302, 400)
    assert client.get("/account/export").status_code == 302


def test_two_exports_a_day(app, client, world):
    app.config["EXPORT_LIMIT"] = "2/day"
    sign_in(client, world.subject)
    assert download(client).status_code == 200
    assert download(client, "html").status_code == 200
    limited = download(client)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "Too many attempts" in limited.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "data.exported")).all()) == 2


def test_bad_input_gets_a_clear_message(client, world):
    sign_in(client, world.subject)
    response = post(client, "/account/export", {"file_format": "pdf"}, page="/account/export")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page and "Not a valid choice" in page
    missing = post(client, "/account/export", {}, page="/account/export")
    assert missing.status_code == 400 and "Choose how you want your data" in missing.get_data(as_text=True)
    assert client.post("/account/export", data={"file_format": "json"}).status_code == 400  # no CSRF token


def test_a_registered_section_appears_in_both_formats(client, world):
    """The extension point other modules use (moderation's flags)."""

    @export.export_section("test_extra", "A section added by another module")
    def extra(user):
        return [{"note": f"about {user.id}"}]

    try:
        sign_in(client, world.subject)
        data = json.loads(download(client).get_data(as_text=True))
        assert data["sections"]["test_extra"] == [{"note": f"about {world.subject.id}"}]
        assert "A section added by another module" in download(client, "html").get_data(as_text=True)
    finally:
        export.SECTIONS[:] = [section for section in export.SECTIONS if section.key != "test_extra"]
