"""Forms for posts and replies: shape only; the rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from forum.cases.models import OutcomeType
from forum.cases.services import MAX_PART, MAX_TITLE

ANONYMITY_HINT = (
    "Write about the situation, not the person: no names, ages, addresses, phone numbers, "
    "employers or anything else that could identify the jobseeker."
)


class ThemeChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _part(label: str, hint: str) -> TextAreaField:
    return TextAreaField(label, description=hint, validators=[
        Length(max=MAX_PART, message=f"Keep each part to {MAX_PART:,} characters or fewer")])


class _PostForm(FlaskForm):
    title = StringField("Title", description="A short summary others will see in lists.",
                        validators=[Length(max=MAX_TITLE, message=f"Enter a title of {MAX_TITLE} characters or fewer")])
    theme_ids = ThemeChoices("Themes", coerce=int, description="Choose 1 to 5 themes.", validate_choice=False)
    audience = SelectField("Who can read it", default="forum", validate_choice=False,
                           description="A circle's cases are seen only by its members.")
    show_author = RadioField("Who others see as the author", default="name",
                             choices=[("name", "Show my display name"), ("anonymous", "Show “An adviser”")])


class CaseForm(_PostForm):
    situation = _part("The situation", ANONYMITY_HINT + " You can use Markdown.")
    tried = _part("What I have tried", "What you have done so far and how it went.")
    ask = _part("What I would like help with", "Your focus question for other advisers.")


class StoryForm(_PostForm):
    situation = _part("The situation", ANONYMITY_HINT + " You can use Markdown.")
    what_worked = _part("What worked", "What you or the jobseeker did that made the difference.")
    outcome_text = _part("The outcome", "What changed as a result.")
    outcome_types = ThemeChoices("Kinds of outcome", description="Choose every one that fits.", validate_choice=False,
                                 choices=[(outcome.value, outcome.label) for outcome in OutcomeType])


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", description="You can use Markdown. Do not identify anyone.",
                         validators=[Length(max=MAX_PART, message=f"Keep your reply to {MAX_PART:,} characters or fewer")])
    anonymous = BooleanField("Show me as “An adviser” on this reply")


class FindingForm(FlaskForm):
    """Acting on one privacy finding in place: the text of its field as the author has it now,
    and, to keep a finding that blocks publishing, their reason (checked by the service)."""

    text = TextAreaField(validators=[Length(max=MAX_PART, message=f"Keep this to {MAX_PART:,} characters or fewer")])
    reason = StringField(validators=[Length(max=32)])
    note = StringField(validators=[Length(max=300, message="Keep the note to 300 characters or fewer")])
    ack = BooleanField()


class RevealForm(FlaskForm):
    reason = TextAreaField("Why do you need to know who wrote this?",
                           description="For example a safeguarding concern. Your name, the time and this reason go in the audit log.",
                           validators=[Length(max=500, message="Give a reason of 500 characters or fewer")])


class RedactForm(FlaskForm):
    reason = TextAreaField("Why are you removing this?",
                           description="Recorded in the audit log with your name. The removed text is not.",
                           validators=[Length(max=300, message="Give a reason of 300 characters or fewer")])
    start = IntegerField(widget=HiddenInput())
    end = IntegerField(widget=HiddenInput())
