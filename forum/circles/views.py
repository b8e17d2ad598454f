"""Browsing, creating, joining and facilitating circles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.accounts.forms import ConfirmForm
from forum.circles import policy, services
from forum.circles.forms import CircleForm, InviteForm
from forum.circles.models import MemberStatus, Mode
from forum.errors import Invalid, NotFound
from forum.extensions import db
from forum.forms import add_error
from forum.web import perform

bp = Blueprint("circles", __name__)


def _circle(circle_id: int):
    try:
        return services.get_known(current_user, circle_id)
    except NotFound:
        abort(404)


def managed_circle_or_abort(circle_id: int):
    """A circle the person facilitates: 404 if they may not know it, 403 if they may not manage it."""
    circle = _circle(circle_id)
    if not policy.may_see_inside(current_user, circle):
        abort(404 if not circle.listed else 403)
    if not policy.may_manage(current_user, circle):
        abort(403)
    return circle


def _input(form) -> services.CircleInput:
    return services.CircleInput(form.name.data or "", form.purpose.data or "", Mode(form.mode.data), form.size_limit.data or 0)


@bp.route("/circles")
def index():
    listed = services.listed(current_user)
    mine = services.circles_of(current_user)
    return render_template("circles/index.html", listed=listed, mine=mine,
                           facilitators=services.facilitators(listed + mine))


@bp.route("/circles/new", methods=["GET", "POST"])
def create():
    form = CircleForm()
    if form.validate_on_submit():
        try:
            circle = services.create(current_user, _input(form))
        except Invalid as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"Your circle “{circle.name}” is ready. Set its schedule and invite members.", "success")
            return redirect(url_for("pages.circle", circle_id=circle.id))
    return render_template("circles/form.html", form=form, circle=None), (400 if form.errors else 200)


def _act(circle, action, success: str):
    return perform(action, url_for("pages.circle", circle_id=circle.id), success)


@bp.route("/circles/<int:circle_id>/join", methods=["POST"])
def join(circle_id: int):
    circle = _circle(circle_id)
    try:
        status = services.join(current_user, circle)
    except NotFound:
        abort(404)
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("pages.circle", circle_id=circle.id)), 303
    db.session.commit()
    flash("You have joined the circle." if status == MemberStatus.ACTIVE
          else "Your request to join has been sent to the facilitators.", "success")
    return redirect(url_for("pages.circle", circle_id=circle.id))


@bp.route("/circles/<int:circle_id>/leave", methods=["GET", "POST"])
def leave(circle_id: int):
    circle = _circle(circle_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        return _act(circle, lambda: services.leave(current_user, circle), "You have left the circle.")
    return render_template("circles/confirm.html", circle=circle, form=form, heading=f"Leave “{circle.name}”?",
                           explanation="You will no longer see its posts, meetings or agendas, and its meetings leave your calendar.",
                           button="Leave circle")


@bp.route("/circles/<int:circle_id>/edit", methods=["GET", "POST"])
def edit(circle_id: int):
    circle = managed_circle_or_abort(circle_id)
    form = CircleForm(obj=circle, mode=circle.mode.value) if request.method == "GET" else CircleForm()
    if form.validate_on_submit():
        try:
            services.update(current_user, circle, _input(form))
        except Invalid as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash("The circle's details are saved.", "success")
            return redirect(url_for("pages.circle", circle_id=circle.id))
    return render_template("circles/form.html", form=form, circle=circle), (400 if form.errors else 200)


@bp.route("/circles/<int:circle_id>/invite", methods=["POST"])
def invite(circle_id: int):
    circle = managed_circle_or_abort(circle_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash("Enter the display name of the person to invite.", "error")
        return redirect(url_for("pages.circle", circle_id=circle.id))
    return _act(circle, lambda: services.invite(current_user, circle, form.display_name.data),
                f"{form.display_name.data} has been invited. They will see the circle and can accept.")


@bp.route("/circles/<int:circle_id>/members/<int:user_id>/<any(approve, remove, facilitator, handover):action>", methods=["POST"])
def member_action(circle_id: int, user_id: int, action: str):
    circle = managed_circle_or_abort(circle_id)
    steps = {
        "approve": (services.approve, "The request is approved."),
        "remove": (services.remove, "Done: they are no longer in the circle."),
        "facilitator": (services.make_facilitator, "They are now a co-facilitator."),
        "handover": (services.hand_over, "You have handed the circle over."),
    }
    step, message = steps[action]
    return _act(circle, lambda: step(current_user, circle, user_id), message)


@bp.route("/circles/<int:circle_id>/archive", methods=["GET", "POST"])
def archive(circle_id: int):
    circle = managed_circle_or_abort(circle_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        return _act(circle, lambda: services.archive(current_user, circle), "The circle is archived and its meetings are cancelled.")
    return render_template("circles/confirm.html", circle=circle, form=form, heading=f"Archive “{circle.name}”?",
                           explanation="The circle becomes read-only and every upcoming meeting is cancelled. Members are told.",
                           button="Archive circle")
