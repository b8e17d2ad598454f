"""What a case or story page shows of outcomes: the timeline, the prompt, the links between a
case and its story. The page (module `cases`) includes `outcomes/_panel.html`, which asks
`post_outcomes(post)`; nothing in `cases` imports this module."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum.cases import policy as cases_policy
from forum.cases.models import Post, PostKind, Status
from forum.extensions import db
from forum.outcomes import policy, services


class PostOutcomes:
    """Worked out once per page; a story asks one query, a case a handful."""

    def __init__(self, post):
        self.post = post
        self.is_case = post.kind == PostKind.CASE
        if not self.is_case:
            origin = services.case_of(post)
            self.origin = origin if origin is not None and cases_policy.may_read(current_user, origin) else None
            return
        self.may_record = policy.may_record(current_user, post)
        entries = services.timeline(post, current_user if self.may_record else None)
        self.timeline = [entry for entry in entries if entry.published_at is not None]
        self.draft = next((entry for entry in entries if entry.published_at is None), None)
        self.is_author = post.author_id == current_user.id
        state = services.case_state(post)
        self.stopped = state.stopped
        self.prompt_week = state.open_week if self.is_author and self.may_record else None
        story = db.session.get(Post, state.story_id) if state.story_id else None
        if story is not None and (story.status == Status.DELETED or not cases_policy.may_read(current_user, story)):
            story = None
        self.story = story
        self.story_is_draft = story is not None and story.status == Status.DRAFT
        self.may_turn_into_story = story is None and policy.may_turn_into_story(
            current_user, post, services.has_positive_outcome(self.timeline))


def register(app: Flask) -> None:
    app.jinja_env.globals["post_outcomes"] = PostOutcomes
    app.jinja_env.filters["outcome_day"] = services.day
