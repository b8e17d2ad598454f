"""Schedules, meeting pages, agendas, RSVPs and calendar files."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from forum.accounts.forms import ConfirmForm
from forum.cases.models import Post
from forum.circles import policy as circles
from forum.extensions import db
from forum.forms import form_status, submitted
from forum.mail import link
from forum.meetings import delivery, policy, pulse, services
from forum.meetings.forms import (
    MeetingForm,
    MinutesForm,
    NominateForm,
    NoteForm,
    ReminderForm,
    RsvpForm,
    ScheduleForm,
    SignpostForm,
)
from forum.meetings.models import AgendaStatus, Answer
from forum.web import manager, member, public, safe_next_url

bp = Blueprint("meetings", __name__)


def _page_of(meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id)


def _int_or_none(value):
    return int(value) if value not in (None, "") and str(value).lstrip("-").isdigit() else None


@bp.route("/circles/<int:circle_id>/schedule", methods=["GET", "POST"])
@member
def schedule(circle_id: int):
    circle = circles.managed_circle_or_404(current_user, circle_id)
    existing = services.schedule_of(circle)
    if request.method == "GET" and existing is not None:
        recurrence = services.as_recurrence(existing)
        form = ScheduleForm(data={"frequency": existing.frequency, "start_date": existing.start_date,
                                  "start_time": recurrence.start_time, "duration_minutes": existing.duration_minutes,
                                  "timezone": existing.timezone, "nth": str(existing.nth or ""),
                                  "weekday": str(existing.weekday if existing.weekday is not None else ""),
                                  "until": existing.until, "call_link": existing.call_link})
    else:
        form = ScheduleForm()
    if response := submitted(form, lambda: services.save_schedule(current_user, circle, _schedule_input(form)),
                             "The schedule is saved and the next 12 weeks of meetings are in place.",
                             url_for("pages.circle", circle_id=circle.id)):
        return response
    return render_template("meetings/schedule.html", circle=circle, form=form), form_status(form)


def _schedule_input(form: ScheduleForm) -> services.ScheduleInput:
    return services.ScheduleInput(form.frequency.data, form.start_date.data, form.start_time.data,
                                  form.duration_minutes.data, form.timezone.data, _int_or_none(form.nth.data),
                                  _int_or_none(form.weekday.data), form.until.data, (form.call_link.data or "").strip())


@bp.route("/circles/<int:circle_id>/meetings/new", methods=["GET", "POST"])
@member
def add(circle_id: int):
    circle = circles.managed_circle_or_404(current_user, circle_id)
    form = MeetingForm()
    if response := submitted(form, lambda: services.add_meeting(current_user, circle, form.day.data, form.at.data,
                                                                form.duration_minutes.data, form.timezone.data),
                             "The meeting is added.", lambda meeting: redirect(_page_of(meeting))):
        return response
    return render_template("meetings/when.html", circle=circle, form=form, meeting=None), form_status(form)


def _nominate_form(meeting, form=None):
    form = form or NominateForm()
    # Rows of id and title: the choice needs nothing else of 100 posts.
    posts = db.session.execute(select(Post.id, Post.title).where(policy.nominable_clause(current_user, meeting))
                               .order_by(Post.last_activity_at.desc()).limit(100))
    form.post_id.choices = [(0, "Choose a case")] + [(post.id, post.title) for post in posts]
    return form


@bp.route("/meetings/<int:meeting_id>")
@member
def show(meeting_id: int, nominate_form=None, status: int = 200):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    answers = services.answers(meeting)
    mine = next((answer for person, answer in answers if person.id == current_user.id), None)
    return render_template(
        "meetings/show.html", meeting=meeting, circle=circle, agenda=services.agenda(meeting), answers=answers,
        may_manage=policy.may_manage(current_user, circle), may_run=policy.may_run(current_user, circle),
        nominate_form=_nominate_form(meeting, nominate_form),
        rsvp_form=RsvpForm(answer=(mine or Answer.GOING).value), my_answer=mine, minutes_form=MinutesForm(),
        AgendaStatus=AgendaStatus), status


@bp.route("/meetings/<int:meeting_id>/nominate", methods=["POST"])
@member
def nominate(meeting_id: int):
    meeting, _circle = policy.meeting_or_404(current_user, meeting_id)
    form = _nominate_form(meeting)
    if not form.validate_on_submit() or not form.post_id.data:
        if not form.post_id.data:
            form.post_id.errors = ["Choose a case to nominate"]
        return show(meeting_id, nominate_form=form, status=400)
    if response := submitted(form, lambda: services.nominate(current_user, meeting, form.post_id.data, form.note.data or ""),
                             lambda item: "The case is on the agenda." if item.status == AgendaStatus.ACCEPTED
                             else "Your nomination is sent to the facilitators.", _page_of(meeting)):
        return response
    return show(meeting_id, nominate_form=form, status=400)


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/<any(accept, decline, up, down):action>", methods=["POST"])
@member
def agenda_action(meeting_id: int, item_id: int, action: str):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if action in ("up", "down"):
        return submitted(None, lambda: services.reorder(current_user, meeting, circle, item_id, -1 if action == "up" else 1),
                         "The agenda order is saved.", back=_page_of(meeting))
    minutes = request.form.get("minutes", type=int)
    return submitted(None, lambda: services.decide(current_user, meeting, circle, item_id, action == "accept", minutes),
                     "The case is on the agenda." if action == "accept" else "The nomination is declined.",
                     back=_page_of(meeting))


@bp.route("/meetings/<int:meeting_id>/rsvp", methods=["POST"])
@member
def rsvp(meeting_id: int):
    """An answer from the meeting page, or from the buttons on home and the circle's page
    (`next`); sent with fetch, it is answered in JSON and the page updates in place."""
    meeting, _circle = policy.meeting_or_404(current_user, meeting_id)
    target = request.form.get("next", "")
    if request.accept_mimetypes.best == "application/json":
        return submitted(None, lambda: services.rsvp(current_user, meeting, request.form.get("answer", "")),
                         then=lambda _result: _answered(meeting), back=_page_of(meeting))
    return submitted(None, lambda: services.rsvp(current_user, meeting, request.form.get("answer", "")),
                     "Your answer is saved.", back=safe_next_url(target) if target else _page_of(meeting))


def _answered(meeting):
    """The answer, and who is now coming (so home and the circle's page update their count in place)."""
    names = services.coming(meeting)
    return jsonify(answer=request.form.get("answer"), coming=len(names), names=names)


@bp.route("/circles/<int:circle_id>/series", methods=["POST"])
@member
def series(circle_id: int):
    """"I'll come to every meeting" / "Ask me each time"."""
    circle = circles.circle_or_404(current_user, circle_id)
    every = request.form.get("every") == "1"
    target = request.form.get("next", "")
    return submitted(None, lambda: services.set_series(current_user, circle, every),
                     "Saved: you are counted in for every meeting of this circle."
                     if every else "You will be asked about each meeting.",
                     back=safe_next_url(target) if target else url_for("pages.circle", circle_id=circle.id))


@bp.route("/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@member
def move(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if not policy.may_manage(current_user, circle):
        abort(403)
    form = MeetingForm(timezone=meeting.timezone)
    if response := submitted(form, lambda: services.move(current_user, meeting, circle, form.day.data, form.at.data,
                                                         form.duration_minutes.data),
                             "The meeting has moved. Members have been told.", _page_of(meeting)):
        return response
    return render_template("meetings/when.html", circle=circle, form=form, meeting=meeting), form_status(form)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@member
def cancel(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    if not policy.may_manage(current_user, circle):
        abort(403)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.cancel(current_user, meeting, circle),
                             "The meeting is cancelled. Members have been told.", back=_page_of(meeting)):
        return response
    return render_template("meetings/cancel.html", meeting=meeting, circle=circle, form=form)


# Calendars ----------------------------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/meetings/<int:meeting_id>.ics")
@member
def meeting_ics(meeting_id: int):
    meeting, circle = policy.meeting_or_404(current_user, meeting_id)
    return _ics(delivery.calendar_for([meeting], circle.name), f"meeting-{meeting.id}.ics")


@bp.route("/calendar/<int:user_id>/<token>.ics")
@public
def feed(user_id: int, token: str):
    """The personal feed: the token is the authorisation (calendar apps cannot sign in)."""
    person = services.feed_owner(user_id, token)
    if person is None:
        abort(404)
    return _ics(delivery.calendar_for(services.feed_meetings(person), "Adviser forum circles"), "adviser-forum.ics")


@bp.route("/account/calendar", methods=["GET", "POST"])
@member
def calendar_settings():
    """Your calendar address (https and webcal) and the reminders you choose."""
    form = ReminderForm(reminders=services.reminder_choice(current_user))
    if response := submitted(form, lambda: services.choose_reminders(current_user, form.reminders.data),
                             "Your reminder choice is saved.", url_for("meetings.calendar_settings", _anchor="reminders")):
        return response
    token = services.feed_token(current_user)
    db.session.commit()
    feed_url = link("meetings.feed", user_id=current_user.id, token=token)
    return render_template("meetings/calendar.html", feed_url=feed_url, form=form,
                           webcal_url="webcal://" + feed_url.split("://", 1)[1]), form_status(form)


@bp.route("/account/calendar/reset", methods=["POST"])
@member
def reset_calendar():
    return submitted(None, lambda: services.reset_feed(current_user),
                     "Your calendar address has changed. The old one no longer works: add the new one to your calendar.",
                     back=url_for("meetings.calendar_settings"))


# The pulse's signposting (admins) -----------------------------------------------------------------------


@bp.route("/manage/pulse-support", methods=["GET", "POST"])
@manager
def signposting():
    """The support shown after the pulse's "How are you doing at work?" question."""
    if not policy.may_set_signposting(current_user):
        abort(403)
    if request.method == "GET":
        current = pulse.signpost()
        form = SignpostForm(text=current.text, link=current.link)
    else:
        form = SignpostForm()
    if response := submitted(form, lambda: pulse.save_signpost(current_user, form.text.data or "", form.link.data or ""),
                             "The support text is saved.", url_for("meetings.signposting")):
        return response
    return render_template("meetings/signposting.html", form=form), form_status(form)


# Members drifting away: a facilitator's note ---------------------------------------------------------------


@bp.route("/circles/<int:circle_id>/members/<int:user_id>/note", methods=["GET", "POST"])
@member
def send_note(circle_id: int, user_id: int):
    """"Send a note" to a member who has missed meetings: the circle's facilitators only."""
    circle = circles.circle_or_404(current_user, circle_id)
    if not circles.may_see_inside(current_user, circle):
        abort(404)
    if not policy.may_see_drifting(current_user, circle):
        abort(403)
    person = next((someone for someone in services.active_members(circle.id) if someone.id == user_id), None)
    if person is None or person.id == current_user.id:
        abort(404)
    form = NoteForm()
    if response := submitted(form, lambda: services.send_note(current_user, circle, person.id, form.text.data or ""),
                             f"Your note is sent to {person.display_name}.",
                             url_for("pages.circle", circle_id=circle.id, _anchor="drifting")):
        return response
    return render_template("meetings/note.html", circle=circle, person=person, form=form), form_status(form)


@bp.route("/notes-from-facilitators")
@member
def notes_to_me():
    """The notes your circles' facilitators sent you."""
    return render_template("meetings/notes_to_me.html", notes=services.notes_for(current_user))
