"""Data-protection forms: shape checks only; the rules are in the services and policy."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import Length, InputRequired, Regexp

from forum.dataprotection import policy


class ExportForm(FlaskForm):
    file_format = RadioField(
        "How do you want your data?",
        choices=[("json", "A JSON file to download (for other software)"),
                 ("html", "A page to read in your browser")],
        validators=[InputRequired("Choose how you want your data")],
        default="json",
    )


class ErasureForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm")],
        description="To make sure it is you.",
    )
    # Shown only to people with two-factor sign-in on (the page decides, policy answers).
    code = StringField("Code from your authenticator app, or a recovery code",
                       description="With two-factor sign-in on, the code confirms it is you.",
                       validators=[Length(max=40, message="Enter the 6-digit code or a recovery code")])


NUMBER_OF_MONTHS = (f"Enter a whole number of months from {policy.MIN_RETENTION_MONTHS} "
                    f"to {policy.MAX_RETENTION_MONTHS}")


class RetentionForm(FlaskForm):
    enabled = BooleanField("Delete old content automatically")
    # Text, not IntegerField, so "two years" is kept as typed and gets our message.
    months = StringField(
        "Keep content for this many months after its last activity",
        validators=[InputRequired(NUMBER_OF_MONTHS), Regexp(r"^\s*\d{1,4}\s*$", message=NUMBER_OF_MONTHS)],
        description="A post's last activity is its last reply, edit or outcome. Attendance is kept "
        "for the same time after the meeting. For example, 24.",
    )
