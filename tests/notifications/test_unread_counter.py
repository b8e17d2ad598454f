"""The bell's count is kept on the person's row (forum.notifications.unread): after every write
that can change it, it equals the unread notifications the person may still see, counted afresh,
whatever path made the change (a service, a plain ORM change, a bulk statement). The bell never
counts a notification about something its person can no longer see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from forum.accounts.models import User
from forum.cases.models import Post, Reply, Status
from forum.circles.models import Membership
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.notifications import services
from forum.notifications.models import Kind, Notification
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


def counts(app) -> dict[int, int]:
    """Each person's kept count; fails where it differs from a fresh count."""
    with app.app_context():
        people = list(db.session.scalars(select(User)))
        kept = {person.id: person.unread_notifications for person in people}
        fresh = {person.id: services.counted_unread(person) for person in people}
    assert kept == fresh
    return kept


def notify(app, person, **about) -> int:
    with app.app_context():
        row = Notification(recipient_id=person.id, kind=about.pop("kind", Kind.REPLY), **about)
        db.session.add(row)
        db.session.commit()
        return row.id


def change(app, model, row_id, **values) -> None:
    with app.app_context():
        row = db.session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def run(app, statement) -> None:
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


@pytest.fixture
def reader(make_user):
    return make_user(name="Reader.R")


def test_created_read_and_read_all_through_the_pages(app, make_user, make_theme, reader):
    author = make_user(name="Author.A")
    theme = make_theme("Housing")
    a, r = client_for(app, author), client_for(app, reader)
    data = {"title": "Evening shifts", "situation": "Caring duties.", "ask": "Ideas?", "theme_ids": [str(theme)],
            "show_author": "name"}
    post_id = int(form_post(a, "/write/case/publish", data, page="/write/case").headers["Location"].rsplit("/", 1)[1])
    for number in range(3):
        form_post(r, f"/posts/{post_id}/replies", {"body": f"Try {number}"}, page=f"/posts/{post_id}")
    assert counts(app)[author.id] == 3
    assert 'bell__count">3' in a.get("/posts").get_data(as_text=True)
    first = db_first_notification(app, author)
    form_post(a, f"/notifications/{first}/read", page="/notifications")
    assert counts(app)[author.id] == 2
    form_post(a, "/notifications/read-all", page="/notifications")
    assert counts(app)[author.id] == 0
    assert "bell__count" not in a.get("/posts").get_data(as_text=True)


def db_first_notification(app, person) -> int:
    with app.app_context():
        return db.session.scalar(select(Notification.id).where(Notification.recipient_id == person.id)
                                 .order_by(Notification.id))


def test_a_post_hidden_or_moved_out_of_sight_leaves_the_count_and_comes_back(app, make_post, make_reply, reader):
    post_id = make_post("Seen")
    reply_id = make_reply(post_id)
    notify(app, reader, post_id=post_id)
    notify(app, reader, post_id=post_id, reply_id=reply_id, kind=Kind.FOLLOWED_REPLY)
    assert counts(app)[reader.id] == 2
    change(app, Post, post_id, status=Status.HIDDEN)
    assert counts(app)[reader.id] == 0
    change(app, Post, post_id, status=Status.PUBLISHED)
    assert counts(app)[reader.id] == 2
    change(app, Reply, reply_id, status=Status.DELETED)
    assert counts(app)[reader.id] == 1


def test_circles_joined_and_left_change_what_is_counted(app, make_post, make_circle, make_meeting, make_user, reader):
    circle = make_circle(facilitator=make_user(name="Facilitator.F"), members=[reader])
    post_id = make_post("In the circle", circle_id=circle)
    meeting = make_meeting(circle)
    notify(app, reader, post_id=post_id, kind=Kind.CIRCLE_POST)
    notify(app, reader, meeting_id=meeting, kind=Kind.MEETING_CHANGED)
    assert counts(app)[reader.id] == 2
    with app.app_context():
        db.session.delete(db.session.get(Membership, (circle, reader.id)))
        db.session.commit()
    assert counts(app)[reader.id] == 0
    with app.app_context():
        db.session.add(Membership(circle_id=circle, user_id=reader.id))
        db.session.commit()
    assert counts(app)[reader.id] == 2
    run(app, delete(Membership).where(Membership.user_id == reader.id))  # erasure's way
    assert counts(app)[reader.id] == 0


def test_bulk_statements_are_seen_too(app, make_post, make_circle, make_meeting, make_user, reader):
    circle = make_circle(facilitator=make_user(name="Facilitator.F"), members=[reader])
    meeting = make_meeting(circle, utcnow() + timedelta(days=3))
    kept, removed = make_post("Kept"), make_post("Removed by retention")
    notify(app, reader, post_id=kept)
    notify(app, reader, post_id=removed)
    notify(app, reader, meeting_id=meeting, kind=Kind.MEETING_CHANGED)
    assert counts(app)[reader.id] == 3
    run(app, delete(Post).where(Post.id == removed).execution_options(synchronize_session=False))
    assert counts(app)[reader.id] == 2
    run(app, delete(Meeting).where(Meeting.id == meeting).execution_options(synchronize_session=False))
    assert counts(app)[reader.id] == 1
    run(app, update(Notification).where(Notification.recipient_id == reader.id).values(read_at=utcnow()))
    assert counts(app)[reader.id] == 0


def test_a_rolled_back_change_changes_nothing(app, make_post, reader):
    post_id = make_post("Seen")
    notify(app, reader, post_id=post_id)
    with app.app_context():
        db.session.add(Notification(recipient_id=reader.id, kind=Kind.REPLY, post_id=post_id))
        db.session.flush()
        db.session.rollback()
        db.session.get(Post, post_id).title = "Renamed"
        db.session.commit()
    assert counts(app)[reader.id] == 1


def test_the_migration_fills_every_count(app, make_post, make_circle, make_user, reader):
    from flask_migrate import downgrade, upgrade

    other = make_user(name="Other.O")
    circle = make_circle(facilitator=other)  # the reader is not a member
    seen, hidden, theirs = make_post("Seen"), make_post("Hidden", status=Status.HIDDEN), make_post("Circle", circle_id=circle)
    with app.app_context():
        db.session.remove()
        downgrade(revision="0022")
        try:
            for post_id, read in ((seen, False), (seen, True), (hidden, False), (theirs, False)):
                for person in (reader, other):
                    db.session.execute(Notification.__table__.insert().values(
                        recipient_id=person.id, kind="reply", post_id=post_id, count=1, created_at=utcnow(),
                        read_at=utcnow() if read else None))
            db.session.commit()
        finally:
            db.session.remove()
            upgrade()
    assert counts(app)[reader.id] == 1 and counts(app)[other.id] == 2
