"""Flags, the review queue and what managers do with it.

Each action checks the policy, changes the post or reply, closes what it settles, records a
`ModerationAction` (what the author sees) and an audit entry (who did it), and announces
`moderated` so notifications can tell the author and the flaggers. Services raise domain
errors; views commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import and_, case, func, literal, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import audit, events, settings
from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.cases import policy as cases_policy
from forum.cases import redaction
from forum.cases.models import Post, Reply, Status
from forum.circles import policy as circles
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.moderation import policy
from forum.moderation.models import (
    CLOSED,
    OPEN,
    Action,
    DismissedFlag,
    Flag,
    ModerationAction,
    Reason,
    ReviewItem,
)
from forum.pagination import Page, decode, encode, keyset_page
from forum.timeutil import as_utc, utcnow
from forum.text import clean

MAX_NOTE = 500
MAX_REASON = 500

#: URGENT_HIDE_LIMIT (config) counts a person's hiding flags over this window.
HIDE_WINDOW = timedelta(hours=24)
#: This many urgent flags dismissed as unfounded within DISMISSED_WINDOW pause the immediate
#: hide of that person's urgent flags, until a manager resets it.
DISMISSED_LIMIT = 3
DISMISSED_WINDOW = timedelta(days=30)


def _require_moderator(user: User) -> None:
    if not policy.may_moderate(user):
        raise Forbidden()


def _required_reason(reason: str, field: str = "reason") -> str:
    """Every moderation action says why: the author (and the audit log) will read it."""
    reason = clean(reason or "").strip()
    if not reason:
        raise Invalid("Give a reason: the author will see it, and it goes in the audit log", field=field)
    if len(reason) > MAX_REASON:
        raise Invalid(f"Give a reason of {MAX_REASON} characters or fewer", field=field)
    return reason


# Targets ------------------------------------------------------------------------------------


@dataclass
class Target:
    """A post or a reply, with the post it belongs to."""

    type: str
    item: Post | Reply
    post: Post

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def author_id(self) -> int:
        return self.item.author_id


def load_target(target_type: str, target_id: int) -> Target | None:
    if target_type == "post":
        post = db.session.get(Post, target_id, options=[selectinload(Post.author)])
        return Target("post", post, post) if post is not None else None
    if target_type == "reply":
        reply = db.session.get(Reply, target_id, options=[selectinload(Reply.post), selectinload(Reply.author)])
        return Target("reply", reply, reply.post) if reply is not None else None
    return None


def visible_target(user: User, target_type: str, target_id: int) -> Target:
    """A post or reply this person can read; NotFound for anything else."""
    target = load_target(target_type, target_id)
    if target is None:
        raise NotFound()
    if target_type == "post" and not (cases_policy.may_read(user, target.post) and target.post.status == Status.PUBLISHED):
        raise NotFound()
    if target_type == "reply" and not (target.item.status == Status.PUBLISHED and cases_policy.may_read_reply(user, target.item)):
        raise NotFound()
    return target


def _set_status(target: Target, status: Status) -> None:
    """Hide or show a post or reply; a reply's post keeps its count of published replies."""
    before = target.item.status
    target.item.status = status
    if target.type == "reply" and (before == Status.PUBLISHED) != (status == Status.PUBLISHED):
        step = 1 if status == Status.PUBLISHED else -1
        db.session.execute(update(Post).where(Post.id == target.post.id).values(reply_count=Post.reply_count + step))


def _record(target: Target, action: Action, reason: str, moderator: User | None, item: ReviewItem | None,
            notify: set[int]) -> ModerationAction:
    row = ModerationAction(target_type=target.type, target_id=target.id, post_id=target.post.id, action=action.value,
                           reason=reason, moderator_id=moderator.id if moderator else None,
                           item_id=item.id if item else None)
    db.session.add(row)
    db.session.flush()
    events.emit("moderated", action_id=row.id, recipient_ids=sorted(notify - {row.moderator_id}))
    return row


def short_name(target: Target) -> str:
    """How a success message names a post or reply: ‘Client afraid…’, The reply to ‘…’."""
    title = target.post.title
    short = title
    if len(title) > 30:  # cut at a word where there is one
        cut = title[:29]
        short = (cut.rsplit(" ", 1)[0] if " " in cut[10:] else cut).rstrip(" ,.:;–-") + "…"
    return f"‘{short}’" if target.type == "post" else f"the reply to ‘{short}’"


# Review items -------------------------------------------------------------------------------


def open_item_for(target: Target) -> ReviewItem:
    """The target's open review item, made if there is none (the database keeps it unique)."""
    query = select(ReviewItem).where(ReviewItem.target_type == target.type, ReviewItem.target_id == target.id,
                                     ReviewItem.status == OPEN)
    found = db.session.scalar(query)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            item = ReviewItem(target_type=target.type, target_id=target.id, post_id=target.post.id,
                              circle_id=target.post.circle_id, status=OPEN)
            db.session.add(item)
    except IntegrityError:
        return db.session.scalar(query)
    return item


def _close(item: ReviewItem, outcome: Action) -> list[int]:
    """Close the item and its open flags; returns who flagged it (to tell them)."""
    now = utcnow()
    item.status, item.closed_at, item.outcome = CLOSED, now, outcome.value
    flaggers = list(db.session.scalars(select(Flag.reporter_id).where(Flag.item_id == item.id, Flag.status == OPEN)))
    db.session.execute(update(Flag).where(Flag.item_id == item.id, Flag.status == OPEN)
                       .values(status=CLOSED, outcome=outcome.value, closed_at=now))
    return flaggers


# Flags --------------------------------------------------------------------------------------


def flag(reporter: User, target_type: str, target_id: int, reason: str, note: str) -> Flag:
    """Flag a post or reply. An urgent reason puts it at the top of the queue and hides it from
    peers at once, while the flagger is within their limits (`may_hide_at_once`) or a second
    person has flagged it urgently too. `Flag.hid` says whether this flag hid it: the
    flagger's confirmation says "hidden" only then, and never why not."""
    target = visible_target(reporter, target_type, target_id)
    if not policy.may_flag(reporter, target.author_id):
        raise Invalid("You cannot flag your own writing: edit or delete it instead", field="reason")
    chosen = _reason(reason)
    note = clean(note or "").strip()
    if chosen == Reason.OTHER and not note:
        raise Invalid("Say what the problem is", field="note")
    if len(note) > MAX_NOTE:
        raise Invalid(f"Keep the note to {MAX_NOTE} characters or fewer", field="note")
    if own_open_flag(reporter, target_type, target_id) is not None:
        raise Invalid("You have already flagged this. A manager will review it; you can withdraw your flag instead.")
    item = open_item_for(target)
    new = Flag(item_id=item.id, target_type=target.type, target_id=target.id, post_id=target.post.id,
               reporter_id=reporter.id, reason=chosen.value, note=note, status=OPEN, hid=False)
    try:
        with db.session.begin_nested():
            db.session.add(new)
    except IntegrityError:
        raise Invalid("You have already flagged this. A manager will review it; you can withdraw your flag instead.") from None
    audit.record(reporter, "flag.raised", target.type, target.id, reason=chosen.value)
    if chosen.urgent:
        item.urgent = True
        if target.item.status == Status.PUBLISHED and _hides_at_once(reporter, item):
            new.hid = True
            _set_status(target, Status.HIDDEN)
            audit.record(None, "moderation.auto_hidden", target.type, target.id, reason=chosen.value)
            _record(target, Action.AUTO_HIDDEN, f"Flagged as “{chosen.label}”: hidden until a manager has reviewed it.",
                    None, item, {target.author_id})
    if chosen == Reason.SAFEGUARDING:
        # Over any limit too: the safeguarding contacts hear at once.
        events.emit("safeguarding_flagged", item_id=item.id)
    return new


def urgent_hide_limit() -> int:
    return int(current_app.config.get("URGENT_HIDE_LIMIT", 3))


def _hides_at_once(reporter: User, item: ReviewItem) -> bool:
    """A second person's urgent flag hides the item whatever the limits; the first person's
    only within their daily allowance and while their urgent hides are not paused."""
    others = db.session.scalar(select(func.count(Flag.reporter_id.distinct())).where(
        Flag.item_id == item.id, Flag.status == OPEN, Flag.reporter_id != reporter.id,
        Flag.reason.in_([reason.value for reason in Reason if reason.urgent])))
    if others:
        return True
    return may_hide_at_once(reporter.id)


def may_hide_at_once(user_id: int) -> bool:
    return not urgent_hides_paused(user_id) and hides_in_window(user_id) < urgent_hide_limit()


def hides_in_window(user_id: int) -> int:
    """How many items this person's flags hid at once in the last 24 hours."""
    return db.session.scalar(select(func.count()).select_from(Flag).where(
        Flag.reporter_id == user_id, Flag.hid.is_(True), Flag.created_at >= utcnow() - HIDE_WINDOW)) or 0


def _paused(times: list[datetime]) -> bool:
    """DISMISSED_LIMIT dismissals within any DISMISSED_WINDOW."""
    times = sorted(as_utc(moment) for moment in times)
    step = DISMISSED_LIMIT - 1
    return any(times[index + step] - times[index] <= DISMISSED_WINDOW for index in range(len(times) - step))


def urgent_hides_paused(user_id: int) -> bool:
    """Their urgent flags queue without hiding: 3 dismissed as unfounded within 30 days, not
    yet reset by a manager."""
    return _paused(list(db.session.scalars(select(DismissedFlag.dismissed_at).where(
        DismissedFlag.user_id == user_id, DismissedFlag.cleared_at.is_(None)))))


def _record_dismissals(item: ReviewItem) -> None:
    """Dismissing an item's urgent flags as unfounded counts against each person who raised one."""
    urgent = [reason.value for reason in Reason if reason.urgent]
    flags = list(db.session.scalars(select(Flag).where(Flag.item_id == item.id, Flag.status == OPEN,
                                                       Flag.reason.in_(urgent))))
    for row in flags:
        was_paused = urgent_hides_paused(row.reporter_id)
        db.session.add(DismissedFlag(user_id=row.reporter_id, flag_id=row.id, target_type=row.target_type,
                                     target_id=row.target_id, reason=row.reason, dismissed_at=utcnow()))
        db.session.flush()
        if not was_paused and urgent_hides_paused(row.reporter_id):
            audit.record(None, "flag.hides_paused", "user", row.reporter_id,
                         reason=f"{DISMISSED_LIMIT} urgent flags dismissed within {DISMISSED_WINDOW.days} days")


def reset_flagger(moderator: User, person: User, reason: str) -> int:
    """A manager clears the dismissed urgent flags that count against someone: their urgent
    flags hide at once again (within the daily limit). Audited."""
    _require_moderator(moderator)
    reason = _required_reason(reason)
    rows = list(db.session.scalars(select(DismissedFlag).where(DismissedFlag.user_id == person.id,
                                                               DismissedFlag.cleared_at.is_(None))))
    if not rows:
        raise Invalid("Nothing to reset: none of this person's urgent flags count against them.")
    now = utcnow()
    for row in rows:
        row.cleared_at = now
    audit.record(moderator, "flag.hides_reset", "user", person.id, reason=reason)
    return len(rows)


@dataclass
class FlaggerHistory:
    person: User
    flags: list[Flag]
    #: The flags' posts and replies as the viewer may name them, by (type, id).
    names: dict
    hides_in_window: int
    limit: int
    paused: bool
    dismissed: list[DismissedFlag]
    #: Items their open flags keep hidden now.
    hiding_now: int


HISTORY_SIZE = 100


def flagger_history(viewer: User, person: User) -> FlaggerHistory:
    """A person's flags as their managers see them (never their peers): the latest 100, what
    came of them, and what counts against their urgent flags."""
    if not policy.may_see_flag_history(viewer):
        raise Forbidden()
    flags = list(db.session.scalars(select(Flag).where(Flag.reporter_id == person.id)
                                    .order_by(Flag.created_at.desc(), Flag.id.desc()).limit(HISTORY_SIZE)))
    dismissed = list(db.session.scalars(select(DismissedFlag).where(DismissedFlag.user_id == person.id)
                                        .order_by(DismissedFlag.dismissed_at.desc(), DismissedFlag.id.desc())))
    names = target_names(viewer, [(row.target_type, row.target_id) for row in flags])
    hiding = db.session.scalar(select(func.count()).select_from(Flag).where(
        Flag.reporter_id == person.id, Flag.status == OPEN, Flag.hid.is_(True))) or 0
    return FlaggerHistory(person, flags, names, hides_in_window(person.id), urgent_hide_limit(),
                          _paused([row.dismissed_at for row in dismissed if row.cleared_at is None]),
                          dismissed, hiding)


def target_names(viewer: User, targets: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """How the viewer may name each post or reply: its title, or "a circle post" / "a reply
    in a circle" where the viewer is not a member, or "a deleted post". Two queries."""
    reply_ids = {target_id for kind, target_id in targets if kind == "reply"}
    replies = dict(db.session.execute(select(Reply.id, Reply.post_id).where(Reply.id.in_(reply_ids or [-1]))).all())
    post_ids = {target_id for kind, target_id in targets if kind == "post"} | set(replies.values())
    posts = {row.id: row for row in db.session.execute(
        select(Post.id, Post.title, Post.circle_id).where(Post.id.in_(post_ids or [-1])))}
    member_of = set(db.session.scalars(circles.member_circle_ids(viewer))) if any(row.circle_id for row in posts.values()) else set()
    names = {}
    for kind, target_id in targets:
        post = posts.get(target_id if kind == "post" else replies.get(target_id))
        if post is None:
            names[(kind, target_id)] = f"a deleted {kind}"
        elif post.circle_id is not None and post.circle_id not in member_of:
            names[(kind, target_id)] = "a circle post" if kind == "post" else "a reply in a circle"
        else:
            names[(kind, target_id)] = f"“{post.title}”" if kind == "post" else f"a reply to “{post.title}”"
    return names


def _reason(value: str) -> Reason:
    try:
        return Reason(value)
    except ValueError:
        raise Invalid("Choose why you are flagging this", field="reason") from None


def own_open_flag(user: User, target_type: str, target_id: int) -> Flag | None:
    return db.session.scalar(select(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id,
                                                Flag.reporter_id == user.id, Flag.status == OPEN))


def own_open_flags(user: User, post: Post, replies: list[Reply]) -> set[tuple[str, int]]:
    """Which of the items on a post page this person has flagged, in one query."""
    reply_ids = [reply.id for reply in replies]
    rows = db.session.execute(select(Flag.target_type, Flag.target_id).where(
        Flag.reporter_id == user.id, Flag.status == OPEN,
        or_(and_(Flag.target_type == "post", Flag.target_id == post.id),
            and_(Flag.target_type == "reply", Flag.target_id.in_(reply_ids or [-1])))))
    return {(row.target_type, row.target_id) for row in rows}


def withdraw(user: User, flag_id: int) -> Flag:
    """The flagger takes it back. An urgent flag's item stays for a manager: it was hidden."""
    found = db.session.get(Flag, flag_id)
    if found is None or found.reporter_id != user.id or found.status != OPEN:
        raise NotFound()
    found.status, found.closed_at = "withdrawn", utcnow()
    item = db.session.get(ReviewItem, found.item_id)
    others = db.session.scalar(select(func.count()).select_from(Flag).where(Flag.item_id == item.id, Flag.status == OPEN))
    if not others and not (item.urgent or item.awaiting_approval or item.review_asked):
        item.status, item.closed_at, item.outcome = CLOSED, utcnow(), "withdrawn"
    audit.record(user, "flag.withdrawn", found.target_type, found.target_id)
    return found


# Pre-approval and asking for review -----------------------------------------------------------


def on_post_pending(post_id: int) -> None:
    """A post waiting for approval joins the queue."""
    post = db.session.get(Post, post_id)
    if post is None or post.status != Status.PENDING:
        return
    open_item_for(Target("post", post, post)).awaiting_approval = True


def ask_for_review(author: User, target_type: str, target_id: int) -> ReviewItem:
    """The author of a hidden post or reply, having edited it, asks a manager to look again."""
    target = load_target(target_type, target_id)
    if target is None or target.author_id != author.id or target.item.status != Status.HIDDEN:
        raise NotFound()
    item = open_item_for(target)
    item.review_asked = True
    audit.record(author, "moderation.review_asked", target.type, target.id)
    return item


# The queue ----------------------------------------------------------------------------------


@dataclass
class FlaggerNote:
    """What a manager should know about one person who flagged an item urgently."""

    user_id: int
    name: str
    #: Items their open flags keep hidden now.
    hiding: int
    #: Their urgent flags queue without hiding (3 dismissed in 30 days, not reset).
    paused: bool
    #: Their urgent flag on this item did not hide it (over their limit, or paused).
    held_back: bool

    @property
    def facts(self) -> list[str]:
        facts = []
        if self.hiding >= urgent_hide_limit():
            facts.append(f"their flags keep {self.hiding} items hidden")
        if self.paused:
            facts.append("their urgent flags are paused (3 dismissed as unfounded in 30 days)")
        if self.held_back:
            facts.append("their urgent flag did not hide this (over their limit)")
        return facts


@dataclass
class QueueEntry:
    item: ReviewItem
    target: Target | None
    flags: list[Flag]
    flaggers: list[FlaggerNote] = field(default_factory=list)
    #: Who raised each flag, by user id (managers' pages only).
    reporters: dict[int, str] = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        return sorted({flag.reason_label for flag in self.flags})

    @property
    def hidden(self) -> bool:
        return self.target is not None and self.target.item.status == Status.HIDDEN

    @property
    def warnings(self) -> list[FlaggerNote]:
        """The flaggers a manager should look at: hiding many items, paused, or held back."""
        return [note for note in self.flaggers if note.hiding >= urgent_hide_limit() or note.paused or note.held_back]


STATUSES = {"open": "Waiting for review", "closed": "Dealt with"}
QUEUE_SIZE = 30


def queue_page(user: User, status: str, reason: str | None, older: str | None, newer: str | None
               ) -> tuple[Page, list[QueueEntry]]:
    """Open items urgent first (hidden or only queued), then oldest first; closed ones newest
    first. Flags and what to know about their flaggers are loaded at once."""
    _require_moderator(user)
    query = select(ReviewItem).where(ReviewItem.status == (CLOSED if status == "closed" else OPEN))
    if reason == "approval":
        query = query.where(ReviewItem.awaiting_approval.is_(True))
    elif reason:
        query = query.where(ReviewItem.id.in_(select(Flag.item_id).where(Flag.reason == reason)))
    if status == "closed":
        page = keyset_page(query, ReviewItem.opened_at, ReviewItem.id, older, newer)
    else:
        page = _urgent_first_page(query, older, newer)
    return page, _entries(page.items, with_flaggers=True)


def _rank():
    return case((ReviewItem.urgent.is_(True), 0), else_=1)


def _queue_key(item: ReviewItem) -> str:
    return f"{0 if item.urgent else 1}{encode(item.opened_at, item.id)}"


def _decode_queue_key(key: str | None) -> tuple[int, datetime, int] | None:
    if not key or key[:1] not in ("0", "1"):
        return None
    found = decode(key[1:])
    return (int(key[0]), *found) if found else None


def _urgent_first_page(query, older: str | None, newer: str | None) -> Page:
    """Keyset pages over (urgent first, opened_at, id): the same shape as `keyset_page`, one
    column more (the index on status, urgent, opened_at and id serves it)."""
    columns = tuple_(_rank(), ReviewItem.opened_at, ReviewItem.id)

    def beyond(key, compare):
        rank, moment, row_id = key
        return compare(columns, tuple_(literal(rank), literal(moment, ReviewItem.opened_at.type), literal(row_id)))

    forward = (ReviewItem.urgent.desc(), ReviewItem.opened_at.asc(), ReviewItem.id.asc())
    backward = (ReviewItem.urgent.asc(), ReviewItem.opened_at.desc(), ReviewItem.id.desc())
    after, before = _decode_queue_key(older), _decode_queue_key(newer)
    if before and not after:
        rows = list(db.session.scalars(query.where(beyond(before, lambda a, b: a < b)).order_by(*backward)
                                       .limit(QUEUE_SIZE + 1)))
        has_newer = len(rows) > QUEUE_SIZE
        rows = list(reversed(rows[:QUEUE_SIZE]))
        return Page(rows, _queue_key(rows[-1]) if rows else None, _queue_key(rows[0]) if has_newer and rows else None)
    if after:
        query = query.where(beyond(after, lambda a, b: a > b))
    rows = list(db.session.scalars(query.order_by(*forward).limit(QUEUE_SIZE + 1)))
    has_older = len(rows) > QUEUE_SIZE
    rows = rows[:QUEUE_SIZE]
    return Page(rows, _queue_key(rows[-1]) if has_older and rows else None,
                _queue_key(rows[0]) if after and rows else None)


def _entries(items: list[ReviewItem], with_flaggers: bool = False) -> list[QueueEntry]:
    item_ids = [item.id for item in items]
    flags: dict[int, list[Flag]] = {item_id: [] for item_id in item_ids}
    for row in db.session.scalars(select(Flag).where(Flag.item_id.in_(item_ids or [-1])).order_by(Flag.created_at)):
        flags[row.item_id].append(row)
    posts = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_({item.post_id for item in items} or [-1])).options(selectinload(Post.author)))}
    reply_ids = [item.target_id for item in items if item.target_type == "reply"]
    replies = {reply.id: reply for reply in db.session.scalars(
        select(Reply).where(Reply.id.in_(reply_ids or [-1])).options(selectinload(Reply.author)))}
    entries = []
    for item in items:
        post = posts.get(item.post_id)
        thing = post if item.target_type == "post" else replies.get(item.target_id)
        target = Target(item.target_type, thing, post) if thing is not None and post is not None else None
        entries.append(QueueEntry(item, target, flags[item.id]))
    if with_flaggers:
        _add_flaggers(entries)
    return entries


def _add_flaggers(entries: list[QueueEntry]) -> None:
    """For each urgent flag's reporter on the page: how many items their open flags keep
    hidden, and whether their urgent hides are paused; every flagger's name. Three queries,
    whatever the page."""
    urgent = {reason.value for reason in Reason if reason.urgent}
    everyone = {flag.reporter_id for entry in entries for flag in entry.flags}
    if not everyone:
        return
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(everyone))).all())
    for entry in entries:
        entry.reporters = {flag.reporter_id: names.get(flag.reporter_id, f"Person {flag.reporter_id}")
                           for flag in entry.flags}
    reporters = {flag.reporter_id for entry in entries for flag in entry.flags
                 if flag.reason in urgent and flag.status == OPEN}
    if not reporters:
        return
    hiding = dict(db.session.execute(select(Flag.reporter_id, func.count()).where(
        Flag.reporter_id.in_(reporters), Flag.status == OPEN, Flag.hid.is_(True)).group_by(Flag.reporter_id)).all())
    dismissed: dict[int, list[datetime]] = {}
    for user_id, moment in db.session.execute(select(DismissedFlag.user_id, DismissedFlag.dismissed_at).where(
            DismissedFlag.user_id.in_(reporters), DismissedFlag.cleared_at.is_(None))):
        dismissed.setdefault(user_id, []).append(moment)
    for entry in entries:
        seen = set()
        for flag in entry.flags:
            if flag.reason not in urgent or flag.status != OPEN or flag.reporter_id in seen:
                continue
            seen.add(flag.reporter_id)
            entry.flaggers.append(FlaggerNote(
                flag.reporter_id, names.get(flag.reporter_id, f"Person {flag.reporter_id}"),
                hiding.get(flag.reporter_id, 0), _paused(dismissed.get(flag.reporter_id, [])),
                held_back=not flag.hid and not entry.hidden))


def open_count(user: User) -> int:
    """The navigation's count (index on status and opened_at)."""
    if not policy.may_moderate(user):
        return 0
    return db.session.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.status == OPEN)) or 0


def get_entry(user: User, item_id: int) -> QueueEntry:
    """One item with its text. Circle content reaches a manager who is not a member only
    here, and each time it is opened the audit log says so."""
    _require_moderator(user)
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound()
    entry = _entries([item], with_flaggers=True)[0]
    if item.circle_id is not None and not _is_member(user, item.circle_id):
        audit.record(user, "moderation.circle_content_opened", item.target_type, item.target_id,
                     reason=f"review item {item.id}")
    return entry


def _is_member(user: User, circle_id: int) -> bool:
    return circles.is_member(user, circle_id)


def history(target_type: str, target_id: int) -> list[ModerationAction]:
    return list(db.session.scalars(select(ModerationAction).where(
        ModerationAction.target_type == target_type, ModerationAction.target_id == target_id)
        .order_by(ModerationAction.created_at, ModerationAction.id)))


def notes_for(viewer: User, post: Post, replies: list[Reply]) -> dict[tuple[str, int], list[ModerationAction]]:
    """What was done to the viewer's own post and replies on this page, and why (not by whom)."""
    own_reply_ids = [reply.id for reply in replies if policy.may_see_moderation_notes(viewer, reply.author_id)]
    show_post = policy.may_see_moderation_notes(viewer, post.author_id)
    if not show_post and not own_reply_ids:
        return {}
    clauses = [and_(ModerationAction.target_type == "reply", ModerationAction.target_id.in_(own_reply_ids or [-1]))]
    if show_post:
        clauses.append(and_(ModerationAction.target_type == "post", ModerationAction.target_id == post.id))
    notes: dict[tuple[str, int], list[ModerationAction]] = {}
    for row in db.session.scalars(select(ModerationAction).where(or_(*clauses))
                                  .order_by(ModerationAction.created_at, ModerationAction.id)):
        notes.setdefault((row.target_type, row.target_id), []).append(row)
    return notes


# Actions ------------------------------------------------------------------------------------

#: Which actions settle the item (close it and its flags).
CLOSING = {Action.DISMISSED, Action.HIDDEN, Action.RESTORED, Action.APPROVED}


def act(moderator: User, item_id: int, action: Action, reason: str) -> ModerationAction:
    """Dismiss, hide, restore, approve, lock or unlock, with a reason."""
    _require_moderator(moderator)
    item, target = _actionable(item_id)
    reason = _required_reason(reason)
    _apply(target, action)
    notify = {target.author_id}
    if action == Action.DISMISSED:
        _record_dismissals(item)
    if action in CLOSING:
        notify |= set(_close(item, action))
    audit.record(moderator, f"moderation.{action.value}", target.type, target.id, reason=reason)
    return _record(target, action, reason, moderator, item, notify)


def _actionable(item_id: int) -> tuple[ReviewItem, Target]:
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound()
    if item.status != OPEN:
        raise Invalid("This item has already been dealt with: nothing was changed.")
    target = load_target(item.target_type, item.target_id)
    if target is None or target.item.status in (Status.DELETED, Status.DRAFT):
        raise Invalid("Its author deleted this meanwhile: nothing was changed.")
    return item, target


def _apply(target: Target, action: Action) -> None:
    status = target.item.status
    if action == Action.HIDDEN:
        if status == Status.HIDDEN:
            return  # already hidden (automatically): the manager's decision keeps it so
        _set_status(target, Status.HIDDEN)
    elif action in (Action.RESTORED, Action.APPROVED):
        if status not in (Status.HIDDEN, Status.PENDING):
            raise Invalid("This is not hidden or waiting for approval: there is nothing to restore.")
        _publish(target)
    elif action == Action.DISMISSED:
        if status == Status.HIDDEN and _last_action(target) == Action.AUTO_HIDDEN.value:
            _publish(target)  # the flags were unfounded: it comes back
        elif status == Status.PENDING:
            raise Invalid("This post is waiting for approval: approve it or hide it.")
    elif action in (Action.LOCKED, Action.UNLOCKED):
        if target.type != "post":
            raise Invalid("Only a whole discussion can be closed to replies.")
        target.post.locked = action == Action.LOCKED
    else:
        raise Invalid("Choose what to do")


def _publish(target: Target) -> None:
    was_pending = target.item.status == Status.PENDING
    _set_status(target, Status.PUBLISHED)
    if was_pending:
        now = utcnow()
        target.post.published_at, target.post.last_activity_at = now, now
        events.emit("post_published", post_id=target.post.id)


def _last_action(target: Target) -> str | None:
    return db.session.scalar(select(ModerationAction.action).where(
        ModerationAction.target_type == target.type, ModerationAction.target_id == target.id)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()).limit(1))


def redact(moderator: User, item_id: int, field: str, text: str, reason: str) -> ModerationAction:
    """Remove an exact piece of text from one part, everywhere it is kept; the item stays open."""
    _require_moderator(moderator)
    item, target = _actionable(item_id)
    reason = _required_reason(reason)
    if field not in redaction.fields_of(target.type, target.item):
        raise Invalid("Choose the part of the text", field="field")
    try:
        redaction.remove_text(moderator, target.type, target.item, field, text)
    except ValueError as error:
        raise Invalid(str(error), field="text") from None
    audit.record(moderator, "moderation.redacted", target.type, target.id, reason=f"{field}: {reason}")
    return _record(target, Action.REDACTED, reason, moderator, item, {target.author_id})


def review(moderator: User, target_type: str, target_id: int) -> ReviewItem:
    """A manager opens an item on something nobody flagged (to hide or lock it)."""
    _require_moderator(moderator)
    target = visible_target(moderator, target_type, target_id)
    return open_item_for(target)


# Suspensions and pre-approval -------------------------------------------------------------------


def suspend(actor: User, person: User, until: datetime | None, reason: str) -> None:
    """They cannot sign in (or so post) until then; every session they have ends now."""
    if not policy.may_suspend(actor, person):
        raise Forbidden()
    reason = _required_reason(reason)
    if until is not None and as_utc(until) <= utcnow():
        raise Invalid("Choose a date in the future, or suspend until further notice", field="until")
    person.suspended_at, person.suspended_until, person.suspension_reason = utcnow(), until, reason
    accounts.end_all_sessions(person)
    audit.record(actor, "user.suspended", "user", person.id,
                 reason=f"until {until.isoformat() if until else 'further notice'}: {reason}")


def lift_suspension(actor: User, person: User, reason: str) -> None:
    if not policy.may_suspend(actor, person):
        raise Forbidden()
    reason = _required_reason(reason)
    if not person.is_suspended:
        raise Invalid("This person is not suspended.")
    person.suspended_at = person.suspended_until = person.suspension_reason = None
    audit.record(actor, "user.suspension_lifted", "user", person.id, reason=reason)


def set_needs_approval(actor: User, person: User, required: bool, reason: str) -> None:
    if not policy.may_require_approval(actor, person):
        raise Forbidden()
    reason = _required_reason(reason)
    person.needs_approval = required
    audit.record(actor, "user.approval_required" if required else "user.approval_lifted", "user", person.id,
                 reason=reason)


# Site settings ------------------------------------------------------------------------------------


def save_site_settings(actor: User, pre_approval: bool, contacts: list[str]) -> None:
    if not policy.may_change_site_settings(actor):
        raise Forbidden()
    settings.put(settings.PRE_APPROVAL, "on" if pre_approval else "off")
    settings.put(settings.SAFEGUARDING_CONTACTS, "\n".join(contacts))
    audit.record(actor, "settings.changed", reason=f"pre-approval {'on' if pre_approval else 'off'}, "
                                                    f"{len(contacts)} safeguarding contact(s)")


def safeguarding_contacts() -> list[str]:
    return [line for line in settings.get(settings.SAFEGUARDING_CONTACTS).splitlines() if line.strip()]


def parse_contacts(text: str) -> list[str]:
    """One work email address per line, checked and de-duplicated."""
    contacts: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            address = validate_email(line, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise Invalid(f"“{line[:80]}” is not an email address: enter one address per line", field="contacts") from None
        if address not in contacts:
            contacts.append(address)
    return contacts
