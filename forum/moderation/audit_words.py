"""The audit log in words: one sentence per action the code records.

"Morgan restored the case ‘Client afraid of losing benefits’", "Two-factor sign-in used".
Each sentence is a template with {actor} (who: a person, "The author" for the anonymous
author of the writing, "The forum" for what happens by itself, "Someone not signed in") and
{target} (what it was done to, as the viewer may name it: a circle post they may not read is
"a circle post", with no title). The page links the person and the item where the viewer may
see them; the CSV keeps the action code beside the sentence. A test finds every action the
code records and checks it has a sentence here.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.cases.models import Post, Reply, Status
from forum.circles import policy as circles
from forum.circles.models import Circle
from forum.extensions import db
from forum.moderation.models import Reason
from forum.themes.models import Theme

#: One sentence per action; a mapping picks by the entry's outcome ("*" for any other).
WORDS: dict[str, str | dict[str, str]] = {
    "access.refused": "{actor} was refused {target}",
    "circle.archived": "{actor} archived {target}",
    "csrf.failure": "{actor} sent a form that had expired or came from another site",
    "data.exported": "{actor} downloaded their data",
    # The share's manager and content are never in the log: only that it happened.
    "learning.shared": "{actor} shared their learning record with a line manager",
    "learning.share_revoked": "{actor} took back a learning record they had shared",
    "email.changed": "{actor} changed their email address",
    "flag.hides_paused": "{actor} stopped {target}’s urgent flags hiding items at once: "
                         "3 were dismissed as unfounded within 30 days",
    "flag.hides_reset": "{actor} reset {target}’s urgent flags: they hide items at once again",
    "flag.raised": "{actor} flagged {target}",
    "flag.withdrawn": "{actor} withdrew their flag on {target}",
    "invitation.accepted": "{actor} accepted an invitation and joined the forum",
    "invitation.resent": "{actor} sent an invitation again",
    "invitation.revoked": "{actor} withdrew an invitation",
    "invitation.sent": "{actor} invited someone to join",
    "mail.retried": "{actor} sent a failed email again",
    "moderation.approved": "{actor} approved {target}",
    "moderation.auto_hidden": "{actor} hid {target} after an urgent flag, until a manager has looked",
    "moderation.circle_content_opened": "{actor} opened {target} from the review queue",
    "moderation.dismissed": "{actor} dismissed the flags on {target}",
    "moderation.hidden": "{actor} hid {target}",
    "moderation.locked": "{actor} closed {target} to new replies",
    "moderation.redacted": "{actor} removed part of the text of {target}",
    "moderation.restored": "{actor} restored {target}",
    "moderation.review_asked": "{actor} asked for a review of {target}",
    "moderation.unlocked": "{actor} opened {target} to replies again",
    "password.changed": "{actor} changed their password",
    "password.reset": "{actor} set a new password with a reset link",
    "password.reset_requested": {"no_account": "{actor} asked for a reset link for an address with no account",
                                 "*": "{actor} asked for a password reset link"},
    "post.author_revealed": {"success": "{actor} revealed who wrote {target}",
                             "*": "{actor} tried to reveal who wrote {target}"},
    "post.deleted": "{actor} deleted {target}",
    "privacy.redacted": "{actor} removed a personal detail from {target}",
    "reauth": {"success": "{actor} confirmed it was them before a sensitive change",
               "*": "{actor} gave a wrong password or code before a sensitive change"},
    "retention.applied": "{actor} deleted old content, as the retention setting says",
    "retention.changed": "{actor} changed how long old content is kept",
    "settings.changed": "{actor} changed the moderation settings",
    "sign_in": {"success": "{actor} signed in",
                "failure": "{actor} failed to sign in",
                "suspended": "{actor} tried to sign in while suspended",
                "locked": "Sign-in was refused for a while after too many tries",
                "*": "{actor} tried to sign in"},
    "sign_in.code": {"success": "Two-factor sign-in used by {actor}",
                     "*": "{actor} entered a wrong two-factor code"},
    "sign_in.password": "Two-factor sign-in used: {actor} entered their password and was asked for a code",
    "theme.archived": "{actor} archived {target}",
    "theme.created": "{actor} created {target}",
    "theme.described": "{actor} changed the description of {target}",
    "theme.merged": "{actor} merged {target} into another theme",
    "theme.renamed": "{actor} renamed {target}",
    "theme.restored": "{actor} restored {target}",
    "two_factor.disabled": "{actor} turned off two-factor sign-in",
    "two_factor.enabled": "{actor} turned on two-factor sign-in",
    "two_factor.recovery_code_used": "Two-factor sign-in used: {actor} used a recovery code",
    "two_factor.recovery_codes_replaced": "{actor} replaced their recovery codes",
    "two_factor.reset": "{actor} reset two-factor sign-in for {target}",
    "user.admin_created": "{actor} created the admin account {target}",
    "user.approval_lifted": "{actor} stopped holding new posts by {target} for approval",
    "user.approval_required": "{actor} asked that new posts by {target} wait for approval",
    "user.deactivated": "{actor} deactivated {target}",
    "user.erased": "{actor} erased the account of {target}",
    "user.reactivated": "{actor} reactivated {target}",
    "user.role_changed": "{actor} changed the role of {target}",
    "user.sessions_ended": "{actor} signed {target} out everywhere",
    "user.suspended": "{actor} suspended {target}",
    "user.suspension_lifted": "{actor} lifted the suspension of {target}",
    "user.team_changed": "{actor} moved {target} to another team",
}

#: Actions the forum takes by itself (no one signed in): their actor is "The forum".
AUTOMATIC = {"moderation.auto_hidden", "retention.applied", "user.admin_created", "flag.hides_paused"}

THE_FORUM = "The forum"
NOT_SIGNED_IN = "Someone not signed in"

#: How an outcome other than success reads where the sentence does not say it.
OUTCOMES = {"failure": "failed", "denied": "refused", "locked": "locked", "suspended": "refused: suspended",
            "no_account": "no such account", "403": "refused", "404": "refused"}


def template(action: str, outcome: str = "success") -> tuple[str, bool]:
    """The sentence for an action and outcome, and whether it already says the outcome."""
    words = WORDS.get(action)
    if words is None:
        return "{actor}: " + action.replace("_", " ").replace(".", ": "), False
    if isinstance(words, str):
        return words, False
    if outcome in words:
        return words[outcome], True
    return words.get("*", next(iter(words.values()))), outcome != "success"


def label(action: str) -> str:
    """A short name for the filter: "Restored … (moderation.restored)"."""
    sentence, _ = template(action)
    short = sentence.replace("{actor} ", "").replace("{actor}", "someone").replace("{target}", "…")
    short = short.split(":")[0] if short.startswith("Two-factor") else short
    return f"{short[:1].upper()}{short[1:]} ({action})"


@dataclass
class Part:
    """A piece of a sentence: plain text, or a link."""

    text: str
    url: str | None = None


@dataclass
class Named:
    text: str
    url: str | None = None


def sentence(entry: AuditEntry, actor: Named, target: Named) -> list[Part]:
    words, says_outcome = template(entry.action, entry.outcome or "success")
    parts: list[Part] = []
    for literal, field, _, _ in string.Formatter().parse(words):
        if literal:
            parts.append(Part(literal))
        if field == "actor":
            parts.append(Part(actor.text, actor.url))
        elif field == "target":
            parts.append(Part(target.text, target.url))
    if not says_outcome and entry.outcome and entry.outcome != "success":
        parts.append(Part(f" ({OUTCOMES.get(entry.outcome, entry.outcome)})"))
    if parts and parts[0].url is None and parts[0].text[:1].islower():
        parts[0] = Part(parts[0].text[:1].upper() + parts[0].text[1:])
    return parts


def reason_text(entry: AuditEntry) -> str:
    """The reason as written; a flag's reason code as its label ("May identify someone")."""
    if entry.action in ("flag.raised", "moderation.auto_hidden") and entry.reason in set(Reason):
        return Reason(entry.reason).label
    return entry.reason or ""


def plain(parts: list[Part]) -> str:
    return "".join(part.text for part in parts)


class Namer:
    """Names the actors and targets of a page of entries as the viewer may see them, in a
    fixed number of queries whatever the page (one per kind of target present)."""

    def __init__(self, viewer: User, entries: list[AuditEntry], masked: set[int]):
        self.viewer = viewer
        self.masked = masked
        user_ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
        user_ids |= self._ids(entries, "user")
        self.users = {row.id: row for row in db.session.execute(
            select(User.id, User.display_name, User.erased_at).where(User.id.in_(user_ids or [-1])))}
        reply_ids = self._ids(entries, "reply")
        self.replies = dict(db.session.execute(
            select(Reply.id, Reply.post_id).where(Reply.id.in_(reply_ids))).all()) if reply_ids else {}
        post_ids = self._ids(entries, "post") | set(self.replies.values())
        self.posts = {row.id: row for row in db.session.execute(
            select(Post.id, Post.title, Post.kind, Post.circle_id, Post.status).where(Post.id.in_(post_ids)))
        } if post_ids else {}
        theme_ids = self._ids(entries, "theme")
        self.themes = dict(db.session.execute(
            select(Theme.id, Theme.name).where(Theme.id.in_(theme_ids))).all()) if theme_ids else {}
        circle_ids = self._ids(entries, "circle") | {post.circle_id for post in self.posts.values() if post.circle_id}
        self.circles = {row.id: row for row in db.session.scalars(
            select(Circle).where(Circle.id.in_(circle_ids)))} if circle_ids else {}
        self.member_of = set(db.session.scalars(circles.member_circle_ids(viewer))) if circle_ids else set()

    @staticmethod
    def _ids(entries: list[AuditEntry], kind: str) -> set[int]:
        return {entry.target_id for entry in entries if entry.target_type == kind and entry.target_id is not None}

    # Who -----------------------------------------------------------------------------------------

    def actor(self, entry: AuditEntry, masked_name: str) -> Named:
        if entry.id in self.masked:
            return Named(masked_name)
        if entry.actor_id is None:
            return Named(THE_FORUM if entry.action in AUTOMATIC else NOT_SIGNED_IN)
        return self._person(entry.actor_id)

    def _person(self, user_id: int) -> Named:
        user = self.users.get(user_id)
        if user is None:
            return Named(f"Person {user_id}")
        if user.erased_at is not None:
            return Named(user.display_name)
        return Named(user.display_name, url_for("moderation.person", user_id=user_id))

    # What ----------------------------------------------------------------------------------------

    def target(self, entry: AuditEntry) -> Named:
        kind, target_id = entry.target_type, entry.target_id
        if kind is None:
            return Named("")
        if target_id is None:
            return Named("an unknown account" if kind == "user" else f"a {kind.replace('_', ' ')}")
        if kind == "user":
            return self._person(target_id)
        if kind == "post":
            return self._post(target_id)
        if kind == "reply":
            post_id = self.replies.get(target_id)
            if post_id is None:
                return Named("a reply that no longer exists")
            post = self.posts.get(post_id)
            named = self._post(post_id)
            if post is None or not self._readable(post):
                return Named("a reply in a circle" if post is not None else "a reply that no longer exists")
            return Named(f"a reply to {named.text}", url_for("cases.show", post_id=post_id, reply=target_id,
                                                             _anchor=f"reply-{target_id}"))
        if kind == "theme":
            name = self.themes.get(target_id)
            return Named(f"the theme ‘{name}’", url_for("themes.edit", theme_id=target_id)) if name else Named("a theme")
        if kind == "circle":
            circle = self.circles.get(target_id)
            if circle is None:
                return Named("a circle that no longer exists")
            if circle.listed or circle.id in self.member_of:
                return Named(f"the circle ‘{circle.name}’")
            return Named("an invite-only circle")
        return Named(OTHER_KINDS.get(kind, f"{kind.replace('_', ' ')} {target_id}"))

    def _readable(self, post) -> bool:
        return post.circle_id is None or post.circle_id in self.member_of

    def _post(self, post_id: int) -> Named:
        post = self.posts.get(post_id)
        if post is None:
            return Named("a post that no longer exists")
        if not self._readable(post):
            return Named("a circle post")
        noun = "story" if post.kind.value == "story" else "case"
        text = f"the {noun} ‘{post.title}’"
        if post.status in (Status.DRAFT,):
            return Named(text)
        return Named(text, url_for("cases.show", post_id=post_id))


#: Targets named without a lookup.
OTHER_KINDS = {"invitation": "an invitation", "outbox": "an email", "retention": "", "item": "a review item",
               "flag": "a flag", "meeting": "a meeting", "action_point": "an action point"}
