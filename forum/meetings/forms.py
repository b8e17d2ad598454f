"""Meeting forms: shape only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.forms import DayMonthYearField, LongSelect
from forum.timeutil import DEFAULT_ZONE, zone_names

FREQUENCIES = [("weekly", "Every week"), ("fortnightly", "Every two weeks"),
               ("monthly", "Monthly on a weekday, like the second Tuesday"), ("once", "Once")]
NTHS = [("", "Not monthly"), ("1", "First"), ("2", "Second"), ("3", "Third"), ("4", "Fourth"), ("5", "Fifth"), ("-1", "Last")]
WEEKDAYS = [("", "Not monthly"), ("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
            ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")]

DURATION = IntegerField("Duration in minutes", default=60, validators=[
    InputRequired("Enter a duration between 1 minute and 8 hours"),
    NumberRange(min=1, max=480, message="Enter a duration between 1 minute and 8 hours")])


def _zone_field() -> SelectField:
    return SelectField("Time zone", default=DEFAULT_ZONE, choices=[(name, name.replace("_", " ")) for name in zone_names()],
                       validate_choice=False)


class ScheduleForm(FlaskForm):
    frequency = SelectField("How often", choices=FREQUENCIES, validate_choice=False)
    start_date = DayMonthYearField("Date of the first meeting", validators=[InputRequired("Enter the date of the first meeting")],
                                   description="For example 10 3 2026.")
    start_time = TimeField("Start time", description="Local time, like 10:00.", validators=[InputRequired("Enter a start time, like 10:00")])
    duration_minutes = DURATION
    timezone = _zone_field()
    nth = SelectField("Which week of the month", choices=NTHS, validate_choice=False)
    weekday = SelectField("Which day", choices=WEEKDAYS, validate_choice=False)
    until = DayMonthYearField("Last date (optional)", validators=[Optional()], noun="The last date",
                              description="For example 31 7 2026. Leave it empty to keep meeting.")
    call_link = StringField("Call link or room (optional)", description="For example https://meet.example.org/circle",
                            validators=[Length(max=500, message="Keep the call link to 500 characters or fewer")])


class MeetingForm(FlaskForm):
    day = DayMonthYearField("Date", validators=[InputRequired("Enter the date of the meeting")],
                            description="For example 10 3 2026.")
    at = TimeField("Start time", validators=[InputRequired("Enter a start time, like 10:00")])
    duration_minutes = DURATION
    timezone = _zone_field()


class NominateForm(FlaskForm):
    post_id = SelectField("Case to discuss", coerce=int, validate_choice=False, widget=LongSelect(),
                          description="Forum-wide cases and this circle's cases that you can read.")
    note = StringField("Why this case? (optional)", validators=[Length(max=300, message="Keep the reason to 300 characters or fewer")])


class RsvpForm(FlaskForm):
    answer = SelectField("Will you be there?", choices=[("going", "Going"), ("maybe", "Maybe"), ("not_going", "Not going")])


class MinutesForm(FlaskForm):
    minutes = IntegerField("Minutes", validators=[Optional(), NumberRange(min=1, max=120, message="Give the item between 1 and 120 minutes")])


class ReminderForm(FlaskForm):
    reminders = RadioField("When should we remind you of your circles' meetings?", default="day",
                           description="By email, with the agenda's case titles and the call link. "
                                       "Not for meetings you said you are not going to.",
                           choices=[("day", "24 hours before"), ("two_hours", "2 hours before"),
                                    ("both", "Both: 24 hours and 2 hours before"), ("none", "No reminders")],
                           validators=[InputRequired("Choose when to be reminded, or no reminders")])


SCALE = [("1", "1: not at all"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5: very")]
COPING_SCALE = [("1", "1: struggling"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5: doing well")]


class PulseForm(FlaskForm):
    """Both questions and the words are optional; the service checks the values (1 to 5)."""

    usefulness = RadioField("How useful was this session for your work? (optional)", choices=SCALE, validate_choice=False,
                            validators=[Optional()],
                            description="Your facilitator sees the circle's average once 5 people have answered; "
                                        "nobody sees your answer.")
    coping = RadioField("How are you doing at work at the moment? (optional)", choices=COPING_SCALE,
                        validate_choice=False, validators=[Optional()],
                        description="Counted only across the whole organisation, once 5 people have answered: "
                                    "never for your circle, and nobody sees your answer.")
    words = TextAreaField("Anything you would like your facilitator to hear? (optional)",
                          description="Your facilitator sees these words once 5 people have answered, without your "
                                      "name and never beside a rating. Leave out anything that could identify a jobseeker.")


class SignpostForm(FlaskForm):
    text = TextAreaField("Support to signpost after “How are you doing at work?”",
                         description="A sentence or two, for example about the employee assistance programme. "
                                     "Leave it empty to show nothing.")
    link = StringField("Link to the support (optional)", description="Starting with https://")


class NoteForm(FlaskForm):
    text = TextAreaField("Your note", description="A few kind words, up to 1,000 characters. Leave out anything "
                                                  "that could identify a jobseeker.")
class ActionPointForm(FlaskForm):
    """An action point on the run page; the service checks the text, the owner and the date's range."""
    text = StringField("Action", id="action-text")
    owner = SelectField("Who will do it", coerce=int, validate_choice=False, id="action-owner")
    due = DayMonthYearField("Due date (optional)", validators=[Optional()], noun="The due date", id="action-due",
                            description="For example 24 3 2026.")
