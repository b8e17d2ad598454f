"""Notifications: listens to other modules' events; nothing imports it but the app factory."""

from __future__ import annotations


def register() -> None:
    """Subscribe the triggers. Adding a trigger: one function in services.py and one line here."""
    from forum import events
    from forum.notifications import services

    events.subscribe("post_published", services.on_post_published)
    events.subscribe("reply_posted", services.on_reply_posted)
    events.subscribe("reply_marked_helpful", services.on_reply_marked_helpful)
    events.subscribe("meeting_changed", services.on_meeting_changed)
    events.subscribe("action_assigned", services.on_action_assigned)
    events.subscribe("case_nominated", services.on_case_nominated)
    events.subscribe("joined_circle", services.on_joined_circle)
    events.subscribe("moderated", services.on_moderated)
    events.subscribe("safeguarding_flagged", services.on_safeguarding_flagged)
