"""The insights filter: a GET form (it changes nothing), its choices filled in by the view."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from forum.forms import DayMonthYearField, LongSelect
from forum.insights.periods import CHOICES


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: it changes nothing

    period = SelectField("Period", choices=CHOICES, default="12", validate_choice=False)
    since = DayMonthYearField("From", validators=[Optional()], noun="The start date",
                              description="With \u201cDates I choose\u201d: figures cover whole months, from the start of this one.")
    until = DayMonthYearField("To", validators=[Optional()], noun="The end date",
                              description="To the end of this date's month.")
    # The service says which team or theme is unknown, beside the field.
    team = SelectField("Team", validate_choice=False, widget=LongSelect())
    theme = SelectField("Theme", validate_choice=False, widget=LongSelect())
