"""What other modules' pages show of the learning record, through template globals, so that
neither `cases` nor `meetings` imports this module: the post page includes
`learning/_post_link.html` ("Reflect on this" and how many reflections of your own it has:
one statement per page, none per reply) and the meeting summary `learning/_meeting_invite.html`."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum.learning import policy, services


def post_learning(post) -> dict:
    return {"count": services.own_reflection_count(current_user, post_id=post.id)}


def meeting_reflection(meeting) -> dict:
    """The invitation shows only to members recorded present."""
    attended = policy.attended(current_user, meeting)
    return {"attended": attended,
            "count": services.own_reflection_count(current_user, meeting_id=meeting.id) if attended else 0}


def register(app: Flask) -> None:
    app.jinja_env.globals["post_learning"] = post_learning
    app.jinja_env.globals["meeting_reflection"] = meeting_reflection
    app.jinja_env.globals["duration"] = services.duration
