"""A small forum around one person, written straight to the database: posts (one anonymous),
replies, an edit, a circle with a meeting, and everything people leave behind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from forum.accounts.models import Invitation, Role
from forum.cases.models import Bookmark, Helpful, Post, Reply, Revision
from forum.circles.models import Circle, MemberRole, Membership
from forum.extensions import db
from forum.markdown import render
from forum.meetings.models import ActionPoint, Answer, Attendance, CalendarFeed, Meeting, MeetingStatus, Rsvp
from forum.notifications.models import EmailPreference, Follow, Kind, Mode, Notification
from forum.themes.models import Theme

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


def add_post(author_id: int, title: str, body: str, *, anonymous: bool = False, circle_id: int | None = None,
             themes=(), at: datetime | None = None) -> Post:
    at = at or datetime.now(UTC)
    post = Post(kind="case", title=title, situation_md=body, situation_html=render(body), ask_md="What next?",
                ask_html=render("What next?"), author_id=author_id, show_author=not anonymous, circle_id=circle_id,
                status="published", created_at=at, published_at=at, last_activity_at=at)
    post.themes = list(themes)
    db.session.add(post)
    db.session.flush()
    return post


def add_reply(post: Post, author_id: int, body: str, at: datetime | None = None) -> Reply:
    at = at or datetime.now(UTC)
    reply = Reply(post_id=post.id, author_id=author_id, body_md=body, body_html=render(body), created_at=at)
    db.session.add(reply)
    post.reply_count += 1
    db.session.flush()
    return reply


@pytest.fixture
def subject(make_user):
    return make_user(Role.ADVISER, name=SUBJECT_NAME, email=SUBJECT_EMAIL)


@pytest.fixture
def other(make_user):
    return make_user(Role.ADVISER, name=OTHER_NAME, email=OTHER_EMAIL)


@pytest.fixture
def world(app, subject, other) -> World:
    with app.app_context():
        theme = Theme(slug="housing", name="Housing", description="About housing.")
        db.session.add(theme)
        circle = Circle(name="Tuesday peer circle", purpose="Talking cases through.")
        db.session.add(circle)
        db.session.flush()
        db.session.add_all([
            Membership(circle_id=circle.id, user_id=other.id, role=MemberRole.FACILITATOR),
            Membership(circle_id=circle.id, user_id=subject.id),
        ])
        last_week = datetime.now(UTC) - timedelta(days=7)
        meeting = Meeting(circle_id=circle.id, starts_at=last_week, ends_at=last_week + timedelta(hours=1),
                          status=MeetingStatus.FINISHED)
        db.session.add(meeting)
        db.session.flush()
        db.session.add_all([
            Rsvp(meeting_id=meeting.id, user_id=subject.id, answer=Answer.GOING),
            Rsvp(meeting_id=meeting.id, user_id=other.id, answer=Answer.GOING),
            Attendance(meeting_id=meeting.id, user_id=subject.id, present=True),
            Attendance(meeting_id=meeting.id, user_id=other.id, present=True),
            ActionPoint(meeting_id=meeting.id, owner_id=subject.id, text="Ring the housing officer about the deposit"),
            CalendarFeed(user_id=subject.id, nonce="a" * 32),
            # The invitation that brought them in holds their email address too.
            Invitation(token_hash="b" * 64, email=subject.email, role=Role.ADVISER, expires_at=last_week,
                       used_at=last_week),
        ])

        own_anonymous = add_post(subject.id, "Landlord keeps the deposit", "A tenant lost a deposit.",
                                 anonymous=True, themes=[theme])
        own_named = add_post(subject.id, "Volunteering led to a job", "It worked out well.", themes=[theme])
        own_circle = add_post(subject.id, "Circle only worry", "For the circle.", circle_id=circle.id)
        others_anonymous = add_post(other.id, "Benefit sanction question", "A sanction came out of nowhere.",
                                    anonymous=True, themes=[theme])
        others_named = add_post(other.id, "Interview nerves", "Practice helped.", themes=[theme])
        own_reply = add_reply(others_anonymous, subject.id, "Ask for a mandatory reconsideration.")
        add_reply(others_named, subject.id, "Mock interviews help.")
        others_reply = add_reply(own_named, other.id, "Great result, well done.")
        db.session.add_all([
            Revision(target_type="post", target_id=own_named.id, editor_id=subject.id,
                     content_json=json.dumps({"title": "Volunteering to work", "situation": "First draft."})),
            Helpful(target_type="post", target_id=others_named.id, user_id=subject.id),
            Helpful(target_type="post", target_id=own_named.id, user_id=other.id),
            Bookmark(user_id=subject.id, post_id=others_named.id),
            Follow(user_id=subject.id, target_type="post", target_id=others_named.id),
            Follow(user_id=subject.id, target_type="theme", target_id=theme.id),
            EmailPreference(user_id=subject.id, kind=Kind.MENTION, mode=Mode.OFF),
            Notification(recipient_id=subject.id, kind=Kind.REPLY, post_id=own_named.id,
                         reply_id=others_reply.id, actor_id=other.id),
            Notification(recipient_id=other.id, kind=Kind.REPLY, post_id=others_anonymous.id,
                         reply_id=own_reply.id, actor_id=subject.id),
        ])
        others_named.helpful_count = 1
        own_named.helpful_count = 1
        db.session.commit()
        return World(subject, other, theme.slug, circle.id, meeting.id, own_anonymous.id, own_named.id,
                     own_circle.id, others_anonymous.id, others_named.id, own_reply.id, others_reply.id)
