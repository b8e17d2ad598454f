"""Theme forms: they check the shape of input only; rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from forum.themes.services import (
    DESCRIPTION_MAX,
    DESCRIPTION_RULE,
    NAME_MAX,
    NAME_MISSING,
    REASON_MAX,
)


def _one_kind_of_line_break(text: str | None) -> str | None:
    # Browsers send a textarea's line breaks as CRLF: count each as one character.
    return text.replace("\r\n", "\n") if text else text


def _theme_id(value) -> int:
    """A chosen theme's id; anything else becomes 0, which no theme has."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _reason_field() -> TextAreaField:
    return TextAreaField(
        "Reason (optional)",
        validators=[Length(max=REASON_MAX, message=f"Enter a reason of {REASON_MAX} characters or fewer")],
        filters=[_one_kind_of_line_break],
        description="Kept in the audit log, so other managers can see why.",
    )


class ThemeForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[InputRequired(NAME_MISSING),
                    Length(max=NAME_MAX, message=f"Enter a name of {NAME_MAX} characters or fewer")],
        description="A few words advisers will recognise, for example “Debt and money”.",
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Length(max=DESCRIPTION_MAX, message=DESCRIPTION_RULE)],
        filters=[_one_kind_of_line_break],
        description="One or two sentences on what belongs in this theme, up to 1,000 characters. Plain text.",
    )


class ArchiveForm(FlaskForm):
    reason = _reason_field()


class MergeForm(FlaskForm):
    target_id = SelectField(
        "Theme to merge into",
        coerce=_theme_id,
        validate_choice=False,  # the service explains why an archived or unknown theme will not do
        validators=[InputRequired("Choose the theme to merge into")],
    )
    reason = _reason_field()
