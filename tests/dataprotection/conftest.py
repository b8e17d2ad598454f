"""A small forum around one person, written straight to the database: posts (one anonymous),
replies, an edit, a circle with a meeting, and everything people leave behind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import update

from forum.accounts.models import Invitation, Role
from forum.cases.models import Bookmark, Helpful, Post, Revision
from forum.extensions import db
from forum.meetings.models import (
    ActionPoint,
    Answer,
    Attendance,
    CalendarFeed,
    MeetingStatus,
    Presence,
    ReminderChoice,
    Rsvp,
    SeriesAnswer,
)
from forum.notifications.models import EmailPreference, Follow, Kind, Mode, Notification

SUBJECT_NAME = "Quillon.Erasable"
SUBJECT_EMAIL = "quillon.erasable@example.org"
OTHER_NAME = "Marguerite.Other"
OTHER_EMAIL = "marguerite.other@example.org"


@dataclass
class World:
    subject: object
    other: object
    theme_slug: str
    circle_id: int
    meeting_id: int
    own_anonymous_post: int
    own_named_post: int
    own_circle_post: int
    others_anonymous_post: int
    others_named_post: int
    own_reply: int
    others_reply: int


@pytest.fixture
def subject(make_user):
    return make_user(Role.ADVISER, name=SUBJECT_NAME, email=SUBJECT_EMAIL)


@pytest.fixture
def other(make_user):
    return make_user(Role.ADVISER, name=OTHER_NAME, email=OTHER_EMAIL)


@pytest.fixture
def world(app, subject, other, make_theme, make_circle, make_meeting, make_post, make_reply) -> World:
    theme = make_theme("Housing", "About housing.")
    circle = make_circle("Tuesday peer circle", facilitator=other, members=[subject], purpose="Talking cases through.")
    last_week = datetime.now(UTC) - timedelta(days=7)
    meeting = make_meeting(circle, last_week, status=MeetingStatus.FINISHED)
    case = partial(make_post, ask="What next?")
    own_anonymous = case("Landlord keeps the deposit", author=subject, situation="A tenant lost a deposit.",
                         anonymous=True, themes=[theme])
    own_named = case("Volunteering led to a job", author=subject, situation="It worked out well.", themes=[theme])
    own_circle = case("Circle only worry", author=subject, situation="For the circle.", circle_id=circle)
    others_anonymous = case("Benefit sanction question", author=other, situation="A sanction came out of nowhere.",
                            anonymous=True, themes=[theme])
    others_named = case("Interview nerves", author=other, situation="Practice helped.", themes=[theme])
    own_reply = make_reply(others_anonymous, "Ask for a mandatory reconsideration.", author=subject)
    make_reply(others_named, "Mock interviews help.", author=subject)
    others_reply = make_reply(own_named, "Great result, well done.", author=other)
    with app.app_context():
        db.session.add_all([
            Rsvp(meeting_id=meeting, user_id=subject.id, answer=Answer.GOING),
            Rsvp(meeting_id=meeting, user_id=other.id, answer=Answer.GOING),
            Attendance(meeting_id=meeting, user_id=subject.id, status=Presence.PRESENT),
            Attendance(meeting_id=meeting, user_id=other.id, status=Presence.PRESENT),
            ActionPoint(meeting_id=meeting, owner_id=subject.id, text="Ring the housing officer about the deposit"),
            CalendarFeed(user_id=subject.id, nonce="a" * 32),
            SeriesAnswer(circle_id=circle, user_id=subject.id, answer=Answer.GOING),
            ReminderChoice(user_id=subject.id, day_before=False, two_hours_before=True),
            # The invitation that brought them in holds their email address too.
            Invitation(token_hash="b" * 64, email=subject.email, role=Role.ADVISER, expires_at=last_week,
                       used_at=last_week),
            Revision(target_type="post", target_id=own_named, editor_id=subject.id,
                     content_json=json.dumps({"title": "Volunteering to work", "situation": "First draft."})),
            Helpful(target_type="post", target_id=others_named, user_id=subject.id),
            Helpful(target_type="post", target_id=own_named, user_id=other.id),
            Bookmark(user_id=subject.id, post_id=others_named),
            Follow(user_id=subject.id, target_type="post", target_id=others_named),
            Follow(user_id=subject.id, target_type="theme", target_id=theme),
            EmailPreference(user_id=subject.id, kind=Kind.MENTION, mode=Mode.OFF),
            Notification(recipient_id=subject.id, kind=Kind.REPLY, post_id=own_named,
                         reply_id=others_reply, actor_id=other.id),
            Notification(recipient_id=other.id, kind=Kind.REPLY, post_id=others_anonymous,
                         reply_id=own_reply, actor_id=subject.id),
        ])
        db.session.execute(update(Post).where(Post.id.in_([others_named, own_named])).values(helpful_count=1))
        db.session.commit()
    return World(subject, other, "housing", circle, meeting, own_anonymous, own_named, own_circle, others_anonymous,
                 others_named, own_reply, others_reply)
