"""Flagging (any member) and the managers' pages: review queue, actions, people, settings
and the audit log. Everything under /moderation is for managers and admins (`@manager`:
two-factor first), checked once in `bp.before_request`; the services check again."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from forum import settings
from forum.accounts import services as accounts
from forum.cases.redaction import fields_of
from forum.errors import Invalid, NotFound
from forum.extensions import db
from forum.forms import add_error, form_status, submitted
from forum.moderation import audit_log, audit_words, policy, services
from forum.moderation.forms import (
    ActionForm,
    ApprovalForm,
    AuditFilterForm,
    FlaggerResetForm,
    FlagForm,
    LiftForm,
    RedactForm,
    SiteSettingsForm,
    SuspendForm,
)
from forum.moderation.models import Action, Reason
from forum.ratelimits import per_person
from forum.web import manager, member, safe_next_url

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
member_bp = Blueprint("flags", __name__)


@bp.before_request
def _moderators_only():
    if not policy.may_moderate(current_user):
        abort(403)


# Flags (any member) ----------------------------------------------------------------------------


def _target_or_404(target_type: str, target_id: int) -> services.Target:
    try:
        return services.visible_target(current_user, target_type, target_id)
    except NotFound:
        abort(404)


def _back_to(target: services.Target) -> str:
    anchor = f"reply-{target.id}" if target.type == "reply" else None
    return url_for("cases.show", post_id=target.post.id, reply=target.id if target.type == "reply" else None,
                   _anchor=anchor)


@member_bp.route("/posts/<int:target_id>/flag", methods=["GET", "POST"], defaults={"kind": "posts"})
@member_bp.route("/replies/<int:target_id>/flag", methods=["GET", "POST"], defaults={"kind": "replies"})
@member
@per_person("FLAG_LIMIT")
def flag(kind: str, target_id: int):
    target_type = "post" if kind == "posts" else "reply"
    target = _target_or_404(target_type, target_id)
    existing = services.own_open_flag(current_user, target_type, target_id)
    form = FlagForm()

    def report() -> bool:
        # Whether it was hidden, never why not: the flagger is not told about their limits.
        return services.flag(current_user, target_type, target_id, form.reason.data or "", form.note.data or "").hid

    if response := submitted(
            form, report,
            lambda hid: "Thank you: a manager will review it." + (" It is hidden from other advisers until then." if hid else ""),
            # A hidden post is hidden from its flagger too: back home then.
            lambda hid: redirect(url_for("pages.home") if hid and target.type == "post" else _back_to(target))):
        return response
    return render_template("moderation/flag.html", form=form, target=target, existing=existing), form_status(form)


@member_bp.route("/flags/<int:flag_id>/withdraw", methods=["POST"])
@member
def withdraw(flag_id: int):
    return submitted(None, lambda: services.withdraw(current_user, flag_id), "Your flag is withdrawn.", back=_safe_back())


def _safe_back() -> str:
    return safe_next_url(request.form.get("next") or request.args.get("next"))


@member_bp.route("/posts/<int:target_id>/ask-review", methods=["POST"], defaults={"kind": "posts"})
@member_bp.route("/replies/<int:target_id>/ask-review", methods=["POST"], defaults={"kind": "replies"})
@member
def ask_review(kind: str, target_id: int):
    target_type = "post" if kind == "posts" else "reply"
    return submitted(None, lambda: services.ask_for_review(current_user, target_type, target_id),
                     "A manager will look at it again. You will hear the outcome in your notifications.", back=_safe_back())


# The review queue ---------------------------------------------------------------------------------


@bp.route("/queue")
@manager
def queue():
    status = request.args.get("status", "open")
    reason = request.args.get("reason") or None
    if status not in services.STATUSES or (reason and reason != "approval" and reason not in set(Reason)):
        abort(404)
    page, entries = services.queue_page(current_user, status, reason, request.args.get("older"), request.args.get("newer"))
    return render_template("moderation/queue.html", page=page, entries=entries, status=status, reason=reason,
                           reasons=list(Reason), statuses=services.STATUSES,
                           may_change_settings=policy.may_change_site_settings(current_user))


def _entry(item_id: int) -> services.QueueEntry:
    try:
        return services.get_entry(current_user, item_id)
    except NotFound:
        abort(404)


def _redact_form(entry: services.QueueEntry, formdata=None) -> RedactForm:
    # A prefix keeps its fields' ids apart from the decision form's on the same page.
    form = RedactForm(formdata=formdata, prefix="redact") if formdata is not None else RedactForm(prefix="redact")
    if entry.target is not None:
        form.field.choices = [(name, FIELD_LABELS.get(name, name)) for name in fields_of(entry.target.type, entry.target.item)]
    return form


FIELD_LABELS = {"title": "Title", "situation": "The situation", "tried": "What I have tried",
                "ask": "What I would like help with", "what_worked": "What worked", "outcome_text": "The outcome",
                "outcome_update": "What happened next", "body": "The reply"}


def _show_item(entry, action_form=None, redact_form=None, status: int = 200):
    return render_template(
        "moderation/item.html", entry=entry, action_form=action_form or ActionForm(),
        redact_form=redact_form or _redact_form(entry), history=services.history(entry.item.target_type, entry.item.target_id),
        labels=FIELD_LABELS, actions=Action), status


@bp.route("/items/<int:item_id>")
@manager
def item(item_id: int):
    entry = _entry(item_id)
    db.session.commit()  # the audit entry for opening circle content
    return _show_item(entry)


ACTIONS = {"dismiss": Action.DISMISSED, "hide": Action.HIDDEN, "restore": Action.RESTORED, "approve": Action.APPROVED,
           "lock": Action.LOCKED, "unlock": Action.UNLOCKED}
#: The success message of each decision, naming the item ({name}: ‘Client afraid…’).
DONE = {Action.DISMISSED: "The flags on {name} are dismissed.", Action.HIDDEN: "{name} is hidden from advisers.",
        Action.RESTORED: "{name} is visible again.", Action.APPROVED: "{name} is approved and visible to everyone.",
        Action.LOCKED: "{name} is closed to new replies.", Action.UNLOCKED: "{name} is open to replies again."}


def _done(action: Action, row) -> str:
    target = services.load_target(row.target_type, row.target_id)
    name = services.short_name(target) if target is not None else f"the {row.target_type}"
    message = DONE[action].format(name=name)
    if action == Action.DISMISSED and target is not None and target.item.status.value == "published":
        message = message.removesuffix(".") + ": it is visible to everyone."
    return message[0].upper() + message[1:]


@bp.route("/items/<int:item_id>/<any(dismiss, hide, restore, approve, lock, unlock):verb>", methods=["POST"])
@manager
def act(item_id: int, verb: str):
    action = ACTIONS[verb]
    form = ActionForm()
    closes = action in services.CLOSING
    if response := submitted(form, lambda: services.act(current_user, item_id, action, form.reason.data or ""),
                             lambda row: _done(action, row),
                             url_for("moderation.queue") if closes else url_for("moderation.item", item_id=item_id)):
        return response
    return _show_item(_entry(item_id), action_form=form, status=400)


@bp.route("/items/<int:item_id>/redact", methods=["POST"])
@manager
def redact(item_id: int):
    entry = _entry(item_id)
    form = _redact_form(entry, request.form)
    if response := submitted(form, lambda: services.redact(current_user, item_id, form.field.data or "",
                                                           form.text.data or "", form.reason.data or ""),
                             "That text is removed from the post, its earlier versions and search.",
                             url_for("moderation.item", item_id=item_id)):
        return response
    return _show_item(_entry(item_id), redact_form=form, status=400)


@bp.route("/review/<any(post, reply):target_type>/<int:target_id>", methods=["POST"])
@manager
def review(target_type: str, target_id: int):
    return submitted(None, lambda: services.review(current_user, target_type, target_id), None,
                     lambda item: redirect(url_for("moderation.item", item_id=item.id)))


# Flaggers: what counts against someone's urgent flags, and the reset -----------------------------------


def _show_flagger(person, form=None, status: int = 200):
    return render_template("moderation/flagger.html", history=services.flagger_history(current_user, person),
                           form=form or FlaggerResetForm()), status


@bp.route("/flaggers/<int:user_id>")
@manager
def flagger(user_id: int):
    return _show_flagger(_person(user_id))


@bp.route("/flaggers/<int:user_id>/reset", methods=["POST"])
@manager
def reset_flagger(user_id: int):
    person = _person(user_id)
    form = FlaggerResetForm()
    if response := submitted(form, lambda: services.reset_flagger(current_user, person, form.reason.data or ""),
                             f"{person.display_name}'s urgent flags hide items at once again, within the daily limit.",
                             url_for("moderation.flagger", user_id=person.id)):
        return response
    return _show_flagger(person, form=form, status=400)


# People: suspensions and pre-approval ---------------------------------------------------------------


@bp.route("/people")
@manager
def people():
    search = request.args.get("q", "")[:100]
    after = request.args.get("after") or None
    found, next_key = accounts.people_page(search, after)
    return render_template("moderation/people.html", people=found, search=search, next_key=next_key, after=after)


def _person(user_id: int):
    try:
        return accounts.get_user(user_id)
    except NotFound:
        abort(404)


def _show_person(person, suspend_form=None, lift_form=None, approval_form=None, status: int = 200):
    return render_template(
        "moderation/person.html", person=person, may_suspend=policy.may_suspend(current_user, person),
        may_require_approval=policy.may_require_approval(current_user, person),
        suspend_form=suspend_form or SuspendForm(), lift_form=lift_form or LiftForm(),
        approval_form=approval_form or ApprovalForm(required=not person.needs_approval)), status


@bp.route("/people/<int:user_id>")
@manager
def person(user_id: int):
    return _show_person(_person(user_id))


def _end_of_day(day, zone: str) -> datetime:
    """A suspension "until 31 December" lasts to the end of that day where the manager is."""
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone))
    return local.astimezone(ZoneInfo("UTC"))


@bp.route("/people/<int:user_id>/suspend", methods=["POST"])
@manager
def suspend(user_id: int):
    person = _person(user_id)
    form = SuspendForm()
    until = _end_of_day(form.until.data, current_user.timezone) if form.until.data else None
    if response := submitted(form, lambda: services.suspend(current_user, person, until, form.reason.data or ""),
                             f"{person.display_name} is suspended and signed out everywhere.",
                             url_for("moderation.person", user_id=person.id)):
        return response
    return _show_person(person, suspend_form=form, status=400)


@bp.route("/people/<int:user_id>/lift", methods=["POST"])
@manager
def lift(user_id: int):
    person = _person(user_id)
    form = LiftForm()
    if response := submitted(form, lambda: services.lift_suspension(current_user, person, form.reason.data or ""),
                             f"{person.display_name} can sign in again.", url_for("moderation.person", user_id=person.id)):
        return response
    return _show_person(person, lift_form=form, status=400)


@bp.route("/people/<int:user_id>/approval", methods=["POST"])
@manager
def approval(user_id: int):
    person = _person(user_id)
    form = ApprovalForm()
    if response := submitted(
            form, lambda: services.set_needs_approval(current_user, person, bool(form.required.data), form.reason.data or ""),
            lambda _: f"{person.display_name}'s new posts {'now wait' if person.needs_approval else 'no longer wait'} for approval.",
            url_for("moderation.person", user_id=person.id)):
        return response
    return _show_person(person, approval_form=form, status=400)


# Site settings (admins) -----------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@manager
def site_settings():
    if not policy.may_change_site_settings(current_user):
        abort(403)

    if request.method == "GET":
        form = SiteSettingsForm(pre_approval=settings.is_on(settings.PRE_APPROVAL),
                                contacts="\n".join(services.safeguarding_contacts()))
    else:
        form = SiteSettingsForm()
    save = lambda: services.save_site_settings(  # noqa: E731
        current_user, bool(form.pre_approval.data), services.parse_contacts(form.contacts.data or ""))
    if response := submitted(form, save, "The moderation settings are saved.", url_for("moderation.site_settings")):
        return response
    return render_template("moderation/settings.html", form=form), form_status(form)


# The audit log ------------------------------------------------------------------------------------


def _audit_filter() -> tuple[AuditFilterForm, audit_log.Filter | None]:
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "Any action")] + [(name, audit_words.label(name)) for name in audit_log.actions()]
    if request.args and not form.validate():
        return form, None
    try:
        return form, audit_log.Filter.build(form.person.data or "", form.action.data or "", form.since.data,
                                            form.until.data, current_user.timezone)
    except Invalid as error:
        # Not forms.submitted: reading a filter changes nothing, so there is nothing to commit.
        add_error(form, error)
        return form, None


@bp.route("/audit")
@manager
def audit():
    form, chosen = _audit_filter()
    if chosen is None:
        return render_template("moderation/audit.html", form=form, page=None, rows=[]), 400
    page, rows = audit_log.page(current_user, chosen, request.args.get("older"), request.args.get("newer"))
    return render_template("moderation/audit.html", form=form, page=page, rows=rows)


@bp.route("/audit.csv")
@manager
def audit_csv():
    form, chosen = _audit_filter()
    if chosen is None:
        abort(400)
    return audit_log.csv_response(current_user, chosen)
