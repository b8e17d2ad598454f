"""The outbox with a real SMTP server (aiosmtpd on a free local port): email is written in the
transaction that causes it, delivered by the worker only, retried, given up after 48 hours,
shown to admins, and never sent twice."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import create_app, mail
from forum.accounts.models import Role
from forum.extensions import db
from forum.mail import OutboxMail, Status
from forum.outbox import services
from forum.timeutil import as_utc, utcnow
from tests.conftest import BASE_CONFIG, client_for, post
from tests.dataprotection.test_erasure import erase_own
from tests.mailserver import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp):
    return smtp.config()


def rows(app) -> list[OutboxMail]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return found


def deliver(app, now=None, worker=None):
    with app.app_context():
        return services.deliver_due(now=now, worker=worker)


def write(app, count: int, prefix: str = "person") -> None:
    with app.test_request_context(method="POST"):
        for number in range(count):
            mail.send(f"{prefix}{number}@example.org", f"Message {number}", f"Text {number}", f"<p>Html {number}</p>")
        db.session.commit()


def ask_for_reset(client, email: str):
    return post(client, "/reset", {"email": email}, page="/reset")


def test_a_reset_commits_a_row_and_only_the_worker_connects_to_smtp(app, client, adviser, smtp, outbox):
    assert ask_for_reset(client, adviser.email).status_code == 302
    [row] = rows(app)
    assert (row.status, row.kind, row.recipient, row.attempts) == (Status.WAITING, "password_reset", adviser.email, 0)
    assert "/reset/" in outbox[-1].text
    assert smtp.greetings == 0 and smtp.messages == []  # nothing during the request

    done = deliver(app)
    assert done.sent == 1 and smtp.greetings == 1
    [message] = smtp.to(adviser.email)
    assert message["Subject"] == "Reset your password for the adviser forum"
    assert "/reset/" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    # Delivered: the body (a live reset link) and the address are gone; kind, times and a hash stay.
    [row] = rows(app)
    assert row.status == Status.SENT and row.sent_at is not None and row.kind == "password_reset"
    assert (row.recipient, row.subject, row.text_body, row.html_body, row.headers) == (None,) * 5
    assert len(row.recipient_hash) == 64 and adviser.email not in row.recipient_hash
    assert not outbox
    assert deliver(app).sent == 0 and len(smtp.messages) == 1  # never twice


def test_headers_travel_with_the_email(app, smtp):
    with app.test_request_context(method="POST"):
        mail.send("someone@example.org", "Subject", "Text", "<p>Html</p>", {"List-Unsubscribe": "<https://x.test/u>"})
        db.session.commit()
    deliver(app)
    assert smtp.messages[0]["List-Unsubscribe"] == "<https://x.test/u>"


def test_a_rolled_back_action_leaves_no_row(app, client, admin, smtp):
    with app.test_request_context(method="POST"):
        mail.send("someone@example.org", "Never", "Never", "<p>Never</p>")
        db.session.rollback()
    # A refused invitation (not an email address) sends nothing either.
    admin_client = client_for(app, admin)
    refused = post(admin_client, "/invitations", {"email": "not an address", "role": "adviser", "team_id": "0"},
                   page="/invitations")
    assert refused.status_code == 400
    assert rows(app) == []
    assert deliver(app).sent == 0 and smtp.greetings == 0


def test_with_the_server_down_requests_succeed_and_every_email_arrives_once_later(app, client, make_user, smtp):
    people = [make_user() for _ in range(3)]
    smtp.stop()
    for person in people:
        assert ask_for_reset(client, person.email).status_code == 302
    start = utcnow()
    done = deliver(app, now=start)
    assert (done.sent, done.retrying) == (0, 3)
    for row in rows(app):
        assert row.status == Status.WAITING and row.attempts == 1 and row.text_body
        assert as_utc(row.next_attempt_at) == start + timedelta(minutes=1)
        assert "ConnectionRefusedError" in row.last_error
    assert deliver(app, now=start + timedelta(seconds=30)).sent == 0  # not due yet

    smtp.start()
    assert deliver(app, now=start + timedelta(minutes=2)).sent == 3
    assert deliver(app, now=start + timedelta(minutes=3)).sent == 0
    assert sorted(message["To"] for message in smtp.messages) == sorted(person.email for person in people)


def test_retries_back_off_then_give_up_after_48_hours_and_an_admin_retries(app, admin, smtp):
    write(app, 1)
    smtp.stop()
    moment = utcnow()
    waits = []
    while True:
        done = deliver(app, now=moment)
        [row] = rows(app)
        if row.status == Status.FAILED:
            break
        assert done.retrying == 1
        waits.append(as_utc(row.next_attempt_at) - moment)
        moment = as_utc(row.next_attempt_at)
    assert waits[:6] == [timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 60, 60)]
    assert moment - as_utc(row.created_at) >= timedelta(hours=48)
    assert row.failed_at is not None and row.text_body  # kept for a retry
    assert deliver(app, now=moment + timedelta(hours=5)).sent == 0  # given up: no more attempts

    smtp.start()
    page = client_for(app, admin).get("/admin/mail")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "person0@example.org" in text and "ConnectionRefusedError" in text
    assert "Mail not delivered" in client_for(app, admin).get("/manage").get_data(as_text=True)  # Manage tells admins
    retried = post(client_for(app, admin), f"/admin/mail/{row.id}/retry", page="/admin/mail")
    assert retried.status_code == 302
    [row] = rows(app)
    assert row.status == Status.WAITING and row.attempts == 0
    assert deliver(app).sent == 1 and len(smtp.messages) == 1


def test_two_workers_together_send_each_email_once(app, smtp):
    write(app, 40)
    results = []

    def work(name):
        results.append(deliver(app, worker=name))

    threads = [threading.Thread(target=work, args=(name,)) for name in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(result.sent for result in results) == 40
    assert sorted(message["To"] for message in smtp.messages) == sorted(f"person{n}@example.org" for n in range(40))


def test_a_claimed_row_is_not_taken_by_another_worker_until_the_claim_lapses(app, smtp):
    write(app, 2)
    now = utcnow()
    with app.app_context():
        first = services.claim("worker-a", now)
        assert len(first) == 2
        assert services.claim("worker-b", now) == []
        # Worker A died: after CLAIM_FOR, B takes them.
        later = services.claim("worker-b", now + services.CLAIM_FOR + timedelta(seconds=1))
        assert [row.id for row in later] == [row.id for row in first]


def test_delivered_and_given_up_rows_go_after_30_days(app, smtp):
    write(app, 1)
    deliver(app)
    with app.app_context():
        assert services.purge(utcnow() + timedelta(days=29)) == 0
        assert services.purge(utcnow() + timedelta(days=31)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_erasure_deletes_the_persons_waiting_email(app, make_user, smtp):
    person, other = make_user(), make_user()
    write_to = (person.email, other.email)
    with app.test_request_context(method="POST"):
        for address in write_to:
            mail.send(address, "Waiting", "Waiting", "<p>Waiting</p>")
        db.session.commit()
    erased = erase_own(client_for(app, person), person.password)
    assert "Your account has been erased" in erased.get_data(as_text=True)
    assert [row.recipient for row in rows(app)] == [other.email]


def test_the_worker_wakes_when_mail_is_committed(app, smtp):
    """PostgreSQL: LISTEN/NOTIFY wakes it at once (the poll here is 30 s); SQLite: it polls."""
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    stop = threading.Event()

    def run():
        with app.app_context():
            services.run_worker(30.0 if postgres else 0.2, stop.is_set)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        time.sleep(0.5)  # listening
        write(app, 1)
        deadline = time.monotonic() + 5
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(smtp.messages) == 1
    finally:
        stop.set()
        write(app, 1, prefix="wake")  # wakes a listening worker so that it sees the stop
        worker.join(timeout=40)
    assert not worker.is_alive()


ADMIN_ONLY = [("get", "/admin/mail"), ("post", "/admin/mail/{id}/retry")]


@pytest.mark.parametrize("role", [Role.ADVISER, Role.MANAGER])
def test_only_admins_see_and_retry_undelivered_mail(app, make_user, smtp, role):
    write(app, 1)
    smtp.stop()
    deliver(app, now=utcnow() + timedelta(days=3))
    with app.app_context():
        db.session.execute(OutboxMail.__table__.update().values(status=Status.FAILED, failed_at=utcnow()))
        db.session.commit()
    [row] = rows(app)
    someone = client_for(app, make_user(role))
    assert someone.get("/admin/mail").status_code == 403
    assert "Mail not delivered" not in someone.get("/manage").get_data(as_text=True)
    assert post(someone, f"/admin/mail/{row.id}/retry").status_code == 403
    assert rows(app)[0].status == Status.FAILED


def test_retrying_what_is_not_given_up_is_not_found(app, admin, smtp):
    write(app, 1)
    [row] = rows(app)
    admin_client = client_for(app, admin)
    assert post(admin_client, f"/admin/mail/{row.id}/retry", page="/admin/mail").status_code == 404
    assert post(admin_client, "/admin/mail/999999/retry", page="/admin/mail").status_code == 404
    assert admin_client.post(f"/admin/mail/{row.id}/retry").status_code == 400  # no CSRF token


def test_the_undelivered_page_runs_a_fixed_number_of_statements(app, admin, smtp, count_queries):
    admin_client = client_for(app, admin)
    write(app, 2)
    smtp.stop()
    deliver(app, now=utcnow() + timedelta(days=3))
    with count_queries() as few:
        admin_client.get("/admin/mail")
    write(app, 8, prefix="more")
    deliver(app, now=utcnow() + timedelta(days=3))
    with count_queries() as many:
        assert admin_client.get("/admin/mail").status_code == 200
    assert len(few) == len(many) <= 9


def test_development_mail_goes_to_the_terminal_not_the_log(database_url, capsys, caplog):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    assert not app.config["MAIL_SERVER"]
    with app.test_request_context(method="POST"):
        mail.send("someone@example.org", "Subject", "the body with /invite/secret-token", "<p>html</p>")
        db.session.commit()
    assert "secret-token" not in capsys.readouterr().out  # nothing until the worker runs
    assert deliver(app).sent == 1
    assert "/invite/secret-token" in capsys.readouterr().out
    assert "secret-token" not in caplog.text
    with app.app_context():
        db.engine.dispose()
