"""Account forms: they check the shape of input only; rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from forum.accounts.passwords import MAX_LENGTH

EMAIL_REQUIRED = "Enter your email address"


def _email_field(label: str, message: str = EMAIL_REQUIRED, **kwargs) -> EmailField:
    return EmailField(
        label,
        validators=[
            InputRequired(message),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
            Email(message="Enter an email address in the right format, like name@example.org",
                  check_deliverability=False),
        ],
        **kwargs,
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter a password"),
            Length(max=MAX_LENGTH * 4, message=f"Your password must be {MAX_LENGTH} characters or fewer"),
        ],
        description="At least 12 characters. A few random words make a strong password.",
    )


class SignInForm(FlaskForm):
    email = _email_field("Email address")
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])
    remember = BooleanField("Keep me signed in on this device for 14 days")


class ResetRequestForm(FlaskForm):
    email = _email_field("Email address")


class NewPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = PasswordField(
        "Confirm new password",
        validators=[InputRequired("Confirm your new password"),
                    EqualTo("password", message="The two passwords do not match")],
    )


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[InputRequired("Enter a display name"),
                    Length(max=40, message="Enter a display name of 40 characters or fewer")],
        description="How other advisers see you, for example Siân Evans. Letters, numbers, spaces, hyphens, "
        "apostrophes and dots.",
    )
    password = _new_password_field("Password")
    confirm = PasswordField(
        "Confirm password",
        validators=[InputRequired("Confirm your password"),
                    EqualTo("password", message="The two passwords do not match")],
    )


class ProfileForm(FlaskForm):
    display_name = AcceptInvitationForm.display_name
    timezone = SelectField("Time zone", description="Dates and times are shown in this zone.")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")]
    )
    new_password = _new_password_field("New password")
    confirm = PasswordField(
        "Confirm new password",
        validators=[InputRequired("Confirm your new password"),
                    EqualTo("new_password", message="The two passwords do not match")],
    )


class InvitationForm(FlaskForm):
    email = _email_field("Email address", message="Enter the email address of the person to invite",
                         description="Their work email address. The invitation link works for 7 days.")
    role = SelectField("Role")
    team_id = SelectField("Team", coerce=int)


class RoleForm(FlaskForm):
    role = SelectField("Role")
    team_id = SelectField("Team", coerce=int)


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that act."""


def _code_field(label: str, hint: str, required: bool = True) -> StringField:
    validators = [Length(max=32, message="Enter a code of 6 digits, or a recovery code like abcde-23456")]
    if required:
        validators.insert(0, InputRequired("Enter the code from your authenticator app"))
    return StringField(label, validators=validators, description=hint)


class SignInCodeForm(FlaskForm):
    code = _code_field(
        "Code", "The 6-digit code your authenticator app shows for the adviser forum. "
        "Lost your phone? Enter one of your recovery codes instead.",
    )


class TwoFactorSetupForm(FlaskForm):
    code = _code_field("Code from your app", "The 6-digit code the app shows once it has added the forum.")


class ConfirmIdentityForm(FlaskForm):
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])
    # Required only when two-factor sign-in is on: the view checks that.
    code = _code_field(
        "Code", "The 6-digit code from your authenticator app, or a recovery code.", required=False,
    )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ChangeEmailForm(FlaskForm):
    email = _email_field("New email address", message="Enter your new email address",
                         description="Your work email address. You will sign in with it from now on.",
                         filters=[_strip])
