"""What a post page shows of moderation, and what the navigation offers moderators."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum import templating
from forum.moderation import policy, services


class PostModeration:
    """What a post page shows of moderation: the viewer's own flags, what was done to their
    own writing and why, and which buttons policy allows. Two queries, whatever the page."""

    def __init__(self, post, replies):
        self.flagged = services.own_open_flags(current_user, post, replies)
        self.notes = services.notes_for(current_user, post, replies)
        self.moderator = policy.may_moderate(current_user)

    def may_flag(self, item) -> bool:
        return policy.may_flag(current_user, item.author_id)


def register(app: Flask) -> None:
    app.jinja_env.globals["post_moderation"] = PostModeration
    templating.add_navigation(app, "moderation", policy.may_moderate)
    templating.add_navigation(app, "review_count", services.open_count)
