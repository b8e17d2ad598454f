"""The learning record's pages: the record, reflections, goals, downloads and shares. Every
page answers to its owner only (a share, to its one manager): see policy.py."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user

from forum.errors import Invalid
from forum.forms import form_status, submitted
from forum.learning import exports, policy, services
from forum.learning.forms import DownloadForm, GoalForm, PeriodForm, ReflectionForm, ShareForm
from forum.themes import services as themes
from forum.web import manager, member

bp = Blueprint("learning", __name__)


def _period(form: PeriodForm) -> services.Period | None:
    """The period asked for, or None with the error on the form (the page then answers 400)."""
    if not form.validate():
        return None
    try:
        return services.check_period(form.start.data, form.end.data, current_user)
    except Invalid as error:
        form.end.errors = [*form.end.errors, error.message]
        return None


def _record_page(form: DownloadForm):
    period = _period(form) or services.this_year(current_user)
    if form.start.data is None and not form.errors:
        form.start.data, form.end.data = period.start, period.end
    rec = services.record(current_user, period)
    return render_template("learning/index.html", record=rec, form=form, shares=services.shares_made(current_user),
                           received=services.shares_received(current_user)), form_status(form)


@bp.route("/learning")
@member
def index():
    return _record_page(DownloadForm(request.args))


def _download(kind: str):
    form = DownloadForm(request.args)
    period = _period(form)
    if period is None:
        return _record_page(form)
    data = services.plain(services.record(current_user, period), list(services.SECTIONS), set(form.reflections.data or ()))
    name = f"learning-record-{period.start.isoformat()}-to-{period.end.isoformat()}"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{kind}"', "Cache-Control": "no-store"}
    if kind == "pdf":
        return Response(exports.pdf_bytes(data), mimetype="application/pdf", headers=headers)
    return Response(exports.csv_text(data), mimetype="text/csv", headers=headers)


@bp.route("/learning/record.pdf")
@member
def download_pdf():
    return _download("pdf")


@bp.route("/learning/record.csv")
@member
def download_csv():
    return _download("csv")


# Reflections ---------------------------------------------------------------------------------------


def _reflection_input(form: ReflectionForm) -> services.ReflectionInput:
    return services.ReflectionInput(took=form.took.data or "", will_try=form.will_try.data or "")


@bp.route("/learning/reflections/new", methods=["GET", "POST"])
@member
def new_reflection():
    meeting_id, post_id = request.args.get("meeting", type=int), request.args.get("post", type=int)
    meeting = policy.meeting_to_reflect_on_or_404(current_user, meeting_id) if meeting_id else None
    post = policy.post_to_reflect_on_or_404(current_user, post_id) if post_id and not meeting else None
    if meeting is None and post is None:
        return redirect(url_for("learning.index"))
    form = ReflectionForm()
    subject = (services.subject_words(current_user, post.title, None, None) if post else
               services.subject_of_meeting(current_user, meeting))
    if response := submitted(form, lambda: services.add_reflection(current_user, _reflection_input(form), meeting=meeting, post=post),
                             "Your reflection is saved. Only you can read it.",
                             lambda reflection: redirect(url_for("learning.edit_reflection", reflection_id=reflection.id))):
        return response
    return render_template("learning/reflection.html", form=form, subject=subject, reflection=None, warnings=[],
                           back=url_for("cases.show", post_id=post.id) if post else url_for("running.summary", meeting_id=meeting.id)
                           ), form_status(form)


@bp.route("/learning/reflections/<int:reflection_id>", methods=["GET", "POST"])
@member
def edit_reflection(reflection_id: int):
    reflection = policy.reflection_or_404(current_user, reflection_id)
    form = ReflectionForm(obj=reflection)
    if response := submitted(form, lambda: services.edit_reflection(current_user, reflection, _reflection_input(form)),
                             "Your reflection is saved.", url_for("learning.edit_reflection", reflection_id=reflection.id)):
        return response
    shown = {"took": form.took.data or "", "will_try": form.will_try.data or ""}
    return render_template("learning/reflection.html", form=form, reflection=reflection,
                           subject=services.subject_of(current_user, reflection),
                           warnings=services.warnings(shown) if not form.errors else [],
                           back=url_for("learning.index")), form_status(form)


@bp.route("/learning/reflections/<int:reflection_id>/delete", methods=["GET", "POST"])
@member
def delete_reflection(reflection_id: int):
    reflection = policy.reflection_or_404(current_user, reflection_id)
    if request.method == "POST":
        return submitted(None, lambda: services.delete_reflection(current_user, reflection), "Your reflection is deleted.",
                         url_for("learning.index"), back=url_for("learning.index"))
    return render_template("learning/delete_reflection.html", reflection=reflection,
                           subject=services.subject_of(current_user, reflection))


# Goals -----------------------------------------------------------------------------------------------


@bp.route("/learning/goals/new", methods=["GET", "POST"])
@member
def new_goal():
    form = GoalForm()
    form.themes.choices = themes.choices()
    if response := submitted(form, lambda: services.add_goal(current_user, form.text.data or "", list(form.themes.data or ())),
                             "Your goal is saved.", url_for("learning.index", _anchor="goals")):
        return response
    return render_template("learning/goal.html", form=form), form_status(form)


@bp.route("/learning/goals/<int:goal_id>/done", methods=["POST"])
@member
def goal_done(goal_id: int):
    goal = policy.goal_or_404(current_user, goal_id)
    done = request.form.get("done") == "1"
    return submitted(None, lambda: services.set_goal_done(current_user, goal, done),
                     "Goal marked as done. Well done." if done else "Goal marked as not done.",
                     url_for("learning.index", _anchor="goals"), back=url_for("learning.index", _anchor="goals"))


# Shares ------------------------------------------------------------------------------------------------


@bp.route("/learning/share", methods=["GET", "POST"])
@member
def share():
    form = ShareForm()
    managers = policy.manager_choices(current_user)
    form.manager.choices = [(0, "Choose a manager")] + [(person.id, person.display_name) for person in managers]
    if request.method == "GET":
        period = services.this_year(current_user)
        form.start.data, form.end.data = period.start, period.end
    if response := submitted(form, lambda: services.share(current_user, form.manager.data, form.start.data, form.end.data,
                                                          list(form.sections.data or ())),
                             "Your record is shared. Only that manager can open it, and you can revoke it at any time.",
                             url_for("learning.index", _anchor="shares")):
        return response
    return render_template("learning/share.html", form=form, managers=managers), form_status(form)


@bp.route("/learning/shares/<int:share_id>/revoke", methods=["POST"])
@member
def revoke_share(share_id: int):
    row = policy.own_share_or_404(current_user, share_id)
    return submitted(None, lambda: services.revoke(current_user, row), "The share is revoked and its copy deleted.",
                     url_for("learning.index", _anchor="shares"), back=url_for("learning.index", _anchor="shares"))


@bp.route("/learning/shared")
@manager
def shared_with_me():
    return render_template("learning/shared_list.html", received=services.shares_received(current_user))


@bp.route("/learning/shared/<int:share_id>")
@manager
def shared(share_id: int):
    row = policy.received_share_or_404(current_user, share_id)
    data = services.snapshot(row)
    labels = [services.SECTIONS[key] for key in data["sections"] if key in services.SECTIONS]
    return render_template("learning/shared.html", share=row, data=data, labels=labels)
