"""What templates across the forum use to show posts: their authors and privacy findings."""

from __future__ import annotations

from flask import Flask, url_for
from flask_login import current_user

from forum.cases import guard, policy


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
