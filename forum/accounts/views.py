"""Sign-in, invitations, password reset, the account page and the people pages."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum import mail
from forum.accounts import policy, services, signin, two_factor
from forum.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    InvitationForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
    RoleForm,
    SignInForm,
)
from forum.accounts.models import Role
from forum.accounts.ratelimits import attempt_limits
from forum.errors import Gone, NotFound
from forum.extensions import db
from forum.forms import form_status, submitted
from forum.ratelimits import per_person, per_person_reads
from forum.timeutil import zone_names
from forum.web import manager, member, public, safe_next_url

bp = Blueprint("accounts", __name__)

SIGN_IN_FAILED = "Enter a correct email address and password. Passwords are case-sensitive."


def sign_in_as(user, remember: bool) -> None:
    """Start a signed-in session for `user` (after every check has passed)."""
    # A fresh session: nothing planted before sign-in survives it (session fixation).
    session.clear()
    services.start_session(user, remember)
    login_user(user, remember=remember)
    session["last_seen"] = time.time()


# Sign in and out --------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@public
@attempt_limits()
def login():
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.Suspended as suspended:
            db.session.commit()
            form.form_errors.append(suspended.message)
            return render_template("accounts/login.html", form=form, signed_out=False), 403
        if user is not None and services.needs_code(user):
            signin.hold_for_code(user, form.remember.data)
            db.session.commit()
            return redirect(url_for("security.sign_in_code", next=request.args.get("next")))
        if user is not None:
            sign_in_as(user, form.remember.data)
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next")))
        db.session.commit()
        form.form_errors.append(SIGN_IN_FAILED)
        status = 401
    elif form.is_submitted():
        status = 400
    signed_out = request.args.get("signed_out") == "1"
    return render_template("accounts/login.html", form=form, signed_out=signed_out), status


@bp.route("/logout", methods=["GET"])
@member
@login_required
def confirm_logout():
    return render_template("accounts/logout.html", form=ConfirmForm())


@bp.route("/logout", methods=["POST"])
@member
@login_required
def logout():
    services.end_session(current_user.get_id())
    db.session.commit()
    logout_user()
    session.clear()
    # Clear-Site-Data wipes cookies, so a flashed message would be lost with them.
    response = redirect(url_for("accounts.login", signed_out=1))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


# Password reset -----------------------------------------------------------------------

RESET_SENT = (
    "If there is an account for that email address, we have sent it a link to reset the "
    "password. The link works for one hour."
)


@bp.route("/reset", methods=["GET", "POST"])
@public
@attempt_limits()
def request_reset():
    form = ResetRequestForm()

    def send_link():
        # The email goes in the same transaction as the token it carries.
        found = services.request_password_reset(form.email.data)
        if found:
            user, token = found
            mail.send_template(user.email, "Reset your password for the adviser forum",
                               "email/password_reset", user=user,
                               link=mail.link("accounts.reset", token=token))

    if response := submitted(form, send_link, RESET_SENT, url_for("accounts.login")):
        return response
    return render_template("accounts/reset_request.html", form=form), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@attempt_limits(methods=("GET", "POST"))
def reset(token: str):
    form = NewPasswordForm()
    try:
        services.user_for_reset_token(token)
        if response := submitted(form, lambda: services.reset_password(token, form.password.data),
                                 "Your password has been changed. Sign in with your new password.",
                                 url_for("accounts.login")):
            return response
    except Gone as gone:
        db.session.rollback()
        return render_template("accounts/link_gone.html", message=gone.message, reset=True), 410
    return render_template("accounts/reset.html", form=form), form_status(form)


# Invitations --------------------------------------------------------------------------


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
@attempt_limits(methods=("GET", "POST"))
def accept_invitation(token: str):
    try:
        invitation = services.open_invitation(token)
    except NotFound:
        abort(404)
    except Gone as gone:
        return render_template("accounts/link_gone.html", message=gone.message), 410
    form = AcceptInvitationForm()

    def accept():
        user = services.accept_invitation(token, form.display_name.data, form.password.data)
        sign_in_as(user, remember=False)
        return user

    try:
        if response := submitted(form, accept, "Your account is ready: you are signed in.",
                                 url_for("pages.home")):
            return response
    except Gone as gone:
        return render_template("accounts/link_gone.html", message=gone.message), 410
    return render_template("accounts/accept.html", form=form, invitation=invitation), form_status(form)


def _invitation_form(form: InvitationForm) -> InvitationForm:
    form.role.choices = [(role.value, role.label) for role in policy.invitable_roles(current_user)]
    teams = policy.invitable_teams(current_user, services.teams())
    form.team_id.choices = [(team.id, team.name) for team in teams]
    if current_user.role == Role.ADMIN:
        form.team_id.choices.insert(0, (0, "No team"))
    return form


def _refuse_roles_beyond_reach(form: InvitationForm) -> None:
    """Asking for a role or team the inviter may not grant is forbidden, not a typo."""
    if request.method != "POST":
        return
    offered_roles = {value for value, _label in form.role.choices}
    offered_teams = {str(value) for value, _label in form.team_id.choices}
    if form.role.raw_data and form.role.raw_data[0] in {role.value for role in Role} - offered_roles:
        abort(403)
    chosen_team = form.team_id.raw_data[0] if form.team_id.raw_data else ""
    if current_user.role != Role.ADMIN and chosen_team not in offered_teams:
        abort(403)


def _require_inviter() -> None:
    if not policy.may_send_invitations(current_user):
        abort(403)


@bp.route("/invitations", methods=["GET", "POST"])
@manager
@login_required
@per_person("INVITATION_LIMIT")
def invitations():
    _require_inviter()
    form = _invitation_form(InvitationForm())
    _refuse_roles_beyond_reach(form)

    def invite():
        done = services.invite(current_user, services.InvitationInput(
            form.email.data, Role(form.role.data), form.team_id.data or None))
        _send_invitation(*done)
        return done

    if response := submitted(form, invite, lambda done: f"Invitation sent to {done[0].email}.",
                             url_for("accounts.invitations")):
        return response
    return render_template(
        "accounts/invitations.html",
        form=form,
        pending=services.pending_invitations(current_user),
    ), form_status(form)


def _send_invitation(invitation, token: str) -> None:
    mail.send_template(
        invitation.email,
        "You are invited to the adviser forum",
        "email/invitation",
        invitation=invitation,
        link=mail.link("accounts.accept_invitation", token=token),
        lifetime_days=current_app.config["INVITATION_LIFETIME"].days,
    )


def _managed_invitation(invitation_id: int):
    _require_inviter()
    try:
        invitation = services.get_invitation(invitation_id)
    except NotFound:
        abort(404)
    if not policy.may_manage_invitation(current_user, invitation):
        abort(404)
    return invitation


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@manager
@login_required
@per_person("INVITATION_LIMIT")
def resend_invitation(invitation_id: int):
    invitation = _managed_invitation(invitation_id)
    back = url_for("accounts.invitations")

    def resend():
        _send_invitation(invitation, services.resend_invitation(current_user, invitation))

    return submitted(None, resend,
                     f"A new invitation has been sent to {invitation.email}. The old link no longer works.", back,
                     back=back, back_status=302)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@manager
@login_required
def revoke_invitation(invitation_id: int):
    invitation = _managed_invitation(invitation_id)
    return submitted(None, lambda: services.revoke_invitation(current_user, invitation),
                     f"The invitation to {invitation.email} has been withdrawn.",
                     back=url_for("accounts.invitations"), back_status=302)


# Account ------------------------------------------------------------------------------


def _profile_form(**kwargs) -> ProfileForm:
    form = ProfileForm(**kwargs)
    form.timezone.choices = [(name, name.replace("_", " ")) for name in zone_names()]
    return form


def _account_page(profile_form: ProfileForm, password_form: ChangePasswordForm) -> str:
    return render_template(
        "accounts/account.html",
        profile_form=profile_form,
        password_form=password_form,
        two_factor_on=two_factor.is_enabled(current_user),
        two_factor_needed=policy.must_use_two_factor(current_user),
        recovery_codes_left=two_factor.unused_recovery_codes(current_user),
    )


@bp.route("/account", methods=["GET"])
@member
@login_required
def account():
    return _account_page(profile_form=_profile_form(obj=current_user), password_form=ChangePasswordForm())


@bp.route("/account/profile", methods=["POST"])
@member
@login_required
def update_profile():
    form = _profile_form()
    if response := submitted(form, lambda: services.update_profile(current_user, form.display_name.data, form.timezone.data),
                             "Your details have been saved.", url_for("accounts.account")):
        return response
    return _account_page(profile_form=form, password_form=ChangePasswordForm()), 400


@bp.route("/account/password", methods=["POST"])
@member
@login_required
def change_password():
    form = ChangePasswordForm()

    def change() -> None:
        services.change_password(current_user, form.current_password.data, form.new_password.data)
        # Every other browser is signed out; this one carries on in a new session.
        sign_in_as(current_user._get_current_object(), remember=False)
        mail.send_template(current_user.email, "Your adviser forum password was changed",
                           "email/password_changed", user=current_user)

    if response := submitted(form, change, "Your password has been changed. Other devices have been signed out.",
                             url_for("accounts.account")):
        return response
    return _account_page(profile_form=_profile_form(obj=current_user), password_form=form), 400


# People (admins) ----------------------------------------------------------------------


def _require_people_manager() -> None:
    if not policy.may_manage_people(current_user):
        abort(403)


@bp.route("/people")
@manager
@login_required
def people():
    _require_people_manager()
    search = request.args.get("q", "")[:100]
    after = request.args.get("after") or None
    people, next_key = services.people_page(search, after)
    return render_template("accounts/people.html", people=people, search=search, next_key=next_key, after=after)


def _person(user_id: int):
    _require_people_manager()
    try:
        return services.get_user(user_id)
    except NotFound:
        abort(404)


def _role_form(person, **kwargs) -> RoleForm:
    form = RoleForm(**kwargs)
    form.role.choices = [(role.value, role.label) for role in Role]
    form.team_id.choices = [(0, "No team")] + [(team.id, team.name) for team in services.teams()]
    return form


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@manager
@login_required
def person(user_id: int):
    person = _person(user_id)
    if request.method == "GET":
        form = _role_form(person, data={"role": person.role.value, "team_id": person.team_id or 0})
    else:
        form = _role_form(person)
    if response := submitted(form, lambda: services.set_role_and_team(current_user, person, Role(form.role.data),
                                                                      form.team_id.data or None),
                             f"{person.display_name}'s role and team have been saved.",
                             url_for("accounts.person", user_id=person.id)):
        return response
    return render_template("accounts/person.html", person=person, form=form,
                           uses_two_factor=two_factor.is_enabled(person)), form_status(form)


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@manager
@login_required
def deactivate(user_id: int):
    person = _person(user_id)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.deactivate(current_user, person),
                             f"{person.display_name} has been deactivated and signed out everywhere.",
                             back=url_for("accounts.person", user_id=person.id), back_status=302):
        return response
    return render_template("accounts/deactivate.html", person=person, form=form)


@bp.route("/people/<int:user_id>/reactivate", methods=["POST"])
@manager
@login_required
def reactivate(user_id: int):
    person = _person(user_id)
    return submitted(None, lambda: services.reactivate(current_user, person), f"{person.display_name} can sign in again.",
                     back=url_for("accounts.person", user_id=person.id))


@bp.route("/people/<int:user_id>/end-sessions", methods=["POST"])
@manager
@login_required
def end_sessions(user_id: int):
    person = _person(user_id)
    return submitted(None, lambda: services.end_sessions_of(current_user, person),
                     f"{person.display_name} has been signed out on every device.",
                     back=url_for("accounts.person", user_id=person.id))


@bp.route("/people/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
@manager
@login_required
def reset_two_factor(user_id: int):
    person = _person(user_id)
    form = ConfirmForm()
    back = url_for("accounts.person", user_id=person.id)

    def reset() -> None:
        two_factor.reset_by_admin(current_user, person)
        mail.send_template(person.email, "Two-factor sign-in was reset on your adviser forum account",
                           "email/two_factor_reset", user=person)

    if response := submitted(form, reset, f"{person.display_name}'s two-factor sign-in has been reset.", back,
                             back=back, back_status=302):
        return response
    return render_template("accounts/two_factor_reset.html", person=person, form=form,
                           needed=policy.must_use_two_factor(person))


@bp.route("/mentions/suggestions")
@member
@login_required
@per_person_reads("SEARCH_LIMIT")
def mention_suggestions():
    """The autocomplete behind "@" in posts and replies (forum.js): people the viewer may
    mention, as JSON. Without JavaScript, people type the handle."""
    people = services.mention_suggestions(current_user, request.args.get("q", ""))
    return jsonify(people=[{"handle": person.handle, "name": person.display_name} for person in people])
