"""What templates across the forum use to show posts: their authors and privacy findings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user

from forum.cases import guard, policy
from forum.templating import link_pattern, person_dates


def author_of(item):
    """The author to name for a post or reply, or None for "An adviser" (policy decides)."""
    return policy.shown_author(current_user, item.author_id, item.author, item.show_author)


def marked_findings(text: str, findings, field: str):
    """A field's text with its privacy findings marked and numbered as in the list."""
    numbered = [(number, finding) for number, finding in enumerate(findings, start=1) if finding.field == field]
    return guard.marked(text, sorted(numbered, key=lambda pair: pair[1].start))


def finding_label(finding) -> str:
    return "possible " + guard.label_for(finding)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        author_of=author_of, marked_findings=marked_findings, marked_window=guard.marked_window,
        finding_label=finding_label, clear_reasons=guard.CLEAR_REASONS)
    # (object, its address, its name): for lists of things a person follows.
    app.jinja_env.filters["post_link"] = lambda post: (post, url_for("cases.show", post_id=post.id), post.title)


@dataclass(frozen=True, slots=True)
class ShownReply:
    """One reply as the post page prints it: its author rule applied, its date in the reader's
    zone and its links made, once per reply in Python, so the page's loop only prints."""

    id: int
    author_id: int  # for the moderation controls' rules (`PostModeration.may_flag`)
    author_name: str | None  # None: "An adviser"
    iso: str
    when: str
    edited: bool
    body_html: str
    helpful_count: int
    #: The reply a link pointed at (`?reply=`): the helpful control's confirmation shows here.
    here: bool
    history_href: str
    edit_href: str
    delete_href: str
    helpful_href: str
    flag_href: str
    moderate_href: str


def shown_replies(replies, here: str | None) -> list[ShownReply]:
    """Rows of `services.replies_page` made ready to print; link patterns and the reader's
    zone worked out once for the page."""
    viewer, dates = current_user._get_current_object(), person_dates()
    history, edit, delete = (link_pattern(endpoint, "reply_id")
                             for endpoint in ("cases.reply_history", "cases.edit_reply", "cases.delete_reply"))
    helpful = link_pattern("cases.mark_reply_helpful", "reply_id")
    flag = link_pattern("flags.flag", "target_id", kind="replies")
    moderate = link_pattern("moderation.review", "target_id", target_type="reply")
    shown = []
    for reply in replies:
        iso, when, _ = dates(reply.created_at)
        shown.append(ShownReply(
            reply.id, reply.author_id, policy.shown_author(viewer, reply.author_id, reply.author_name, reply.show_author), iso, when,
            reply.edited_at is not None, reply.body_html, reply.helpful_count, here == str(reply.id),
            history(reply.id), edit(reply.id), delete(reply.id), helpful(reply.id), flag(reply.id), moderate(reply.id)))
    return shown
