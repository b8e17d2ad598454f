"""The outcome update form: shape only; the rules (vocabulary, dates) live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.cases.models import Barrier, OutcomeType
from forum.cases.services import MAX_PART
from forum.forms import DayMonthYearField


class Choices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OutcomeUpdateForm(FlaskForm):
    # validate_choice=False: an unknown type reaches the service, which names the problem.
    types = Choices("What happened", validate_choice=False,
                    description="Choose every one that fits. You can add more updates later.",
                    choices=[(kind.value, kind.label) for kind in OutcomeType])
    barriers = Choices("Which barriers were removed", validate_choice=False,
                       description="Only if you chose “A barrier removed”.",
                       choices=[(barrier.value, barrier.label) for barrier in Barrier])
    occurred_on = DayMonthYearField("When did it happen", validators=[Optional()],
                                    description="For example 27 3 2026. Not before the case was published, not in the future.")
    note = TextAreaField("Note (optional)", description="What changed, in a sentence or two. Do not identify anyone. "
                         "You can use Markdown.",
                         validators=[Length(max=MAX_PART, message=f"Keep the note to {MAX_PART:,} characters or fewer")])
    resolved = BooleanField("The challenge in this case is resolved")
