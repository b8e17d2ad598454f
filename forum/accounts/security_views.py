"""Account security pages on the accounts blueprint: the sign-in code step, two-factor
set-up and removal, recovery codes, "confirm it's you", and changing the email address.

Each sensitive change needs a fresh confirmation (accounts.reauth) and emails the person
a notice that names the change and never a secret.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum import mail
from forum.accounts import policy, reauth, services, signin, two_factor
from forum.accounts.forms import (
    ChangeEmailForm,
    ConfirmForm,
    ConfirmIdentityForm,
    SignInCodeForm,
    TwoFactorSetupForm,
)
from forum.accounts.ratelimits import code_limits
from forum.accounts.views import sign_in_as
from forum.errors import Invalid
from forum.extensions import db
from forum.forms import add_error, form_status, submitted
from forum.web import member, public, safe_next_url

bp = Blueprint("security", __name__)

WRONG_SIGN_IN_CODE = "Enter a correct code. Each code works once: if you have just used one, wait for the next."


def _notify(subject: str, template: str, to: str | None = None, **context) -> None:
    """Tell the person their account changed, so a change they did not make is noticed."""
    mail.send_template(to or current_user.email, subject, f"email/{template}", user=current_user, **context)


def _me():
    return current_user._get_current_object()


# The second sign-in step ---------------------------------------------------------------


@bp.route("/login/code", methods=["GET", "POST"])
@public
@code_limits()
def sign_in_code():
    user_id = signin.pending_user_id()
    if user_id is None:
        flash("Sign in again: the page waiting for your code had expired.", "info")
        return redirect(url_for("accounts.login", next=request.args.get("next")))
    form = SignInCodeForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate_code(user_id, form.code.data)
        if user is not None:
            sign_in_as(user, signin.pending_remember())
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next")))
        db.session.commit()
        form.code.errors = [WRONG_SIGN_IN_CODE]
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/sign_in_code.html", form=form), status


# Confirm it's you ------------------------------------------------------------------------


@bp.route("/account/confirm", methods=["GET", "POST"])
@member
@code_limits()
def confirm_identity():
    form = ConfirmIdentityForm()
    asks_code = two_factor.is_enabled(current_user)
    if form.validate_on_submit():
        try:
            services.confirm_identity(_me(), form.password.data, form.code.data or "")
        except Invalid as error:
            # Not forms.submitted: this refusal is committed, not rolled back, so the failed
            # attempt stays in the audit log.
            db.session.commit()
            add_error(form, error)
        else:
            db.session.commit()
            reauth.mark_fresh()
            return redirect(safe_next_url(request.args.get("next") or url_for("accounts.account")))
    return render_template("accounts/confirm_identity.html", form=form, asks_code=asks_code), form_status(form)


# Two-factor set-up ------------------------------------------------------------------------


def _setup_page(form: TwoFactorSetupForm, status: int = 200):
    secret = two_factor.pending_secret(_me())
    db.session.commit()  # keep the pending secret, so the QR code stays the same on reload
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        qr_svg=two_factor.qr_code_svg(two_factor.provisioning_uri(current_user, secret)),
        secret=two_factor.grouped(secret),
        required=policy.must_use_two_factor(current_user),
    ), status


@bp.route("/account/two-factor", methods=["GET"])
@member
def two_factor_setup():
    if two_factor.is_enabled(current_user):
        return redirect(safe_next_url(request.args.get("next") or url_for("accounts.account")))
    return _setup_page(TwoFactorSetupForm())


@bp.route("/account/two-factor", methods=["POST"])
@member
@code_limits()
def confirm_two_factor():
    if two_factor.is_enabled(current_user):
        return redirect(url_for("accounts.account"))
    form = TwoFactorSetupForm()

    def turn_on() -> list[str]:
        codes = two_factor.confirm_setup(_me(), form.code.data)
        _notify("Two-factor sign-in is on for your adviser forum account", "two_factor_enabled")
        return codes

    if response := submitted(form, turn_on, None, lambda codes: _recovery_codes_page(codes, "Two-factor sign-in is on")):
        return response
    return _setup_page(form, 400)


def _recovery_codes_page(codes: list[str], banner: str):
    return render_template(
        "accounts/recovery_codes.html",
        codes=codes,
        banner=banner,
        next_url=safe_next_url(request.args.get("next") or url_for("accounts.account")),
    )


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@member
@reauth.fresh_confirmation_required
def turn_off_two_factor():
    if not two_factor.is_enabled(current_user):
        return redirect(url_for("accounts.account"))
    form = ConfirmForm()

    def turn_off() -> None:
        two_factor.disable(_me())
        _notify("Two-factor sign-in was turned off on your adviser forum account", "two_factor_disabled")

    if response := submitted(form, turn_off, "Two-factor sign-in is off. You sign in with your password alone.",
                             url_for("accounts.account")):
        return response
    return render_template("accounts/two_factor_off.html", form=form,
                           required=policy.must_use_two_factor(current_user))


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@member
@reauth.fresh_confirmation_required
def replace_recovery_codes():
    if not two_factor.is_enabled(current_user):
        return redirect(url_for("accounts.account"))
    form = ConfirmForm()

    def replace() -> list[str]:
        codes = two_factor.regenerate_recovery_codes(_me())
        _notify("New recovery codes for your adviser forum account", "recovery_codes_replaced")
        return codes

    if response := submitted(form, replace, None, lambda codes: _recovery_codes_page(
            codes, "You have new recovery codes. The old ones no longer work")):
        return response
    return render_template("accounts/recovery_codes_replace.html", form=form,
                           unused=two_factor.unused_recovery_codes(current_user))


# Email address ---------------------------------------------------------------------------


@bp.route("/account/email", methods=["GET", "POST"])
@member
@reauth.fresh_confirmation_required
def change_email():
    form = ChangeEmailForm()

    def change() -> None:
        old_email = services.change_email(_me(), form.email.data)
        # The old address hears of it too: that is where someone else's change is noticed.
        for address in (old_email, current_user.email):
            _notify("The email address of your adviser forum account was changed", "email_changed",
                    to=address, old_email=old_email, new_email=current_user.email)

    if response := submitted(form, change, lambda _: f"Your email address is now {current_user.email}.",
                             url_for("accounts.account")):
        return response
    return render_template("accounts/change_email.html", form=form), form_status(form)
