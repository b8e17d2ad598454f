"""Dates people type: three boxes (forum.forms.DayMonthYearField and macros.date_input), with
clear errors at the field and in the summary, and what was typed kept, on every form that asks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired, Optional

from forum.accounts.models import Role
from forum.forms import DayMonthYearField
from tests.conftest import client_for
from tests.conftest import post as form_post
from tests.circles.test_circles import create_circle, set_schedule


class DateForm(FlaskForm):
    class Meta:
        csrf = False

    needed = DayMonthYearField("Needed", validators=[InputRequired("Enter the date")])
    maybe = DayMonthYearField("Maybe", validators=[Optional()], noun="The end date")


def parse(app, **values):
    with app.test_request_context():
        form = DateForm(MultiDict(values))
        form.validate()
        return form


@pytest.mark.parametrize(("values", "needed", "errors"), [
    ({"needed-day": "7", "needed-month": "03", "needed-year": "2026"}, date(2026, 3, 7), {}),
    ({"needed-day": " 7 ", "needed-month": "3", "needed-year": "2026"}, date(2026, 3, 7), {}),
    ({"needed": "2026-03-07"}, date(2026, 3, 7), {}),
    ({"needed-day": "", "needed-month": "", "needed-year": ""}, None, {"needed": ["Enter the date"]}),
    ({}, None, {"needed": ["Enter the date"]}),
    ({"needed-day": "7", "needed-month": "", "needed-year": "2026"}, None, {"needed": ["Date must include a month"]}),
    ({"needed-day": "", "needed-month": "3", "needed-year": ""}, None, {"needed": ["Date must include a day and year"]}),
    ({"needed-day": "30", "needed-month": "2", "needed-year": "2026"}, None, {"needed": ["Enter a real date"]}),
    ({"needed-day": "1", "needed-month": "13", "needed-year": "2026"}, None, {"needed": ["Enter a real date"]}),
    ({"needed-day": "one", "needed-month": "3", "needed-year": "2026"}, None, {"needed": ["Enter a real date"]}),
    ({"needed-day": "1", "needed-month": "3", "needed-year": "26"}, None, {"needed": ["Year must include 4 numbers"]}),
    ({"needed": "yesterday"}, None, {"needed": ["Enter a real date"]}),
])
def test_the_field_reads_three_boxes(app, values, needed, errors):
    form = parse(app, **values)
    assert form.needed.data == needed
    assert {name: messages for name, messages in form.errors.items() if name == "needed"} == errors


def test_an_optional_date_may_be_empty_but_not_half_typed(app):
    assert parse(app, **{"maybe-day": "", "maybe-month": "", "maybe-year": ""}).maybe.errors == []
    half = parse(app, **{"maybe-day": "", "maybe-month": "4", "maybe-year": "2026"})
    assert half.maybe.errors == ["The end date must include a day"] and half.maybe.parts_in_error == {"day"}


def test_the_macro_keeps_what_was_typed_and_marks_the_wrong_box(app):
    with app.test_request_context():
        form = DateForm(MultiDict({"needed-day": "7", "needed-month": "", "needed-year": "2026"}))
        form.validate()
        html = str(app.jinja_env.from_string('{% import "macros.html" as m %}{{ m.date_input(form.needed, hint="For example 27 3 2026") }}')
                   .render(form=form))
    assert "<fieldset" in html and "<legend" in html and "For example 27 3 2026" in html
    assert 'id="needed"' in html and 'id="needed-month"' in html and 'id="needed-year"' in html
    assert html.count('inputmode="numeric"') == 3 and 'value="7"' in html and 'value="2026"' in html
    assert html.count('aria-invalid="true"') == 1 and "Date must include a month" in html


@pytest.fixture
def manager(app, make_user):
    return client_for(app, make_user(Role.MANAGER, name="Max.Manager"))


@pytest.mark.parametrize(("parts", "message"), [
    (("31", "2", "2030"), "Enter a real date"),
    (("", "2", "2030"), "Date must include a day"),
    (("1", "2", "30"), "Year must include 4 numbers"),
])
def test_suspension_date(app, make_user, manager, parts, message):
    person = make_user(name="Pat.Peer")
    path = f"/moderation/people/{person.id}"
    data = dict(zip(("until-day", "until-month", "until-year"), parts), reason="Kept: posted a name again")
    response = form_post(manager, f"{path}/suspend", data, page=path)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and message in text and 'href="#until"' in text
    assert "Kept: posted a name again" in text and all(f'value="{part}"' in text for part in parts if part)
    good = dict(zip(("until-day", "until-month", "until-year"), ("1", "1", "2999")), reason="Posted a name again")
    assert form_post(manager, f"{path}/suspend", good, page=path).status_code == 302


@pytest.mark.parametrize(("args", "message"), [
    ({"since-day": "31", "since-month": "2", "since-year": "2026"}, "Enter a real date"),
    ({"until-day": "3", "until-month": "", "until-year": "2026"}, "The end date must include a month"),
])
def test_audit_log_dates(manager, args, message):
    response = manager.get("/moderation/audit", query_string={"person": "kept@example.org", **args})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and message in text and "<title>Error: " in text
    assert 'value="kept@example.org"' in text and all(f'value="{v}"' in text for v in args.values() if v)
    fine = manager.get("/moderation/audit", query_string={"since-day": "1", "since-month": "1", "since-year": "2020"})
    assert fine.status_code == 200 and 'name="since-day"' in fine.get_data(as_text=True)


def test_schedule_and_meeting_dates(app, make_user):
    f = client_for(app, make_user(name="Fay.Facilitator"))
    circle_id = create_circle(f)
    page = f.get(f"/circles/{circle_id}/schedule").get_data(as_text=True)
    assert 'name="start_date-day"' in page and 'name="until-year"' in page
    start = date.today() + timedelta(days=1)
    response = set_schedule(f, circle_id, start_date=None, **{"start_date-day": str(start.day), "start_date-month": "",
                                                               "start_date-year": str(start.year), "call_link": "kept.example"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Date must include a month" in text and 'href="#start_date"' in text
    assert 'value="kept.example"' in text
    empty = set_schedule(f, circle_id, start_date=None, **{"start_date-day": "", "start_date-month": "", "start_date-year": ""})
    assert empty.status_code == 400 and "Enter the date of the first meeting" in empty.get_data(as_text=True)
    ends = set_schedule(f, circle_id, **{"until-day": "31", "until-month": "4", "until-year": "2030"})
    assert ends.status_code == 400 and "Enter a real date" in ends.get_data(as_text=True)
    good = set_schedule(f, circle_id, start_date=None, **{"start_date-day": str(start.day), "start_date-month": str(start.month),
                                                           "start_date-year": str(start.year)})
    assert good.status_code == 302
    new = f"/circles/{circle_id}/meetings/new"
    when = form_post(f, new, {"day-day": "1", "day-month": "1", "day-year": "", "at": "10:00", "duration_minutes": "60",
                              "timezone": "Europe/London"}, page=new)
    assert when.status_code == 400 and "Date must include a year" in when.get_data(as_text=True)
