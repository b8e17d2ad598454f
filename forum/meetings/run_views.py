"""The live meeting: the run page, its controls, the state poll, notes, actions, the end."""

from __future__ import annotations

import hashlib
import json

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from forum.accounts.forms import ConfirmForm
from forum.cases.models import Reply, Status
from forum.circles import policy as circles
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.forms import form_status, submitted
from forum.meetings import policy, pulse, run, running
from forum.meetings.forms import ActionPointForm, PulseForm
from forum.meetings.models import MeetingStatus, Presence
from forum.meetings.services import active_members
from forum.timeutil import format_datetime
from forum.web import member, safe_next_url

bp = Blueprint("running", __name__)


def passive(view):
    """A request a page makes by itself (polling): it does not count as the person being active."""
    view.is_passive = True
    return view


def _run_page(meeting, anchor=None) -> str:
    return url_for("running.run_page", meeting_id=meeting.id, _anchor=anchor)


@bp.route("/meetings/<int:meeting_id>/run")
@member
def run_page(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    return _show_run(meeting, circle)


def _show_run(meeting, circle, action_form: ActionPointForm | None = None):
    live = running.view(meeting, circle)
    guidance = None
    if live.item is not None and live.phase is not None and live.item.presenter_id == current_user.id:
        guidance = run.presenter_guidance(live.phase.presenter)
    members = active_members(circle.id)
    attendance = running.attendance(meeting)
    mine = next((status for person, status in attendance if person.id == current_user.id), None)
    action_form = action_form or ActionPointForm(formdata=None)
    action_form.owner.choices = [(person.id, person.display_name) for person in members]
    return render_template(
        "meetings/run.html", meeting=meeting, circle=circle, live=live, guidance=guidance,
        facilitator=policy.may_run(current_user, circle),
        may_write=policy.may_write_notes(current_user, meeting, circle),
        controls=run.available_controls(live.state, running.phases_of(meeting, circle), len(live.items)),
        phases=running.phases_of(meeting, circle), attendance=attendance, members=members,
        not_checked_in=meeting.status == MeetingStatus.RUNNING and mine is not None and mine != Presence.PRESENT,
        names={person.id: person.display_name for person in members},
        actions=running.actions_of(meeting), carried=running.previous_open_actions(meeting), action_form=action_form), form_status(action_form)


@bp.route("/meetings/<int:meeting_id>/control", methods=["POST"])
@member
def control(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    name = request.form.get("control", "")
    if name not in run.CONTROLS and name != "start":
        abort(400)
    early_ok = request.form.get("early") == "1"
    if name == "start" and not early_ok and policy.may_run(current_user, circle) and running.starts_early(meeting):
        return redirect(url_for("running.start_early", meeting_id=meeting.id), 303)
    return submitted(None, lambda: running.control(current_user, meeting, circle, name, request.form.get("version", type=int),
                                                   early_ok=early_ok),
                     back=_run_page(meeting, "controls"))


@bp.route("/meetings/<int:meeting_id>/start")
@member
def start_early(meeting_id: int):
    """The confirmation asked before a meeting starts more than 30 minutes early."""
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if not policy.may_run(current_user, circle):
        abort(403)
    if not running.starts_early(meeting):
        return redirect(_run_page(meeting))
    return render_template("meetings/start_early.html", meeting=meeting, circle=circle,
                           version=running.state_of(meeting).version)


@bp.route("/meetings/<int:meeting_id>/here", methods=["POST"])
@member
def check_in(meeting_id: int):
    """"I'm here": sent by the button, or once by the page when it loads while the meeting runs."""
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if request.accept_mimetypes.best == "application/json":
        return submitted(None, lambda: running.check_in(current_user, meeting, circle),
                         then=lambda _result: jsonify(present=True), back=_run_page(meeting))
    return submitted(None, lambda: running.check_in(current_user, meeting, circle), "You are marked present.",
                     back=_run_page(meeting, "controls"))


def _state(live: running.Poll) -> dict:
    names = {person.id: person.display_name for person in live.present}
    item = live.item
    return {
        "version": live.state.version,
        "status": live.state.status,
        "item": None if item is None else {"title": item[1], "url": url_for("cases.show", post_id=item[0]),
                                           "presenter": names.get(item[2], "")},
        "phase": None if live.phase is None else {"name": live.phase.name, "prompt": live.phase.prompt,
                                                  "number": live.state.phase_index + 1, "count": len(live.phases)},
        "ends_at": live.countdown.ends_at.isoformat() if live.countdown else None,
        "ends_at_text": format_datetime(live.countdown.ends_at, current_user.timezone) if live.countdown else "",
        "heard": sorted(live.heard),
        "go_round": live.go_round,
        "next": None if live.next_speaker is None else {
            "id": live.next_speaker[0], "name": live.next_speaker[1],
            "url": url_for("running.heard", meeting_id=live.meeting_id, user_id=live.next_speaker[0])},
    }


@bp.route("/meetings/<int:meeting_id>/state")
@member
@passive
def state(meeting_id: int):
    """Polled every few seconds: small, and 304 when nothing changed. Plain rows in three
    statements after the sign-in (running.poll), no ORM objects."""
    live = running.poll(current_user, meeting_id)
    if live is None:
        abort(404)
    body = _state(live)  # "over" is derived in the browser from ends_at, so the ETag only changes with the state
    tag = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:20]
    if request.if_none_match.contains(tag):
        response = jsonify()
        response.status_code = 304
        response.set_etag(tag)
        return response
    response = jsonify(body)
    response.set_etag(tag)
    return response


@bp.route("/meetings/<int:meeting_id>/heard/<int:user_id>", methods=["POST"])
@member
def heard(meeting_id: int, user_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    return submitted(None, lambda: running.mark_heard(current_user, meeting, circle, user_id, request.form.get("heard") == "1"),
                     back=_run_page(meeting, "heard"))


@bp.route("/meetings/<int:meeting_id>/go-round", methods=["POST"])
@member
def go_round(meeting_id: int):
    """The facilitator turns the speaking order ("go round") on or off."""
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    on = request.form.get("on") == "1"
    return submitted(None, lambda: running.set_go_round(current_user, meeting, circle, on),
                     "Go round is on: the page shows who speaks next." if on else "Go round is off.",
                     back=_run_page(meeting, "heard"))


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@member
def attendance(meeting_id: int):
    """The facilitator's attendance form: one choice per person, with the status the page showed."""
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    marks = {}
    for key, chosen in request.form.items():
        if key.startswith("status-") and key[7:].isdigit():
            marks[int(key[7:])] = (request.form.get(f"seen-{key[7:]}", ""), chosen)
    target = request.form.get("next", "")
    return submitted(None, lambda: running.set_attendance(current_user, meeting, circle, marks),
                     "Attendance is saved.", back=safe_next_url(target) if target else _run_page(meeting, "attendance"))


@bp.route("/meetings/<int:meeting_id>/presenter/<int:item_id>", methods=["POST"])
@member
def presenter(meeting_id: int, item_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    chosen = request.form.get("presenter", type=int)
    return submitted(None, lambda: running.set_presenter(current_user, meeting, circle, item_id, chosen),
                     "The presenter is saved.", back=_run_page(meeting))


@bp.route("/meetings/<int:meeting_id>/note-taker", methods=["POST"])
@member
def note_taker(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    chosen = request.form.get("note_taker", type=int)
    return submitted(None, lambda: running.set_note_taker(current_user, meeting, circle, chosen), "The note-taker is saved.",
                     back=_run_page(meeting))


@bp.route("/meetings/<int:meeting_id>/notes/<int:item_id>", methods=["POST"])
@member
def notes(meeting_id: int, item_id: int):
    """Saved by the page as it is typed (JSON) or by the button (a page)."""
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    text = request.form.get("notes", "")
    try:
        version = running.save_notes(current_user, meeting, circle, item_id, text, request.form.get("version", type=int))
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    except running.NotesConflict as conflict:
        db.session.rollback()
        if wants_json:
            return jsonify(conflict=True, theirs=conflict.theirs, version=conflict.version, message=conflict.message), 409
        return _run_with_conflict(meeting, circle, item_id, text, conflict), 409
    except Invalid as error:
        # Not forms.submitted: the page saves as it is typed and is answered in JSON, and a
        # conflict (above) shows both versions.
        db.session.rollback()
        if wants_json:
            return jsonify(error=error.message), 400
        flash(error.message, "error")
        return redirect(_run_page(meeting, "notes"), 303)
    db.session.commit()
    if wants_json:
        return jsonify(saved=True, version=version)
    flash("The notes are saved.", "success")
    return redirect(_run_page(meeting, "notes"))


def _run_with_conflict(meeting, circle, item_id, mine, conflict):
    return render_template("meetings/notes_conflict.html", meeting=meeting, circle=circle, item_id=item_id,
                           mine=mine, theirs=conflict.theirs, version=conflict.version, message=conflict.message)


@bp.route("/circles/<int:circle_id>/protocol", methods=["GET", "POST"])
@member
def protocol(circle_id: int):
    circle = circles.managed_circle_or_404(current_user, circle_id)
    form = ConfirmForm()  # the phases are read from the request as they come: the form holds the message

    def save():
        if request.form.get("preset"):
            return running.choose_preset(current_user, circle, request.form["preset"])
        return running.edit_phases(current_user, circle, _phases_from(request.form))

    if response := submitted(form, save, "The protocol is saved.", url_for("running.protocol", circle_id=circle.id)):
        return response
    return render_template("meetings/protocol.html", circle=circle, phases=running.protocol_of(circle),
                           presets=run.PRESETS, error=form.form_errors[0] if form.form_errors else None,
                           states=run.PRESENTER_STATES), form_status(form)


def _phases_from(form) -> list:
    phases, number = [], 0
    while f"name-{number}" in form and number < 20:
        minutes = form.get(f"minutes-{number}", "")
        phases.append(run.Phase(form.get(f"name-{number}", "").strip(),
                                int(minutes) if minutes.isdigit() else 0,
                                form.get(f"prompt-{number}", "").strip(), form.get(f"presenter-{number}", "")))
        number += 1
    return phases


@bp.route("/meetings/<int:meeting_id>/actions", methods=["POST"])
@member
def add_action(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    form = ActionPointForm()
    form.owner.choices = []
    return submitted(form, lambda: running.add_action(
        current_user, meeting, circle, request.form.get("item", type=int), form.owner.data,
        form.text.data or "", form.due.data), "The action point is recorded.",
        back=_run_page(meeting, "actions")) or _show_run(meeting, circle, form)


@bp.route("/meetings/<int:meeting_id>/actions/<int:action_id>/carry", methods=["POST"])
@member
def carry(meeting_id: int, action_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    return submitted(None, lambda: running.carry_over(current_user, meeting, circle, action_id),
                     "The action is carried over to this meeting.", back=_run_page(meeting, "carried"))


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@member
def toggle_action(action_id: int):
    target = request.form.get("next", "")

    return submitted(None, lambda: running.toggle_done(current_user, action_id),
                     back=safe_next_url(target) if target else url_for("pages.home"))


@bp.route("/meetings/<int:meeting_id>/end", methods=["GET", "POST"])
@member
def end(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if not policy.may_run(current_user, circle):
        abort(403)
    items = running.accepted_items(meeting)

    def page():
        return render_template("meetings/end.html", meeting=meeting, circle=circle, items=items,
                               waiting=[item for item in items if item.summary_reply_id and not _posted(item)])

    def ended(waiting: list[int]):
        if not waiting:
            return redirect(url_for("running.summary", meeting_id=meeting.id))
        flash("Some summary replies need their privacy check before the meeting can close. Nothing is lost.", "error")
        return page()

    if request.method != "POST":
        return page()
    learning = {item.id: request.form.get(f"learning-{item.id}", "") for item in items}
    share = {item.id for item in items if request.form.get(f"share-{item.id}")}
    return submitted(None, lambda: running.end(current_user, meeting, circle, learning, share,
                                               request.form.get("version", type=int)),
                     lambda waiting: None if waiting else "The meeting has ended. Its summary is below.", ended,
                     back=url_for("running.end", meeting_id=meeting.id))


def _posted(item) -> bool:
    reply = db.session.get(Reply, item.summary_reply_id)
    return reply is not None and reply.status == Status.PUBLISHED


@bp.route("/meetings/<int:meeting_id>/summary")
@member
def summary(meeting_id: int, pulse_form=None, status: int = 200):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if meeting.status != MeetingStatus.FINISHED:
        abort(404)
    may_see_pulse = policy.may_see_pulse(current_user, circle)
    asked = pulse.asks(current_user, meeting)
    return render_template("meetings/summary.html", meeting=meeting, circle=circle,
                           facilitator=policy.may_run(current_user, circle),
                           pulse_asked=asked or pulse_form is not None, pulse_form=pulse_form or PulseForm(),
                           pulse_open=pulse.is_open(meeting), pulse_closes_at=pulse.closes_at(meeting),
                           answered=not asked and pulse.has_answered(current_user, meeting),
                           signpost=pulse.signpost() if asked or pulse_form is not None else None,
                           figures=pulse.meeting_pulse(meeting) if may_see_pulse else None,
                           **running.summary(meeting)), status


@bp.route("/meetings/<int:meeting_id>/pulse", methods=["POST"])
@member
def answer_pulse(meeting_id: int):
    """The pulse, from the summary page: once per person recorded present, while it is open."""
    meeting, _circle = policy.meeting_or_404(current_user, meeting_id)
    form = PulseForm()
    data = pulse.PulseInput(request.form.get("usefulness"), request.form.get("coping"), form.words.data or "")
    if response := submitted(form, lambda: pulse.answer(current_user, meeting, data),
                             "Thank you: your answer is saved, without your name.",
                             url_for("running.summary", meeting_id=meeting.id, _anchor="pulse"),
                             back=url_for("running.summary", meeting_id=meeting.id, _anchor="pulse")):
        return response
    return summary(meeting_id, pulse_form=form, status=400)
