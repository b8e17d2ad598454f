"""The learning record's forms: shape only; the rules (lengths, periods, sections) live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import DayMonthYearField
from forum.learning.services import QUESTIONS, SECTIONS


class Choices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PeriodForm(FlaskForm):
    """The period shown (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    start = DayMonthYearField("From", validators=[Optional()], noun="The start date", description="For example 1 1 2026.")
    end = DayMonthYearField("To", validators=[Optional()], noun="The end date", description="For example 31 12 2026.")


class DownloadForm(PeriodForm):
    # validate_choice=False: the reflections offered are the period's; a stale id is simply not included.
    reflections = Choices("Reflections to include", coerce=int, validate_choice=False,
                          description="Only the ones you tick go into the PDF or CSV.")


class ReflectionForm(FlaskForm):
    took = TextAreaField(QUESTIONS["took"],
                         description="Private to you. Do not identify anyone: the privacy guard will point out what might.")
    will_try = TextAreaField(QUESTIONS["will_try"], description="Something to do differently, or keep doing.")


class GoalForm(FlaskForm):
    text = StringField("Your goal", description="In your own words, for example “Get better at opening up difficult conversations”.")
    themes = Choices("Themes (optional)", coerce=int, validate_choice=False,
                     description="Your record shows your posts and replies in these themes under the goal.")


class ShareForm(FlaskForm):
    manager = SelectField("Manager to share with", coerce=int, validate_choice=False,
                          description="Only this manager, signed in, can open it. Your own team's managers are first.")
    start = DayMonthYearField("From", validators=[Optional()], noun="The start date", description="For example 1 1 2026.")
    end = DayMonthYearField("To", validators=[Optional()], noun="The end date", description="For example 31 12 2026.")
    sections = Choices("What to share", validate_choice=False, choices=list(SECTIONS.items()),
                       description="A copy of these parts is made now; later changes to your record do not reach it.")
