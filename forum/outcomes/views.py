"""Recording what happened next on a case, "stop asking", and turning a case into a story."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from forum.cases import guard
from forum.cases.models import OutcomeType
from forum.forms import form_status, submitted
from forum.outcomes import policy, services
from forum.outcomes.forms import OutcomeUpdateForm
from forum.web import member

bp = Blueprint("outcomes", __name__)

LABELS = {"note": "Note"}


def _input(form: OutcomeUpdateForm) -> services.OutcomeInput:
    return services.OutcomeInput(types=tuple(form.types.data or ()), occurred_on=form.occurred_on.data,
                                 note=form.note.data or "", barriers=tuple(form.barriers.data or ()),
                                 resolved=bool(form.resolved.data))


def _form(post) -> OutcomeUpdateForm:
    """A new form; or, on a GET with an update waiting for its privacy check, that update."""
    draft = services.draft_of(current_user, post) if request.method == "GET" else None
    if draft is None:
        return OutcomeUpdateForm()
    return OutcomeUpdateForm(data={"types": [kind.value for kind in draft.outcome_types], "occurred_on": draft.occurred_on,
                                   "barriers": [barrier.value for barrier in draft.barriers], "note": draft.note_md})


@bp.route("/posts/<int:post_id>/outcomes/new", methods=["GET", "POST"])
@member
def record(post_id: int):
    post = policy.case_or_404(current_user, post_id)
    if not policy.may_record(current_user, post):
        abort(403)
    form = _form(post)
    draft = services.draft_of(current_user, post)
    findings = guard.live_findings(services.TARGET, draft.id) if draft else []
    placeholder = request.form.get("use_placeholder", type=int)

    def page(findings, status: int = 200):
        return render_template("outcomes/record.html", post=post, form=form, findings=findings,
                               fields={"note": form.note.data or ""}, labels=LABELS, groups=GROUPS,
                               prompt_week=services.case_state(post).open_week), status

    def save():
        data = _input(form)
        if placeholder is None:
            return services.record(current_user, post, data, guard.choices_from(request.form))
        form.note.data = services.note_with_placeholder(current_user, post, data, placeholder)
        return guard.live_findings(services.TARGET, services.draft_of(current_user, post).id)

    if placeholder is None:
        message, then = "Your outcome update is saved.", url_for("cases.show", post_id=post.id, _anchor="outcomes")
    else:  # a placeholder put in: the note is shown again with its findings
        message, then = None, page
    if response := submitted(form, save, message, then, held=lambda review: page(review.findings, 400)):
        return response
    return page(findings, form_status(form))


@bp.route("/posts/<int:post_id>/follow-ups/stop", methods=["POST"])
@member
def stop_asking(post_id: int):
    post = policy.case_or_404(current_user, post_id)
    return submitted(None, lambda: services.stop_asking(current_user, post),
                     "You will not be asked about this case again.",
                     back=url_for("cases.show", post_id=post.id, _anchor="outcomes"))


@bp.route("/posts/<int:post_id>/story", methods=["POST"])
@member
def turn_into_story(post_id: int):
    post = policy.case_or_404(current_user, post_id)
    return submitted(None, lambda: services.turn_into_story(current_user, post),
                     "Your story is a draft: check it, then publish it.",
                     lambda story: redirect(url_for("cases.edit", post_id=story.id), 303),
                     back=url_for("cases.show", post_id=post.id, _anchor="outcomes"))


#: The form's choices in the vocabulary's three groups.
GROUPS = (
    ("Direct", [kind for kind in OutcomeType if kind.group.value == "direct"]),
    ("Indirect", [kind for kind in OutcomeType if kind.group.value == "indirect"]),
    ("Other", [kind for kind in OutcomeType if kind.group.value == "other"]),
)
