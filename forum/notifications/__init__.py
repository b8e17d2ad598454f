"""Notifications: listens to other modules' events; nothing imports it but the app factory."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum import events, templating


def register(app: Flask) -> None:
    """Pages, the digest command, the bell, and the triggers. Adding a trigger: one function in
    services.py and one line here."""
    # Imported when the app is built, so that importing this package's models stays light.
    from forum.notifications import commands, services, unread, views

    app.register_blueprint(views.bp)
    unread.listen()
    app.cli.add_command(commands.send_digests)
    app.jinja_env.globals["is_following"] = lambda target_type, target_id: services.is_following(
        current_user.id, target_type, target_id)
    templating.add_navigation(app, "unread", services.unread_count)
    events.subscribe("post_published", services.on_post_published)
    events.subscribe("reply_posted", services.on_reply_posted)
    events.subscribe("reply_marked_helpful", services.on_reply_marked_helpful)
    events.subscribe("meeting_changed", services.on_meeting_changed)
    events.subscribe("action_assigned", services.on_action_assigned)
    events.subscribe("case_nominated", services.on_case_nominated)
    events.subscribe("joined_circle", services.on_joined_circle)
    events.subscribe("moderated", services.on_moderated)
    events.subscribe("safeguarding_flagged", services.on_safeguarding_flagged)
    events.subscribe("follow_up_due", services.on_follow_up_due)
    events.subscribe("meeting_finished", services.on_meeting_finished)
    events.subscribe("member_note_sent", services.on_member_note_sent)
    events.subscribe("meeting_ended", services.on_meeting_ended)
    events.subscribe("case_routed", services.on_case_routed)
