"""Test data written straight to the database, for every test folder: people, teams, themes,
posts, replies, outcome updates, circles and meetings.

Each function takes the app first, works inside the test's app context when there is one (so
one session, no lock waits) or opens its own, commits, and returns the new row's id (people:
a `Person` record). People may be passed as records (`Person`, `User`) or ids. `tests/conftest.py`
offers each one as a fixture bound to the test's app: `make_post("Title", themes=[theme_id])`.

Posts and replies are written by `author` unless told otherwise: one default person, made on
first use (the `author` fixture).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from flask import has_app_context
from sqlalchemy import insert, select, update

from forum.accounts import passwords, sealing
from forum.accounts.models import Role, Team, TwoFactor, User
from forum.accounts.services import display_name_key, new_handle
from forum.cases.models import OutcomeType, Post, PostKind, Reply, Status, post_themes
from forum.circles.models import Circle, MemberRole, Membership, Mode
from forum.extensions import db
from forum.markdown import render
from forum.meetings.models import Meeting, MeetingStatus
from forum.outcomes.models import OutcomeUpdate, OutcomeUpdateType
from forum.themes.models import Theme
from forum.timeutil import utcnow

TEST_PASSWORD = "correct horse battery staple"

#: The default author of posts and replies.
AUTHOR_NAME = "PostAuthor"
AUTHOR_EMAIL = "author@example.org"


@dataclass
class Person:
    id: int
    email: str
    display_name: str
    password: str = TEST_PASSWORD
    #: Their authenticator app's secret when two-factor sign-in is on (the kit computes codes).
    totp_secret: str | None = None


def in_app(app):
    """The current app context when the caller is inside one, else a new one."""
    return nullcontext() if has_app_context() else app.app_context()


def _id(person_or_id) -> int:
    return person_or_id if isinstance(person_or_id, int) else person_or_id.id


# People ---------------------------------------------------------------------------------


@cache
def _test_password_hash() -> str:
    return passwords.hash_password(TEST_PASSWORD)


def make_team(app, name: str = "Test Team") -> int:
    with in_app(app):
        team = Team(name=name)
        db.session.add(team)
        db.session.commit()
        return team.id


def make_user(app, role: Role | str = Role.ADVISER, *, name: str, email: str, team_id: int | None = None,
              active: bool = True, two_factor: bool | None = None) -> Person:
    """A person who signs in with TEST_PASSWORD. Managers and admins get two-factor sign-in, as
    their role requires, unless `two_factor=False` (tests of the forced set-up); others only
    with `two_factor=True`."""
    role = Role(role)
    if two_factor is None:
        two_factor = role in (Role.MANAGER, Role.ADMIN)
    with in_app(app):
        user = User(email=email.lower(), display_name=name, display_name_key=display_name_key(name), handle=new_handle(name),
                    password_hash=_test_password_hash(), role=role, team_id=team_id, is_active=active)
        db.session.add(user)
        db.session.flush()
        secret = _turn_on_two_factor(user.id) if two_factor else None
        db.session.commit()
        return Person(user.id, user.email, user.display_name, totp_secret=secret)


def _turn_on_two_factor(user_id: int) -> str:
    secret = pyotp.random_base32()
    db.session.add(TwoFactor(user_id=user_id, sealed_secret=sealing.seal(secret), confirmed_at=utcnow()))
    return secret


def default_author(app) -> Person:
    """The person posts and replies are written by unless told otherwise, made on first use."""
    with in_app(app):
        user = db.session.scalar(select(User).where(User.email == AUTHOR_EMAIL))
        if user is not None:
            return Person(user.id, user.email, user.display_name)
    return make_user(app, name=AUTHOR_NAME, email=AUTHOR_EMAIL)


# Themes, posts and replies ---------------------------------------------------------------


def make_theme(app, name: str = "Housing", description: str = "", *, slug: str | None = None,
               archived: bool = False, merged_into_id: int | None = None) -> int:
    """`make_theme("Debt and money")` has the slug `debt-and-money`."""
    with in_app(app):
        theme = Theme(name=name, slug=slug or name.lower().replace(" ", "-"), description=description,
                      archived=archived, merged_into_id=merged_into_id)
        db.session.add(theme)
        db.session.commit()
        return theme.id


def make_post(app, title: str = "A case", *, author=None, kind: PostKind | str = PostKind.CASE,
              status: Status | str = Status.PUBLISHED, situation: str | None = None, ask: str | None = None,
              themes=(), circle_id: int | None = None, anonymous: bool = False, at: datetime | None = None,
              **fields) -> int:
    """A post, published unless told otherwise, created, published and last active `at` (now).

    `situation` and `ask` set a part's Markdown and its rendered HTML; any other column can be
    given by name (`what_worked_md=...`, `published_at=...`), as it is stored.
    """
    at = at or utcnow()
    with in_app(app):
        author_id = _id(author) if author is not None else default_author(app).id
        values = {"kind": kind, "title": title, "author_id": author_id, "status": status, "circle_id": circle_id,
                  "show_author": not anonymous, "created_at": at, "published_at": at, "last_activity_at": at}
        for part, text in (("situation", situation), ("ask", ask)):
            if text is not None:
                values[f"{part}_md"], values[f"{part}_html"] = text, render(text)
        post = Post(**{**values, **fields})
        db.session.add(post)
        db.session.flush()
        if themes:
            db.session.execute(insert(post_themes), [{"post_id": post.id, "theme_id": theme_id} for theme_id in themes])
        db.session.commit()
        return post.id


def make_reply(app, post_id: int, body: str = "A reply.", *, author=None, status: Status | str = Status.PUBLISHED,
               anonymous: bool = False, at: datetime | None = None) -> int:
    """A reply to the post, counted in its reply count."""
    with in_app(app):
        author_id = _id(author) if author is not None else default_author(app).id
        reply = Reply(post_id=post_id, author_id=author_id, body_md=body, body_html=render(body), status=status,
                      show_author=not anonymous, created_at=at or utcnow())
        db.session.add(reply)
        db.session.execute(update(Post).where(Post.id == post_id).values(reply_count=Post.reply_count + 1))
        db.session.commit()
        return reply.id


def make_outcome(app, post_id: int, types=(OutcomeType.STARTED_WORK,), occurred_on=None, *, recorded_by=None,
                 note: str = "", barrier: str = "") -> int:
    """A published outcome update on a case (by its author unless told otherwise), on
    `occurred_on` (today): `types` from the vocabulary, `barrier` for "a barrier removed"."""
    with in_app(app):
        post = db.session.get(Post, post_id)
        update_ = OutcomeUpdate(post_id=post_id, recorded_by_id=_id(recorded_by) if recorded_by else post.author_id,
                                occurred_on=occurred_on or utcnow().date(), note_md=note, note_html=render(note),
                                published_at=utcnow(), types=[
                                    OutcomeUpdateType(outcome_type=OutcomeType(kind),
                                                      barrier=barrier if kind == OutcomeType.BARRIER_REMOVED else "")
                                    for kind in types])
        db.session.add(update_)
        db.session.commit()
        return update_.id


# Circles and meetings --------------------------------------------------------------------


def make_circle(app, name: str = "Tuesday case circle", *, facilitator=None, members=(), mode: Mode = Mode.OPEN,
                purpose: str = "", size_limit: int = 12) -> int:
    """A circle with a facilitator and members (records or ids)."""
    with in_app(app):
        circle = Circle(name=name, purpose=purpose, mode=mode, size_limit=size_limit)
        db.session.add(circle)
        db.session.flush()
        if facilitator is not None:
            db.session.add(Membership(circle_id=circle.id, user_id=_id(facilitator), role=MemberRole.FACILITATOR))
        db.session.add_all([Membership(circle_id=circle.id, user_id=_id(person)) for person in members])
        db.session.commit()
        return circle.id


def make_meeting(app, circle_id: int, starts_at: datetime | None = None, *, minutes: int = 60,
                 status: MeetingStatus = MeetingStatus.SCHEDULED, **fields) -> int:
    """One meeting of the circle, by default two days from now, an hour long."""
    starts_at = starts_at or utcnow() + timedelta(days=2)
    with in_app(app):
        meeting = Meeting(circle_id=circle_id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                          status=status, **fields)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id
