"""The bell's page, following, email settings and one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from forum.cases import services as cases
from forum.circles.policy import is_member
from forum.errors import NotFound
from forum.extensions import csrf, db
from forum.forms import form_status, submitted
from forum.notifications import email, services
from forum.notifications.forms import settings_form
from forum.notifications.models import EMAIL_KINDS, Kind, Mode
from forum.templating import link_pattern
from forum.themes.models import Theme
from forum.web import member, public, safe_next_url

bp = Blueprint("notifications", __name__)


def _own(notification_id: int):
    try:
        return services.get_own(current_user, notification_id)
    except NotFound:
        abort(404)


@bp.route("/notifications")
@member
def index():
    page, context = services.page(current_user, request.args.get("older"), request.args.get("newer"))
    described = []
    # Once per page, not per notification (issue 19).
    open_link = link_pattern("notifications.open_one", "notification_id")
    read_link = link_pattern("notifications.mark_read", "notification_id")
    for item in page.items:
        if item.moderation_action_id:
            text = services.describe_moderation(item, context["moderation"][item.moderation_action_id], context["posts"])
        elif item.meeting_id:
            meeting = context["meetings"][item.meeting_id]
            text = services.describe_meeting(item, meeting, context["circles"][meeting.circle_id], current_user.timezone)
        else:
            text = services.describe(item, context["posts"][item.post_id], context["replies"].get(item.reply_id),
                                     context["actors"])
        described.append((item, text, open_link(item.id), read_link(item.id)))
    return render_template("notifications/index.html", page=page, items=described)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@member
def open_one(notification_id: int):
    notification = _own(notification_id)
    return submitted(None, lambda: services.mark_read(notification), None, lambda _: redirect(_link(notification)))


def _link(notification) -> str:
    """Where a notification leads: its meeting, its moderation outcome, or its post or reply."""
    if notification.kind == Kind.PULSE:
        return url_for("running.summary", meeting_id=notification.meeting_id, _anchor="pulse")
    if notification.kind == Kind.MEMBER_NOTE:
        return url_for("meetings.notes_to_me")
    if notification.kind == Kind.REFLECT:
        return url_for("learning.new_reflection", meeting=notification.meeting_id)
    if notification.meeting_id:
        return url_for("meetings.show", meeting_id=notification.meeting_id)
    if notification.moderation_action_id:
        return services.moderation_link(current_user, notification)
    if notification.kind == Kind.FOLLOW_UP:
        return url_for("outcomes.record", post_id=notification.post_id)
    anchor = f"reply-{notification.reply_id}" if notification.reply_id else None
    return url_for("cases.show", post_id=notification.post_id, reply=notification.reply_id, _anchor=anchor)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@member
def mark_read(notification_id: int):
    notification = _own(notification_id)
    return submitted(None, lambda: services.mark_read(notification), back=url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@member
def mark_all_read():
    return submitted(None, lambda: services.mark_all_read(current_user), "All your notifications are marked as read.",
                     back=url_for("notifications.index"))


# Following ------------------------------------------------------------------------------------------


def _target(target_type: str, target_id: int) -> str:
    """The page of a followable thing the person may see; 404 otherwise."""
    if target_type == "post":
        try:
            cases.get_visible_post(current_user, target_id)
        except NotFound:
            abort(404)
        return url_for("cases.show", post_id=target_id)
    if target_type == "circle":
        if not is_member(current_user, target_id):
            abort(404)
        return url_for("pages.circle", circle_id=target_id)
    if target_type == "theme":
        theme = db.session.get(Theme, target_id)
        if theme is None or theme.archived:
            abort(404)
        return url_for("cases.theme", slug=theme.slug)
    abort(404)


@bp.route("/follow/<any(post, theme, circle):target_type>/<int:target_id>", methods=["POST"])
@member
def follow(target_type: str, target_id: int):
    back = _back(_target(target_type, target_id))
    return submitted(None, lambda: services.follow(current_user.id, target_type, target_id),
                     f"You are following this {target_type}.", back=back)


@bp.route("/unfollow/<any(post, theme, circle):target_type>/<int:target_id>", methods=["POST"])
@member
def unfollow(target_type: str, target_id: int):
    back = _back(_target(target_type, target_id))
    return submitted(None, lambda: services.unfollow(current_user.id, target_type, target_id),
                     f"You are no longer following this {target_type}.", back=back)


def _back(page: str) -> str:
    """The page the button was on, when it says so (a list of follows), else the followed thing's."""
    return safe_next_url(request.form.get("next")) if request.form.get("next") else page


@bp.route("/following")
@member
def following():
    posts, themes, circles = services.following(current_user)
    return render_template("notifications/following.html", posts=posts, themes=themes, circles=circles)


# Email settings and unsubscribe -----------------------------------------------------------------------------


@bp.route("/account/notifications", methods=["GET", "POST"])
@member
def settings():
    modes = services.email_modes(current_user.id)
    form = settings_form(modes, request.form if request.method == "POST" else None)

    def save() -> None:
        for kind in EMAIL_KINDS:
            services.set_email_mode(current_user.id, kind, Mode(form[kind.value].data))

    if response := submitted(form, save, "Your email settings are saved.", url_for("notifications.settings")):
        return response
    return render_template("notifications/settings.html", form=form, kinds=EMAIL_KINDS), form_status(form)


@bp.route("/unsubscribe/<token>", methods=["GET"])
@public
def unsubscribe(token: str):
    found = email.read_unsubscribe_token(token)
    if found is None:
        return render_template("notifications/unsubscribe_gone.html"), 410
    return render_template("notifications/unsubscribe.html", label=email.kind_label(found[1]), done=False)


@bp.route("/unsubscribe/<token>", methods=["POST"])
@public
@csrf.exempt
def confirm_unsubscribe(token: str):
    """Authorised by the signed token alone, so mail clients can do it in one click."""
    found = email.read_unsubscribe_token(token)
    if found is None:
        return render_template("notifications/unsubscribe_gone.html"), 410
    user_id, kind = found
    return submitted(None, lambda: email.unsubscribe(user_id, kind), None,
                     lambda _: render_template("notifications/unsubscribe.html", label=email.kind_label(kind), done=True))
