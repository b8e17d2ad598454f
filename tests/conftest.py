"""Test kit: a real database per test (SQLite file or PostgreSQL), clients, sign-in, and the
builders of tests/factories.py (people, themes, posts, replies, circles, meetings) as fixtures.

SQLite: the schema is built once by the migrations into a template file, copied per test.
PostgreSQL (when FORUM_TEST_DATABASE_URL, an administrator URL, is set): the suite
creates `forum_test_<random>`, migrates it once, empties it after each test and drops it
at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Sequence
from functools import partial

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text, update
from sqlalchemy.engine import make_url

from forum import create_app, mail
from forum.accounts.models import Role, TwoFactor
from forum.extensions import db
from tests import factories
from tests.factories import TEST_PASSWORD, Person  # noqa: F401  (tests import TEST_PASSWORD from here)

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-to-be-real",
    "SERVER_NAME": None,
    # Links in emails always come from here, whatever Host a test's request names.
    "FORUM_BASE_URL": "http://localhost",
}


def postgres_admin_url() -> str | None:
    return os.environ.get("FORUM_TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Where the migrated, empty schema lives for this run."""
    admin_url = postgres_admin_url()
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield ("sqlite", str(path))


def _postgres_database(admin_url: str):
    name = f"forum_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield ("postgresql", url)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str) -> None:
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )).scalars().all()
        # Replica mode skips the audit log's append-only triggers, for cleaning up only.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(
            "TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " RESTART IDENTITY CASCADE"
        ))
    engine.dispose()


@pytest.fixture
def database_url(database_template, tmp_path):
    kind, where = database_template
    if kind == "sqlite":
        copy = tmp_path / "forum.sqlite3"
        shutil.copyfile(where, copy)
        yield f"sqlite:///{copy}"
    else:
        yield where
        _empty_postgres(where)


@pytest.fixture
def app_config():
    """Per-test overrides: a test module may redefine this fixture."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **app_config})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Outbox(Sequence):
    """The emails the app has committed to its outbox and not delivered yet, read afresh from
    the database each time it is looked at (`outbox[-1].text`, `len(outbox)`, `not outbox`):
    an email written but never committed is not here, as it would never be sent."""

    def __init__(self, app):
        self.app = app

    def _read(self) -> list:
        # A GET request's context: a plain read transaction, never waiting on a writer's lock.
        with self.app.test_request_context():
            return mail.outbox()

    def __getitem__(self, index):
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())

    def __iter__(self):
        return iter(self._read())

    def __eq__(self, other) -> bool:
        return self._read() == list(other)

    def __repr__(self) -> str:
        return repr(self._read())


@pytest.fixture
def outbox(app):
    return Outbox(app)


# People and content: tests/factories.py, bound to the test's app ------------------------------


@pytest.fixture
def make_team(app):
    """`make_team("Name")` returns the new team's id."""
    return partial(factories.make_team, app)


@pytest.fixture
def make_user(app):
    """Create a person straight in the database; returns a plain record of them (`Person`).

    `make_user(Role.MANAGER, team_id=..., name=..., email=..., active=..., two_factor=...)`;
    without a name or email they are numbered Person1, person1@example.org... within the test.
    """
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.ADVISER, team_id: int | None = None, name: str | None = None,
             email: str | None = None, active: bool = True, two_factor: bool | None = None) -> Person:
        number = next(counter)
        return factories.make_user(app, role, name=name or f"Person{number}",
                                   email=email or f"person{number}@example.org", team_id=team_id, active=active,
                                   two_factor=two_factor)

    return make


@pytest.fixture
def author(app) -> Person:
    """The default author of `make_post` and `make_reply`."""
    return factories.default_author(app)


@pytest.fixture
def make_theme(app):
    """`make_theme("Housing", archived=True)` returns the new theme's id."""
    return partial(factories.make_theme, app)


@pytest.fixture
def make_post(app):
    """`make_post("Title", author=person, themes=[theme_id], status="draft", ...)` returns the post's id."""
    return partial(factories.make_post, app)


@pytest.fixture
def make_reply(app):
    """`make_reply(post_id, "Body", author=person)` returns the reply's id."""
    return partial(factories.make_reply, app)


@pytest.fixture
def make_outcome(app):
    """`make_outcome(post_id, [OutcomeType.STARTED_WORK], date(2026, 3, 1))` returns the update's id."""
    return partial(factories.make_outcome, app)


@pytest.fixture
def make_circle(app):
    """`make_circle("Name", facilitator=person, members=[...], mode=Mode.INVITE)` returns the circle's id."""
    return partial(factories.make_circle, app)


@pytest.fixture
def make_meeting(app):
    """`make_meeting(circle_id, starts_at, status=...)` returns the meeting's id."""
    return partial(factories.make_meeting, app)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="TheAdmin", email="admin@example.org")


@pytest.fixture
def adviser(make_user):
    return make_user(Role.ADVISER, name="AnAdviser", email="adviser@example.org")


# Requests -------------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, page: str | None = None) -> str:
    """A CSRF token for the client's current session, read from a real page."""
    response = client.get(page or "/login", follow_redirects=True)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    if not match and page:  # the page refused us (410, 404...): any page's token will do
        return csrf_token(client)
    assert match, f"no CSRF token on {page or '/login'}"
    return match.group(1) or match.group(2)


def post(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST a form the way a browser would, with a valid CSRF token."""
    form = {"csrf_token": csrf_token(client, page), **(data or {})}
    return client.post(url, data=form, **kwargs)


def client_for(app, person: Person):
    """A new test client with the person signed in (for tests with several people at once)."""
    client = app.test_client()
    sign_in(client, person)
    return client


def fresh_code(app, person: Person) -> str:
    """A code from the person's authenticator app that the forum will accept now.

    A code works once per 30-second step; the kit forgets the last step used, so that a
    test may sign the same person in several times within one step.
    """
    with app.app_context():
        db.session.execute(update(TwoFactor).where(TwoFactor.user_id == person.id).values(last_used_step=None))
        db.session.commit()
    return pyotp.TOTP(person.totp_secret).now()


def sign_in(client, person: Person, remember: bool = False):
    """Sign in through the real forms: the password, then the code when two-factor is on."""
    data = {"email": person.email, "password": person.password}
    if remember:
        data["remember"] = "y"
    response = post(client, "/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if response.headers["Location"].startswith("/login/code"):
        assert person.totp_secret, "the kit does not know this person's two-factor secret"
        code = fresh_code(client.application, person)
        response = post(client, response.headers["Location"], {"code": code}, page="/login/code")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def signed_in(client):
    """Sign a person in on the test client: `signed_in(person)`."""

    def do(person: Person, remember: bool = False):
        sign_in(client, person, remember)
        return client

    return do


# SQL statement counting --------------------------------------------------------------------


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counted:` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
