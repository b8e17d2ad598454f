"""Template filters and globals shared by every page."""

from __future__ import annotations

from functools import cached_property

from flask import Flask, request, url_for
from flask_login import current_user

from forum import timeutil
from forum.accounts import policy as accounts_policy
from forum.cases import guard
from forum.cases import policy as cases_policy
from forum.meetings import services as meetings
from forum.moderation import policy as moderation_policy
from forum.moderation import services as moderation
from forum.notifications import services as notifications


def _person_zone() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return timeutil.DEFAULT_ZONE


class Navigation:
    """Worked out only when a page's navigation asks (emails never do)."""

    @cached_property
    def invitations(self) -> bool:
        return accounts_policy.may_send_invitations(current_user)

    @cached_property
    def people(self) -> bool:
        return accounts_policy.may_manage_people(current_user)

    @cached_property
    def privacy_review(self) -> bool:
        """Managers' link; facilitators reach their circles' clearances from the circle page
        (so other pages need no query to find out)."""
        return current_user.is_manager

    @cached_property
    def moderation(self) -> bool:
        return moderation_policy.may_moderate(current_user)

    @cached_property
    def review_count(self) -> int:
        return moderation.open_count(current_user)

    @cached_property
    def unread(self) -> int:
        """The bell's count: one cheap query."""
        return notifications.unread_count(current_user)


def field_attributes(field, css_class: str, **extra) -> dict:
    """HTML attributes tying a field to its hint and error, for screen readers."""
    described = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described.append(f"{field.id}-error")
    attributes = {key: value for key, value in extra.items() if value is not None}
    attributes["class_"] = css_class + (f" {css_class}--error" if field.errors else "")
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


def author_of(item):
    """The author to name for a post or reply, or None for "An adviser" (policy decides)."""
    return cases_policy.shown_author(current_user, item.author_id, item.author, item.show_author)


class PostModeration:
    """What a post page shows of moderation: the viewer's own flags, what was done to their
    own writing and why, and which buttons policy allows. Two queries, whatever the page."""

    def __init__(self, post, replies):
        self.flagged = moderation.own_open_flags(current_user, post, replies)
        self.notes = moderation.notes_for(current_user, post, replies)
        self.moderator = moderation_policy.may_moderate(current_user)

    def may_flag(self, item) -> bool:
        return moderation_policy.may_flag(current_user, item.author_id)


def page_url(**key) -> str:
    """This list's address with a new page key, keeping its filters."""
    args = {name: values for name, values in request.args.lists() if name not in ("older", "newer", "after")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, **key)


def marked_findings(text: str, findings, field: str):
    """A field's text with its privacy findings marked and numbered as in the list."""
    numbered = [(number, finding) for number, finding in enumerate(findings, start=1) if finding.field == field]
    return guard.marked(text, sorted(numbered, key=lambda pair: pair[1].start))


def finding_label(finding) -> str:
    return "possible " + guard.KIND_LABELS.get(finding.kind, "personal detail")


def register(app: Flask) -> None:
    app.jinja_env.globals["marked_findings"] = marked_findings
    app.jinja_env.globals["describe_schedule"] = meetings.describe
    app.jinja_env.globals["is_following"] = lambda target_type, target_id: notifications.is_following(
        current_user.id, target_type, target_id)
    app.jinja_env.globals["marked_window"] = guard.marked_window
    app.jinja_env.globals["finding_label"] = finding_label
    app.jinja_env.globals["clear_reasons"] = guard.CLEAR_REASONS
    app.jinja_env.globals["field_attributes"] = field_attributes
    app.jinja_env.globals["author_of"] = author_of
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["post_moderation"] = PostModeration
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_filter("datetime")
    def datetime_filter(moment):
        return timeutil.format_datetime(moment, _person_zone())

    @app.template_filter("date")
    def date_filter(moment):
        return timeutil.format_date(moment, _person_zone())

    @app.template_filter("ago")
    def ago_filter(moment):
        return timeutil.time_ago(moment)

    # (object, its address, its name): for lists of things a person follows.
    app.jinja_env.filters["theme_link"] = lambda theme: (theme, url_for("cases.theme", slug=theme.slug), theme.name)
    app.jinja_env.filters["circle_link"] = lambda circle: (circle, url_for("circles.show", circle_id=circle.id), circle.name)
    app.jinja_env.filters["post_link"] = lambda post: (post, url_for("cases.show", post_id=post.id), post.title)

    @app.template_filter("iso")
    def iso_filter(moment):
        return timeutil.as_utc(moment).isoformat() if moment else ""

    @app.context_processor
    def navigation():
        """What the navigation may offer: decided by each module's policy, not the template."""
        return {"nav": Navigation() if getattr(current_user, "is_authenticated", False) else {}}
