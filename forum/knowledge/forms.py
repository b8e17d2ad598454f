"""Forms for helpers' offers: shape only; the rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

YEARS_MESSAGE = "Enter a whole number of years from 0 to 60, like 5"


class ThemeChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HelpOfferForm(FlaskForm):
    offering = BooleanField("I can help other advisers with cases in these themes",
                            description="Cases nobody has answered after two days may then be sent to you "
                                        "(at most 2 a week).")
    theme_ids = ThemeChoices("Themes you can help with", coerce=int,
                             description="Choose the themes you know well.")
    years = StringField("How many years you have advised (optional)",
                        description="A whole number from 0 to 60.")
    on_profile = BooleanField("Show this on my profile, where other advisers see my posts")

    def validate_years(self, field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isdigit() and 0 <= int(text) <= 60):
            raise ValidationError(YEARS_MESSAGE)

    @property
    def years_value(self) -> int | None:
        text = (self.years.data or "").strip()
        return int(text) if text.isdigit() else None
