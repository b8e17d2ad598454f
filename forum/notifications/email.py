"""Notification emails: titles, theme names and links only, never the text of a case or
reply (email leaves the organisation's control). Each carries a one-click unsubscribe link
for its kind: a signed token that works without signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, select

from forum import mail
from forum.accounts.models import User
from forum.cases import policy
from forum.cases.models import Post, PostKind, Reply, post_themes
from forum.circles.models import Circle
from forum.circles.policy import member_circle_ids
from forum.extensions import db
from forum.mail import link
from forum.meetings.models import ActionPoint, Meeting, MeetingStatus
from forum.notifications import services
from forum.notifications.models import DigestRun, Follow, Kind, Mode, Notification
from forum.themes.models import Theme
from forum.timeutil import DEFAULT_ZONE, format_datetime, utcnow

DIGEST = "digest"  # the unsubscribe "kind" of the weekly digest as a whole
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365


# Links and tokens -------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) for a good token; None for a forged, damaged or expired one."""
    try:
        user_id, kind = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in {*Kind, DIGEST}:
        return None
    return user_id, kind


def kind_label(kind: str) -> str:
    return "the weekly digest" if kind == DIGEST else Kind(kind).label.lower()


def unsubscribe(user_id: int, kind: str) -> None:
    if kind == DIGEST:
        for each, mode in services.email_modes(user_id).items():
            if mode == Mode.DIGEST:
                services.set_email_mode(user_id, each, Mode.OFF)
    else:
        services.set_email_mode(user_id, Kind(kind), Mode.OFF)


@dataclass(frozen=True)
class Recipient:
    """What an email needs of a person, copied out: it may be sent after the session committed."""

    id: int
    email: str
    display_name: str

    @classmethod
    def of(cls, person: User) -> Recipient:
        return cls(person.id, person.email, person.display_name)


def _send(person: Recipient, subject: str, template: str, kind: str, **context) -> None:
    unsubscribe_link = link("notifications.unsubscribe", token=unsubscribe_token(person.id, kind))
    mail.send_template(person.email, subject, template, person=person, unsubscribe_link=unsubscribe_link,
                       settings_link=link("notifications.settings"), headers={
                           "List-Unsubscribe": f"<{unsubscribe_link}>",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                       }, **context)


# Immediately -------------------------------------------------------------------------------------------------


def send_now(person: User, notification: Notification, post: Post, reply: Reply | None) -> None:
    """Email one notification: it is written to the outbox with the notification."""
    actors = {notification.actor_id: db.session.get(User, notification.actor_id)} if notification.actor_id else {}
    summary = services.describe(notification, post, reply, actors)
    place = link("cases.show", post_id=post.id, reply=reply.id if reply else None,
                 _anchor=f"reply-{reply.id}" if reply else None)
    if notification.kind == Kind.FOLLOW_UP:
        place = link("outcomes.record", post_id=post.id)
    notification.emailed_at = utcnow()
    subject = summary if len(summary) <= 120 else summary[:117] + "…"
    _send(Recipient.of(person), subject, "email/notification", notification.kind.value, summary=summary, place=place)


def send_meeting_change(person: User, notification: Notification, meeting) -> None:
    circle = db.session.get(Circle, meeting.circle_id)
    summary = services.describe_meeting(notification, meeting, circle, person.timezone)
    place = link("meetings.show", meeting_id=meeting.id)
    notification.emailed_at = utcnow()
    _send(Recipient.of(person), summary, "email/notification", Kind.MEETING_CHANGED.value, summary=summary, place=place)


def send_member_note(person: User, notification: Notification, note) -> None:
    """That a facilitator sent a note, with a link: never the note itself."""
    circle = db.session.get(Circle, note.circle_id)
    summary = f"Your facilitator in {circle.name} sent you a note"
    place = link("meetings.notes_to_me")
    notification.emailed_at = utcnow()
    _send(Recipient.of(person), summary, "email/notification", Kind.MEMBER_NOTE.value, summary=summary, place=place)


# The weekly digest -------------------------------------------------------------------------------------------


def _week(now: datetime) -> str:
    year, week, _ = now.astimezone(ZoneInfo(DEFAULT_ZONE)).isocalendar()
    return f"{year}-W{week:02d}"


def send_digests(now: datetime | None = None) -> int:
    """Each person's digest for this week, once: returns how many were sent."""
    now = now or utcnow()
    week = _week(now)
    sent = 0
    done = select(DigestRun.user_id).where(DigestRun.week == week)
    for person in db.session.scalars(select(User).where(User.is_active.is_(True), User.id.not_in(done)).order_by(User.id)):
        if _send_digest(person, now):
            sent += 1
        db.session.add(DigestRun(user_id=person.id, week=week, sent_at=now))
        db.session.commit()
    return sent


def _followed_theme_ids(person: User):
    return select(Follow.target_id).where(Follow.user_id == person.id, Follow.target_type == "theme", Follow.active.is_(True))


def _in_followed_themes(person: User):
    return exists().where(post_themes.c.post_id == Post.id, post_themes.c.theme_id.in_(_followed_theme_ids(person)))


def _send_digest(person: User, now: datetime) -> bool:
    modes = services.email_modes(person.id)
    digest_kinds = [kind for kind, mode in modes.items() if mode == Mode.DIGEST]
    since = now - timedelta(days=7)
    visible = policy.visible_post_clause(person)
    new_posts = list(db.session.scalars(
        select(Post).where(visible, _in_followed_themes(person), Post.published_at >= since, Post.author_id != person.id)
        .order_by(Post.published_at.desc()).limit(20))) if Kind.THEME_POST in digest_kinds else []
    unanswered = list(db.session.scalars(
        select(Post).where(visible, _in_followed_themes(person), Post.kind == PostKind.CASE, Post.reply_count == 0,
                           Post.author_id != person.id)
        .order_by(Post.published_at.desc()).limit(10))) if Kind.THEME_POST in digest_kinds else []
    waiting = list(db.session.scalars(
        services.visible_notifications(person).where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
                                        Notification.kind.in_(digest_kinds), Notification.kind != Kind.THEME_POST,
                                        Notification.created_at >= now - timedelta(days=14))
        .order_by(Notification.created_at.desc()).limit(30)))
    meetings, actions = _meetings_and_actions(person, now)
    if not (new_posts or unanswered or waiting or meetings or actions):
        return False
    context = services.load_context(waiting)
    lines = [(services.describe(item, context["posts"][item.post_id], context["replies"].get(item.reply_id), context["actors"]),
              link("cases.show", post_id=item.post_id, reply=item.reply_id,
                   _anchor=f"reply-{item.reply_id}" if item.reply_id else None))
             for item in waiting if item.post_id]
    themes = _theme_names([post.id for post in new_posts + unanswered])
    for item in waiting:
        item.emailed_at = now
    _send(Recipient.of(person), "Your weekly digest from the adviser forum", "email/digest", DIGEST,
          new_posts=[(post.title, themes.get(post.id, []), link("cases.show", post_id=post.id)) for post in new_posts],
          unanswered=[(post.title, themes.get(post.id, []), link("cases.show", post_id=post.id)) for post in unanswered],
          activity=lines, meetings=meetings, actions=actions)
    return True


def _meetings_and_actions(person: User, now: datetime) -> tuple[list, list]:
    """The coming week's meetings of their circles, and their open action points."""
    rows = db.session.execute(
        select(Meeting.id, Meeting.starts_at, Circle.name).join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.circle_id.in_(member_circle_ids(person)), Meeting.status == MeetingStatus.SCHEDULED,
               Meeting.starts_at >= now, Meeting.starts_at < now + timedelta(days=7))
        .order_by(Meeting.starts_at).limit(10))
    meetings = [(name, format_datetime(starts_at, person.timezone), link("meetings.show", meeting_id=meeting_id))
                for meeting_id, starts_at, name in rows]
    open_actions = db.session.scalars(
        select(ActionPoint).join(Meeting, Meeting.id == ActionPoint.meeting_id)
        .where(ActionPoint.owner_id == person.id, ActionPoint.done_at.is_(None),
               Meeting.circle_id.in_(member_circle_ids(person)))
        .order_by(ActionPoint.due.is_(None), ActionPoint.due).limit(20))
    # Their text stays in the forum (it can touch a case): the email gives a count and a link.
    today = now.date()
    items = list(open_actions)
    actions = {"count": len(items), "overdue": sum(1 for action in items if action.due and action.due < today),
               "link": link("pages.home")} if items else None
    return meetings, actions


def _theme_names(post_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = db.session.execute(select(post_themes.c.post_id, Theme.name).join(Theme, Theme.id == post_themes.c.theme_id)
                              .where(post_themes.c.post_id.in_(post_ids or [-1])).order_by(Theme.name))
    for post_id, name in rows:
        names.setdefault(post_id, []).append(name)
    return names




# Safeguarding ------------------------------------------------------------------------------------------------


def send_safeguarding_alert(contacts: list[str], item_id: int) -> None:
    """A link to the review item, never the content: the contacts sign in to read it."""
    place = link("moderation.item", item_id=item_id)
    for address in contacts:
        mail.send_template(address, "A safeguarding concern was flagged in the adviser forum",
                           "email/safeguarding_alert", place=place)
