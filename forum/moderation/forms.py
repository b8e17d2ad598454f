"""Forms for flags, moderation actions, suspensions, site settings and the audit log filter:
shape only; the rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from forum.forms import DayMonthYearField
from forum.moderation.models import Reason
from forum.moderation.services import MAX_NOTE, MAX_REASON

REASON_HINT = "The author sees this reason (not your name). It also goes in the audit log."


def _reason_field(label: str = "Reason", hint: str = REASON_HINT) -> TextAreaField:
    return TextAreaField(label, description=hint, validators=[
        Length(max=MAX_REASON, message=f"Give a reason of {MAX_REASON} characters or fewer")])


class FlagForm(FlaskForm):
    reason = RadioField("Why are you flagging this?", validate_choice=False,
                        choices=[(reason.value, reason.label) for reason in Reason])
    note = TextAreaField("Anything a manager should know", description=(
        "Needed for “Other”. Do not repeat personal details from the post here. "
        "“May identify someone” and “Safeguarding concern” go to the top of the managers' queue, and "
        "usually hide it from other advisers until a manager has looked."),
        validators=[Length(max=MAX_NOTE, message=f"Keep the note to {MAX_NOTE} characters or fewer")])


class ActionForm(FlaskForm):
    reason = _reason_field()


class RedactForm(FlaskForm):
    field = SelectField("Part of the text", validate_choice=False)
    text = TextAreaField("Text to remove", description=(
        "Copy it exactly from the text above. Every place it appears in this part is replaced by “[removed]”, "
        "in earlier versions and in search too. This cannot be undone."), validators=[
        Length(max=2000, message="Remove at most 2,000 characters at a time")])
    reason = _reason_field()


class SuspendForm(FlaskForm):
    until = DayMonthYearField("Suspended until (the end of this day, London time)", validators=[Optional()],
                              description="Leave empty to suspend until further notice. For example, 31 12 2026.")
    reason = _reason_field(hint="The person is told this reason when they try to sign in. It goes in the audit log.")


class LiftForm(FlaskForm):
    reason = _reason_field(hint="Goes in the audit log.")


class ApprovalForm(FlaskForm):
    required = BooleanField("Their new forum-wide cases and stories wait for a manager's approval")
    reason = _reason_field(hint="Goes in the audit log. For example: a new starter's first weeks.")


class FlaggerResetForm(FlaskForm):
    reason = _reason_field(hint="Goes in the audit log. The person is not told.")


class SiteSettingsForm(FlaskForm):
    pre_approval = BooleanField("New forum-wide cases and stories wait for a manager's approval")
    contacts = TextAreaField("Designated safeguarding contacts", description=(
        "Work email addresses, one per line. They are emailed a link (never the content) when something "
        "is flagged as a safeguarding concern."), validators=[Length(max=2000, message="Keep the list to 2,000 characters or fewer")])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: it changes nothing

    person = StringField("Person (email or display name)", validators=[Length(max=254)])
    action = SelectField("Action", validate_choice=False)
    since = DayMonthYearField("From", validators=[Optional()], noun="The start date")
    until = DayMonthYearField("To", validators=[Optional()], noun="The end date")
