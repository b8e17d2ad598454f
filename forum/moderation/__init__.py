"""Moderation: flags, the review queue, moderation actions, suspensions and the audit log page."""

from __future__ import annotations


def register() -> None:
    """Posts waiting for approval join the queue once their write has committed."""
    from forum import events
    from forum.moderation import services

    events.subscribe("post_pending", services.on_post_pending)
