"""Test kit: a real database per test (SQLite file or PostgreSQL), clients, users, sign-in.

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
from dataclasses import dataclass
from functools import cache

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text, update
from sqlalchemy.engine import make_url

from forum import create_app
from forum.accounts import passwords, sealing
from forum.accounts.models import Role, Team, TwoFactor, User
from forum.accounts.services import display_name_key
from forum.extensions import db
from forum.timeutil import utcnow

TEST_PASSWORD = "correct horse battery staple"

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-to-be-real",
    "MAIL_BACKEND": "memory",
    "SERVER_NAME": None,
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


@pytest.fixture
def outbox(app):
    return app.extensions.setdefault("forum_outbox", [])


# People ---------------------------------------------------------------------------------


@dataclass
class Person:
    id: int
    email: str
    display_name: str
    password: str = TEST_PASSWORD
    #: Their authenticator app's secret when two-factor sign-in is on (the kit computes codes).
    totp_secret: str | None = None


@cache
def _test_password_hash() -> str:
    return passwords.hash_password(TEST_PASSWORD)


@pytest.fixture
def make_team(app):
    def make(name: str = "Test Team") -> int:
        with app.app_context():
            team = Team(name=name)
            db.session.add(team)
            db.session.commit()
            return team.id

    return make


@pytest.fixture
def make_user(app):
    """Create a person straight in the database; returns a plain record of them."""
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.ADVISER, team_id: int | None = None, name: str | None = None,
             email: str | None = None, active: bool = True, two_factor: bool | None = None) -> Person:
        """Managers and admins get two-factor sign-in, as their role requires, unless
        `two_factor=False` (tests of the forced set-up); others only with `two_factor=True`."""
        number = next(counter)
        name = name or f"Person{number}"
        email = email or f"person{number}@example.org"
        role = Role(role)
        if two_factor is None:
            two_factor = role in (Role.MANAGER, Role.ADMIN)
        with app.app_context():
            user = User(email=email.lower(), display_name=name, display_name_key=display_name_key(name),
                        password_hash=_test_password_hash(), role=role, team_id=team_id,
                        is_active=active)
            db.session.add(user)
            db.session.flush()
            secret = _turn_on_two_factor(user.id) if two_factor else None
            db.session.commit()
            return Person(user.id, user.email, user.display_name, totp_secret=secret)

    return make


def _turn_on_two_factor(user_id: int) -> str:
    secret = pyotp.random_base32()
    db.session.add(TwoFactor(user_id=user_id, sealed_secret=sealing.seal(secret), confirmed_at=utcnow()))
    return secret


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
