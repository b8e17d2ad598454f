"""One flag hides anything, and one person can hide a lot (issue 15 item 4): urgent flags hide
at once only within URGENT_HIDE_LIMIT a day and while the flagger's urgent hides are not paused
by 3 dismissed as unfounded in 30 days; a second person's urgent flag hides; managers see and
reset; the flagger is never told. Also the queue's order, its decision lines and messages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum import settings
from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.cases.models import Post, Reply, Status
from forum.extensions import db
from forum.moderation import services
from forum.moderation.models import DismissedFlag, Flag, ReviewItem
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def people(make_user):
    return {
        "author": make_user(name="Ava.Author"),
        "flagger": make_user(name="Fin.Flagger"),
        "second": make_user(name="Sam.Second"),
        "peer": make_user(name="Pat.Peer"),
        "manager": make_user(Role.MANAGER, name="Max.Manager"),
    }


@pytest.fixture
def cases(make_post, people):
    def make(count: int, prefix: str = "Client afraid of losing benefits") -> list[int]:
        return [make_post(f"{prefix} {index}", author=people["author"]) for index in range(count)]
    return make


def flag(client, target, reason="identifies", note=""):
    path = f"/{'posts' if target[0] == 'post' else 'replies'}/{target[1]}/flag"
    return form_post(client, path, {"reason": reason, "note": note}, page=path)


def flag_and_read(client, target, reason="identifies") -> str:
    """Flag, follow the redirect, and return the page the flagger lands on (with the message)."""
    response = flag(client, target, reason)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def status_of(app, post_id):
    with app.app_context():
        return db.session.get(Post, post_id).status


def item_of(app, post_id) -> ReviewItem:
    with app.app_context():
        return db.session.scalar(select(ReviewItem).where(ReviewItem.target_type == "post",
                                                          ReviewItem.target_id == post_id,
                                                          ReviewItem.status == "open"))


def act(client, item_id, verb, reason="Checked against the guidance"):
    return form_post(client, f"/moderation/items/{item_id}/{verb}", {"reason": reason},
                     page=f"/moderation/items/{item_id}")


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# The daily limit ---------------------------------------------------------------------------------


def test_urgent_flags_hide_up_to_the_limit_and_the_next_only_queues_without_saying_hidden(app, people, cases):
    posts = cases(4)
    flagger = client_for(app, people["flagger"])
    for post_id in posts[:3]:  # at the limit: each hides at once
        landed = flag_and_read(flagger, ("post", post_id))
        assert "It is hidden from other advisers until then" in landed
        assert status_of(app, post_id) == Status.HIDDEN
    landed = flag_and_read(flagger, ("post", posts[3]))  # one over
    assert "Thank you: a manager will review it." in landed
    assert "hidden" not in landed.split('role="status"')[1].split("</div>")[0].lower()
    assert "limit" not in landed.lower()
    assert status_of(app, posts[3]) == Status.PUBLISHED
    item = item_of(app, posts[3])
    assert item is not None and item.urgent  # queued with the urgent ones
    assert actions(app).count("moderation.auto_hidden") == 3
    with app.app_context():
        assert [row.hid for row in db.session.scalars(select(Flag).order_by(Flag.id))] == [True, True, True, False]
    peer = client_for(app, people["peer"])
    assert peer.get(f"/posts/{posts[3]}").status_code == 200  # still up for peers
    assert peer.get(f"/posts/{posts[0]}").status_code == 404


def test_the_limit_is_configurable_and_counts_only_the_last_24_hours(app, people, cases):
    app.config["URGENT_HIDE_LIMIT"] = 1
    posts = cases(3)
    flagger = client_for(app, people["flagger"])
    flag(flagger, ("post", posts[0]))
    flag(flagger, ("post", posts[1]))
    assert [status_of(app, post_id) for post_id in posts[:2]] == [Status.HIDDEN, Status.PUBLISHED]
    with app.app_context():
        db.session.execute(update(Flag).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    flag(flagger, ("post", posts[2]))
    assert status_of(app, posts[2]) == Status.HIDDEN


def test_a_second_person_flagging_it_too_hides_it(app, people, cases):
    posts = cases(4)
    flagger = client_for(app, people["flagger"])
    for post_id in posts:
        flag(flagger, ("post", post_id))
    assert status_of(app, posts[3]) == Status.PUBLISHED
    # A second person's flag that is not urgent does not hide it.
    second = client_for(app, people["second"])
    flag(second, ("post", posts[3]), reason="inaccurate")
    assert status_of(app, posts[3]) == Status.PUBLISHED
    third = client_for(app, people["peer"])
    landed = flag_and_read(third, ("post", posts[3]), reason="safeguarding")
    assert "It is hidden from other advisers until then" in landed
    assert status_of(app, posts[3]) == Status.HIDDEN


def test_a_reply_over_the_limit_stays_up_and_the_flagger_returns_to_it(app, people, cases, make_reply):
    posts = cases(4)
    reply_id = make_reply(posts[3], "A reply that names someone.", author=people["peer"])
    flagger = client_for(app, people["flagger"])
    for post_id in posts[:3]:
        flag(flagger, ("post", post_id))
    response = flag(flagger, ("reply", reply_id))
    assert response.status_code == 302 and f"/posts/{posts[3]}" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(Reply, reply_id).status == Status.PUBLISHED


def test_a_safeguarding_flag_over_the_limit_still_emails_the_contacts_at_once(app, people, cases, outbox):
    with app.app_context():
        settings.put(settings.SAFEGUARDING_CONTACTS, "safeguarding.lead@example.org")
        db.session.commit()
    posts = cases(4)
    flagger = client_for(app, people["flagger"])
    for post_id in posts[:3]:
        flag(flagger, ("post", post_id))
    flag(flagger, ("post", posts[3]), reason="safeguarding")
    assert status_of(app, posts[3]) == Status.PUBLISHED
    alerts = [mail for mail in outbox if mail.to == "safeguarding.lead@example.org"]
    assert len(alerts) == 1
    assert f"/moderation/items/{item_of(app, posts[3]).id}" in alerts[0].text


# Dismissed urgent flags ---------------------------------------------------------------------------


def dismiss_urgent_flags(app, people, posts):
    """The flagger flags each post urgently; a manager dismisses each as unfounded."""
    flagger = client_for(app, people["flagger"])
    manager = client_for(app, people["manager"])
    for post_id in posts:
        flag(flagger, ("post", post_id))
        assert act(manager, item_of(app, post_id).id, "dismiss", reason="Nothing identifying").status_code == 302
    return flagger, manager


def test_two_dismissed_urgent_flags_change_nothing_and_the_third_pauses_the_immediate_hide(app, people, cases):
    posts = cases(5)
    flagger, manager = dismiss_urgent_flags(app, people, posts[:2])
    with app.app_context():
        assert db.session.query(DismissedFlag).count() == 2
        db.session.execute(update(Flag).values(created_at=utcnow() - timedelta(days=2)))  # out of the daily count
        db.session.commit()
    flag(flagger, ("post", posts[2]))
    assert status_of(app, posts[2]) == Status.HIDDEN  # at the limit: still hides
    assert "flag.hides_paused" not in actions(app)
    act(manager, item_of(app, posts[2]).id, "dismiss", reason="Nothing identifying")
    assert actions(app).count("flag.hides_paused") == 1
    with app.app_context():
        paused = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "flag.hides_paused"))
        assert paused.actor_id is None and paused.target_id == people["flagger"].id

    landed = flag_and_read(flagger, ("post", posts[3]))  # one over: queued, not hidden, not told
    assert "hidden" not in landed.split('role="status"')[1].split("</div>")[0].lower()
    assert status_of(app, posts[3]) == Status.PUBLISHED and item_of(app, posts[3]).urgent
    assert "dismissed" not in landed.lower()


def test_dismissals_more_than_30_days_apart_do_not_pause(app, people, cases):
    posts = cases(4)
    flagger, manager = dismiss_urgent_flags(app, people, posts[:3])
    with app.app_context():
        first = db.session.scalar(select(DismissedFlag).order_by(DismissedFlag.id))
        first.dismissed_at = utcnow() - timedelta(days=31)
        db.session.execute(update(Flag).values(created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
        assert not services.urgent_hides_paused(people["flagger"].id)
    flag(flagger, ("post", posts[3]))
    assert status_of(app, posts[3]) == Status.HIDDEN


def test_a_manager_sees_the_flaggers_history_and_resets_it_and_the_reset_is_audited(app, people, cases):
    posts = cases(4)
    flagger, manager = dismiss_urgent_flags(app, people, posts[:3])
    with app.app_context():
        db.session.execute(update(Flag).values(created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    user_id = people["flagger"].id
    page = manager.get(f"/moderation/flaggers/{user_id}").get_data(as_text=True)
    assert "Flags by Fin.Flagger" in page and "Paused" in page and "Reset their urgent flags" in page
    assert "Client afraid of losing benefits 0" in page

    refused = form_post(manager, f"/moderation/flaggers/{user_id}/reset", {"reason": "  "},
                        page=f"/moderation/flaggers/{user_id}")
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    reset = form_post(manager, f"/moderation/flaggers/{user_id}/reset", {"reason": "Talked it through"},
                      page=f"/moderation/flaggers/{user_id}")
    assert reset.status_code == 302
    assert "hide items at once again" in manager.get(reset.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "flag.hides_reset"))
        assert entry.actor_id == people["manager"].id and entry.target_id == user_id
        assert entry.reason == "Talked it through"
        assert all(row.cleared_at is not None for row in db.session.scalars(select(DismissedFlag)))
    flag(flagger, ("post", posts[3]))
    assert status_of(app, posts[3]) == Status.HIDDEN  # hides again

    again = form_post(manager, f"/moderation/flaggers/{user_id}/reset", {"reason": "Again"},
                      page=f"/moderation/flaggers/{user_id}")
    assert again.status_code == 400 and "Nothing to reset" in again.get_data(as_text=True)


def test_only_managers_see_a_flaggers_history(app, people):
    user_id = people["flagger"].id
    for who in ("peer", "flagger"):
        client = client_for(app, people[who])
        assert client.get(f"/moderation/flaggers/{user_id}").status_code == 403
        assert form_post(client, f"/moderation/flaggers/{user_id}/reset", {"reason": "x"},
                         page="/").status_code == 403
    assert app.test_client().get(f"/moderation/flaggers/{user_id}").status_code == 302
    assert client_for(app, people["manager"]).get("/moderation/flaggers/999999").status_code == 404


def test_the_queue_shows_when_a_persons_flags_are_hiding_many_items(app, people, cases):
    posts = cases(4)
    flagger = client_for(app, people["flagger"])
    for post_id in posts:
        flag(flagger, ("post", post_id))
    manager = client_for(app, people["manager"])
    queue = manager.get("/moderation/queue").get_data(as_text=True)
    assert "their flags keep 3 items hidden" in queue
    assert "their urgent flag did not hide this (over their limit)" in queue
    assert f"/moderation/flaggers/{people['flagger'].id}" in queue
    # A peer's queue: none (they cannot open it).
    assert client_for(app, people["peer"]).get("/moderation/queue").status_code == 403


# Personal data -------------------------------------------------------------------------------------


def test_the_dismissed_flags_are_in_the_export_and_deleted_on_erasure(app, people, cases):
    posts = cases(1)
    dismiss_urgent_flags(app, people, posts)
    flagger = client_for(app, people["flagger"])
    exported = form_post(flagger, "/account/export", {"file_format": "json"}, page="/account/export")
    assert exported.status_code == 200
    data = json.loads(exported.get_data(as_text=True))
    sections = data.get("sections", data)
    rows = sections["dismissed_flags"]
    assert len(rows) == 1 and rows[0]["reason"] == "May identify someone" and rows[0]["reset_at"] is None
    assert "Max.Manager" not in json.dumps(rows)

    erased = form_post(flagger, "/account/erase", {"password": people["flagger"].password}, page="/account/erase")
    assert erased.status_code == 200
    with app.app_context():
        assert db.session.query(DismissedFlag).count() == 0


# The queue: order, decisions, messages --------------------------------------------------------------


def test_the_queue_puts_urgent_items_first_hidden_or_only_queued_then_oldest_first(app, people, cases, monkeypatch):
    oldest = cases(1, "Inaccurate advice on sanctions")[0]
    hidden = cases(3, "Hidden urgent")
    queued = cases(1, "Queued urgent")[0]
    newest = cases(1, "Another inaccurate one")[0]
    flagger = client_for(app, people["flagger"])
    flag(flagger, ("post", oldest), reason="inaccurate")
    for post_id in hidden:
        flag(flagger, ("post", post_id))
    flag(flagger, ("post", queued))  # over the limit: queued, not hidden
    flag(flagger, ("post", newest), reason="inaccurate")
    assert status_of(app, queued) == Status.PUBLISHED
    manager = client_for(app, people["manager"])
    page = manager.get("/moderation/queue").get_data(as_text=True)
    order = ["Hidden urgent 0", "Hidden urgent 1", "Hidden urgent 2", "Queued urgent", "Inaccurate advice on sanctions",
             "Another inaccurate one"]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions), positions
    assert "Urgent</strong>, not hidden: advisers still see it" in page
    assert "Urgent</strong>, hidden from advisers" in page

    # Pages keep the same order across the urgent boundary, both ways.
    monkeypatch.setattr(services, "QUEUE_SIZE", 2)
    seen, url = [], "/moderation/queue"
    while url:
        text = manager.get(url).get_data(as_text=True)
        seen += [title for title in order if title in text]
        found = text.split('rel="next" href="')
        url = found[1].split('"')[0].replace("&amp;", "&") if len(found) > 1 else None
    assert seen == order
    last = manager.get("/moderation/queue?older=" + services._queue_key(item_of(app, queued))).get_data(as_text=True)
    back = last.split('rel="prev" href="')[1].split('"')[0].replace("&amp;", "&")
    previous = manager.get(back).get_data(as_text=True)
    assert "Hidden urgent 2" in previous and "Queued urgent" in previous and "Inaccurate advice on sanctions" not in previous
    assert manager.get("/moderation/queue?older=garbage").status_code == 200  # a bad key: the first page


def test_each_decision_says_what_it_does_and_the_message_names_the_item(app, people, cases):
    post_id = cases(1, "Client afraid of losing benefits after a sanction")[0]
    flag(client_for(app, people["flagger"]), ("post", post_id))
    manager = client_for(app, people["manager"])
    item_id = item_of(app, post_id).id
    page = manager.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "Show it to everyone again" in page and 'aria-describedby="does-restore"' in page
    assert "The flags were unfounded" in page and "Nobody can reply" in page
    assert f"/moderation/flaggers/{people['flagger'].id}" in page

    done = act(manager, item_id, "restore", reason="No one can be identified")
    assert done.status_code == 302
    message = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "‘Client afraid of losing…’ is visible again." in message

    # A decision on an item dealt with meanwhile: a clear message, nothing changed.
    stale = act(manager, item_id, "hide", reason="Second thoughts")
    assert stale.status_code == 400 and "already been dealt with: nothing was changed" in stale.get_data(as_text=True)
    assert status_of(app, post_id) == Status.PUBLISHED


def test_dismissing_names_the_item_and_says_it_is_back(app, people, cases, make_reply):
    post_id = cases(1, "Short title")[0]
    reply_id = make_reply(post_id, "A reply.", author=people["peer"])
    flag(client_for(app, people["flagger"]), ("reply", reply_id))
    manager = client_for(app, people["manager"])
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id).where(ReviewItem.target_type == "reply"))
    done = act(manager, item_id, "dismiss")
    message = manager.get(done.headers["Location"]).get_data(as_text=True)
    assert "The flags on the reply to ‘Short title 0’ are dismissed: it is visible to everyone." in message


def test_bad_flag_input_is_refused_clearly(app, people, cases):
    post_id = cases(1)[0]
    flagger = client_for(app, people["flagger"])
    response = flag(flagger, ("post", post_id), reason="made-up-reason", note="Typed note")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose why you are flagging this" in text and "Typed note" in text
    with app.app_context():
        assert db.session.query(Flag).count() == 0


def test_the_demo_shows_a_paused_flagger_and_an_urgent_item_only_queued(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    with app.app_context():
        dismissed = list(db.session.scalars(select(DismissedFlag)))
        assert len(dismissed) == 3 and len({row.user_id for row in dismissed}) == 1
        assert services.urgent_hides_paused(dismissed[0].user_id)
        queued = db.session.scalar(select(ReviewItem).where(ReviewItem.status == "open", ReviewItem.urgent.is_(True)))
        assert db.session.get(Post, queued.post_id).status == Status.PUBLISHED
