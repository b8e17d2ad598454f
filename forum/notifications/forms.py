"""Forms for email settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField

from forum.notifications.models import EMAIL_KINDS, Mode

MODE_CHOICES = [(Mode.IMMEDIATE.value, "Email me straight away"), (Mode.DIGEST.value, "In the weekly digest"),
                (Mode.OFF.value, "No email")]


def settings_form(modes: dict, formdata=None) -> FlaskForm:
    """One radio group per kind of notification, set to the person's current choice."""

    class SettingsForm(FlaskForm):
        pass

    for kind in EMAIL_KINDS:
        setattr(SettingsForm, kind.value, RadioField(kind.label, choices=MODE_CHOICES, default=modes[kind].value))
    return SettingsForm(formdata=formdata) if formdata is not None else SettingsForm()
