"""Rules and transactions for cases, stories and replies.

Markdown is rendered here, on write, and stored beside its source: pages never render.
Counters (replies, helpful marks, last activity) change in the same transaction as the
write that moves them. Services raise domain errors; views commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, literal, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import audit, events, markdown, pagination
from forum.accounts.models import User
from forum.cases import cards, guard, mentions, policy
from forum.circles import policy as circles
from forum.cases.models import Bookmark, Helpful, OutcomeType, Post, PostKind, PrivacyFinding, Reply, Revision, Status, StoryOutcome
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.pagination import Page, keyset_page
from forum.text import clean
from forum.themes import services as themes
from forum.timeutil import utcnow

MAX_PART = 50_000
MAX_TITLE = 150

#: The Markdown parts of each kind, in the order a reader meets them.
PARTS = {
    PostKind.CASE: ("situation", "tried", "ask"),
    PostKind.STORY: ("situation", "what_worked", "outcome_text"),
}


@dataclass(frozen=True)
class PostInput:
    kind: PostKind
    title: str
    parts: dict[str, str]
    theme_ids: list[int] = field(default_factory=list)
    show_author: bool = True
    #: Story only: its kinds of outcome, from the one vocabulary.
    outcome_types: tuple[OutcomeType, ...] = ()
    #: None for the whole forum, or one of the author's circles.
    circle_id: int | None = None


def render(text: str) -> str:
    """Markdown to safe HTML, with @mentions of real people highlighted: done on write."""
    return mentions.highlight(markdown.render(text), mentions.mentioned_users(text))


def _check_post(data: PostInput, publishing: bool) -> None:
    """Drafts may be incomplete; a published post needs every required part."""
    if len(data.title) > MAX_TITLE:
        raise Invalid(f"Enter a title of {MAX_TITLE} characters or fewer", field="title")
    for name, text in data.parts.items():
        if len(text) > MAX_PART:
            raise Invalid(f"Keep each part to {MAX_PART:,} characters or fewer", field=name)
    if not publishing:
        return
    if not data.title.strip():
        raise Invalid("Enter a title", field="title")
    required = {"situation": "Describe the situation", "ask": "Say what you would like help with",
                "what_worked": "Say what worked", "outcome_text": "Describe the outcome"}
    for name in PARTS[data.kind]:
        if name in required and not data.parts.get(name, "").strip():
            raise Invalid(required[name], field=name)
    if data.kind == PostKind.STORY and not data.outcome_types:
        raise Invalid("Choose at least one kind of outcome", field="outcome_types")


def _apply(post: Post, data: PostInput, publishing: bool) -> None:
    _check_post(data, publishing)
    try:
        chosen = themes.themes_by_ids(data.theme_ids) if (data.theme_ids or publishing) else []
    except Invalid as error:
        raise Invalid(error.message, field="theme_ids") from None
    post.title = data.title.strip()
    for name in PARTS[data.kind]:
        source = data.parts.get(name, "")
        setattr(post, f"{name}_md", source)
        setattr(post, f"{name}_html", render(source))
    post.show_author = data.show_author
    if post.status == Status.DRAFT:
        post.circle_id = data.circle_id
    wanted = set(data.outcome_types) if data.kind == PostKind.STORY else set()
    post.story_outcomes = [row for row in post.story_outcomes if row.outcome_type in wanted] + [
        StoryOutcome(outcome_type=kind) for kind in sorted(wanted - {row.outcome_type for row in post.story_outcomes})]
    post.themes = chosen


def cleaned(data: PostInput) -> PostInput:
    """The input with invisible characters removed (forum.text.clean), before any check or scan."""
    return replace(data, title=clean(data.title), parts={name: clean(part) for name, part in data.parts.items()})


def fields_of(data: PostInput) -> dict[str, str]:
    """Every text of a post the privacy guard reads, by field."""
    return {"title": data.title, **{name: data.parts.get(name, "") for name in PARTS[data.kind]}}


def save(author: User, data: PostInput, post: Post | None = None, publish: bool = False,
         choices: dict | None = None) -> Post:
    """Create or update the author's post. A draft is saved whatever it holds; publishing,
    and any edit of a published post, waits until the privacy guard's findings are resolved."""
    data = cleaned(data)
    if post is None:
        post = Post(kind=data.kind, author_id=author.id, status=Status.DRAFT, themes=[], story_outcomes=[])
    elif post.author_id != author.id:
        raise Forbidden()
    if data.circle_id is not None and not circles.is_member(author, data.circle_id):
        raise NotFound()  # posting into a circle they do not belong to: they may not know it exists
    if post.status != Status.DRAFT:
        # Checked before anything changes, so a refused edit leaves the published post as it was.
        _check_post(data, publishing=True)
        guard.require_resolved(guard.review(author, "post", post.id, fields_of(data), choices), post)
        _keep_revision(author, "post", post.id, _post_content(post))
        post.edited_at = utcnow()
        with db.session.no_autoflush:
            _apply(post, data, publishing=True)
        db.session.flush()
        return post
    with db.session.no_autoflush:
        _apply(post, data, publish)
    db.session.add(post)
    db.session.flush()
    findings = guard.review(author, "post", post.id, fields_of(data), choices)
    if publish:
        guard.require_resolved(findings, post)
        _publish_or_queue(author, post)
    return post


def _publish_or_queue(author: User, post: Post) -> None:
    """Publish now, or, under pre-approval, wait in the review queue for a manager."""
    now = utcnow()
    post.last_activity_at = now
    if policy.needs_approval(author, post.circle_id):
        post.status = Status.PENDING
        db.session.flush()
        events.emit("post_pending", post_id=post.id)
        return
    post.status, post.published_at = Status.PUBLISHED, now
    db.session.flush()
    events.emit("post_published", post_id=post.id)


def check(author: User, data: PostInput, post: Post | None, choices: dict | None = None):
    """Preview: save a draft (a published post stays as it is) and return it with its findings."""
    data = cleaned(data)
    if post is None or post.status == Status.DRAFT:
        post = save(author, data, post, publish=False, choices=choices)
        return post, guard.live_findings("post", post.id)
    if post.author_id != author.id:
        raise Forbidden()
    return post, guard.review(author, "post", post.id, fields_of(data), choices)


def with_placeholder(author: User, data: PostInput, post: Post | None, finding_id: int) -> PostInput:
    """The one-click fix in a post: the finding's text becomes its placeholder."""
    if post is None or post.author_id != author.id:
        raise NotFound()
    data = cleaned(data)
    fields = guard.with_placeholder(author, "post", post.id, fields_of(data), finding_id)
    return replace(data, title=fields.pop("title"), parts=fields)


def _post_content(post: Post) -> dict:
    content = {"title": post.title}
    content.update({name: getattr(post, f"{name}_md") for name in PARTS[post.kind]})
    return content


def _keep_revision(editor: User, target_type: str, target_id: int, content: dict) -> None:
    db.session.add(Revision(target_type=target_type, target_id=target_id,
                            content_json=json.dumps(content), editor_id=editor.id))


def rendered_parts(data: PostInput) -> dict[str, str]:
    """The same sanitiser as publishing, so a preview shows exactly what others will see."""
    return {name: render(data.parts.get(name, "")) for name in PARTS[data.kind]}


def delete_post(actor: User, post: Post) -> None:
    """Soft delete: gone for peers, kept for managers and the audit."""
    if not policy.may_delete(actor, post):
        raise Forbidden()
    if post.author_id != actor.id:
        # An admin removing someone else's post (erasure and legal requests).
        audit.record(actor, "post.deleted", "post", post.id, reason="admin deletion")
    post.status = Status.DELETED


def mark_resolved(post: Post) -> None:
    """A case's author (or its circle's facilitator) says it is resolved: lists show it so."""
    if post.kind == PostKind.CASE and post.resolved_at is None:
        post.resolved_at = utcnow()


def touch(post: Post) -> None:
    """Something new on the post (an outcome update): it rises in "latest activity"."""
    post.last_activity_at = utcnow()


# Reading ----------------------------------------------------------------------------------


def get_visible_post(user: User, post_id: int) -> Post:
    """The post if this person may read it; NotFound otherwise (missing and hidden alike)."""
    post = db.session.scalar(
        select(Post).where(Post.id == post_id).options(selectinload(Post.themes), selectinload(Post.author),
                                                       selectinload(Post.story_outcomes))
    )
    if post is None or not policy.may_read(user, post):
        raise NotFound()
    return post


#: Replies shown per page of a discussion, oldest first: a 500-reply thread stays a page
#: a browser (and a screen reader) can handle.
REPLIES_PER_PAGE = 100


#: What the post page shows of a reply, read as rows (no ORM objects for a page of 100), with
#: its author's name (whether it is shown is `policy.shown_author`'s answer).
REPLY_COLUMNS = (Reply.id, Reply.post_id, Reply.author_id, Reply.show_author, Reply.status, Reply.created_at,
                 Reply.edited_at, Reply.body_html, Reply.helpful_count, User.display_name.label("author_name"))


def replies_page(user: User, post: Post, later: str | None = None, earlier: str | None = None,
                 starting_at: int | None = None) -> Page:
    """One page of the replies this person may read, oldest first; `starting_at` a reply id
    opens the page that begins with it (links to a reply from notifications and search)."""
    query = (
        select(*REPLY_COLUMNS).join(User, User.id == Reply.author_id)
        .where(Reply.post_id == post.id, policy.visible_reply_clause(user))
    )
    if starting_at is not None and not later and not earlier:
        later = _key_before(query, starting_at)
    return keyset_page(query, Reply.created_at, Reply.id, later, earlier, size=REPLIES_PER_PAGE, oldest_first=True,
                       rows=True)


def _key_before(query, reply_id: int) -> str | None:
    """The page key of the reply just before this one (None: it is on the first page)."""
    found = db.session.get(Reply, reply_id)
    if found is None:
        return None
    previous = db.session.execute(
        query.with_only_columns(Reply.created_at, Reply.id)
        .where(tuple_(Reply.created_at, Reply.id) < tuple_(literal(found.created_at, Reply.created_at.type), literal(found.id)))
        .order_by(Reply.created_at.desc(), Reply.id.desc()).limit(1)
    ).first()
    return pagination.encode(previous.created_at, previous.id) if previous else None


def marked_helpful(user: User, post: Post, replies: list[Reply]) -> set[tuple[str, int]]:
    """Which of these items this person has marked helpful, in one query."""
    reply_ids = [reply.id for reply in replies]
    rows = db.session.execute(
        select(Helpful.target_type, Helpful.target_id).where(
            Helpful.user_id == user.id,
            ((Helpful.target_type == "post") & (Helpful.target_id == post.id))
            | ((Helpful.target_type == "reply") & Helpful.target_id.in_(reply_ids or [-1])),
        )
    )
    return {(row.target_type, row.target_id) for row in rows}


def is_bookmarked(user: User, post: Post) -> bool:
    return db.session.get(Bookmark, (user.id, post.id)) is not None


# Replies ----------------------------------------------------------------------------------


def _check_reply_body(body: str) -> None:
    if not body.strip():
        raise Invalid("Write your reply", field="body")
    if len(body) > MAX_PART:
        raise Invalid(f"Keep your reply to {MAX_PART:,} characters or fewer", field="body")


def reply(author: User, post: Post, body: str, show_author: bool = True, choices: dict | None = None) -> Reply:
    """Post a reply; one with possible personal details waits, as a draft only its author
    sees, until they are dealt with (guard.NeedsPrivacyReview)."""
    if not policy.may_reply(author, post):
        raise Invalid("This discussion is closed to new replies")
    body = clean(body)
    _check_reply_body(body)
    new = Reply(post_id=post.id, author_id=author.id, body_md=body, body_html=render(body),
                show_author=show_author, status=Status.DRAFT)
    db.session.add(new)
    db.session.flush()
    guard.require_resolved(guard.review(author, "reply", new.id, {"body": body}, choices), new)
    _publish_reply(new)
    return new


def _publish_reply(target: Reply) -> None:
    now = utcnow()
    target.status, target.created_at = Status.PUBLISHED, now
    db.session.execute(
        update(Post).where(Post.id == target.post_id).values(reply_count=Post.reply_count + 1, last_activity_at=now)
    )
    db.session.flush()
    events.emit("reply_posted", reply_id=target.id)


def own_unpublished_replies(user: User, post: Post) -> list[Reply]:
    """The person's replies to this post that others cannot see: waiting for their privacy
    check, or hidden by a manager."""
    return list(db.session.scalars(
        select(Reply).where(Reply.post_id == post.id, Reply.author_id == user.id,
                            Reply.status.in_((Status.DRAFT, Status.HIDDEN))).order_by(Reply.created_at, Reply.id)
    ))


# Helpful marks and bookmarks --------------------------------------------------------------


def mark_helpful(user: User, target_type: str, target) -> bool:
    """Mark once; returns False when this person had already marked it."""
    if not policy.may_mark_helpful(user, target.author_id):
        raise Invalid("You cannot mark your own writing as helpful")
    try:
        with db.session.begin_nested():
            db.session.add(Helpful(target_type=target_type, target_id=target.id, user_id=user.id))
    except IntegrityError:
        return False
    model = Post if target_type == "post" else Reply
    db.session.execute(update(model).where(model.id == target.id).values(helpful_count=model.helpful_count + 1))
    if target_type == "reply":
        events.emit("reply_marked_helpful", reply_id=target.id)
    return True


def unmark_helpful(user: User, target_type: str, target) -> None:
    removed = db.session.execute(
        delete(Helpful).where(Helpful.target_type == target_type, Helpful.target_id == target.id,
                              Helpful.user_id == user.id)
    ).rowcount
    if removed:
        model = Post if target_type == "post" else Reply
        db.session.execute(update(model).where(model.id == target.id).values(helpful_count=model.helpful_count - 1))


def mark_what_helped(user: User, post: Post, reply_id: int | None) -> Reply | None:
    """Mark one reply of this post as "what helped" (None removes the mark). Only the author,
    or for a circle post its facilitators (policy); a reply of another post is refused, a
    deleted or hidden one with a clear message."""
    if not policy.may_mark_what_helped(user, post):
        raise Forbidden()
    if reply_id is None:
        post.helped_reply_id = None
        return None
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.post_id != post.id:
        raise Invalid("Choose a reply to this case")
    if reply.status == Status.DELETED:
        raise Invalid("That reply has been deleted, so it cannot be marked as what helped")
    if reply.status != Status.PUBLISHED:
        raise Invalid("That reply is not published, so it cannot be marked as what helped")
    post.helped_reply_id = reply.id
    return reply


def what_helped(user: User, post: Post) -> Reply | None:
    """The reply shown first under the case, while it is published and readable."""
    if post.helped_reply_id is None:
        return None
    reply = db.session.get(Reply, post.helped_reply_id, options=[selectinload(Reply.author)])
    if reply is None or reply.post_id != post.id or reply.status != Status.PUBLISHED:
        return None
    return reply


def get_visible_reply(user: User, reply_id: int) -> Reply:
    found = db.session.get(Reply, reply_id, options=[selectinload(Reply.post), selectinload(Reply.author)])
    if found is None or not policy.may_read_reply(user, found):
        raise NotFound()
    return found


def bookmark(user: User, post: Post) -> None:
    if db.session.get(Bookmark, (user.id, post.id)) is None:
        db.session.add(Bookmark(user_id=user.id, post_id=post.id))


def unbookmark(user: User, post: Post) -> None:
    db.session.execute(delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.post_id == post.id))


# Home ---------------------------------------------------------------------------------------


@dataclass
class Home:
    drafts: list  # rows: id, title, last_activity_at
    own: list[cards.Card]
    latest: list[cards.Card]


def home(user: User, size: int = 10) -> Home:
    """A person's drafts, their own posts (anonymous ones included) and the latest activity:
    three statements of rows, and one for the cards' themes."""
    drafts = db.session.execute(
        select(Post.id, Post.title, Post.last_activity_at).where(Post.author_id == user.id, Post.status == Status.DRAFT)
        .order_by(Post.last_activity_at.desc(), Post.id.desc()).limit(size)).all()
    own = cards.newest(cards.cards_query().where(
        Post.author_id == user.id, Post.status.in_((Status.PUBLISHED, Status.PENDING, Status.HIDDEN))), size)
    latest = cards.newest(cards.cards_query().where(policy.visible_post_clause(user)), size)
    return Home(drafts, *cards.cards_of(own, latest))


def circle_posts(user: User, circle_id: int, size: int = 30) -> list[cards.Card]:
    """A circle's latest posts, for its page: only what policy lets this person read."""
    query = cards.cards_query().where(Post.circle_id == circle_id, policy.visible_post_clause(user))
    return cards.cards_of(cards.newest(query, size))[0]


# Editing and deleting replies; edit history; revealing an author ----------------------------


def edit_reply(actor: User, target: Reply, body: str, choices: dict | None = None) -> None:
    """Edit a reply, or finish one held for its privacy check (then it is posted)."""
    if not policy.may_edit_reply(actor, target):
        raise Forbidden()
    body = clean(body)
    _check_reply_body(body)
    findings = guard.review(actor, "reply", target.id, {"body": body}, choices)
    if target.status == Status.PUBLISHED:
        guard.require_resolved(findings, target)
        _keep_revision(actor, "reply", target.id, {"body": target.body_md})
        target.body_md, target.body_html, target.edited_at = body, render(body), utcnow()
        return
    target.body_md, target.body_html = body, render(body)
    guard.require_resolved(findings, target)
    _publish_reply(target)


def reply_with_placeholder(actor: User, target: Reply, body: str, finding_id: int) -> str:
    if target.author_id != actor.id:
        raise NotFound()
    return guard.with_placeholder(actor, "reply", target.id, {"body": clean(body)}, finding_id)["body"]


# One finding of the privacy guard, acted on in place --------------------------------------------


@dataclass(frozen=True)
class CheckedField:
    """One field of a post or reply after its author acted on a finding in it."""

    target_type: str
    target: Post | Reply
    field: str
    #: The field's text as it is now (a placeholder put in, or as the author sent it).
    text: str
    #: The field's live findings, in the order of the text.
    findings: list[PrivacyFinding]


def _finding_target(actor: User, finding_id: int) -> tuple[PrivacyFinding, Post | Reply]:
    """A live finding in a post or reply this person may change; NotFound for anything else."""
    finding = db.session.get(PrivacyFinding, finding_id)
    if finding is None or finding.decision not in guard.LIVE:
        raise NotFound()
    if finding.target_type == "reply":
        target = get_visible_reply(actor, finding.target_id)
    else:
        target = get_visible_post(actor, finding.target_id)
    if not policy.may_act_on_findings(actor, finding.target_type, target):
        raise NotFound()
    return finding, target


def _check_field(field_name: str, text: str) -> None:
    limit = MAX_TITLE if field_name == "title" else MAX_PART
    if len(text) > limit:
        raise Invalid(f"Keep this to {limit:,} characters or fewer", field="text")


def replace_finding(actor: User, finding_id: int, text: str) -> CheckedField:
    """"Replace with …" in place: in the field's text as the author has it now, the finding
    becomes its placeholder. Nothing is saved but the findings: the author saves the text."""
    finding, target = _finding_target(actor, finding_id)
    name, target_type = finding.field, finding.target_type
    _check_field(name, text)
    changed = guard.with_placeholder(actor, target_type, target.id, {name: text}, finding_id)[name]
    findings = guard.review(actor, target_type, target.id, {name: changed})
    return CheckedField(target_type, target, name, changed, findings)


def keep_finding(actor: User, finding_id: int, text: str, reason: str = "", note: str = "",
                 checked: bool = False) -> CheckedField:
    """"Keep it, because …" in place: a block is cleared with a reason, a warning once the
    author ticks that they checked it (as the form without JavaScript asks)."""
    finding, target = _finding_target(actor, finding_id)
    name, target_type = finding.field, finding.target_type
    _check_field(name, text)
    if not finding.blocks and not checked:
        raise Invalid("Tick the box to say you have checked it does not identify anyone", field=f"finding-{finding.id}")
    choice = guard.Choice("clear", reason, note[:300]) if finding.blocks else guard.Choice("acknowledge")
    findings = guard.keep(actor, target_type, target.id, {name: text}, finding_id, choice)
    return CheckedField(target_type, target, name, text, findings)


def delete_reply(actor: User, target: Reply) -> None:
    """Soft delete: gone for peers, kept for managers and the audit."""
    if not policy.may_edit_reply(actor, target):
        raise Forbidden()
    was_posted = target.status == Status.PUBLISHED
    target.status = Status.DELETED
    if was_posted:
        db.session.execute(update(Post).where(Post.id == target.post_id).values(reply_count=Post.reply_count - 1))


@dataclass
class Version:
    """One state of a text in its edit history, newest first."""

    content: dict
    at: object
    current: bool = False


def history(target_type: str, target) -> list[Version]:
    """The text now, then each earlier version with the time it was replaced."""
    revisions = db.session.scalars(
        select(Revision)
        .where(Revision.target_type == target_type, Revision.target_id == target.id)
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    )
    if target_type == "post":
        current, since = _post_content(target), target.edited_at or target.published_at
    else:
        current, since = {"body": target.body_md}, target.edited_at or target.created_at
    return [Version(current, since, current=True)] + [
        Version(json.loads(revision.content_json), revision.created_at) for revision in revisions
    ]


def reveal_author(actor: User, post: Post, reason: str) -> User:
    """A manager or admin learns who wrote an anonymous post; always audited."""
    if not policy.may_reveal_author(actor):
        raise Forbidden()
    reason = clean(reason).strip()
    if len(reason) < 10:
        raise Invalid("Give a reason of at least 10 characters: it is written to the audit log", field="reason")
    if len(reason) > 500:
        raise Invalid("Give a reason of 500 characters or fewer", field="reason")
    audit.record(actor, "post.author_revealed", "post", post.id, reason=reason)
    return db.session.get(User, post.author_id)
