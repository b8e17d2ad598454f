"""Who hears about what: notifications from domain events, follows, email and digests.

Listeners run after the write they follow has committed (forum.events). Each trigger is one
small function: find the people, check each may read the post, and `notify`. Visibility is
checked again whenever notifications are shown or emailed.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import and_, func, or_, select, update

from forum.accounts.models import User
from forum.cases import mentions, policy
from forum.cases.models import Post, Reply, Status, post_themes
from forum.circles.models import Circle
from forum.circles.policy import member_circle_ids
from forum.errors import NotFound
from forum.extensions import db
from forum.meetings.models import ActionPoint, AgendaItem, Attendance, Meeting, MemberNote, Presence
from forum.meetings.services import active_members, recorded_attendance
from forum.moderation.models import Action, ModerationAction
from forum.moderation.services import safeguarding_contacts
from forum.notifications import email
from forum.notifications.models import (
    DEFAULT_MODES,
    EmailPreference,
    Follow,
    Kind,
    Mode,
    Notification,
)
from forum.pagination import Page, keyset_page
from forum.themes.models import Theme
from forum.timeutil import format_datetime, utcnow

# Triggers ---------------------------------------------------------------------------------------


def on_post_published(post_id: int) -> None:
    post = db.session.get(Post, post_id)
    if post is None or post.status != Status.PUBLISHED:
        return
    follow(post.author_id, "post", post.id, automatic=True)
    told = {post.author_id}
    texts = [post.title] + [getattr(post, f"{name}_md") for name in ("situation", "tried", "ask", "what_worked", "outcome_text")]
    for person in mentions.mentioned_users(*texts):
        told |= _notify_if_allowed(person, Kind.MENTION, post, None, post.author_id, told)
    theme_ids = select(post_themes.c.theme_id).where(post_themes.c.post_id == post.id)
    followers = select(Follow.user_id).where(Follow.target_type == "theme", Follow.target_id.in_(theme_ids),
                                             Follow.active.is_(True))
    for person in db.session.scalars(select(User).where(User.id.in_(followers))):
        told |= _notify_if_allowed(person, Kind.THEME_POST, post, None, post.author_id, told)
    if post.circle_id is not None:
        circle_followers = select(Follow.user_id).where(Follow.target_type == "circle", Follow.target_id == post.circle_id,
                                                        Follow.active.is_(True))
        for person in db.session.scalars(select(User).where(User.id.in_(circle_followers))):
            told |= _notify_if_allowed(person, Kind.CIRCLE_POST, post, None, post.author_id, told)


def on_follow_up_due(post_id: int, week: int) -> None:
    """The author is asked "What happened next?" (module outcomes decides when, once)."""
    post = db.session.get(Post, post_id)
    if post is not None:
        _notify_if_allowed(db.session.get(User, post.author_id), Kind.FOLLOW_UP, post, None, None, set())


def on_case_routed(post_id: int, user_id: int) -> None:
    """A helper is asked to look at an unanswered case in their themes (module knowledge
    decides who and when, once): title and link only."""
    post = db.session.get(Post, post_id)
    person = db.session.get(User, user_id)
    if post is not None and person is not None:
        _notify_if_allowed(person, Kind.HELP_WANTED, post, None, None, {post.author_id})


def on_joined_circle(circle_id: int, user_id: int) -> None:
    """Members follow their circle (new posts, meeting changes) unless they unfollowed it."""
    follow(user_id, "circle", circle_id, automatic=True)


def on_reply_posted(reply_id: int) -> None:
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.status != Status.PUBLISHED:
        return
    post = db.session.get(Post, reply.post_id)
    follow(reply.author_id, "post", post.id, automatic=True)
    told = {reply.author_id}
    for person in mentions.mentioned_users(reply.body_md):
        told |= _notify_if_allowed(person, Kind.MENTION, post, reply, reply.author_id, told)
    author = db.session.get(User, post.author_id)
    if _follows(author.id, "post", post.id):
        told |= _notify_if_allowed(author, Kind.REPLY, post, reply, reply.author_id, told)
    followers = select(Follow.user_id).where(Follow.target_type == "post", Follow.target_id == post.id,
                                             Follow.active.is_(True))
    for person in db.session.scalars(select(User).where(User.id.in_(followers))):
        told |= _notify_if_allowed(person, Kind.FOLLOWED_REPLY, post, reply, reply.author_id, told)


def on_reply_marked_helpful(reply_id: int) -> None:
    """Batched: one unread notification per reply, its count going up."""
    reply = db.session.get(Reply, reply_id)
    if reply is None:
        return
    post = db.session.get(Post, reply.post_id)
    author = db.session.get(User, reply.author_id)
    waiting = db.session.scalar(select(Notification).where(
        Notification.recipient_id == author.id, Notification.kind == Kind.HELPFUL,
        Notification.reply_id == reply.id, Notification.read_at.is_(None)))
    if waiting is not None:
        waiting.count += 1
        waiting.created_at = utcnow()
        return
    _notify_if_allowed(author, Kind.HELPFUL, post, reply, None, set())


def on_meeting_changed(meeting_id: int, actor_id: int | None, change: str) -> None:
    """Members hear when a meeting of their circle moves or is cancelled."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return
    for person in active_members(meeting.circle_id):
        if person.id == actor_id:
            continue
        notification = Notification(recipient_id=person.id, kind=Kind.MEETING_CHANGED, meeting_id=meeting.id,
                                    actor_id=actor_id)
        db.session.add(notification)
        db.session.flush()
        if email_mode(person.id, Kind.MEETING_CHANGED) == Mode.IMMEDIATE:
            email.send_meeting_change(person, notification, meeting)


def on_meeting_ended(meeting_id: int) -> None:
    """Each member recorded present is invited to reflect, in the app only: the text names the
    meeting, never anything written in it."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return
    present = [user_id for user_id, status in recorded_attendance([meeting.id])[meeting.id].items()
               if status == Presence.PRESENT]
    for person in db.session.scalars(select(User).where(User.id.in_(present or [-1]), User.is_active.is_(True))):
        db.session.add(Notification(recipient_id=person.id, kind=Kind.REFLECT, meeting_id=meeting.id))


def on_action_assigned(action_id: int, actor_id: int | None) -> None:
    action = db.session.get(ActionPoint, action_id)
    owner = db.session.get(User, action.owner_id) if action else None
    if owner is None or owner.id == actor_id or not owner.is_active:
        return
    notification = Notification(recipient_id=owner.id, kind=Kind.ACTION_ASSIGNED, meeting_id=action.meeting_id,
                                actor_id=actor_id)
    db.session.add(notification)
    db.session.flush()
    if email_mode(owner.id, Kind.ACTION_ASSIGNED) == Mode.IMMEDIATE:
        email.send_meeting_change(owner, notification, db.session.get(Meeting, action.meeting_id))


def on_meeting_finished(meeting_id: int) -> None:
    """Each member recorded present is asked the pulse (in the app only)."""
    present = select(Attendance.user_id).where(Attendance.meeting_id == meeting_id, Attendance.status == Presence.PRESENT)
    for person in db.session.scalars(select(User).where(User.id.in_(present), User.is_active.is_(True))):
        db.session.add(Notification(recipient_id=person.id, kind=Kind.PULSE, meeting_id=meeting_id))


def on_member_note_sent(note_id: int) -> None:
    """A facilitator's note: in the app, and by email (a link only) per the member's settings."""
    note = db.session.get(MemberNote, note_id)
    person = db.session.get(User, note.recipient_id) if note else None
    if person is None or not person.is_active or note.meeting_id is None:
        return
    notification = Notification(recipient_id=person.id, kind=Kind.MEMBER_NOTE, meeting_id=note.meeting_id,
                                actor_id=note.sender_id)
    db.session.add(notification)
    db.session.flush()
    if email_mode(person.id, Kind.MEMBER_NOTE) == Mode.IMMEDIATE:
        email.send_member_note(person, notification, note)


def on_case_nominated(agenda_item_id: int) -> None:
    """The author hears their case will be discussed (which circle stays with the circle)."""
    item = db.session.get(AgendaItem, agenda_item_id)
    post = db.session.get(Post, item.post_id) if item else None
    if post is None:
        return
    author = db.session.get(User, post.author_id)
    _notify_if_allowed(author, Kind.CASE_NOMINATED, post, None, item.nominated_by_id, {item.nominated_by_id})


def on_moderated(action_id: int, recipient_ids: list[int]) -> None:
    """The author and the flaggers hear what a manager did (in the app only; never who)."""
    action = db.session.get(ModerationAction, action_id)
    if action is None:
        return
    for person in db.session.scalars(select(User).where(User.id.in_(recipient_ids or [-1]), User.is_active.is_(True))):
        db.session.add(Notification(recipient_id=person.id, kind=Kind.MODERATION, moderation_action_id=action.id))


def on_safeguarding_flagged(item_id: int) -> None:
    """The designated safeguarding contacts get a link to the review item, never the content."""
    contacts = safeguarding_contacts()
    if contacts:
        email.send_safeguarding_alert(contacts, item_id)


def _notify_if_allowed(person: User, kind: Kind, post: Post, reply: Reply | None, actor_id: int | None,
                       told: set[int]) -> set[int]:
    """One notification for one person, unless they acted, heard already, or may not see the post."""
    if person.id in told or not person.is_active or not policy.may_read(person, post) or post.status != Status.PUBLISHED:
        return set()
    notification = Notification(recipient_id=person.id, kind=kind, post_id=post.id,
                                reply_id=reply.id if reply else None, actor_id=actor_id)
    db.session.add(notification)
    db.session.flush()
    if email_mode(person.id, kind) == Mode.IMMEDIATE:
        email.send_now(person, notification, post, reply)
    return {person.id}


# Follows ---------------------------------------------------------------------------------------------


def _follows(user_id: int, target_type: str, target_id: int) -> bool:
    row = db.session.get(Follow, (user_id, target_type, target_id))
    return row is None or row.active  # authors are told about replies unless they turned it off


def is_following(user_id: int, target_type: str, target_id: int) -> bool:
    row = db.session.get(Follow, (user_id, target_type, target_id))
    return row is not None and row.active


def follow(user_id: int, target_type: str, target_id: int, automatic: bool = False) -> None:
    """Follow; an automatic follow (posting, replying) never undoes an earlier unfollow."""
    row = db.session.get(Follow, (user_id, target_type, target_id))
    if row is None:
        db.session.add(Follow(user_id=user_id, target_type=target_type, target_id=target_id, active=True))
    elif not automatic:
        row.active = True


def unfollow(user_id: int, target_type: str, target_id: int) -> None:
    row = db.session.get(Follow, (user_id, target_type, target_id))
    if row is None:
        db.session.add(Follow(user_id=user_id, target_type=target_type, target_id=target_id, active=False))
    else:
        row.active = False


def following(user: User) -> tuple[list[Post], list, list]:
    """The posts (that they may still read), themes and circles this person follows."""
    posts = list(db.session.scalars(
        select(Post).join(Follow, and_(Follow.target_type == "post", Follow.target_id == Post.id))
        .where(Follow.user_id == user.id, Follow.active.is_(True), policy.visible_post_clause(user))
        .order_by(Post.last_activity_at.desc()).limit(200)))
    themes = list(db.session.scalars(
        select(Theme).join(Follow, and_(Follow.target_type == "theme", Follow.target_id == Theme.id))
        .where(Follow.user_id == user.id, Follow.active.is_(True)).order_by(Theme.name)))
    circles = list(db.session.scalars(
        select(Circle).join(Follow, and_(Follow.target_type == "circle", Follow.target_id == Circle.id))
        .where(Follow.user_id == user.id, Follow.active.is_(True), Circle.id.in_(member_circle_ids(user)))
        .order_by(Circle.name)))
    return posts, themes, circles


# Reading ---------------------------------------------------------------------------------------------


def visible_notifications(user: User):
    """Notifications whose post (and reply) or meeting this person may still see."""
    return (
        select(Notification)
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(Reply, Reply.id == Notification.reply_id)
        .outerjoin(Meeting, Meeting.id == Notification.meeting_id)
        .where(Notification.recipient_id == user.id,
               or_(Notification.post_id.is_(None), policy.visible_post_clause(user)),
               or_(Notification.reply_id.is_(None), Reply.status == Status.PUBLISHED),
               or_(Notification.meeting_id.is_(None), Meeting.circle_id.in_(member_circle_ids(user))))
    )


def unread_count(user: User) -> int:
    """The bell: kept on the person's row (forum.notifications.unread), loaded with the sign-in."""
    return user.unread_notifications


def counted_unread(user: User) -> int:
    """The bell worked out from the notifications themselves: what `unread_count` must equal."""
    query = visible_notifications(user).where(Notification.read_at.is_(None)).with_only_columns(func.count(Notification.id))
    return db.session.scalar(query) or 0


def page(user: User, older: str | None, newer: str | None) -> tuple[Page, dict]:
    """Newest first; returns the page and the posts, replies and actors it needs, loaded at once."""
    result = keyset_page(visible_notifications(user), Notification.created_at, Notification.id, older, newer)
    return result, load_context(result.items)


def load_context(notifications: list[Notification]) -> dict:
    meeting_ids = {item.meeting_id for item in notifications if item.meeting_id}
    meetings = {meeting.id: meeting for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids or [-1])))}
    circles = {circle.id: circle for circle in db.session.scalars(
        select(Circle).where(Circle.id.in_({meeting.circle_id for meeting in meetings.values()} or [-1])))}

    action_ids = {item.moderation_action_id for item in notifications if item.moderation_action_id}
    moderation = {row.id: row for row in db.session.scalars(
        select(ModerationAction).where(ModerationAction.id.in_(action_ids or [-1])))}
    _attach_reply_authors(moderation.values())
    post_ids = {item.post_id for item in notifications if item.post_id} | {row.post_id for row in moderation.values()}
    reply_ids = {item.reply_id for item in notifications if item.reply_id}
    actor_ids = {item.actor_id for item in notifications if item.actor_id}
    # Rows of what the descriptions read: not whole posts (their texts are several KB each).
    posts = {post.id: post for post in db.session.execute(
        select(Post.id, Post.kind, Post.title, Post.show_author, Post.author_id).where(Post.id.in_(post_ids or [-1])))}
    replies = {reply.id: reply for reply in db.session.execute(
        select(Reply.id, Reply.show_author).where(Reply.id.in_(reply_ids or [-1])))}
    actors = {person.id: person for person in db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(actor_ids or [-1])))}
    return {"posts": posts, "replies": replies, "actors": actors, "meetings": meetings, "circles": circles,
            "moderation": moderation}


def _attach_reply_authors(actions) -> None:
    """Who wrote each moderated reply, to tell its author from its flaggers (one query)."""
    reply_ids = [row.target_id for row in actions if row.target_type == "reply"]
    authors = dict(db.session.execute(select(Reply.id, Reply.author_id).where(Reply.id.in_(reply_ids or [-1]))).all())
    for row in actions:
        row.target_author_id = authors.get(row.target_id) if row.target_type == "reply" else None


def actor_name(notification: Notification, post: Post, reply: Reply | None, actors: dict) -> str:
    """Who acted, or "An adviser" when the post or reply they wrote hides its author."""
    shows = reply.show_author if reply is not None else post.show_author
    actor = actors.get(notification.actor_id)
    return actor.display_name if actor is not None and shows else "An adviser"


def describe_meeting(notification: Notification, meeting, circle, zone: str) -> str:
    when = format_datetime(meeting.starts_at, zone)
    if notification.kind == Kind.PULSE:
        return f"How was the {circle.name} meeting on {when}? Two optional questions, answered without your name"
    if notification.kind == Kind.MEMBER_NOTE:
        return f"Your facilitator in {circle.name} sent you a note"
    if notification.kind == Kind.ACTION_ASSIGNED:
        return f"You have a new action point from the {circle.name} meeting on {when}"
    if notification.kind == Kind.REFLECT:
        return f"Reflect on the {circle.name} meeting on {when}: what did you take from it?"
    if meeting.status.value == "cancelled":
        return f"The {circle.name} meeting on {when} is cancelled"
    return f"The {circle.name} meeting has moved to {when}"


def describe_moderation(notification: Notification, action, posts: dict) -> str:
    """To the author: what was done and why. To a flagger: what came of their flag."""
    post = posts.get(action.post_id)
    thing = "reply" if action.target_type == "reply" else ("story" if post and post.kind.value == "story" else "case")
    own = post is not None and (action.target_type == "post" and post.author_id == notification.recipient_id
                                or action.target_type == "reply" and action.target_author_id == notification.recipient_id)
    if own:
        where = f"your {thing}" + (f" on “{post.title}”" if action.target_type == "reply" else f" “{post.title}”")
        return f"A line manager acted on {where}: {Action(action.action).label}. Reason: {action.reason}"
    return f"A {thing} you flagged was reviewed: {Action(action.action).label}"


def moderation_link(user: User, notification: Notification) -> str:
    """The post if they may read it; otherwise their notifications."""

    action = db.session.get(ModerationAction, notification.moderation_action_id)
    post = db.session.get(Post, action.post_id) if action else None
    if post is None or not policy.may_read(user, post):
        return url_for("notifications.index")
    anchor = f"reply-{action.target_id}" if action.target_type == "reply" else None
    return url_for("cases.show", post_id=post.id, reply=action.target_id if action.target_type == "reply" else None,
                   _anchor=anchor)


def describe(notification: Notification, post: Post, reply: Reply | None, actors: dict) -> str:
    who = actor_name(notification, post, reply, actors)
    title = post.title
    match notification.kind:
        case Kind.REPLY:
            return f"{who} replied to your post “{title}”"
        case Kind.FOLLOWED_REPLY:
            return f"{who} replied to “{title}”, which you follow"
        case Kind.MENTION:
            return f"{who} mentioned you in “{title}”"
        case Kind.HELPFUL:
            people = "1 person" if notification.count == 1 else f"{notification.count} people"
            return f"{people} found your reply to “{title}” helpful"
        case Kind.FOLLOW_UP:
            return f"What happened next? Tell us about your case “{title}”"
        case Kind.HELP_WANTED:
            return f"No one has answered “{title}” yet: can you help?"
        case Kind.CASE_NOMINATED:
            return f"Your case “{title}” was nominated for a circle meeting"
        case Kind.CIRCLE_POST:
            return f"New {'story' if post.kind.value == 'story' else 'case'} in a circle you follow: “{title}”"
        case Kind.THEME_POST:
            return f"New {'story' if post.kind.value == 'story' else 'case'} in a theme you follow: “{title}”"
    return title


def get_own(user: User, notification_id: int) -> Notification:
    found = db.session.scalar(visible_notifications(user).where(Notification.id == notification_id))
    if found is None:
        raise NotFound()
    return found


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.recipient_id == user.id,
                                                  Notification.read_at.is_(None)).values(read_at=utcnow()))


# Email settings --------------------------------------------------------------------------------------


def email_mode(user_id: int, kind: Kind) -> Mode:
    chosen = db.session.get(EmailPreference, (user_id, kind))
    return chosen.mode if chosen else DEFAULT_MODES[kind]


def email_modes(user_id: int) -> dict[Kind, Mode]:
    chosen = {row.kind: row.mode for row in db.session.scalars(select(EmailPreference).where(EmailPreference.user_id == user_id))}
    return {kind: chosen.get(kind, DEFAULT_MODES[kind]) for kind in Kind}


def set_email_mode(user_id: int, kind: Kind, mode: Mode) -> None:
    row = db.session.get(EmailPreference, (user_id, kind))
    if row is None:
        db.session.add(EmailPreference(user_id=user_id, kind=kind, mode=mode))
    else:
        row.mode = mode


