"""The audit log never names the anonymous author of a post or reply acting on it: the page
and the CSV say "The author", and filtering by that person does not find those entries."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.extensions import db
from forum.moderation.models import ReviewItem
from tests.conftest import client_for, post

FORUM = Path(__file__).resolve().parents[2] / "forum"

#: Every action the code records whose actor can be the author of the post or reply it is
#: about, with how this test makes the author record it on their own anonymous writing.
BY_AUTHOR = {"moderation.review_asked", "access.refused", "post.author_revealed", "moderation.restored"}
#: Every other action: about people, settings or themes, or never by the author on their own
#: writing (they cannot flag their own, auto-hiding has no actor, others' posts only).
NOT_BY_AUTHOR = {
    "mail.retried", "csrf.failure", "circle.archived", "data.exported", "email.changed", "flag.hides_paused", "flag.hides_reset", "flag.raised", "flag.withdrawn", "invitation.accepted", "learning.shared", "learning.share_revoked",
    "invitation.resent", "invitation.revoked", "invitation.sent", "moderation.auto_hidden",
    "moderation.circle_content_opened", "moderation.redacted", "moderation.{action.value}", "password.changed",
    "password.reset", "password.reset_requested", "post.deleted", "privacy.redacted", "reauth", "retention.applied",
    "retention.changed", "settings.changed", "sign_in", "sign_in.code", "sign_in.password", "theme.archived",
    "theme.created", "theme.described", "theme.merged", "theme.renamed", "theme.restored", "two_factor.disabled",
    "two_factor.enabled", "two_factor.recovery_code_used", "two_factor.recovery_codes_replaced", "two_factor.reset",
    "user.admin_created", "user.approval_required", "user.deactivated", "user.erased", "user.reactivated",
    "user.role_changed", "user.sessions_ended", "user.suspended", "user.suspension_lifted", "user.team_changed",
}


def recorded_actions() -> set[str]:
    found = set()
    for path in FORUM.rglob("*.py"):
        found |= set(re.findall(r"audit\.record\([^,]+,\s*f?\"([a-z_.{}]+)\"", path.read_text()))
    return found


def test_every_audit_action_is_classified():
    """A new action must be added to BY_AUTHOR (and performed below) or to NOT_BY_AUTHOR."""
    # moderation.{action.value}: one of them (restored) is performed below, the others alike.
    assert recorded_actions() == BY_AUTHOR - {"moderation.restored"} | NOT_BY_AUTHOR


@pytest.fixture
def setting(app, make_user, make_post, make_reply):
    author = make_user(Role.MANAGER, name="Secret.Writer", email="secret.writer@example.org")
    flagger, manager = make_user(name="Fin.Flagger"), make_user(Role.MANAGER, name="Max.Manager")
    post_id = make_post("A quiet case", author=author, anonymous=True)
    reply_id = make_reply(make_post("Someone's case", author=flagger), "A quiet reply", author=author,
                          anonymous=True)
    return author, flagger, manager, post_id, reply_id


def hide(app, flagger, manager, target_type, target_id):
    path = f"/{'posts' if target_type == 'post' else 'replies'}/{target_id}/flag"
    assert post(client_for(app, flagger), path, {"reason": "identifies"}, page=path).status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id).where(ReviewItem.target_type == target_type,
                                                                 ReviewItem.target_id == target_id))
    m = client_for(app, manager)
    assert post(m, f"/moderation/items/{item_id}/hide", {"reason": "Names a street"},
                page=f"/moderation/items/{item_id}").status_code == 302
    return item_id


def test_the_log_never_names_the_anonymous_author(app, setting, make_user, make_post):
    author, flagger, manager, post_id, reply_id = setting
    a = client_for(app, author)
    # The author asks for a review of their hidden post and reply.
    for target_type, target_id in (("post", post_id), ("reply", reply_id)):
        hide(app, flagger, manager, target_type, target_id)
        path = f"/{'posts' if target_type == 'post' else 'replies'}/{target_id}/ask-review"
        assert post(a, path, {}, page="/").status_code == 302
    # The author, a manager, reveals their own post (refused as an adviser would be, recorded).
    assert post(a, f"/posts/{post_id}/reveal-author", {"reason": "Checking what the log shows"},
                page=f"/posts/{post_id}/reveal-author").status_code == 200
    # The author, a manager, restores their own anonymous reply from the queue.
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id).where(ReviewItem.target_type == "reply",
                                                                 ReviewItem.status == "open"))
    assert post(a, f"/moderation/items/{item_id}/restore", {"reason": "Put right now"},
                page=f"/moderation/items/{item_id}").status_code == 302
    # An adviser, anonymous author of another post, is refused revealing it (recorded by id).
    adviser = make_user(name="Quiet.Adviser", email="quiet.adviser@example.org")
    own_id = make_post("Another quiet case", author=adviser, anonymous=True)
    refused = post(client_for(app, adviser), f"/posts/{own_id}/reveal-author", {"reason": "Who wrote this, then?"},
                   page=f"/posts/{own_id}")
    assert refused.status_code == 403

    with app.app_context():
        mine = list(db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id.in_((author.id, adviser.id)),
                                                                AuditEntry.target_type.in_(("post", "reply")))))
        actions = {entry.action for entry in mine}
    assert actions == BY_AUTHOR

    m = client_for(app, manager)
    secrets = (author.display_name, author.email, adviser.display_name, adviser.email)
    page = m.get("/moderation/audit").get_data(as_text=True)
    rows_on_page = [row for row in page.split("<tr")[1:] if any(f'data-action="{action}"' in row for action in BY_AUTHOR)]
    assert len(rows_on_page) == len(mine)
    for row in rows_on_page:  # sign-ins and the like still name them: they are not about the writing
        assert "The author" in row and not any(secret in row for secret in secrets)
    rows = list(csv.reader(io.StringIO(m.get("/moderation/audit.csv").get_data(as_text=True))))
    by_author = [row for row in rows[1:] if row[3] in BY_AUTHOR]
    assert len(by_author) == len(mine)
    for row in by_author:
        assert row[1:3] == ["", "The author"] and row[8] == ""
        assert not any(secret.lower() in ",".join(row).lower() for secret in secrets)
    # Filtering by the person does not find what they did as the anonymous author.
    for person in secrets:
        found = m.get(f"/moderation/audit?person={person}").get_data(as_text=True)
        table = found[found.index("<table"):] if "<table" in found else ""
        assert not any(action in table for action in BY_AUTHOR)
        listed = m.get(f"/moderation/audit.csv?person={person}").get_data(as_text=True)
        assert not any(action in listed for action in BY_AUTHOR) and "The author" not in listed


def test_a_named_authors_entries_keep_their_name(app, make_user, make_post):
    author = make_user(Role.MANAGER, name="Open.Writer")
    post_id = make_post("An open case", author=author)
    a = client_for(app, author)
    assert post(a, f"/posts/{post_id}/reveal-author", {"reason": "Checking what the log shows"},
                page=f"/posts/{post_id}/reveal-author").status_code == 200
    page = client_for(app, make_user(Role.MANAGER)).get("/moderation/audit?person=Open.Writer").get_data(as_text=True)
    assert "post.author_revealed" in page and "Open.Writer" in page
