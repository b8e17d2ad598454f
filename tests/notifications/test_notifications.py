"""Notifications: each trigger tells the right people once, never the actor, never names an
anonymous author, and vanishes when its post can no longer be seen. Emails carry no body text."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.cases.models import Post, Reply
from forum.extensions import db
from forum.meetings.models import ActionPoint
from forum.notifications.models import Kind, Notification
from tests.conftest import post as form_post
from tests.conftest import client_for

BODY = "The jobseeker wants **evening shifts** only because of caring duties."


@pytest.fixture
def theme(make_theme):
    return make_theme("Caring responsibilities", slug="caring")


def publish(client, theme_id, title="Evening shifts only", anonymous=False, situation=BODY):
    data = {"title": title, "situation": situation, "ask": "What has worked for you?", "theme_ids": [str(theme_id)],
            "show_author": "anonymous" if anonymous else "name"}
    response = form_post(client, "/write/case/publish", data, page="/write/case")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def reply(client, post_id, body, anonymous=False):
    data = {"body": body, **({"anonymous": "y"} if anonymous else {})}
    response = form_post(client, f"/posts/{post_id}/replies", data, page=f"/posts/{post_id}")
    assert response.status_code == 302
    with client.application.app_context():
        return db.session.scalar(select(Reply.id).order_by(Reply.id.desc()))


def notes(app, person=None):
    with app.app_context():
        query = select(Notification).order_by(Notification.id)
        if person is not None:
            query = query.where(Notification.recipient_id == person.id)
        return db.session.scalars(query).all()


def test_a_reply_tells_the_author_and_followers_once_and_not_the_replier(app, make_user, theme):
    author, first, second = make_user(name="Author.A"), make_user(name="First.B"), make_user(name="Second.C")
    a, b, c = client_for(app, author), client_for(app, first), client_for(app, second)
    post_id = publish(a, theme)
    reply(b, post_id, "Try a split shift.")  # B now follows automatically
    assert [(n.recipient_id, n.kind) for n in notes(app)] == [(author.id, Kind.REPLY)]
    reply(c, post_id, "Agree with the split shift.")
    kinds = {(n.recipient_id, n.kind) for n in notes(app)}
    assert (author.id, Kind.REPLY) in kinds and (first.id, Kind.FOLLOWED_REPLY) in kinds
    assert not any(n.recipient_id == second.id for n in notes(app))
    assert len(notes(app, author)) == 2


def test_mentions_notify_once_and_are_highlighted(app, make_user, theme):
    author, helper = make_user(name="Author.A"), make_user(name="Helper.H")
    a, h = client_for(app, author), client_for(app, helper)
    post_id = publish(a, theme)
    reply(h, post_id, "@Author.A, see this. Also @helper.h.")
    author_notes = notes(app, author)
    assert [n.kind for n in author_notes] == [Kind.MENTION]  # mention wins over "reply to your post"
    assert notes(app, helper) == []  # mentioning yourself tells nobody
    page = a.get(f"/posts/{post_id}").get_data(as_text=True)
    assert '<strong class="mention">@Author.A</strong>' in page


def test_mentioning_someone_who_is_not_a_member_tells_nobody(app, make_user, theme):
    author, helper = make_user(name="Author.A"), make_user(name="Helper.H")
    post_id = publish(client_for(app, author), theme)
    response = form_post(client_for(app, helper), f"/posts/{post_id}/replies", {"body": "Ask @Nobody.Here about it."},
                         page=f"/posts/{post_id}")
    # Not a member: it may be someone's social media handle, so the privacy guard holds the reply.
    assert response.status_code == 302 and response.headers["Location"].endswith("#privacy-check")
    assert notes(app) == []


def test_helpful_marks_are_batched(app, make_user, theme):
    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    post_id = publish(client_for(app, author), theme)
    reply_id = reply(client_for(app, replier), post_id, "Useful idea.")
    for _ in range(3):
        form_post(client_for(app, make_user()), f"/replies/{reply_id}/helpful", page=f"/posts/{post_id}")
    helpful = [n for n in notes(app, replier) if n.kind == Kind.HELPFUL]
    assert len(helpful) == 1 and helpful[0].count == 3
    page = client_for(app, replier).get("/notifications").get_data(as_text=True)
    assert "3 people found your reply to “Evening shifts only” helpful" in page


def test_following_a_theme_and_unfollowing(app, make_user, theme):
    author, reader = make_user(name="Author.A"), make_user(name="Reader.R")
    r = client_for(app, reader)
    assert form_post(r, f"/follow/theme/{theme}", page="/themes").status_code == 302
    publish(client_for(app, author), theme)
    assert [n.kind for n in notes(app, reader)] == [Kind.THEME_POST]
    assert "Caring responsibilities" in r.get("/following").get_data(as_text=True)
    form_post(r, f"/unfollow/theme/{theme}", page="/following")
    publish(client_for(app, author), theme, title="Another one")
    assert len(notes(app, reader)) == 1


def test_unfollowing_a_post_stops_reply_notifications_even_for_its_author(app, make_user, theme):
    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    a = client_for(app, author)
    post_id = publish(a, theme)
    form_post(a, f"/unfollow/post/{post_id}", page=f"/posts/{post_id}")
    reply(client_for(app, replier), post_id, "Hello")
    assert notes(app, author) == []


def test_notifications_vanish_when_the_post_goes(app, make_user, theme):
    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    a = client_for(app, author)
    post_id = publish(a, theme)
    r = client_for(app, replier)
    reply(r, post_id, "First")
    reply(client_for(app, make_user()), post_id, "Second")
    assert "Notifications <span class=\"bell__count\">1" in r.get("/").get_data(as_text=True)
    form_post(a, f"/posts/{post_id}/delete", page=f"/posts/{post_id}/delete")
    page = r.get("/notifications").get_data(as_text=True)
    assert "Evening shifts only" not in page and "bell__count" not in page
    own = notes(app, replier)[0]
    assert form_post(r, f"/notifications/{own.id}/open", page="/notifications").status_code == 404


def test_an_anonymous_author_is_never_named(app, make_user, theme, outbox):
    author, replier = make_user(name="Author.A"), make_user(name="Secret.Replier")
    post_id = publish(client_for(app, author), theme, anonymous=True)
    reply(client_for(app, replier), post_id, "Quietly helpful.", anonymous=True)
    page = client_for(app, author).get("/notifications").get_data(as_text=True)
    assert "An adviser replied to your post" in page and "Secret.Replier" not in page
    assert outbox and all("Secret.Replier" not in mail.text + mail.html + mail.subject for mail in outbox)


def test_opening_a_notification_marks_it_read_and_lands_on_the_reply(app, make_user, theme):
    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    a = client_for(app, author)
    post_id = publish(a, theme)
    reply_id = reply(client_for(app, replier), post_id, "Over here")
    note = notes(app, author)[0]
    assert a.get(f"/notifications/{note.id}/open").status_code == 405
    response = form_post(a, f"/notifications/{note.id}/open", page="/notifications")
    assert response.headers["Location"] == f"/posts/{post_id}?reply={reply_id}#reply-{reply_id}"
    assert notes(app, author)[0].read_at is not None
    other = client_for(app, make_user())
    assert form_post(other, f"/notifications/{note.id}/read", page="/notifications").status_code == 404
    form_post(a, "/notifications/read-all", page="/notifications")


def test_the_bell_costs_no_query(app, make_user, theme, count_queries):
    """The count is kept on the person's row, loaded with the sign-in: reading it runs nothing."""
    author = make_user(name="Author.A")
    a = client_for(app, author)
    post_id = publish(a, theme)
    for number in range(5):
        reply(client_for(app, make_user()), post_id, f"reply {number}")
    from forum.accounts.models import User
    from forum.notifications import services

    with app.app_context():
        person = db.session.get(User, author.id)
        with count_queries() as counted:
            assert services.unread_count(person) == 5
        assert services.counted_unread(person) == 5
    assert len(counted) == 0


# Email ---------------------------------------------------------------------------------------------


def test_replies_to_your_post_are_emailed_without_the_text(app, make_user, theme, outbox):
    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    post_id = publish(client_for(app, author), theme)
    reply(client_for(app, replier), post_id, "A very specific reply body about shift patterns.")
    mail = [m for m in outbox if m.to == author.email][-1]
    assert "Replier.R replied to your post “Evening shifts only”" in mail.text
    assert f"/posts/{post_id}?reply=" in mail.text and "#reply-" in mail.text
    for fragment in ("evening shifts**", "caring duties", "specific reply body"):
        assert fragment not in mail.text and fragment not in mail.html
    assert dict(mail.headers)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_unsubscribe_works_signed_out_for_its_own_person_and_kind(app, make_user, theme, outbox):
    from forum.notifications import services
    from forum.notifications.models import Mode

    author, replier = make_user(name="Author.A"), make_user(name="Replier.R")
    post_id = publish(client_for(app, author), theme)
    reply(client_for(app, replier), post_id, "Hi")
    link = re.search(r"http://localhost(/unsubscribe/\S+)", outbox[-1].text).group(1)
    guest = app.test_client()
    assert "Stop getting emails about replies to your posts" in guest.get(link).get_data(as_text=True)
    with app.app_context():
        assert services.email_mode(author.id, Kind.REPLY) == Mode.IMMEDIATE
    assert guest.post(link).status_code == 200  # no CSRF token, no session: the token is enough
    with app.app_context():
        assert services.email_mode(author.id, Kind.REPLY) == Mode.OFF
        assert services.email_mode(author.id, Kind.MENTION) == Mode.IMMEDIATE
        assert services.email_mode(replier.id, Kind.REPLY) == Mode.IMMEDIATE


@pytest.mark.parametrize("token", ["forged", "WzEsInJlcGx5Il0.aaaa.bbbb", "x" * 300])
def test_a_forged_unsubscribe_token_changes_nothing(app, token):
    guest = app.test_client()
    assert guest.get(f"/unsubscribe/{token}").status_code == 410
    assert guest.post(f"/unsubscribe/{token}").status_code == 410


def test_email_settings_page(app, make_user):
    from forum.notifications import services
    from forum.notifications.models import Mode

    person = make_user()
    client = client_for(app, person)
    assert client.get("/account/notifications").status_code == 200
    data = {kind.value: "digest" for kind in Kind}
    assert form_post(client, "/account/notifications", data, page="/account/notifications").status_code == 302
    bad = form_post(client, "/account/notifications", {**data, "reply": "hourly"}, page="/account/notifications")
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    with app.app_context():
        assert services.email_mode(person.id, Kind.REPLY) == Mode.DIGEST


def test_weekly_digest_is_sent_once_and_carries_no_text(app, make_user, theme, outbox):
    author, reader = make_user(name="Author.A"), make_user(name="Reader.R")
    r = client_for(app, reader)
    form_post(r, f"/follow/theme/{theme}", page="/themes")
    publish(client_for(app, author), theme)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-digests"])
    assert first.exit_code == 0, first.output
    digests = [m for m in outbox if m.subject == "Your weekly digest from the adviser forum"]
    to_reader = [m for m in digests if m.to == reader.email]
    assert len(to_reader) == 1
    assert "Evening shifts only" in to_reader[0].text and "Caring responsibilities" in to_reader[0].text
    assert "caring duties" not in to_reader[0].text and "evening shifts**" not in to_reader[0].html
    second = runner.invoke(args=["send-digests"])
    assert "Sent 0 digests" in second.output
    assert len([m for m in outbox if m.subject.startswith("Your weekly digest")]) == len(digests)


def test_seeded_bodies_never_reach_any_email(app, outbox):
    """Seed the demo (its replies notify people), send digests, and look for any body text."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    from forum import events

    with app.app_context():
        events.release()
    runner.invoke(args=["send-digests"])
    with app.app_context():
        bodies = [text for post in db.session.scalars(select(Post)) for text in (post.situation_md, post.ask_md, post.what_worked_md)]
        bodies += [reply.body_md for reply in db.session.scalars(select(Reply))]
    sentences = {sentence.strip() for body in bodies for sentence in re.split(r"[.!?]\s", body) if len(sentence.strip()) > 40}
    assert outbox, "the demo should notify someone"
    for mail in outbox:
        for sentence in sentences:
            assert sentence not in mail.text and sentence not in mail.html


def test_the_digest_counts_open_action_points_without_their_text(app, make_user, make_circle, make_meeting, outbox):
    person = make_user(name="Owner.O")
    meeting_id = make_meeting(make_circle("Digest circle", members=[person]))
    with app.app_context():
        db.session.add(ActionPoint(meeting_id=meeting_id, owner_id=person.id, text="Phone the secret employer"))
        db.session.commit()
    app.test_cli_runner().invoke(args=["send-digests"])
    digest = next(mail for mail in outbox if mail.to == person.email)
    assert "Digest circle" in digest.text and "1 open action point" in digest.text
    assert "secret employer" not in digest.text and "secret employer" not in digest.html
