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
        self.viewer = current_user._get_current_object()  # asked once per reply: not through the proxy
        self.flagged = services.own_open_flags(self.viewer, post, replies)
        self.notes = services.notes_for(self.viewer, post, replies)
        self.moderator = policy.may_moderate(self.viewer)

    def may_flag(self, item) -> bool:
        return policy.may_flag(self.viewer, item.author_id)


def register(app: Flask) -> None:
    app.jinja_env.globals["post_moderation"] = PostModeration
    templating.add_navigation(app, "moderation", policy.may_moderate)
    templating.add_navigation(app, "review_count", services.open_count)
    templating.add_management_page(app, "moderation.queue", "Review queue",
                                   "Flagged posts and replies, and posts waiting for approval: decide what happens to each.",
                                   policy.may_moderate, count=services.open_count,
                                   section=("moderation.item", "moderation.act", "moderation.redact"))
    templating.add_management_page(app, "moderation.people", "Suspensions and approval",
                                   "Suspend someone, or ask for their posts to be approved before others see them.",
                                   policy.may_moderate, section=("moderation.person",))
    templating.add_management_page(app, "moderation.audit", "Audit log",
                                   "What was done, by whom and why: every moderation action and sign-in event.",
                                   policy.may_moderate, section=("moderation.audit_csv",))
    templating.add_management_page(app, "moderation.site_settings", "Moderation settings",
                                   "Approval of every new post, and the safeguarding contacts.",
                                   policy.may_change_site_settings)
