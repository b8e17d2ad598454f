"""The search page's date filters: shape only (a GET form, so no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Optional

from forum.forms import DayMonthYearField


class SearchDatesForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    # The addresses keep the short names "from" and "to" (from-day, from-month, from-year...).
    date_from = DayMonthYearField("Written on or after", name="from", id="search-from", validators=[Optional()],
                                  noun="The start date", description="For example 10 3 2026")
    date_to = DayMonthYearField("Written on or before", name="to", id="search-to", validators=[Optional()],
                                noun="The end date", description="For example 31 3 2026")
