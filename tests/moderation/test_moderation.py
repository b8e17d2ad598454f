"""Flags, the review queue and its actions, pre-approval, suspensions and the audit log page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select, text

from forum import settings
from forum.accounts.models import Role, User
from forum.audit import AuditEntry
from forum.cases.models import Bookmark, Post, Reply, Revision, Status
from forum.circles.models import Mode
from forum.extensions import db
from forum.moderation.models import Flag, ModerationAction, ReviewItem
from forum.notifications.models import Kind, Notification
from forum.timeutil import utcnow
from tests.conftest import post as form_post
from tests.conftest import client_for, sign_in

SECRET_WORD = "Zanzibarquay"


@pytest.fixture
def people(make_user):
    return {
        "author": make_user(name="Ava.Author"),
        "flagger": make_user(name="Fin.Flagger"),
        "peer": make_user(name="Pat.Peer"),
        "manager": make_user(Role.MANAGER, name="Max.Manager"),
        "admin": make_user(Role.ADMIN, name="Ada.Admin"),
    }


@pytest.fixture
def theme_id(make_theme):
    return make_theme("Housing", "Housing.")


@pytest.fixture
def deposit_case(make_post):
    """`make_post` with this file's case: a deposit dispute whose situation names a place."""
    return partial(make_post, title="Landlord will not return a deposit", ask="What next?",
                   situation=f"The jobseeker lives near {SECRET_WORD} and is worried.")


def flag(client, target, reason="inaccurate", note=""):
    path = f"/{'posts' if target[0] == 'post' else 'replies'}/{target[1]}/flag"
    return form_post(client, path, {"reason": reason, "note": note}, page=path)


def only_item(app) -> ReviewItem:
    with app.app_context():
        items = list(db.session.scalars(select(ReviewItem)))
        assert len(items) == 1
        return items[0]


def act(client, item_id, verb, reason="Checked against the guidance"):
    return form_post(client, f"/moderation/items/{item_id}/{verb}", {"reason": reason}, page=f"/moderation/items/{item_id}")


def status_of(app, model, row_id):
    with app.app_context():
        return db.session.get(model, row_id).status


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# Flagging --------------------------------------------------------------------------------------------


def test_a_flag_puts_the_post_in_the_queue_and_the_flagger_can_withdraw_it(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flagger = client_for(app, people["flagger"])
    response = flag(flagger, ("post", post_id), note="The advice about deposits is out of date")
    assert response.status_code == 302
    assert "You flagged this case" in flagger.get(f"/posts/{post_id}").get_data(as_text=True)
    assert status_of(app, Post, post_id) == Status.PUBLISHED  # not urgent: stays up
    manager = client_for(app, people["manager"])
    queue = manager.get("/moderation/queue").get_data(as_text=True)
    assert "Landlord will not return a deposit" in queue and "Inaccurate advice" in queue
    assert "out of date" in queue
    assert 'class="bell__count">1<' in queue  # the navigation's count

    again = flag(flagger, ("post", post_id))
    assert again.status_code == 400 and "already flagged" in again.get_data(as_text=True)

    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id))
    form_post(flagger, f"/flags/{flag_id}/withdraw", {"next": f"/posts/{post_id}"}, page=f"/posts/{post_id}")
    assert status_of(app, Flag, flag_id) == "withdrawn"
    assert only_item(app).status == "closed"
    assert "Nothing is waiting for review" in manager.get("/moderation/queue").get_data(as_text=True)


def test_bad_flags_are_refused_with_a_clear_message(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flagger = client_for(app, people["flagger"])
    response = flag(flagger, ("post", post_id), reason="")
    assert response.status_code == 400 and "Choose why you are flagging this" in response.get_data(as_text=True)
    response = flag(flagger, ("post", post_id), reason="other", note="")
    assert response.status_code == 400 and "Say what the problem is" in response.get_data(as_text=True)
    response = flag(flagger, ("post", post_id), reason="inaccurate", note="x" * 501)
    assert response.status_code == 400 and "500 characters or fewer" in response.get_data(as_text=True)
    kept = flag(flagger, ("post", post_id), reason="other", note="y" * 501).get_data(as_text=True)
    assert "y" * 501 in kept  # what they typed is kept
    own = flag(client_for(app, people["author"]), ("post", post_id))
    assert own.status_code == 400 and "cannot flag your own" in own.get_data(as_text=True)
    assert flag(flagger, ("post", 999999)).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 0


def test_flagging_what_one_cannot_see_is_not_found(app, people, deposit_case, make_circle):
    circle_id = make_circle("Closed circle", facilitator=people["author"], mode=Mode.INVITE)
    circle_post = deposit_case(author=people["author"], circle_id=circle_id)
    draft = deposit_case(author=people["author"], status=Status.DRAFT)
    flagger = client_for(app, people["flagger"])
    assert flag(flagger, ("post", circle_post)).status_code == 404
    assert flag(flagger, ("post", draft)).status_code == 404
    assert flagger.get(f"/posts/{circle_post}/flag").status_code == 404


# Urgent flags hide at once -------------------------------------------------------------------------------


def peer_sees(app, client, post_id, theme_id) -> dict[str, bool]:
    """Everywhere a peer could meet the post."""
    return {
        "page": client.get(f"/posts/{post_id}").status_code == 200,
        "list": "Landlord will not return" in client.get("/posts").get_data(as_text=True),
        "theme": "Landlord will not return" in client.get("/themes/housing").get_data(as_text=True),
        "search": "Landlord will not return" in client.get(f"/search?q={SECRET_WORD}").get_data(as_text=True),
        "bookmarks": "Landlord will not return" in client.get("/bookmarks").get_data(as_text=True),
        "home": "Landlord will not return" in client.get("/").get_data(as_text=True),
    }


def test_an_urgent_flag_hides_the_post_everywhere_until_a_manager_restores_it(app, people, theme_id, outbox,
                                                                              deposit_case):
    post_id = deposit_case(author=people["author"], themes=[theme_id])
    with app.app_context():
        db.session.add(Bookmark(user_id=people["peer"].id, post_id=post_id))
        settings.put(settings.SAFEGUARDING_CONTACTS, "safeguarding.lead@example.org")
        db.session.commit()
    peer = client_for(app, people["peer"])
    assert all(peer_sees(app, peer, post_id, theme_id).values())

    flagger = client_for(app, people["flagger"])
    response = flag(flagger, ("post", post_id), reason="safeguarding", note="Mentions a risk at home")
    assert response.status_code == 302
    assert not any(peer_sees(app, peer, post_id, theme_id).values())
    assert status_of(app, Post, post_id) == Status.HIDDEN

    # The safeguarding contacts get a link, never the content.
    alert = [mail for mail in outbox if mail.to == "safeguarding.lead@example.org"]
    assert len(alert) == 1, outbox
    assert SECRET_WORD not in alert[0].text + alert[0].html and "Landlord" not in alert[0].text + alert[0].html
    assert f"/moderation/items/{only_item(app).id}" in alert[0].text

    author = client_for(app, people["author"])
    own = author.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "hidden" in own and "Hidden while a manager reviews a flag" in own

    manager = client_for(app, people["manager"])
    item_id = only_item(app).id
    assert "Urgent" in manager.get("/moderation/queue").get_data(as_text=True)
    assert act(manager, item_id, "restore", reason="No one can be identified from this").status_code == 302
    assert all(peer_sees(app, peer, post_id, theme_id).values())
    own = author.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Restored" in own and "No one can be identified from this" in own
    assert "Max.Manager" not in own  # the author learns what and why, not who


def test_dismissing_the_flags_of_an_auto_hidden_reply_brings_it_back_and_keeps_counts(app, people, deposit_case,
                                                                                      make_reply):
    post_id = deposit_case(author=people["author"])
    reply_id = make_reply(post_id, "Try the tenancy deposit scheme.", author=people["peer"])
    flagger = client_for(app, people["flagger"])
    flag(flagger, ("reply", reply_id), reason="identifies")
    with app.app_context():
        assert db.session.get(Post, post_id).reply_count == 0
    assert "tenancy deposit scheme" not in flagger.get(f"/posts/{post_id}").get_data(as_text=True)
    own = client_for(app, people["peer"]).get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Your reply of" in own and "is hidden" in own

    manager = client_for(app, people["manager"])
    act(manager, only_item(app).id, "dismiss", reason="Nothing identifying in it")
    with app.app_context():
        assert db.session.get(Post, post_id).reply_count == 1
        assert db.session.get(Reply, reply_id).status == Status.PUBLISHED
        flags = list(db.session.scalars(select(Flag)))
        assert [(row.status, row.outcome) for row in flags] == [("closed", "dismissed")]
    assert "tenancy deposit scheme" in flagger.get(f"/posts/{post_id}").get_data(as_text=True)


# Actions -------------------------------------------------------------------------------------------------


def test_hiding_needs_a_reason_and_then_tells_the_author_and_the_flaggers(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flagger = client_for(app, people["flagger"])
    flag(flagger, ("post", post_id), reason="disrespectful", note="Mocks the jobseeker")
    manager = client_for(app, people["manager"])
    item_id = only_item(app).id

    refused = act(manager, item_id, "hide", reason="   ")
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    assert status_of(app, Post, post_id) == Status.PUBLISHED

    assert act(manager, item_id, "hide", reason="Disrespectful language about a jobseeker").status_code == 302
    assert status_of(app, Post, post_id) == Status.HIDDEN
    assert only_item(app).status == "closed"
    with app.app_context():
        told = {row.recipient_id for row in db.session.scalars(select(Notification).where(Notification.kind == Kind.MODERATION))}
    assert told == {people["author"].id, people["flagger"].id}
    author_note = client_for(app, people["author"]).get("/notifications").get_data(as_text=True)
    assert "Disrespectful language about a jobseeker" in author_note
    flagger_note = flagger.get("/notifications").get_data(as_text=True)
    assert "A case you flagged was reviewed: Hidden" in flagger_note
    assert "moderation.hidden" in audit_actions(app)

    again = act(manager, item_id, "restore")
    assert again.status_code == 400 and "already been dealt with" in again.get_data(as_text=True)


def test_the_author_edits_a_hidden_post_and_asks_for_a_review(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flag(client_for(app, people["flagger"]), ("post", post_id), reason="identifies")
    manager = client_for(app, people["manager"])
    act(manager, only_item(app).id, "hide", reason="Names the street")
    author = client_for(app, people["author"])
    assert author.get(f"/posts/{post_id}/edit").status_code == 200
    response = form_post(author, f"/posts/{post_id}/ask-review", {"next": f"/posts/{post_id}"}, page=f"/posts/{post_id}")
    assert response.status_code == 302
    with app.app_context():
        reopened = db.session.scalar(select(ReviewItem).where(ReviewItem.status == "open"))
        assert reopened.review_asked
    assert "The author asks for a review" in manager.get("/moderation/queue").get_data(as_text=True)
    # Only the author of a hidden item can ask.
    peer = client_for(app, people["peer"])
    assert form_post(peer, f"/posts/{post_id}/ask-review", {}, page="/").status_code == 404


def test_lock_closes_the_discussion_to_replies(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    manager = client_for(app, people["manager"])
    response = form_post(manager, f"/moderation/review/post/{post_id}", {}, page=f"/posts/{post_id}")
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    act(manager, item_id, "lock", reason="The discussion has become heated")
    peer = client_for(app, people["peer"])
    refused = form_post(peer, f"/posts/{post_id}/replies", {"body": "One more thing"}, page=f"/posts/{post_id}")
    assert refused.status_code == 400 and "closed to new replies" in refused.get_data(as_text=True)
    act(manager, item_id, "unlock", reason="Calmer now")
    assert form_post(peer, f"/posts/{post_id}/replies", {"body": "One more thing"}, page=f"/posts/{post_id}").status_code == 302


def test_redaction_removes_the_text_from_the_post_its_history_and_search(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    with app.app_context():
        db.session.add(Revision(target_type="post", target_id=post_id, editor_id=people["author"].id,
                                content_json=f'{{"situation": "Lives near {SECRET_WORD} market"}}'))
        db.session.commit()
    flag(client_for(app, people["flagger"]), ("post", post_id), reason="identifies")
    manager = client_for(app, people["manager"])
    item_id = only_item(app).id
    page = f"/moderation/items/{item_id}"
    wrong = form_post(manager, f"{page}/redact", {"redact-field": "situation", "redact-text": "Not in the text", "redact-reason": "Place name"}, page=page)
    assert wrong.status_code == 400 and "not in the part you chose" in wrong.get_data(as_text=True)
    no_reason = form_post(manager, f"{page}/redact", {"redact-field": "situation", "redact-text": SECRET_WORD, "redact-reason": ""}, page=page)
    assert no_reason.status_code == 400 and "Give a reason" in no_reason.get_data(as_text=True)
    done = form_post(manager, f"{page}/redact", {"redact-field": "situation", "redact-text": SECRET_WORD, "redact-reason": "A place name"}, page=page)
    assert done.status_code == 302
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert SECRET_WORD not in post.situation_md and "[removed]" in post.situation_html
        assert SECRET_WORD not in db.session.scalar(select(Revision.content_json))
    act(manager, item_id, "restore", reason="Identifier removed")
    peer = client_for(app, people["peer"])
    assert "Landlord" not in peer.get(f"/search?q={SECRET_WORD}").get_data(as_text=True)
    assert "[removed]" in peer.get(f"/posts/{post_id}").get_data(as_text=True)
    assert {"moderation.redacted", "moderation.restored"} <= set(audit_actions(app))


def test_acting_on_an_item_deleted_meanwhile_changes_nothing(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flag(client_for(app, people["flagger"]), ("post", post_id))
    item_id = only_item(app).id
    author = client_for(app, people["author"])
    form_post(author, f"/posts/{post_id}/delete", {}, page=f"/posts/{post_id}/delete")
    assert status_of(app, Post, post_id) == Status.DELETED
    manager = client_for(app, people["manager"])
    response = act(manager, item_id, "hide", reason="Too late")
    assert response.status_code == 400 and "deleted this meanwhile" in response.get_data(as_text=True)
    assert status_of(app, Post, post_id) == Status.DELETED
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0
    assert manager.get("/moderation/items/999999").status_code == 404


def test_circle_content_reaches_a_manager_only_through_a_flag_and_opening_it_is_audited(app, people, deposit_case,
                                                                                        make_circle):
    circle_id = make_circle("Tuesday circle", facilitator=people["author"], members=[people["flagger"]],
                            mode=Mode.INVITE)
    post_id = deposit_case(author=people["author"], circle_id=circle_id, title="Circle only case")
    manager = client_for(app, people["manager"])
    assert manager.get(f"/posts/{post_id}").status_code == 404
    assert form_post(manager, f"/moderation/review/post/{post_id}", {}, page="/").status_code == 404
    flag(client_for(app, people["flagger"]), ("post", post_id), reason="disrespectful")
    queue = manager.get("/moderation/queue").get_data(as_text=True)
    assert "A post in a circle" in queue and "Circle only case" not in queue and SECRET_WORD not in queue
    assert "moderation.circle_content_opened" not in audit_actions(app)
    item = manager.get(f"/moderation/items/{only_item(app).id}").get_data(as_text=True)
    assert "Circle only case" in item and SECRET_WORD in item
    assert "moderation.circle_content_opened" in audit_actions(app)
    assert manager.get(f"/posts/{post_id}").status_code == 404  # still not through the post page


# Pre-approval ---------------------------------------------------------------------------------------


def publish(client, theme_id, title="A new starter's first case", audience="forum"):
    return form_post(client, "/write/case/publish", {
        "title": title, "situation": "A jobseeker wants to retrain.", "ask": "Where do I start?",
        "theme_ids": [str(theme_id)], "show_author": "name", "audience": audience}, page="/write/case")


def test_pre_approval_holds_new_forum_posts_until_a_manager_approves(app, people, theme_id):
    admin = client_for(app, people["admin"])
    response = form_post(admin, "/moderation/settings", {"pre_approval": "y", "contacts": "lead@example.org"},
                         page="/moderation/settings")
    assert response.status_code == 302
    author = client_for(app, people["author"])
    response = publish(author, theme_id)
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.status == Status.PENDING and post.published_at is None
    own = author.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "waiting for a manager's approval" in own
    peer = client_for(app, people["peer"])
    assert peer.get(f"/posts/{post.id}").status_code == 404
    assert "first case" not in peer.get("/posts").get_data(as_text=True)

    manager = client_for(app, people["manager"])
    assert "Waiting for approval" in manager.get("/moderation/queue?reason=approval").get_data(as_text=True)
    act(manager, only_item(app).id, "approve", reason="Fine to publish")
    assert status_of(app, Post, post.id) == Status.PUBLISHED
    assert "first case" in peer.get("/posts").get_data(as_text=True)


def test_settings_refuse_a_bad_contact_and_keep_what_was_typed(app, people):
    admin = client_for(app, people["admin"])
    response = form_post(admin, "/moderation/settings", {"pre_approval": "y", "contacts": "lead@example.org\nnot an email"},
                         page="/moderation/settings")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "is not an email address" in body and "not an email" in body
    with app.app_context():
        assert not settings.is_on(settings.PRE_APPROVAL)
    manager = client_for(app, people["manager"])
    assert manager.get("/moderation/settings").status_code == 403


def test_a_manager_asks_for_approval_of_one_persons_posts_and_circle_posts_skip_it(app, people, theme_id, make_circle):
    manager = client_for(app, people["manager"])
    path = f"/moderation/people/{people['author'].id}"
    refused = form_post(manager, f"{path}/approval", {"required": "y", "reason": ""}, page=path)
    assert refused.status_code == 400
    assert form_post(manager, f"{path}/approval", {"required": "y", "reason": "New starter"}, page=path).status_code == 302
    circle_id = make_circle("Open circle", members=[people["author"]], mode=Mode.OPEN)
    author = client_for(app, people["author"])
    publish(author, theme_id, title="Forum case")
    publish(author, theme_id, title="Circle case", audience=f"circle-{circle_id}")
    with app.app_context():
        statuses = dict(db.session.execute(select(Post.title, Post.status)).all())
    assert statuses == {"Forum case": Status.PENDING, "Circle case": Status.PUBLISHED}


# Suspensions ----------------------------------------------------------------------------------------


def test_a_suspension_ends_sessions_at_once_refuses_sign_in_and_can_be_lifted(app, people):
    adviser = client_for(app, people["peer"])
    manager = client_for(app, people["manager"])
    path = f"/moderation/people/{people['peer'].id}"
    past = (utcnow() - timedelta(days=2)).date().isoformat()
    refused = form_post(manager, f"{path}/suspend", {"until": past, "reason": "Posted a jobseeker's name again"}, page=path)
    assert refused.status_code == 400 and "in the future" in refused.get_data(as_text=True)
    nonsense = form_post(manager, f"{path}/suspend", {"until": "31/02/2027", "reason": "x"}, page=path)
    assert nonsense.status_code == 400 and "Enter a real date" in nonsense.get_data(as_text=True)
    response = form_post(manager, f"{path}/suspend", {"until": "", "reason": "Posted a jobseeker's name again"}, page=path)
    assert response.status_code == 302

    assert adviser.get("/").status_code == 302  # the old session is gone
    again = form_post(app.test_client(), "/login", {"email": people["peer"].email, "password": people["peer"].password})
    body = again.get_data(as_text=True)
    assert again.status_code == 403 and "suspended until further notice" in body
    assert "Posted a jobseeker" in body

    form_post(manager, f"{path}/lift", {"reason": "Spoke with them"}, page=path)
    sign_in(app.test_client(), people["peer"])
    assert {"user.suspended", "user.suspension_lifted"} <= set(audit_actions(app))


def test_a_time_limited_suspension_ends_by_itself(app, people):
    with app.app_context():
        person = db.session.get(User, people["peer"].id)
        person.suspended_at = utcnow() - timedelta(days=3)
        person.suspended_until = utcnow() - timedelta(minutes=1)
        person.suspension_reason = "Cooling off"
        db.session.commit()
    sign_in(app.test_client(), people["peer"])


# The audit log ----------------------------------------------------------------------------------------


def test_the_audit_log_filters_and_downloads_as_csv(app, people, deposit_case):
    post_id = deposit_case(author=people["author"])
    flag(client_for(app, people["flagger"]), ("post", post_id), reason="other", note="=HYPERLINK(\"http://evil\")")
    manager = client_for(app, people["manager"])
    act(manager, only_item(app).id, "hide", reason="=cmd|' /C calc'!A0")
    page = manager.get("/moderation/audit").get_data(as_text=True)
    words = re.sub(r"<[^>]+>", "", page)
    assert 'data-action="moderation.hidden"' in page and "Max.Manager hid the case ‘Landlord" in words
    assert "Fin.Flagger flagged the case ‘Landlord will not return a deposit’" in words

    filtered = manager.get("/moderation/audit?person=max.manager&action=moderation.hidden").get_data(as_text=True)
    table = filtered[filtered.index("<table"):]
    assert 'data-action="moderation.hidden"' in table and 'data-action="flag.raised"' not in table
    assert ">Hid … (moderation.hidden)<" in filtered  # the filter names the action in words and by its code
    nobody = manager.get("/moderation/audit?person=no.such.person")
    assert nobody.status_code == 400 and "No one has that email" in nobody.get_data(as_text=True)
    backwards = manager.get("/moderation/audit?since=2026-05-02&until=2026-05-01")
    assert backwards.status_code == 400 and "on or after" in backwards.get_data(as_text=True)
    future = manager.get("/moderation/audit?since=2099-01-01").get_data(as_text=True)
    assert "No entries match" in future

    download = manager.get("/moderation/audit.csv?action=moderation.hidden")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][:4] == ["time_utc", "actor_id", "actor", "action"]
    assert len(rows) == 2 and rows[1][3] == "moderation.hidden"
    assert rows[1][6].startswith("'=")  # a formula is text, not a formula
    assert client_for(app, people["peer"]).get("/moderation/audit.csv").status_code == 403


def test_the_audit_log_cannot_be_changed_even_by_the_database_session(app, people, deposit_case):
    deposit_case(author=people["author"])
    manager = client_for(app, people["manager"])
    manager.get("/moderation/audit")
    with app.app_context():
        with pytest.raises(Exception):
            db.session.execute(text("UPDATE audit_entries SET action = 'forged'"))
            db.session.commit()
        db.session.rollback()
        with pytest.raises(Exception):
            db.session.execute(text("DELETE FROM audit_entries"))
            db.session.commit()


def test_the_queue_and_audit_pages_take_a_fixed_number_of_queries(app, people, count_queries, make_user, deposit_case,
                                                                  make_reply):
    manager = client_for(app, people["manager"])
    counts = []
    for batch in range(2):
        for _ in range(5):
            post_id = deposit_case(author=people["author"])
            make_reply(post_id, "Try the tenancy deposit scheme.", author=people["peer"])
            flag(client_for(app, make_user()), ("post", post_id))
        with count_queries() as queue:
            assert manager.get("/moderation/queue").status_code == 200
        with count_queries() as audit:
            assert manager.get("/moderation/audit").status_code == 200
        counts.append((len(queue), len(audit)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 10 and counts[0][1] <= 10, counts


# Facilitators' privacy clearances --------------------------------------------------------------------


def test_facilitators_review_only_their_own_circles_privacy_clearances(app, people, deposit_case, make_circle):
    from forum.cases.models import Decision, PrivacyFinding

    ids = (make_circle("Mine", facilitator=people["peer"], mode=Mode.INVITE),
           make_circle("Theirs", facilitator=people["author"], mode=Mode.INVITE))
    in_mine = deposit_case(author=people["peer"], circle_id=ids[0], title="In my circle")
    in_theirs = deposit_case(author=people["author"], circle_id=ids[1], title="In their circle")
    forum_wide = deposit_case(author=people["author"], title="Forum wide")
    with app.app_context():
        for post_id in (in_mine, in_theirs, forum_wide):
            db.session.add(PrivacyFinding(target_type="post", target_id=post_id, field="situation", kind="place",
                                          severity="warn", start=27, end=39, reason="A place", fingerprint="f" * 64,
                                          decision=Decision.CLEARED, decided_at=utcnow(), clear_reason="not_real"))
        db.session.commit()
    facilitator = client_for(app, people["peer"])
    page = facilitator.get("/privacy-review").get_data(as_text=True)
    assert "In my circle" in page and "In their circle" not in page and "Forum wide" not in page
    manager = client_for(app, people["manager"])
    page = manager.get("/privacy-review").get_data(as_text=True)
    assert "Forum wide" in page and "In my circle" not in page
    assert client_for(app, people["flagger"]).get("/privacy-review").status_code == 403


def test_refusals_on_protected_objects_are_audited(app, people, deposit_case, make_circle):
    circle_id = make_circle("Private", mode=Mode.INVITE)
    post_id = deposit_case(author=people["author"], circle_id=circle_id)
    peer = client_for(app, people["peer"])
    assert peer.get(f"/posts/{post_id}").status_code == 404
    assert peer.get("/moderation/items/1").status_code == 403
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.refused")
                                       .order_by(AuditEntry.id)))
    assert [(row.actor_id, row.target_type, row.target_id, row.outcome) for row in rows] == [
        (people["peer"].id, "post", post_id, "404"), (people["peer"].id, "item", 1, "403")]


def test_managers_find_people_and_see_what_they_may_do(app, people):
    manager = client_for(app, people["manager"])
    found = manager.get("/moderation/people?q=pat").get_data(as_text=True)
    assert "Pat.Peer" in found and "Ava.Author" not in found
    assert f'href="/moderation/people/{people["peer"].id}"' in found
    peer_page = manager.get(f"/moderation/people/{people['peer'].id}").get_data(as_text=True)
    assert "Suspend Pat.Peer" in peer_page and "Ask for approval of their new posts" in peer_page
    admin_page = manager.get(f"/moderation/people/{people['admin'].id}").get_data(as_text=True)
    assert "You cannot suspend an admin" in admin_page and "Suspend Ada.Admin" not in admin_page
    assert "You cannot suspend yourself" in manager.get(f"/moderation/people/{people['manager'].id}").get_data(as_text=True)
    assert manager.get("/moderation/people/999999").status_code == 404


def test_an_auto_hidden_circle_post_leaves_the_circle_page_and_comes_back_on_restore(app, people, deposit_case,
                                                                                     make_circle):
    circle_id = make_circle("Thursday circle", facilitator=people["author"], members=[people["flagger"], people["peer"]],
                            mode=Mode.INVITE)
    post_id = deposit_case(author=people["author"], circle_id=circle_id, title="A circle case about shifts")
    peer = client_for(app, people["peer"])
    assert "A circle case about shifts" in peer.get(f"/circles/{circle_id}").get_data(as_text=True)
    flag(client_for(app, people["flagger"]), ("post", post_id), reason="identifies")
    assert "A circle case about shifts" not in peer.get(f"/circles/{circle_id}").get_data(as_text=True)
    assert peer.get(f"/posts/{post_id}").status_code == 404
    act(client_for(app, people["manager"]), only_item(app).id, "restore", reason="Nothing identifying")
    assert "A circle case about shifts" in peer.get(f"/circles/{circle_id}").get_data(as_text=True)


def test_every_moderation_route_refuses_advisers_and_sends_guests_to_sign_in(app, people):
    adviser = client_for(app, people["peer"])
    guest = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/moderation"):
            continue
        chosen = {"verb": "hide", "target_type": "post"}  # the routes' `any(...)` parts
        values = {name: chosen.get(name, (rule.defaults or {}).get(name, 1)) for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                assert adviser.get(url).status_code == 403, url
                assert guest.get(url).status_code == 302, url
            else:
                assert form_post(adviser, url, {"reason": "x"}, page="/").status_code == 403, url
            checked += 1
    assert checked >= 14
