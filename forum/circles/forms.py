"""Circle forms: shape only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from forum.circles.models import Mode


class CircleForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Enter a name"), Length(max=80, message="Enter a name of 80 characters or fewer")])
    purpose = TextAreaField("Purpose", description="What the circle is for and who it suits.",
                            validators=[Length(max=2000, message="Keep the purpose to 2,000 characters or fewer")])
    mode = SelectField("Who can join", choices=[(mode.value, mode.label) for mode in Mode], default=Mode.OPEN.value)
    size_limit = IntegerField("Size limit", default=12, description="Circles work best with 6 to 10 people.",
                              validators=[InputRequired("Enter a size limit"),
                                          NumberRange(min=2, max=50, message="Enter a size limit between 2 and 50")])


class InviteForm(FlaskForm):
    display_name = StringField("Display name of the person to invite",
                               description="Their display name, like Siân Evans, or their handle, like @sian.evans.",
                               validators=[InputRequired("Enter a display name"), Length(max=41)])
