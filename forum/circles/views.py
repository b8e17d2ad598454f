"""Browsing, creating, joining and facilitating circles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.accounts.forms import ConfirmForm
from forum.circles import policy, services
from forum.circles.forms import CircleForm, InviteForm
from forum.circles.models import MemberStatus, Mode
from forum.forms import form_status, submitted
from forum.web import member

bp = Blueprint("circles", __name__)


def _circle(circle_id: int):
    return policy.circle_or_404(current_user, circle_id)


def _page_of(circle) -> str:
    return url_for("pages.circle", circle_id=circle.id)


def _input(form) -> services.CircleInput:
    return services.CircleInput(form.name.data or "", form.purpose.data or "", Mode(form.mode.data), form.size_limit.data or 0)


@bp.route("/circles/new", methods=["GET", "POST"])
@member
def create():
    form = CircleForm()
    if response := submitted(form, lambda: services.create(current_user, _input(form)),
                             lambda circle: f"Your circle “{circle.name}” is ready. Set its schedule and invite members.",
                             lambda circle: redirect(_page_of(circle))):
        return response
    return render_template("circles/form.html", form=form, circle=None), form_status(form)


@bp.route("/circles/<int:circle_id>/join", methods=["POST"])
@member
def join(circle_id: int):
    circle = _circle(circle_id)
    return submitted(None, lambda: services.join(current_user, circle),
                     lambda status: "You have joined the circle." if status == MemberStatus.ACTIVE
                     else "Your request to join has been sent to the facilitators.", back=_page_of(circle))


@bp.route("/circles/<int:circle_id>/leave", methods=["GET", "POST"])
@member
def leave(circle_id: int):
    circle = _circle(circle_id)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.leave(current_user, circle), "You have left the circle.",
                             back=_page_of(circle)):
        return response
    return render_template("circles/confirm.html", circle=circle, form=form, heading=f"Leave “{circle.name}”?",
                           explanation="You will no longer see its posts, meetings or agendas, and its meetings leave your calendar.",
                           button="Leave circle")


@bp.route("/circles/<int:circle_id>/edit", methods=["GET", "POST"])
@member
def edit(circle_id: int):
    circle = policy.managed_circle_or_404(current_user, circle_id)
    form = CircleForm(obj=circle, mode=circle.mode.value) if request.method == "GET" else CircleForm()
    if response := submitted(form, lambda: services.update(current_user, circle, _input(form)),
                             "The circle's details are saved.", _page_of(circle)):
        return response
    return render_template("circles/form.html", form=form, circle=circle), form_status(form)


@bp.route("/circles/<int:circle_id>/invite", methods=["POST"])
@member
def invite(circle_id: int):
    circle = policy.managed_circle_or_404(current_user, circle_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash("Enter the display name of the person to invite.", "error")
        return redirect(_page_of(circle))
    return submitted(None, lambda: services.invite(current_user, circle, form.display_name.data),
                     f"{form.display_name.data} has been invited. They will see the circle and can accept.",
                     back=_page_of(circle))


@bp.route("/circles/<int:circle_id>/members/<int:user_id>/<any(approve, remove, facilitator, handover):action>", methods=["POST"])
@member
def member_action(circle_id: int, user_id: int, action: str):
    circle = policy.managed_circle_or_404(current_user, circle_id)
    steps = {
        "approve": (services.approve, "The request is approved."),
        "remove": (services.remove, "Done: they are no longer in the circle."),
        "facilitator": (services.make_facilitator, "They are now a co-facilitator."),
        "handover": (services.hand_over, "You have handed the circle over."),
    }
    step, message = steps[action]
    return submitted(None, lambda: step(current_user, circle, user_id), message, back=_page_of(circle))


@bp.route("/circles/<int:circle_id>/archive", methods=["GET", "POST"])
@member
def archive(circle_id: int):
    circle = policy.managed_circle_or_404(current_user, circle_id)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.archive(current_user, circle),
                             "The circle is archived and its meetings are cancelled.", back=_page_of(circle)):
        return response
    return render_template("circles/confirm.html", circle=circle, form=form, heading=f"Archive “{circle.name}”?",
                           explanation="The circle becomes read-only and every upcoming meeting is cancelled. Members are told.",
                           button="Archive circle")
