"""Retention: the dry run changes nothing; a real run removes exactly the old items, everywhere."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select, text

from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.cases.models import Bookmark, Helpful, Post, PrivacyFinding, Reply, Revision
from forum.dataprotection import retention
from forum.dataprotection.models import RetentionSetting
from forum.extensions import db
from forum.meetings.models import Attendance, HeardMark, Meeting, MeetingStatus
from forum.notifications.models import Follow, Kind, Notification
from forum.themes import services as themes
from forum.themes.models import Theme
from tests.conftest import post, sign_in

LONG_AGO = datetime.now(UTC) - timedelta(days=3 * 365)
LAST_MONTH = datetime.now(UTC) - timedelta(days=45)  # "last month", a clear margin past one month


@dataclass
class Content:
    old_post: int
    old_reply: int
    recent_post: int
    revived_post: int  # written long ago, replied to last month
    old_meeting: int
    recent_meeting: int


def traces(post_id: int, reply_id: int | None, author_id: int, other_id: int) -> None:
    """Everything that hangs off a post and its reply."""
    targets = [("post", post_id)] + ([("reply", reply_id)] if reply_id else [])
    for target_type, target_id in targets:
        db.session.add_all([
            Revision(target_type=target_type, target_id=target_id, editor_id=author_id,
                     content_json=json.dumps({"body": "before"})),
            PrivacyFinding(target_type=target_type, target_id=target_id, field="body", kind="phone",
                           severity="warn", start=0, end=3, reason="A phone number", fingerprint="f" * 64),
            Helpful(target_type=target_type, target_id=target_id, user_id=other_id),
        ])
    db.session.add_all([
        Bookmark(user_id=other_id, post_id=post_id),
        Follow(user_id=other_id, target_type="post", target_id=post_id),
        Notification(recipient_id=author_id, kind=Kind.REPLY, post_id=post_id, reply_id=reply_id, actor_id=other_id),
    ])


@pytest.fixture
def content(app, adviser, make_user, make_theme, make_circle, make_post, make_reply, make_meeting) -> Content:
    other = make_user(name="Reader.Person")
    theme = make_theme("Housing", "About housing.")
    circle = make_circle("Old circle", members=[adviser, other])
    case = partial(make_post, author=adviser, ask="What next?", themes=[theme])
    old = case("Zebra crossing dispute", situation="An ancient case.", at=LONG_AGO)
    old_reply = make_reply(old, "An ancient zebra reply.", author=other, at=LONG_AGO)
    recent = case("Zebra training course", situation="A recent case.", at=LAST_MONTH)
    recent_reply = make_reply(recent, "A recent zebra reply.", author=other, at=LAST_MONTH)
    revived = case("Zebra revisited", situation="Old but alive.", at=LONG_AGO, last_activity_at=LAST_MONTH)
    make_reply(revived, "Still relevant.", author=other, at=LAST_MONTH)
    meetings = [make_meeting(circle, at, status=MeetingStatus.FINISHED) for at in (LONG_AGO, LAST_MONTH)]
    with app.app_context():
        traces(old, old_reply, adviser.id, other.id)
        traces(recent, recent_reply, adviser.id, other.id)
        for meeting in meetings:
            db.session.add_all([Attendance(meeting_id=meeting, user_id=adviser.id),
                                Attendance(meeting_id=meeting, user_id=other.id),
                                HeardMark(meeting_id=meeting, user_id=adviser.id, item=0, phase=0)])
        db.session.commit()
    return Content(old, old_reply, recent, revived, *meetings)


def snapshot() -> dict[str, int]:
    counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
              for model in (Post, Reply, Revision, PrivacyFinding, Helpful, Bookmark, Follow, Notification,
                            Attendance, HeardMark, Meeting)}
    counts["search_documents"] = db.session.scalar(text("SELECT count(*) FROM search_documents"))
    counts["post_themes"] = db.session.scalar(text("SELECT count(*) FROM post_themes"))
    return counts


def test_the_dry_run_counts_and_changes_nothing(app, content):
    with app.app_context():
        before = snapshot()
        report = retention.apply(dry_run=True)
        db.session.commit()
        assert report.counts == {"posts": 1, "replies": 1, "revisions": 2, "privacy_findings": 2,
                                 "helpful_marks": 2, "bookmarks": 1, "notifications": 1, "attendance": 2,
                                 "reflections": 0}
        assert snapshot() == before
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.applied")) is None


def test_a_real_run_removes_exactly_the_old_items(app, client, adviser, content):
    with app.app_context():
        before = snapshot()
        report = retention.apply()
        db.session.commit()
        after = snapshot()
        assert report.counts["posts"] == 1
        assert after == {**before, "posts": before["posts"] - 1, "replies": before["replies"] - 1,
                         "revisions": before["revisions"] - 2, "privacy_findings": before["privacy_findings"] - 2,
                         "helpful_marks": before["helpful_marks"] - 2, "bookmarks": before["bookmarks"] - 1,
                         "follows": before["follows"] - 1, "notifications": before["notifications"] - 1,
                         "attendance": before["attendance"] - 2, "heard_marks": before["heard_marks"] - 1,
                         "search_documents": before["search_documents"] - 2, "post_themes": before["post_themes"] - 1}
        assert db.session.get(Post, content.old_post) is None and db.session.get(Reply, content.old_reply) is None
        assert db.session.get(Post, content.recent_post) and db.session.get(Post, content.revived_post)
        assert db.session.get(Meeting, content.old_meeting) is not None  # the meeting stays; who came goes
        assert db.session.scalars(select(Attendance.meeting_id).distinct()).all() == [content.recent_meeting]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.applied"))
        assert entry.reason.startswith("posts=1, replies=1, revisions=2") and "Zebra" not in entry.reason

    sign_in(client, adviser)
    assert client.get(f"/posts/{content.old_post}").status_code == 404
    for url in ("/posts", "/search?q=zebra", "/themes/housing", "/", "/bookmarks", "/notifications"):
        page = client.get(url).get_data(as_text=True)
        assert "Zebra crossing dispute" not in page and "ancient" not in page, url
    assert "Zebra training course" in client.get("/search?q=zebra").get_data(as_text=True)
    with app.app_context():  # counts are counted, not stored: the theme now tags two posts
        assert themes.tagged_post_count(db.session.scalar(select(Theme))) == 2
    exported = post(client, "/account/export", {"file_format": "json"}, page="/account/export").get_data(as_text=True)
    assert "Zebra crossing dispute" not in exported and "Zebra training course" in exported

    with app.app_context():  # idempotent: a second run finds nothing
        again = retention.apply()
        db.session.commit()
        assert set(again.counts.values()) == {0}


def test_nothing_is_deleted_while_retention_is_off(app, content):
    with app.app_context():
        retention.change_setting(None, False, 24)
        before = snapshot()
        assert not retention.apply().enabled
        db.session.commit()
        assert snapshot() == before


def test_the_period_is_the_setting(app, content):
    with app.app_context():
        retention.change_setting(None, True, 48)  # four years: the three-year-old post stays
        assert retention.apply(dry_run=True).counts["posts"] == 0
        retention.change_setting(None, True, 1)  # one month: last month's activity goes too
        assert retention.apply(dry_run=True).counts["posts"] == 3


def test_the_command_for_cron(app, content):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["apply-retention", "--dry-run"])
    assert dry.exit_code == 0 and "Would delete" in dry.output and "posts: 1" in dry.output
    with app.app_context():
        assert db.session.get(Post, content.old_post) is not None
        db.session.commit()
    real = runner.invoke(args=["apply-retention"])
    assert real.exit_code == 0 and "Deleted" in real.output and "posts: 1" in real.output
    assert "posts: 0" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        retention.change_setting(None, False, 24)
        db.session.commit()
    assert "Retention is off" in runner.invoke(args=["apply-retention"]).output


def test_the_demo_leaves_retention_off(app):
    with app.app_context():
        assert retention.current_setting() == retention.Setting(True, 24)  # the default for a real forum
        retention.leave_off_for_demo()
        db.session.commit()
        assert retention.current_setting() == retention.Setting(False, 24)


def test_a_registered_step_runs_with_the_post_ids(app, content):
    """The extension point for rows keyed by post id without a foreign key."""
    seen = []

    @retention.retention_step("test_rows")
    def step(post_ids, reply_ids):
        seen.append((list(post_ids), list(reply_ids)))
        return 7

    try:
        with app.app_context():
            report = retention.apply()
            db.session.commit()
        assert seen == [([content.old_post], [content.old_reply])] and report.counts["test_rows"] == 7
    finally:
        retention.RETENTION_STEPS.pop("test_rows", None)


# The setting page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADVISER, Role.MANAGER])
def test_only_admins_set_retention(client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get("/admin/retention").status_code == 403
    assert post(client, "/admin/retention", {"enabled": "y", "months": "1"}).status_code == 403


def test_an_admin_sets_the_period(app, client, admin, content):
    sign_in(client, admin)
    page = client.get("/admin/retention").get_data(as_text=True)
    assert "on, 24 months" in page and "would delete 1 post" in page and page.count("<h1") == 1
    assert 'href="/admin/retention"' in client.get("/people").get_data(as_text=True)
    saved = post(client, "/admin/retention", {"months": "36"}, page="/admin/retention")
    assert saved.status_code == 302
    assert "off: nothing is deleted" in client.get("/admin/retention").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(RetentionSetting, 1)
        assert (row.enabled, row.months, row.updated_by_id) == (False, 36, admin.id)
        assert db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == "retention.changed")) == "off, 36 months"


@pytest.mark.parametrize("months", ["", "two years", "0", "121", "-3", "1.5", "99999"])
def test_bad_input_on_the_setting_page(app, client, admin, months):
    sign_in(client, admin)
    response = post(client, "/admin/retention", {"enabled": "y", "months": months}, page="/admin/retention")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter a whole number of months from 1 to 120" in page
    assert f'value="{months}"' in page  # what they typed is kept
    with app.app_context():
        assert db.session.get(RetentionSetting, 1) is None
